"""Running a sweep: plan the runs, skip the finished ones, execute the rest, write the results.

:func:`run_sweep` is the whole of ``glassgrad sweep``; experiments call it too (init-optim-grid
runs its grid of initialisers and optimisers through it).
"""

from __future__ import annotations

import sys
from pathlib import Path
from types import ModuleType
from typing import Any

from glassgrad_experiments.common import RUNS_DIR, check_output_folder
from glassgrad_experiments.sweep import executors, interrupts, report
from glassgrad_experiments.sweep.plan import (
    PlannedRun,
    RunOutcome,
    SweepSpec,
    base_config,
    check_fixed,
    is_finished,
    measured_before_failing,
    plan_runs,
    read_record,
)


class Progress:
    """One bar over the runs (tqdm, when installed and stderr is a terminal), else one line per run.

    A failed run is always reported on its own line, with the last line of its error.
    """

    def __init__(self, total: int, done: int) -> None:
        self.total, self.done, self.failed = total, done, 0
        self.bar = None
        if sys.stderr.isatty():
            try:
                from tqdm.auto import tqdm
            except ImportError:
                tqdm = None
            if tqdm is not None:
                self.bar = tqdm(total=total, initial=done, unit="run", desc="sweep", dynamic_ncols=True,
                                file=sys.stderr)

    def __call__(self, run: PlannedRun, error: str | None) -> None:
        self.done += 1
        if error is not None:
            self.failed += 1
            line = f"run {run.name} FAILED: {error}"
        else:
            line = f"[{self.done}/{self.total}] {run.name} done"
        if self.bar is not None:
            self.bar.update(1)
            self.bar.set_postfix_str(f"{self.failed} failed" if self.failed else "", refresh=True)
            if error is not None:
                self.bar.write(line, file=sys.stderr)
        else:
            print(line, file=sys.stderr, flush=True)

    def close(self) -> None:
        if self.bar is not None:
            self.bar.close()


def sweep_grid(module: ModuleType, grid: dict[str, list[str]], fixed: list[str], smoke: bool) -> dict[str, list[str]]:
    """The grid to run: the experiment's own (its ``SWEEP`` spec) with ``grid``'s fields replacing its fields."""
    spec: SweepSpec | None = getattr(module, "SWEEP", None)
    if spec is None:
        return dict(grid)
    own = spec.grid(base_config(module, fixed, smoke))
    return {**{field: values for field, values in own.items() if field not in grid}, **grid}


def default_out(module: ModuleType, smoke: bool) -> Path:
    return RUNS_DIR / f"sweep-{module.NAME}{'-smoke' if smoke else ''}"


