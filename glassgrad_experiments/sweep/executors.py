"""Where a sweep's runs execute: in this process, in local worker processes, or as Ray tasks.

All three call the same function for a run, :func:`execute_run`: it runs ``glassgrad run
EXPERIMENT *argv --out FOLDER`` (through :func:`experiments.common.run_experiment`), sends what
the run prints to ``FOLDER/run.log``, and on failure saves the traceback to ``FOLDER/error.txt``
and reports the error's last line instead of raising, so that the other runs go on. A run that
missed its target (:class:`experiments.common.TargetMissed`) is no failure: it finished, and its
results.json says ``target_met: false``.

- **processes** (``--jobs N``, and ``--jobs 1``): N worker processes, started fresh ("spawn"),
  each with one BLAS thread, so that N runs share N cores without oversubscribing them; a
  worker ends when the sweep's process is gone (killed), see :mod:`experiments.sweep.parent_watch`;
- **in this process** (``--in-process``): one run after another, for a debugger. BLAS keeps
  its threads here, and a multi-threaded matrix product may round differently in the last bit,
  so only the other backends promise bit-for-bit equal results;
- **Ray** (``--ray [ADDRESS]``): one Ray task per run, each asking for one CPU and started with
  the same one-thread environment. A task runs in a scratch folder on whichever machine
  Ray picks and returns every file the run wrote; this process writes them into the run's
  folder, so a cluster needs no shared disk.

Every backend calls ``on_done(run, error)`` as each run ends (``error`` is None on success), and
starts no new run once its ``stop`` request is set (the first Ctrl-C; see
:mod:`experiments.sweep.interrupts`).
"""

from __future__ import annotations

import contextlib
import importlib
import multiprocessing
import os
import shutil
import sys
import tempfile
import traceback
from collections.abc import Callable, Iterator
from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait
from pathlib import Path
from typing import Any

from glassgrad_experiments.common import TargetMissed, run_experiment
from glassgrad_experiments.sweep.interrupts import StopRequest, ignore_ctrl_c
from glassgrad_experiments.sweep.parent_watch import exit_with_parent
from glassgrad_experiments.sweep.plan import PlannedRun

OnDone = Callable[[PlannedRun, "str | None"], None]

