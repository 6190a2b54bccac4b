"""The experiment registry.

Every module in this folder that defines ``NAME``, ``DESCRIPTION``, a
``Config`` dataclass (defaults = the classic result's settings), ``smoke()``
(a tiny Config for tests) and ``run(cfg, out_dir) -> dict`` is an experiment.
They are found by scanning the folder, so adding one needs no edit here.
"""

from __future__ import annotations

import importlib
import pkgutil
from pathlib import Path
from types import ModuleType

from experiments.common import run_experiment
from experiments.results_table import write_results_table

__all__ = ["describe", "find", "names", "run_from_cli", "write_results_table"]

_FOLDER = Path(__file__).parent


def _modules() -> dict[str, ModuleType]:
    found: dict[str, ModuleType] = {}
    for info in pkgutil.iter_modules([str(_FOLDER)]):
        if info.name in ("common", "results_table") or info.name.startswith("_"):
            continue
        module = importlib.import_module(f"experiments.{info.name}")
        if all(hasattr(module, attr) for attr in ("NAME", "DESCRIPTION", "Config", "run", "smoke")):
            found[module.NAME] = module
    return dict(sorted(found.items()))


def names() -> list[str]:
    return list(_modules())


def describe() -> list[tuple[str, str]]:
    return [(name, module.DESCRIPTION) for name, module in _modules().items()]


def find(name: str) -> ModuleType:
    modules = _modules()
    if name not in modules:
        raise SystemExit(f"glassgrad: no experiment named {name!r}; known: {', '.join(modules)}")
    return modules[name]


def run_from_cli(name: str, argv: list[str]) -> int:
    """``glassgrad run NAME [--smoke] [--out DIR] [--field value ...]``."""
    run_experiment(find(name), argv)
    return 0
