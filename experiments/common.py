"""Plumbing shared by the experiments: config parsing, output folder, results file.

``glassgrad run NAME --epochs 3 --lr=0.01`` maps each ``--field value`` onto the
experiment's ``Config`` dataclass, converting by the field's type; ``--smoke``
starts from the tiny preset; ``--out DIR`` picks the output folder
(default ``runs/NAME``). The results dict that ``run`` returns is written to
``results.json`` there, with the command, the config and the wall time, and
``glassgrad results`` turns those files into docs/results.md.
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


def _converter(field_type: Any) -> Any:
    if field_type in (bool, "bool"):
        return lambda s: s.lower() in ("1", "true", "yes", "on")
    if field_type in (int, "int"):
        return int
    if field_type in (float, "float"):
        return float
    if typing.get_origin(field_type) in (list, tuple) or str(field_type).startswith(("list", "tuple")):
        return lambda s: [x for x in s.split(",") if x]
    return str


def parse_config(module: ModuleType, argv: list[str]) -> tuple[Any, Path, bool]:
    """(config, output folder, smoke?) from command-line arguments."""
    cls = module.Config
    hints = typing.get_type_hints(cls)
    parser = argparse.ArgumentParser(prog=f"glassgrad run {module.NAME}", description=module.DESCRIPTION)
    parser.add_argument("--smoke", action="store_true", help="tiny settings that finish in seconds")
    parser.add_argument("--out", type=Path, default=None, help=f"output folder (default runs/{module.NAME})")
    for field in dataclasses.fields(cls):
        default = field.default if field.default is not dataclasses.MISSING else None
        parser.add_argument(f"--{field.name.replace('_', '-')}", dest=field.name, default=None,
                            type=_converter(hints[field.name]),
                            help=f"{field.metadata.get('help', '')} (default {default!r})")
    args = parser.parse_args(argv)
    cfg = module.smoke() if args.smoke else cls()
    overrides = {f.name: getattr(args, f.name) for f in dataclasses.fields(cls) if getattr(args, f.name) is not None}
    cfg = dataclasses.replace(cfg, **overrides)
    out_dir = args.out or RUNS_DIR / (module.NAME + ("-smoke" if args.smoke else ""))
    return cfg, out_dir, args.smoke


def run_experiment(module: ModuleType, argv: list[str]) -> dict[str, Any]:
    """Parse, run, write results.json, print where the outputs went."""
    cfg, out_dir, smoke = parse_config(module, argv)
    out_dir.mkdir(parents=True, exist_ok=True)
    start = time.perf_counter()
    results = module.run(cfg, out_dir)
    seconds = time.perf_counter() - start
    record = {
        "experiment": module.NAME,
        "command": "glassgrad run " + " ".join([module.NAME] + [shlex.quote(a) for a in argv]),
        "smoke": smoke,
        "seconds": round(seconds, 2),
        "config": dataclasses.asdict(cfg),
        "results": results,
    }
    (out_dir / "results.json").write_text(json.dumps(record, indent=2, default=str) + "\n")
    print(f"\n{module.NAME}: done in {seconds:.1f} s; outputs in {out_dir}/", file=sys.stderr)
    for path in sorted(out_dir.iterdir()):
        print(f"  {path}", file=sys.stderr)
    return record