def run_sweep(module: ModuleType, grid: dict[str, list[str]] | None = None, seeds: list[int] | None = None,
              fixed: list[str] | tuple[str, ...] = (), *, smoke: bool = False, out: Path | None = None,
              jobs: int | None = None, use_ray: bool = False, ray_address: str | None = None,
              in_process: bool = False, summarize: bool = True) -> list[RunOutcome]:
    """Run every combination of ``grid`` (field -> values as text) with every seed; see :mod:`experiments.sweep`.

    Args:
        module: the experiment (``experiments.find(name)``, or any module with the same attributes
            that worker processes can import by its name).
        fixed: ``--field value`` arguments given to every run.
        out: the sweep's folder (default ``runs/sweep-NAME``); each run writes into ``out/<run name>``.
        jobs: worker processes, or the CPUs of a local Ray instance (default: the cores available).
            ``jobs=1`` still runs in one worker process: every backend then computes with one BLAS
            thread, which makes their results bit-for-bit the same.
        use_ray, ray_address: run as Ray tasks; no address starts a local instance, ``"auto"`` or
            ``"HOST:PORT"`` joins a cluster.
        in_process: run one after another in this process (for a debugger). BLAS keeps all its
            threads here, so the last bits of float results may differ from the other backends.
        summarize: call the experiment's ``SWEEP.summarize`` when every run finished.

    Returns one :class:`RunOutcome` per run, in the planned order; runs that fail do not raise.
    Ctrl-C stops dispatching: the running runs finish and are kept, the others do not start (a
    second Ctrl-C stops the running runs too); the reports are written for what finished, and
    then ``KeyboardInterrupt`` is raised.
    Worker processes start fresh and import the ``__main__`` script again, so a script that calls
    this must do so under ``if __name__ == "__main__":``.
    """
    fixed = list(fixed)
    if use_ray and in_process:
        raise ValueError("--ray and --in-process exclude each other")
    jobs = jobs or executors.default_jobs()
    if jobs < 1:
        raise ValueError(f"--jobs must be at least 1, got {jobs}")
    check_fixed(fixed, grid or {}, seeds)
    full_grid = sweep_grid(module, grid or {}, fixed, smoke)
    if not full_grid and seeds is None:
        raise ValueError(f"nothing to sweep: give --grid FIELD=A,B (fields of {module.NAME}'s Config) or --seeds 0,1,2")
    planned = plan_runs(module, full_grid, seeds, fixed, smoke)
    out = Path(out) if out is not None else default_out(module, smoke)
    check_output_folder(out)
    out.mkdir(parents=True, exist_ok=True)
    todo = [(run, out / run.name) for run in planned if not is_finished(run, out / run.name)]
    where = executors.describe_backend(jobs, ray_address, use_ray, in_process)
    skipped = f" ({len(planned) - len(todo)} finished before: skipped)" if len(todo) < len(planned) else ""
    print(f"sweep {module.NAME}: {len(planned)} runs{skipped}; running {len(todo)} on {where}; outputs in {out}/",
          file=sys.stderr, flush=True)

    errors: dict[str, str | None] = {}
    progress = Progress(len(planned), len(planned) - len(todo))

    def on_done(run: PlannedRun, error: str | None) -> None:
        errors[run.name] = error
        progress(run, error)

    stopped_now = False  # a second Ctrl-C (or one inside an in-process run) stopped the running runs
    with interrupts.ctrl_c_stops_dispatch() as stop:
        try:
            if todo and use_ray:
                executors.run_on_ray(todo, module.__name__, ray_address, jobs, on_done, stop)
            elif todo and in_process:
                executors.run_serially(todo, module.__name__, on_done, stop)
            elif todo:
                executors.run_in_processes(todo, module.__name__, jobs, on_done, stop)
        except KeyboardInterrupt:
            stopped_now = True
        finally:
            progress.close()
    interrupted = stopped_now or stop.requested
    not_run = "not finished: the sweep was interrupted (Ctrl-C)" if interrupted else None
    outcomes = [_outcome(run, out / run.name, errors.get(run.name, not_run)) for run in planned]
    write_reports(module, outcomes, full_grid, out)
    failed = [outcome for outcome in outcomes if not outcome.ok]
    if interrupted:
        print(f"sweep {module.NAME}: interrupted: {len(outcomes) - len(failed)} of {len(outcomes)} runs finished "
              f"(table in {out / 'results.md'}); the same command runs the rest", file=sys.stderr, flush=True)
        raise KeyboardInterrupt
    spec: SweepSpec | None = getattr(module, "SWEEP", None)
    if summarize and spec is not None and spec.summarize is not None and not failed:
        spec.summarize(outcomes, out)
    missed = sum(outcome.missed_target for outcome in outcomes)
    print(f"sweep {module.NAME}: {len(outcomes) - len(failed)} of {len(outcomes)} runs finished"
          + (f" ({missed} missed their target: see target_met in results.csv)" if missed else "")
          + (f", {len(failed)} failed (see error.txt in their folders)" if failed else "")
          + f"; table in {out / 'results.md'}", file=sys.stderr, flush=True)
    return outcomes


def _outcome(run: PlannedRun, folder: Path, error: str | None) -> RunOutcome:
    if is_finished(run, folder):
        return RunOutcome(run, folder, read_record(folder))
    if error is None:  # not run now (a worker died or the run was skipped), or its results are missing
        saved = folder / "error.txt"
        lines = saved.read_text().strip().splitlines() if saved.exists() else []
        error = lines[-1] if lines else "no complete results.json"
    return RunOutcome(run, folder, measured_before_failing(run, folder), error)


def write_reports(module: ModuleType, outcomes: list[RunOutcome], grid: dict[str, list[str]], out: Path) -> Any:
    """results.csv, results.md and (with matplotlib installed) results.png in ``out``."""
    fields = list(grid)
    report.write_csv(outcomes, fields, out / "results.csv")
    report.write_markdown(outcomes, fields, f"Sweep of {module.NAME}", out / "results.md")
    try:
        import matplotlib  # noqa: F401
    except ImportError:
        print("results.png skipped: matplotlib is not installed (pip install 'glassgrad[plot]')", file=sys.stderr)
        return
    report.write_plot(outcomes, grid, module.NAME, out / "results.png")
