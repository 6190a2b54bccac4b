"""The command-line plumbing of every experiment: config parsing, output folder, results file.

``glassgrad run NAME --epochs 3 --lr=0.01`` maps each ``--field value`` onto the
experiment's ``Config`` dataclass, converting by the field's type; ``--smoke``
starts from the tiny preset; ``--out DIR`` picks the output folder
(default ``runs/NAME``). The results dict that ``run`` returns is written to
``results.json`` there, with the command, the config and the wall time, and
``glassgrad results`` turns those files into docs/results.md.

A boolean field also gets a ``--no-FIELD`` flag (``--no-download`` = ``--download false``).
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import shlex
import sys
import time
import typing
from pathlib import Path
from types import ModuleType
from typing import Any

RUNS_DIR = Path("runs")


_TRUE = ("true", "1", "yes", "on")
_FALSE = ("false", "0", "no", "off")


def parse_bool(text: str) -> bool:
    """A command-line boolean: true/false, 1/0, yes/no, on/off (any case); anything else is refused."""
    word = text.strip().lower()
    if word in _TRUE:
        return True
    if word in _FALSE:
        return False
    raise argparse.ArgumentTypeError(f"expected true/false, 1/0, yes/no or on/off, got {text!r}")


def _converter(field_type: Any) -> Any:
    """A function from the command-line text to the field's type (lists element by element)."""
    if field_type in (bool, "bool"):
        return parse_bool
    if field_type in (int, "int"):
        return int
    if field_type in (float, "float"):
        return float
    origin = typing.get_origin(field_type)
    if origin in (list, tuple) or str(field_type).startswith(("list", "tuple")):
        args = typing.get_args(field_type)
        item = _converter(args[0]) if args and args[0] is not Ellipsis else str

        def parse_list(text: str) -> list[Any]:
            return [item(part.strip()) for part in text.split(",") if part.strip()]

        return parse_list
    if origin is typing.Union or type(field_type).__name__ == "UnionType":
        options = [a for a in typing.get_args(field_type) if a is not type(None)]
        inner = _converter(options[0]) if len(options) == 1 else str
        return lambda text: None if text.strip().lower() in ("none", "null") else inner(text)
    return str


# Integer fields whose name contains one of these are counts or sizes: they must be at least 1.
_POSITIVE_WORDS = ("epoch", "batch", "step", "iter", "hidden", "layer", "head", "embed", "dim", "size",
                   "latent", "channel", "width", "depth", "episode", "sample", "context", "block", "window",
                   "units", "filters")


def validate_config(cfg: Any) -> None:
    """Refuse settings that cannot work, before anything runs (one line naming the field).

    Counts and sizes (epochs, batch size, hidden units, ...) must be at least 1 (or 0 when the field's
    metadata says ``allow_zero``: 0 then means "none" or "no limit"), no integer may be
    negative unless the field's metadata says ``allow_negative``, learning rates must be positive and
    fractions (names ending in ``_fraction``/``_split``/``dropout``) must lie in [0, 1).
    An experiment may add its own checks in a ``validate(cfg)`` function.
    """
    for field in dataclasses.fields(cfg):
        value = getattr(cfg, field.name)
        flag = "--" + field.name.replace("_", "-")
        if isinstance(value, bool) or not isinstance(value, int | float):
            continue
        if isinstance(value, int):
            lowest = 0 if field.metadata.get("allow_zero") else 1
            if any(word in field.name for word in _POSITIVE_WORDS) and value < lowest:
                raise ValueError(f"{flag} must be at least {lowest}, got {value}")
            if value < 0 and not field.metadata.get("allow_negative") and field.name != "seed":
                raise ValueError(f"{flag} must not be negative, got {value}")
        else:
            if value != value or value in (float("inf"), float("-inf")):
                raise ValueError(f"{flag} must be a finite number, got {value}")
            if (field.name == "lr" or field.name.endswith("_lr") or "learning_rate" in field.name) and value <= 0:
                raise ValueError(f"{flag} must be positive, got {value}")
            if field.name.endswith(("_fraction", "_split", "dropout")) and not 0 <= value < 1:
                raise ValueError(f"{flag} must lie in [0, 1), got {value}")


