"""``glassgrad export RUN_DIR --format onnx|safetensors``: an experiment's saved weights, exported.

A run folder (``runs/NAME/``) holds ``results.json`` (the experiment's name and its config)
and the checkpoint the experiment saved with ``glassgrad.save`` (``{"model": state_dict, ...}``).

- ``safetensors`` needs only the weights: the state_dict is written as it is (tied weights
  stored once, when the experiment can rebuild its model).
- ``onnx`` needs the graph, so the experiment must rebuild its model: it exposes
  ``build_model(cfg, results) -> Module`` and ``example_input(cfg, results) -> Tensor``
  (``cfg`` is its Config as recorded; ``results`` the run's results). The batch axis (axis 0
  of every input) is exported as dynamic.

The checkpoint is the file named by the experiment's ``WEIGHTS`` (e.g. ``"model.npz"``), else
the only ``.npz`` / ``.safetensors`` file of the folder. Like the other commands, errors are
one line (exit 2); see ``glassgrad.cli``.
"""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path
from types import ModuleType
from typing import Any

import glassgrad as gg
from glassgrad.tensor import Tensor

FORMATS = ("onnx", "safetensors")


def find_run(run_dir: str, runs_root: Path) -> Path:
    """The run folder: the path as given, else ``runs/<name>``."""
    path = Path(run_dir)
    if not path.is_dir() and (runs_root / run_dir).is_dir():
        path = runs_root / run_dir
    if not (path / "results.json").is_file():
        raise FileNotFoundError(f"{run_dir}: not a run folder (no results.json); run an experiment first, "
                                "e.g. glassgrad run mnist-mlp --smoke")
    return path


def read_record(run: Path) -> dict[str, Any]:
    path = run / "results.json"
    try:
        record = json.loads(path.read_text())
    except (UnicodeDecodeError, json.JSONDecodeError) as err:
        raise ValueError(f"{path}: not readable JSON ({err}); was the run stopped while writing it? "
                         "Run the experiment again") from None
    if not isinstance(record, dict) or "experiment" not in record:
        raise ValueError(f"{path}: no 'experiment' entry; was it written by glassgrad run?")
    return record


def config_of(module: ModuleType, record: dict[str, Any]) -> Any:
    """The experiment's Config with the recorded values (fields it no longer has are skipped)."""
    known = {f.name for f in dataclasses.fields(module.Config)}
    return module.Config(**{k: v for k, v in record.get("config", {}).items() if k in known})


def checkpoint_path(module: ModuleType, run: Path) -> Path:
    named = getattr(module, "WEIGHTS", None)
    if named:
        path = run / named
        if not path.is_file():
            raise FileNotFoundError(f"{path}: the weights file of {module.NAME} is missing")
        return path
    found = sorted(p for p in run.iterdir() if p.suffix in (".npz", ".safetensors"))
    if len(found) != 1:
        which = ", ".join(p.name for p in found) or "none"
        raise FileNotFoundError(f"{run}: expected one saved checkpoint (.npz or .safetensors), found {which}")
    return found[0]


def load_state_dict(path: Path) -> dict[str, Any]:
    """The model's state_dict from a checkpoint: its ``"model"`` entry, or the whole file when flat."""
    checkpoint = gg.load(path)
    state = checkpoint.get("model", checkpoint) if isinstance(checkpoint, dict) else None
    if not isinstance(state, dict) or not all(isinstance(v, Tensor) for v in state.values()):
        raise ValueError(f"{path}: holds no state_dict (expected tensors, or a 'model' entry of them)")
    return state


def rebuild(module: ModuleType, cfg: Any, results: dict[str, Any], state: dict[str, Any], source: Path) -> Any:
    """The experiment's model with the weights of ``source``; weights that do not fit are one line naming it."""
    if not hasattr(module, "build_model"):
        raise ValueError(f"experiment {module.NAME} cannot rebuild its model (it has no build_model(cfg, results)); "
                         "only --format safetensors works for it")
    model = module.build_model(cfg, results)
    try:
        model.load_state_dict(state)
    except RuntimeError as err:  # missing/unexpected keys and size mismatches, one per line: keep them all
        reasons = " ".join(line.strip() for line in str(err).splitlines()[1:] if line.strip())
        raise RuntimeError(f"{source}: the weights do not fit {module.NAME}'s model as its results.json configures "
                           f"it: {reasons or str(err)}") from None
    return model.eval()


def export_run(registry: Any, run_dir: str, fmt: str, out: str | None, opset: int | None) -> Path:
    """Export the run's model; return the file written."""
    if fmt not in FORMATS:
        raise ValueError(f"unknown format {fmt!r}; use {' or '.join(FORMATS)}")
    run = find_run(run_dir, Path("runs"))  # a bare run name is looked up under ./runs
    record = read_record(run)
    module = registry.find(record["experiment"])
    cfg, results = config_of(module, record), record.get("results", {})
    weights = checkpoint_path(module, run)
    state = load_state_dict(weights)
    target = Path(out) if out else run / f"model.{fmt}"
    metadata = {"format": "pt", "experiment": module.NAME}
    if fmt == "safetensors":
        if hasattr(module, "build_model"):
            gg.safetensors.save_model(rebuild(module, cfg, results, state, weights), target, metadata=metadata)
        else:
            gg.safetensors.save_file(state, target, metadata=metadata)
        return target
    if not hasattr(module, "example_input"):
        raise ValueError(f"experiment {module.NAME} gives no example_input(cfg, results) to trace its model with")
    model = rebuild(module, cfg, results, state, weights)
    example = module.example_input(cfg, results)
    example = example if isinstance(example, tuple) else (example,)
    names = ["input"] if len(example) == 1 else [f"input_{i}" for i in range(len(example))]
    gg.onnx.export(model, example, target, input_names=names, opset_version=opset,
                   dynamic_axes={name: {0: "batch"} for name in names})
    return target
