"""The command line: ``glassgrad list``, ``glassgrad run NAME [--field value ...]``,
``glassgrad sweep NAME --grid field=a,b [--seeds 0,1,2]``, ``glassgrad results``.

The experiments are a package of their own, ``glassgrad_experiments``, shipped in the same
distribution as the library (``pip install glassgrad`` installs both) and never imported by
the library itself: this module is the one place that reaches them, by import, on demand.
"""

from __future__ import annotations

import argparse
import importlib
import sys


def _experiments():  # noqa: ANN202
    """The experiments' registry (the ``glassgrad_experiments`` package)."""
    try:
        return importlib.import_module("glassgrad_experiments")
    except ModuleNotFoundError as err:
        if err.name != "glassgrad_experiments":
            raise
        sys.exit("glassgrad: the experiments package (glassgrad_experiments) is not installed; "
                 "install glassgrad with pip (it ships them), or `pip install -e .` in a clone")


# Errors a user can cause (bad field, missing data, unreadable checkpoint): one line and exit code 2.
_USER_ERRORS = (ValueError, TypeError, KeyError, IndexError, OSError, RuntimeError, ImportError)


def main(argv: list[str] | None = None) -> int:
    """Run the command line; an error prints one line (exit 2), or its traceback under ``--debug``."""
    argv = list(sys.argv[1:] if argv is None else argv)
    debug = "--debug" in argv
    if debug:
        argv.remove("--debug")
    try:
        return _main(argv)
    except KeyboardInterrupt:
        if debug:
            raise
        print("glassgrad: interrupted", file=sys.stderr)
        return 130
    except Exception as err:  # noqa: BLE001  (every failure becomes one line unless --debug)
        if debug:
            raise
        # every line of the message, folded into one (load_state_dict lists its missing keys on the next lines)
        message = " ".join(line.strip() for line in str(err).strip().splitlines() if line.strip()) or type(err).__name__
        if isinstance(err, KeyError):
            message = f"missing key {message}"
        kind = "" if isinstance(err, _USER_ERRORS) else f"{type(err).__name__}: "
        print(f"glassgrad: error: {kind}{message} (run with --debug for the traceback)", file=sys.stderr)
        return 2 if isinstance(err, _USER_ERRORS) else 1


def _main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="glassgrad", description="Run glassgrad's experiments.",
                                     epilog="--debug anywhere shows the full traceback of an error.")
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("list", help="list the experiments")
    run = sub.add_parser("run", help="run an experiment: glassgrad run NAME [--smoke] [--field value ...]",
                         add_help=False)
    run.add_argument("name")
    sweep = sub.add_parser("sweep", add_help=False,
                           help="run an experiment over a grid of settings and seeds: glassgrad sweep NAME "
                                "--grid field=a,b --seeds 0,1,2 [--jobs N | --ray [ADDRESS]] (see docs/sweeps.md)")
    sweep.add_argument("name")
    sub.add_parser("results", help="regenerate docs/results.md from runs/*/results.json")
    export = sub.add_parser("export", help="export a run's saved model: glassgrad export RUN_DIR "
                                           "--format onnx|safetensors [--out FILE] (see docs/interop.md)")
    export.add_argument("run_dir", help="the run folder (runs/NAME, or just NAME)")
    export.add_argument("--format", default="onnx", choices=["onnx", "safetensors"])
    export.add_argument("--out", default=None, help="the file to write (default RUN_DIR/model.FORMAT)")
    export.add_argument("--opset", type=int, default=None, help="ONNX opset version (default 17)")
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
    if rest and args.command not in ("run", "sweep"):
        parser.error(f"unrecognised arguments: {' '.join(rest)}")
    if args.command == "export":
        from glassgrad.cli_export import export_run

        print(f"wrote {export_run(registry, args.run_dir, args.format, args.out, args.opset)}")
        return 0
    if args.command == "sweep":
        from glassgrad_experiments.sweep import sweep_from_cli

        return sweep_from_cli(args.name, rest)
    return registry.run_from_cli(args.name, rest)


if __name__ == "__main__":
    raise SystemExit(main())
