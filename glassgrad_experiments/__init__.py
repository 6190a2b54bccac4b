"""The experiment registry.

Every module directly in this folder is an experiment: it defines ``NAME``, ``DESCRIPTION``,
a ``Config`` dataclass (defaults = the classic result's settings), ``smoke()`` (a tiny Config
for tests) and ``run(cfg, out_dir) -> dict``. They are found by scanning the folder, so adding
one needs no edit here; a module that lacks one of these is refused with an error naming what
it lacks, not skipped. Code that is not an experiment lives in a subpackage (``common/``,
``envs/``) or in a module whose name starts with ``_``.

An experiment reads like the notes it reproduces: its ``run`` shows the model, the loss, the
optimiser and the training loop (``opt.zero_grad(); loss.backward(); opt.step()``), with the
plumbing (data, progress, results, plots) in ``common/``. The Keras-style experiments (``demo``,
``sine``, ``init-optim-grid``) make one ``fit`` call instead, as their modules say; ``ddp-mnist``'s
loop is its worker script, ``_ddp_mnist_worker.py``; ``occlusion`` and ``conv-filters`` look into a
trained CNN and train none themselves (without saved weights, one ``fit`` call trains it first).
"""

from __future__ import annotations

import importlib
import pkgutil
from pathlib import Path
from types import ModuleType

from glassgrad_experiments.common import run_experiment
from glassgrad_experiments.common.results_table import write_results_table

__all__ = ["REQUIRED", "describe", "discover", "find", "names", "run_from_cli", "write_results_table"]

REQUIRED = ("NAME", "DESCRIPTION", "Config", "smoke", "run")

_FOLDER = Path(__file__).parent


class NotAnExperimentError(TypeError):
    """A module in the experiments folder lacks what every experiment defines."""


def discover(folder: Path = _FOLDER, package: str = __name__) -> dict[str, ModuleType]:
    """{NAME: module} of every experiment module in ``folder`` (importable as ``package.<module>``)."""
    found: dict[str, ModuleType] = {}
    for info in pkgutil.iter_modules([str(folder)]):
        if info.ispkg or info.name.startswith("_"):
            continue
        module = importlib.import_module(f"{package}.{info.name}")
        missing = [attr for attr in REQUIRED if not hasattr(module, attr)]
        if missing:
            raise NotAnExperimentError(
                f"{folder.name}/{info.name}.py is not an experiment: it lacks {', '.join(missing)} (every module "
                f"there defines {', '.join(REQUIRED)}; helpers go in a subpackage or a module named _{info.name}.py)")
        if module.NAME in found:
            raise NotAnExperimentError(f"{folder.name}/{info.name}.py: the name {module.NAME!r} is already taken "
                                       f"by {found[module.NAME].__name__}")
        found[module.NAME] = module
    return dict(sorted(found.items()))


def names() -> list[str]:
    return list(discover())


def describe() -> list[tuple[str, str]]:
    return [(name, module.DESCRIPTION) for name, module in discover().items()]


def find(name: str) -> ModuleType:
    modules = discover()
    if name not in modules:
        raise ValueError(f"no experiment named {name!r}; known: {', '.join(modules)}")
    return modules[name]


def run_from_cli(name: str, argv: list[str]) -> int:
    """``glassgrad run NAME [--smoke] [--out DIR] [--data-dir DIR] [--no-download] [--field value ...]``."""
    run_experiment(find(name), argv)
    return 0
