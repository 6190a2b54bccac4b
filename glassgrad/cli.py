"""The command line: ``glassgrad list``, ``glassgrad run NAME [--field value ...]``,
``glassgrad results``.

Experiments live outside the library, in the ``experiments/`` folder of a
clone (``pip install -e .`` keeps it reachable); this module is the only one
that imports them.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

_REPO_ROOT = Path(__file__).resolve().parent.parent


def _experiments():  # noqa: ANN202
    if (_REPO_ROOT / "experiments" / "__init__.py").exists() and str(_REPO_ROOT) not in sys.path:
        sys.path.insert(0, str(_REPO_ROOT))
    try:
        import experiments
    except ImportError:
        sys.exit("glassgrad: the experiments folder was not found; run from a clone of the repository "
                 "installed with `pip install -e .`")
    return experiments


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    parser = argparse.ArgumentParser(prog="glassgrad", description="Run glassgrad's experiments.")
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("list", help="list the experiments")
    run = sub.add_parser("run", help="run an experiment: glassgrad run NAME [--smoke] [--field value ...]",
                         add_help=False)
    run.add_argument("name")
    sub.add_parser("results", help="regenerate docs/results.md from runs/*/results.json")
    args, rest = parser.parse_known_args(argv)
    registry = _experiments()
    if args.command == "list":
        for name, description in registry.describe():
            print(f"{name:18s} {description}")
        return 0
    if args.command == "results":
        out = registry.write_results_table()
        print(f"wrote {out}")
        return 0
    if rest and args.command != "run":
        parser.error(f"unrecognised arguments: {' '.join(rest)}")
    return registry.run_from_cli(args.name, rest)


if __name__ == "__main__":
    raise SystemExit(main())