# One BLAS / OpenMP thread per worker: read by the BLAS library when NumPy loads, hence set
# in the environment that the workers inherit, before they start.
ONE_THREAD = {name: "1" for name in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS")}


def execute_run(module_name: str, argv: list[str], folder: str) -> str | None:
    """Run one experiment into ``folder``; returns None, or the last line of its error.

    Leftovers of an earlier attempt (results.json, error.txt) are removed first, so the folder
    only ever shows the latest attempt's outcome.
    """
    out = Path(folder)
    out.mkdir(parents=True, exist_ok=True)
    for stale in ("results.json", "error.txt"):
        (out / stale).unlink(missing_ok=True)
    with (out / "run.log").open("w") as log, contextlib.redirect_stdout(log), contextlib.redirect_stderr(log):
        try:
            run_experiment(importlib.import_module(module_name), [*argv, "--out", str(out)])
        except TargetMissed as missed:  # finished: results.json holds its numbers and target_met: false
            print(f"target missed: {missed}")
        except (Exception, SystemExit) as err:  # noqa: BLE001  (a failing run is reported; the sweep goes on)
            (out / "error.txt").write_text(traceback.format_exc())
            first_line = (str(err).strip().splitlines() or [""])[0]
            return f"{type(err).__name__}: {first_line}" if first_line else type(err).__name__
    return None


def run_serially(runs: list[tuple[PlannedRun, Path]], module_name: str, on_done: OnDone,
                 stop: StopRequest | None = None) -> None:
    """One run after another in this process; none starts once ``stop`` is requested."""
    for run, folder in runs:
        if stop is not None and stop.requested:
            return
        on_done(run, execute_run(module_name, list(run.argv), str(folder)))


@contextlib.contextmanager
def _environment(values: dict[str, str]) -> Iterator[None]:
    """Set environment variables for the duration of the block, then restore them."""
    saved = {name: os.environ.get(name) for name in values}
    os.environ.update(values)
    try:
        yield
    finally:
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value


def run_in_processes(runs: list[tuple[PlannedRun, Path]], module_name: str, jobs: int, on_done: OnDone,
                     stop: StopRequest | None = None) -> None:
    """``jobs`` fresh worker processes, one BLAS thread each; runs are handed out as workers free up.

    A run is handed out only when a worker is free, so once ``stop`` is requested no queued run
    starts; an exception here (a second Ctrl-C) terminates the workers and their runs.
    """
    stop = stop or StopRequest()
    context = multiprocessing.get_context("spawn")  # fresh interpreters: nothing inherited but the arguments
    queue, workers = list(runs), min(jobs, len(runs))
    with _environment(ONE_THREAD):
        pool = ProcessPoolExecutor(workers, mp_context=context, initializer=_start_worker, initargs=(os.getpid(),))
    pending: dict[Any, PlannedRun] = {}
    try:
        while queue or pending:
            while queue and len(pending) < workers and not stop.requested:
                run, folder = queue.pop(0)
                pending[pool.submit(execute_run, module_name, list(run.argv), str(folder))] = run
            if not pending:
                break
            done, _ = wait(pending, return_when=FIRST_COMPLETED)
            for future in done:
                run = pending.pop(future)
                try:
                    error = future.result()
                except Exception as err:  # noqa: BLE001  (a worker that died, e.g. out of memory)
                    error = f"the worker process failed: {type(err).__name__}: {err}"
                on_done(run, error)
    except BaseException:
        if pending:
            print(f"sweep: stopping the {len(pending)} running run{'s' if len(pending) > 1 else ''}",
                  file=sys.stderr, flush=True)
        _terminate_workers(pool)
        raise
    finally:
        pool.shutdown(wait=True, cancel_futures=True)


def _start_worker(sweep_pid: int) -> None:
    """A worker process's initializer: Ctrl-C is the sweep's to handle, and the worker ends with the sweep."""
    ignore_ctrl_c()
    exit_with_parent(sweep_pid)


def _terminate_workers(pool: ProcessPoolExecutor) -> None:
    """Stop a pool's worker processes now (Python 3.14 has ``terminate_workers``; before it, its processes)."""
    if hasattr(pool, "terminate_workers"):
        pool.terminate_workers()
        return
    for process in list((getattr(pool, "_processes", None) or {}).values()):
        process.terminate()


# ----- Ray -------------------------------------------------------------------------------------
def ray_task(module_name: str, argv: list[str], driver_cwd: str) -> tuple[str | None, dict[str, bytes], str]:
    """The body of a Ray task: run into a scratch folder; return (error, {relative path: bytes}, scratch).

    Relative paths in the settings (data folders) mean what they mean where the sweep was
    started when that folder exists on this machine too.
    """
    if os.path.isdir(driver_cwd):
        os.chdir(driver_cwd)
    scratch = tempfile.mkdtemp(prefix="glassgrad-sweep-")
    try:
        error = execute_run(module_name, argv, scratch)
        files = {str(path.relative_to(scratch)): path.read_bytes()
                 for path in sorted(Path(scratch).rglob("*")) if path.is_file()}
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    return error, files, scratch


def write_returned_files(files: dict[str, bytes], scratch: str, folder: Path) -> None:
    """Write a Ray task's files into the run's folder; paths that named the scratch folder now name it."""
    if folder.exists():
        shutil.rmtree(folder)
    for relative, data in files.items():
        target = folder / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        if target.suffix in (".json", ".txt", ".log", ".md", ".csv"):
            data = data.replace(scratch.encode(), str(folder).encode())
        target.write_bytes(data)


def import_ray() -> Any:
    try:
        import ray
    except ImportError:
        raise ImportError("--ray needs Ray: pip install 'glassgrad[ray]' (or pip install ray)") from None
    return ray


@contextlib.contextmanager
def ray_session(address: str | None, cpus: int) -> Iterator[Any]:
    """Ray, connected: an instance already initialised in this process is used as it is; ``address``
    None starts a local instance with ``cpus`` CPUs (shut down afterwards); ``"auto"`` or
    ``"HOST:PORT"`` joins a running cluster."""
    ray = import_ray()
    if ray.is_initialized():
        yield ray
        return
    options: dict[str, Any] = {"log_to_driver": False, "include_dashboard": False}
    if address is None:  # "local": a new instance even when a cluster runs on this machine
        options.update(address="local", num_cpus=cpus)
    else:
        options["address"] = address
    ray.init(**options)
    try:
        yield ray
    finally:
        ray.shutdown()


def run_on_ray(runs: list[tuple[PlannedRun, Path]], module_name: str, address: str | None, cpus: int,
               on_done: OnDone, stop: StopRequest | None = None) -> None:
    """One Ray task per run (one CPU each); files come back to this machine as each task ends.

    No more tasks are submitted than the cluster has CPUs, so once ``stop`` is requested no queued
    run starts; an exception here (a second Ctrl-C) cancels the running tasks.
    """
    stop = stop or StopRequest()
    with ray_session(address, cpus) as ray:
        remote = ray.remote(num_cpus=1, max_retries=0, runtime_env={"env_vars": ONE_THREAD})(ray_task)
        folders = {run.name: folder for run, folder in runs}
        slots = max(1, int(ray.cluster_resources().get("CPU", cpus)))
        queue, pending = list(runs), {}
        try:
            while queue or pending:
                while queue and len(pending) < slots and not stop.requested:
                    run, _ = queue.pop(0)
                    pending[remote.remote(module_name, list(run.argv), os.getcwd())] = run
                if not pending:
                    break
                done, _ = ray.wait(list(pending), num_returns=1)
                for ref in done:
                    run = pending.pop(ref)
                    try:
                        error, files, scratch = ray.get(ref)
                        write_returned_files(files, scratch, folders[run.name])
                    except Exception as err:  # noqa: BLE001  (the task's worker died)
                        error = f"the Ray task failed: {type(err).__name__}: {str(err).strip().splitlines()[0]}"
                    on_done(run, error)
        except BaseException:
            for ref in pending:
                ray.cancel(ref, force=True)
            raise


def default_jobs() -> int:
    """The cores this process may use."""
    if hasattr(os, "sched_getaffinity"):
        return max(1, len(os.sched_getaffinity(0)))
    return max(1, os.cpu_count() or 1)


def describe_backend(jobs: int, ray_address: str | None, use_ray: bool, in_process: bool) -> str:
    if use_ray:
        return f"a local Ray instance with {jobs} CPUs" if ray_address is None else f"the Ray cluster at {ray_address}"
    return "this process" if in_process else f"{jobs} worker process{'es' if jobs > 1 else ''}"


__all__ = ["default_jobs", "describe_backend", "execute_run", "run_in_processes", "run_on_ray", "run_serially"]
