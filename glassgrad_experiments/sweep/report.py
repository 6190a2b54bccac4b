"""A sweep's results: ``results.csv`` (one row per run), ``results.md`` and ``results.png``.

- **results.csv**: the swept fields, the seed, the run's folder and status (ok, missed target or
  failed; a failed run keeps the numbers it measured before failing, if it saved any), then every number in
  its results.json, flattened: nested keys joined by dots (``results.history.loss.3``),
  booleans as 0/1. A list of more than :data:`LONG_LIST` numbers gives only its last value
  and its length (``.last``, ``.len``), so that per-step curves do not make thousands of columns.
- **results.md**: per combination of the swept fields, the mean ± standard deviation over
  seeds (sample std, n - 1) of every *metric*: the numbers the experiment returned at the top
  level of its results or in nested dicts, not in lists, and not timings (keys that say
  "seconds"), so the table is the same however and wherever the runs executed.
- **results.png**: each metric (one row) against each swept field (one column), mean ± std
  over seeds as error bars; one line per combination of the other swept fields (their mean
  when there are more than :data:`MAX_LINES`). Metrics equal in every run are left out.
"""

from __future__ import annotations

import csv
import itertools
import math
import statistics
from pathlib import Path
from typing import Any

from glassgrad_experiments.sweep.plan import RunOutcome

LONG_LIST = 20
MAX_LINES = 6
MAX_PLOTTED_METRICS = 8


def flatten(value: Any, prefix: str = "") -> dict[str, float]:
    """Every number in a JSON value, keyed by its dotted path (see the module docstring)."""
    if isinstance(value, bool):
        return {prefix: int(value)}
    if isinstance(value, int | float):
        return {prefix: value}
    join = (lambda key: f"{prefix}.{key}") if prefix else str
    flat: dict[str, float] = {}
    if isinstance(value, dict):
        for key, item in value.items():
            flat.update(flatten(item, join(key)))
    elif isinstance(value, list | tuple):
        numbers = [item for item in value if isinstance(item, int | float)]
        if len(value) > LONG_LIST and len(numbers) == len(value):
            flat.update({join("last"): value[-1], join("len"): len(value)})
        else:
            for index, item in enumerate(value):
                flat.update(flatten(item, join(index)))
    return flat


def _is_timing(key: str) -> bool:
    return "seconds" in key.lower()


def metrics(results: Any, prefix: str = "") -> dict[str, float]:
    """The metrics of one run's results: numbers reached through dicts only, timings left out."""
    found: dict[str, float] = {}
    if isinstance(results, dict):
        for key, item in results.items():
            name = f"{prefix}.{key}" if prefix else str(key)
            if _is_timing(str(key)):
                continue
            if isinstance(item, bool):
                found[name] = int(item)
            elif isinstance(item, int | float):
                found[name] = item
            elif isinstance(item, dict):
                found.update(metrics(item, name))
    return found


def _cell(value: Any) -> Any:
    return "" if value is None else value