def check_output_folder(out_dir: Path) -> None:
    """Refuse an output folder that cannot be made: a file stands at it or above it."""
    for folder in [out_dir, *out_dir.parents]:
        if folder.exists() and not folder.is_dir():
            where = "is a file" if folder == out_dir else f"lies under {folder}, which is a file"
            raise NotADirectoryError(f"--out {out_dir}: {where}")


def parse_config(module: ModuleType, argv: list[str]) -> tuple[Any, Path, bool]:
    """(config, output folder, smoke?) from command-line arguments."""
    cls = module.Config
    hints = typing.get_type_hints(cls)
    parser = argparse.ArgumentParser(prog=f"glassgrad run {module.NAME}", description=module.DESCRIPTION)
    parser.add_argument("--smoke", action="store_true", help="tiny settings that finish in seconds")
    parser.add_argument("--out", type=Path, default=None, help=f"output folder (default runs/{module.NAME})")
    for field in dataclasses.fields(cls):
        default = field.default if field.default is not dataclasses.MISSING else None
        flag = field.name.replace("_", "-")
        parser.add_argument(f"--{flag}", dest=field.name, default=None, type=_converter(hints[field.name]),
                            help=f"{field.metadata.get('help', '')} (default {default!r})")
        if hints[field.name] in (bool, "bool"):
            parser.add_argument(f"--no-{flag}", dest=field.name, action="store_const", const=False,
                                help=f"the same as --{flag} false")
    args = parser.parse_args(argv)
    cfg = module.smoke() if args.smoke else cls()
    overrides = {f.name: getattr(args, f.name) for f in dataclasses.fields(cls) if getattr(args, f.name) is not None}
    cfg = dataclasses.replace(cfg, **overrides)
    validate_config(cfg)
    if hasattr(module, "validate"):
        module.validate(cfg)
    out_dir = args.out or RUNS_DIR / (module.NAME + ("-smoke" if args.smoke else ""))
    check_output_folder(out_dir)
    return cfg, out_dir, args.smoke


class TargetMissed(RuntimeError):
    """The run finished and measured its results, but they miss the experiment's target.

    A result, not a failure: :func:`run_experiment` writes ``results`` to results.json (with
    ``"target_met": False``) before the error propagates, and a sweep keeps the run as finished.
    """

    def __init__(self, message: str, results: dict[str, Any]) -> None:
        super().__init__(message)
        self.results = {**results, "target_met": False}


def run_experiment(module: ModuleType, argv: list[str]) -> dict[str, Any]:
    """Parse, run, write results.json, print where the outputs went.

    A run that raises :class:`TargetMissed` still writes its results.json (with ``"missed_target"``,
    the message) and then raises. Any other exception that carries a dict ``results`` attribute
    (what the run measured before it failed) writes it too, with ``"error"``: such a record is
    kept for the reports but does not count as finished (a sweep runs it again).
    """
    cfg, out_dir, smoke = parse_config(module, argv)
    out_dir.mkdir(parents=True, exist_ok=True)
    start = time.perf_counter()
    record = {
        "experiment": module.NAME,
        "command": "glassgrad run " + " ".join([module.NAME] + [shlex.quote(a) for a in argv]),
        "smoke": smoke,
        "seconds": 0.0,
        "config": dataclasses.asdict(cfg),
    }
    try:
        results = module.run(cfg, out_dir)
    except Exception as err:
        measured = getattr(err, "results", None)
        if isinstance(measured, dict):
            line = (str(err).strip().splitlines() or [""])[0]
            record.update(seconds=round(time.perf_counter() - start, 2), results=measured)
            if isinstance(err, TargetMissed):
                record["missed_target"] = line
            else:
                record["error"] = f"{type(err).__name__}: {line}".rstrip(": ")
            (out_dir / "results.json").write_text(json.dumps(record, indent=2, default=str) + "\n")
        raise
    seconds = time.perf_counter() - start
    record.update(seconds=round(seconds, 2), results=results)
    (out_dir / "results.json").write_text(json.dumps(record, indent=2, default=str) + "\n")
    print(f"\n{module.NAME}: done in {seconds:.1f} s; outputs in {out_dir}/", file=sys.stderr)
    for path in sorted(out_dir.iterdir()):
        print(f"  {path}", file=sys.stderr)
    return record
