"""``glassgrad sweep EXPERIMENT --grid FIELD=A,B [FIELD=...] --seeds 0,1,2 [--jobs N | --ray [ADDRESS]]
[--out DIR] [--smoke] [--field value ...]``."""

from __future__ import annotations

import argparse
from pathlib import Path

from glassgrad_experiments.sweep.engine import run_sweep
from glassgrad_experiments.sweep.plan import parse_grid, parse_seeds

USAGE = ("glassgrad sweep EXPERIMENT --grid FIELD=A,B [FIELD=C,D ...] [--seeds 0,1,2] "
         "[--jobs N | --ray [ADDRESS] | --in-process] [--out DIR] [--smoke] [--field value ...]")


def positive_int(text: str) -> int:
    if not text.strip().isdigit() or int(text) < 1:
        raise argparse.ArgumentTypeError(f"expected a positive integer, got {text!r}")
    return int(text)


def make_parser(name: str) -> argparse.ArgumentParser:
    # allow_abbrev=False: `--seed 3` (an experiment's field) must not be taken for `--seeds`;
    # exit_on_error=False: a bad value raises, and the command prints one line
    parser = argparse.ArgumentParser(
        prog=f"glassgrad sweep {name}", usage=USAGE, allow_abbrev=False, exit_on_error=False,
        description="Run every combination of the grid's values with every seed, each run in its own folder, "
                    "then write results.csv, results.md and results.png. Finished runs are skipped.",
        epilog="Any other --field value is passed to every run (see `glassgrad run EXPERIMENT --help`).")
    parser.add_argument("--grid", nargs="+", action="extend", default=[], metavar="FIELD=A,B",
                        help="a Config field and the values to try, comma-separated")
    parser.add_argument("--seeds", default=None, help="seeds, comma-separated (default: the Config's seed)")
    parser.add_argument("--jobs", type=positive_int, default=None,
                        help="worker processes, one BLAS thread each (default: the number of cores); "
                             "with --ray and no address, the CPUs of the local Ray instance")
    parser.add_argument("--ray", nargs="?", const="local", default=None, metavar="ADDRESS",
                        help="run as Ray tasks: no ADDRESS starts a local Ray instance; 'auto' or HOST:PORT "
                             "joins a running cluster (needs pip install 'glassgrad[ray]')")
    parser.add_argument("--in-process", action="store_true",
                        help="run one after another in this process (for a debugger; BLAS keeps its threads, so "
                             "float results may differ in the last bits from --jobs and --ray)")
    parser.add_argument("--out", type=Path, default=None, help="output folder (default runs/sweep-EXPERIMENT)")
    parser.add_argument("--smoke", action="store_true", help="every run starts from the tiny smoke settings")
    return parser


def sweep_from_cli(name: str, argv: list[str]) -> int:
    """The ``glassgrad sweep`` command; exit status 1 when a run failed."""
    import glassgrad_experiments as experiments

    module = experiments.find(name)
    try:
        args, fixed = make_parser(name).parse_known_args(argv)
    except argparse.ArgumentError as err:  # one line, like every other command-line error
        raise ValueError(str(err)) from None
    grid = parse_grid(args.grid, module)
    seeds = parse_seeds(args.seeds) if args.seeds is not None else None
    outcomes = run_sweep(module, grid, seeds, fixed, smoke=args.smoke, out=args.out, jobs=args.jobs,
                         use_ray=args.ray is not None, ray_address=None if args.ray in (None, "local") else args.ray,
                         in_process=args.in_process)
    return 0 if all(outcome.ok for outcome in outcomes) else 1