def write_csv(outcomes: list[RunOutcome], fields: list[str], path: Path) -> None:
    """One row per run, in the planned order."""
    seeded = any(outcome.run.seed is not None for outcome in outcomes)
    rows, columns = [], []
    for outcome in outcomes:
        numbers = flatten(outcome.record) if outcome.record is not None else {}
        for key in numbers:
            if key not in columns:
                columns.append(key)
        rows.append((outcome, numbers))
    head = [*fields, *(["seed"] if seeded else []), "run", "status"]
    with path.open("w", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow([*head, *columns, "error"])
        for outcome, numbers in rows:
            fixed = [outcome.run.settings[field] for field in fields]
            if seeded:
                fixed.append(_cell(outcome.run.seed))
            status = "failed" if not outcome.ok else "missed target" if outcome.missed_target else "ok"
            writer.writerow([*fixed, outcome.run.name, status, *(_cell(numbers.get(key)) for key in columns),
                             outcome.error or ""])


def format_number(value: float) -> str:
    if isinstance(value, int) or (isinstance(value, float) and value.is_integer() and abs(value) < 1e6):
        return str(int(value))
    return f"{value:.4g}"


def _mean_std(values: list[float]) -> str:
    finite = [v for v in values if math.isfinite(v)]
    if not finite:
        return "nan" if values else "—"
    note = f" ({len(values) - len(finite)} non-finite)" if len(finite) < len(values) else ""
    if len(finite) == 1:
        return format_number(finite[0]) + note
    return f"{statistics.fmean(finite):.4g} ± {statistics.stdev(finite):.2g}{note}"


def group_by_settings(outcomes: list[RunOutcome]) -> dict[tuple[str, ...], list[RunOutcome]]:
    """The runs of each combination of the swept fields (its seeds), in the planned order."""
    groups: dict[tuple[str, ...], list[RunOutcome]] = {}
    for outcome in outcomes:
        groups.setdefault(tuple(outcome.run.settings.values()), []).append(outcome)
    return groups


def metric_names(outcomes: list[RunOutcome]) -> list[str]:
    names: list[str] = []
    for outcome in outcomes:
        if outcome.ok:
            for key in metrics(outcome.record.get("results")):
                if key not in names:
                    names.append(key)
    return names


def write_markdown(outcomes: list[RunOutcome], fields: list[str], title: str, path: Path) -> str:
    """The results table; returns its text."""
    names = metric_names(outcomes)
    seeds = sorted({outcome.run.seed for outcome in outcomes if outcome.run.seed is not None})
    failed = [outcome for outcome in outcomes if not outcome.ok]
    missed = sum(outcome.missed_target for outcome in outcomes)
    lines = [f"# {title}", "",
             f"{len(outcomes)} runs, {len(outcomes) - len(failed)} finished"
             + (f" ({missed} missed their target: target_met = 0)" if missed else "") + f", {len(failed)} failed."]
    if seeds:
        lines.append(f"Each cell: mean ± standard deviation over seeds {', '.join(map(str, seeds))} "
                     "(n = the runs that finished).")
    lines += ["", "| " + " | ".join([*fields, "n", *names]) + " |", "|" + "---|" * (len(fields) + 1 + len(names))]
    for settings, group in group_by_settings(outcomes).items():
        finished = [outcome for outcome in group if outcome.ok]
        cells = []
        for name in names:
            values = [metrics(outcome.record.get("results")).get(name) for outcome in finished]
            cells.append(_mean_std([float(v) for v in values if v is not None]))
        lines.append("| " + " | ".join([*settings, str(len(finished)), *cells]) + " |")
    if failed:
        lines += ["", "Failed runs (the traceback is in the run's error.txt):", ""]
        lines += [f"- `{outcome.run.name}`: {outcome.error}" for outcome in failed]
    text = "\n".join(lines) + "\n"
    path.write_text(text)
    return text


def _numeric(values: list[str]) -> list[float] | None:
    try:
        return [float(value) for value in values]
    except ValueError:
        return None


def write_plot(outcomes: list[RunOutcome], grid: dict[str, list[str]], title: str, path: Path) -> bool:
    """The summary plot (see the module docstring); False when there is nothing to draw."""
    finished = [outcome for outcome in outcomes if outcome.ok]
    table = [(outcome.run.settings, metrics(outcome.record.get("results"))) for outcome in finished]
    names = [name for name in metric_names(finished)
             if len({values.get(name) for _, values in table}) > 1][:MAX_PLOTTED_METRICS]
    if not grid or not names:
        return False
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    fields = list(grid)
    fig = Figure(figsize=(3.6 * len(fields), 2.6 * len(names)), layout="constrained")
    axes = fig.subplots(len(names), len(fields), squeeze=False)
    for row, name in enumerate(names):
        for col, field in enumerate(fields):
            _plot_one(axes[row][col], table, grid, field, name)
    axes[0][0].figure.suptitle(f"{title}: mean ± std over seeds")
    FigureCanvasAgg(fig)
    fig.savefig(path, dpi=90)
    return True


def _plot_one(ax: Any, table: list[tuple[dict[str, str], dict[str, float]]], grid: dict[str, list[str]],
              field: str, name: str) -> None:
    """One panel: metric ``name`` against the values of ``field``."""
    values = grid[field]
    numeric = _numeric(values)
    positions = numeric if numeric is not None else list(range(len(values)))
    others = [other for other in grid if other != field]
    present = {tuple(settings[o] for o in others) for settings, _ in table}
    combinations = [c for c in itertools.product(*(grid[o] for o in others)) if c in present]  # grid order
    if len(combinations) > MAX_LINES:
        combinations = [None]  # one line: the mean over the other fields as well
    for combination in combinations:
        means, stds, xs = [], [], []
        for value, x in zip(values, positions):
            ys = [float(numbers[name]) for settings, numbers in table
                  if settings[field] == value and name in numbers and math.isfinite(numbers[name])
                  and (combination is None or tuple(settings[o] for o in others) == combination)]
            if ys:
                xs.append(x)
                means.append(statistics.fmean(ys))
                stds.append(statistics.stdev(ys) if len(ys) > 1 else 0.0)
        if combination is None:
            label = f"mean ± std over {', '.join(others)} and seeds" if others else None
        else:
            label = ", ".join(f"{o}={v}" for o, v in zip(others, combination)) or None
        ax.errorbar(xs, means, yerr=stds, marker="o", ms=3, capsize=3, label=label)
    if numeric is None:
        ax.set_xticks(positions, values, rotation=30, fontsize=7)
    elif min(numeric) > 0 and max(numeric) / min(numeric) >= 100:
        ax.set_xscale("log")
    ax.set_xlabel(field)
    ax.set_ylabel(name, fontsize=8)
    ax.tick_params(labelsize=7)
    if others:
        ax.legend(fontsize=6)
