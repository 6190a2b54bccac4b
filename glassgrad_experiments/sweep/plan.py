"""Planning a sweep: the grid and the seeds, and one planned run per combination.

A grid maps Config fields to the values to try, as command-line text::

    --grid lr=0.1,0.01 hidden=16,32 --seeds 0,1,2     ->  2 x 2 x 3 = 12 runs

Every run is an ordinary ``glassgrad run EXPERIMENT`` with its own arguments: ``--smoke`` if
asked, then the fixed ``--field value`` overrides, then the run's grid values and its seed.
Each run's settings are checked here, through the experiment's own parser
(:func:`experiments.common.parse_config`), before anything starts, so a typo stops the sweep
with one line instead of failing every run.
"""

from __future__ import annotations

import contextlib
import dataclasses
import io
import itertools
import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType
from typing import Any

from glassgrad_experiments.common import parse_config


@dataclass(frozen=True)
class SweepSpec:
    """An experiment's own sweep: what ``glassgrad sweep NAME`` runs when no ``--grid`` names a field.

    Attributes:
        grid: from the experiment's Config (after ``--smoke`` and the fixed overrides) to the grid,
            field -> values as command-line text. ``--grid`` entries replace fields of it.
        summarize: called after a sweep in which every run finished, with the list of
            :class:`RunOutcome` and the sweep's folder, to draw the experiment's own outputs.
    """

    grid: Callable[[Any], dict[str, list[str]]]
    summarize: Callable[[list[RunOutcome], Path], Any] | None = None


@dataclass(frozen=True)
class PlannedRun:
    """One run of a sweep: its folder name, its grid values and seed, its arguments and its config."""

    name: str                      # the folder under the sweep's output folder
    settings: dict[str, str]       # swept field -> value, as given on the command line
    seed: int | None               # None: the Config's own seed (no --seeds given)
    argv: tuple[str, ...]          # the arguments of `glassgrad run EXPERIMENT`, without --out
    config: dict[str, Any]         # the run's resolved Config, as results.json records it


@dataclass(frozen=True)
class RunOutcome:
    """A planned run after the sweep: its record (results.json) and, for a failed run, the last line of its error.

    A failed run's record is what it measured before it failed (None when nothing was kept).
    """

    run: PlannedRun
    folder: Path
    record: dict[str, Any] | None
    error: str | None = None

    @property
    def ok(self) -> bool:
        """The run finished (whether or not it met its target)."""
        return self.record is not None and self.error is None

    @property
    def missed_target(self) -> bool:
        """The run finished, and its results say ``target_met: false``."""
        results = self.record.get("results") if self.ok else None
        return isinstance(results, dict) and results.get("target_met") is False


def field_names(module: ModuleType) -> list[str]:
    return [field.name for field in dataclasses.fields(module.Config)]


def parse_grid(items: list[str], module: ModuleType) -> dict[str, list[str]]:
    """``["lr=0.1,0.01", "hidden=16,32"]`` -> ``{"lr": ["0.1", "0.01"], "hidden": ["16", "32"]}``.

    Field names may be spelled with dashes or underscores. Values stay text here; the
    experiment's parser converts and checks them when the runs are planned.
    """
    fields = field_names(module)
    grid: dict[str, list[str]] = {}
    for item in items:
        name, has_equals, values_text = item.partition("=")
        field = name.strip().lstrip("-").replace("-", "_")
        if not has_equals or not field:
            raise ValueError(f"--grid {item!r}: expected FIELD=VALUE1,VALUE2,... (for example --grid lr=0.1,0.01)")
        if field == "seed":
            raise ValueError("--grid seed=...: give the seeds with --seeds, for example --seeds 0,1,2")
        if field not in fields:
            raise ValueError(f"--grid {item}: {module.NAME} has no field {field!r}; its fields: {', '.join(fields)}")
        if field in grid:
            raise ValueError(f"--grid names {field} twice; give all its values once: {field}=A,B,C")
        values = [value.strip() for value in values_text.split(",")]
        if any(value == "" for value in values):
            raise ValueError(f"--grid {item}: an empty value (separate the values by single commas)")
        repeated = sorted({value for value in values if values.count(value) > 1})
        if repeated:
            raise ValueError(f"--grid {item}: {', '.join(repeated)} given more than once")
        grid[field] = values
    return grid


def parse_seeds(text: str) -> list[int]:
    """``"0,1,2"`` -> ``[0, 1, 2]``: distinct non-negative integers."""
    parts = [part.strip() for part in text.split(",")]
    if not all(re.fullmatch(r"\d+", part) for part in parts):
        raise ValueError(f"--seeds {text}: expected non-negative integers separated by commas, for example 0,1,2")
    seeds = [int(part) for part in parts]
    if len(set(seeds)) != len(seeds):
        raise ValueError(f"--seeds {text}: a seed is given more than once")
    return seeds


def check_config(module: ModuleType, argv: list[str], context: str) -> Any:
    """The Config that ``glassgrad run EXPERIMENT *argv`` would use; a refusal becomes one ValueError line.

    The experiment's parser prints its usage and exits on a bad value; that message is caught
    and its last line kept, prefixed by ``context`` (which names the setting at fault).
    """
    printed = io.StringIO()
    try:
        with contextlib.redirect_stderr(printed), contextlib.redirect_stdout(printed):
            cfg, _, _ = parse_config(module, list(argv))
    except SystemExit:
        lines = [line for line in printed.getvalue().splitlines() if line.strip()]
        reason = lines[-1].split("error: ", 1)[-1] if lines else "invalid arguments"
        raise ValueError(f"{context}: {reason}") from None
    except (ValueError, TypeError) as err:
        raise ValueError(f"{context}: {err}") from None
    return cfg


def config_record(cfg: Any) -> dict[str, Any]:
    """The config as results.json stores it (JSON round trip), to recognise a finished run."""
    return json.loads(json.dumps(dataclasses.asdict(cfg), default=str))


def flag(field: str) -> str:
    """The command-line flag of a Config field: ``batch_size`` -> ``--batch-size``."""
    return "--" + field.replace("_", "-")


def _folder_part(text: str) -> str:
    return re.sub(r"[^A-Za-z0-9._+-]", "_", text)


def run_name(settings: dict[str, str], seed: int | None) -> str:
    """The run's folder: ``hidden=16__lr=0.1__seed=0`` (characters unsafe in file names become ``_``)."""
    parts = [f"{field}={_folder_part(value)}" for field, value in settings.items()]
    if seed is not None:
        parts.append(f"seed={seed}")
    return "__".join(parts) or "run"


def plan_runs(module: ModuleType, grid: dict[str, list[str]], seeds: list[int] | None, fixed: list[str],
              smoke: bool = False) -> list[PlannedRun]:
    """Every combination of the grid's values, each with every seed, checked by the experiment's parser."""
    base = ["--smoke"] if smoke else []
    base_config(module, fixed, smoke)  # the fixed overrides alone first, so that an error names them
    if seeds is not None and "seed" not in field_names(module):
        raise ValueError(f"--seeds: {module.NAME}'s Config has no seed field")
    for field, values in grid.items():  # each value alone first, so that an error names it
        for value in values:
            check_config(module, [*base, *fixed, flag(field), value], f"--grid {field}={value}")
    planned: list[PlannedRun] = []
    for combination in itertools.product(*grid.values()):
        settings = dict(zip(grid, combination))
        for seed in seeds if seeds is not None else [None]:
            argv = [*base, *fixed]
            for field, value in settings.items():
                argv += [flag(field), value]
            if seed is not None:
                argv += ["--seed", str(seed)]
            name = run_name(settings, seed)
            cfg = check_config(module, argv, f"run {name}")
            planned.append(PlannedRun(name, settings, seed, tuple(argv), config_record(cfg)))
    names = [run.name for run in planned]
    if len(set(names)) != len(names):
        raise ValueError("two runs of the grid would share a folder name; use values that differ in letters or digits")
    return planned


def check_fixed(fixed: list[str], grid: dict[str, list[str]], seeds: list[int] | None) -> None:
    """Refuse a fixed ``--field value`` for a field that ``--grid`` or ``--seeds`` sweeps."""
    for flag in fixed:
        field = flag.lstrip("-").split("=", 1)[0].replace("-", "_")
        if flag.startswith("--") and (field in grid or (field == "seed" and seeds is not None)):
            swept = "--seeds" if field == "seed" else f"--grid {field}=..."
            raise ValueError(f"{flag} is swept by {swept}; give it only there")


def base_config(module: ModuleType, fixed: list[str], smoke: bool) -> Any:
    """The Config of ``glassgrad run EXPERIMENT [--smoke] *fixed`` (the input of a SweepSpec's grid)."""
    base = ["--smoke"] if smoke else []
    return check_config(module, [*base, *fixed], f"{module.NAME} {' '.join([*base, *fixed])}".strip())


def read_record(folder: Path) -> dict[str, Any] | None:
    """The run's results.json if it is there and complete (a JSON object with its results), else None."""
    try:
        record = json.loads((folder / "results.json").read_text())
    except (OSError, ValueError):
        return None
    return record if isinstance(record, dict) and "results" in record and "config" in record else None


def is_finished(run: PlannedRun, folder: Path) -> bool:
    """A finished run: a complete results.json whose config is the one this run would use.

    A record that missed its target is finished; one that says ``"error"`` (what a failed run
    measured before it failed) is not.
    """
    record = read_record(folder)
    return record is not None and "error" not in record and record["config"] == run.config


def measured_before_failing(run: PlannedRun, folder: Path) -> dict[str, Any] | None:
    """The results.json that this run wrote as it failed (with ``"error"``), if there is one."""
    record = read_record(folder)
    return record if record is not None and "error" in record and record["config"] == run.config else None
