"""Sweeps: any experiment over a grid of settings and seeds, in local processes or on a Ray cluster.

``glassgrad sweep demo --grid lr=0.003,0.01,0.03 hidden=32,64 --seeds 0,1,2 --jobs 2`` runs the
3 x 2 x 3 = 18 runs, each an ordinary ``glassgrad run demo ...`` with its own folder and
results.json under ``runs/sweep-demo/``, then writes results.csv, results.md and results.png there
(see docs/sweeps.md). The pieces:

- :mod:`experiments.sweep.plan`: the grid and the seeds, checked, and one planned run per combination;
- :mod:`experiments.sweep.executors`: where runs execute (this process, worker processes, Ray tasks);
- :mod:`experiments.sweep.engine`: :func:`run_sweep`, which skips finished runs and reports failures;
- :mod:`experiments.sweep.report`: the CSV, the markdown table and the plot;
- :mod:`experiments.sweep.command`: the ``glassgrad sweep`` command line.

An experiment may declare its own grid (and outputs drawn from all its runs) with a ``SWEEP``
:class:`SweepSpec`; ``glassgrad sweep NAME`` then needs no ``--grid``.
"""

from glassgrad_experiments.sweep.command import sweep_from_cli as sweep_from_cli
from glassgrad_experiments.sweep.engine import run_sweep as run_sweep
from glassgrad_experiments.sweep.plan import PlannedRun as PlannedRun
from glassgrad_experiments.sweep.plan import RunOutcome as RunOutcome
from glassgrad_experiments.sweep.plan import SweepSpec as SweepSpec
from glassgrad_experiments.sweep.plan import parse_grid as parse_grid
from glassgrad_experiments.sweep.plan import parse_seeds as parse_seeds

__all__ = ["PlannedRun", "RunOutcome", "SweepSpec", "parse_grid", "parse_seeds", "run_sweep", "sweep_from_cli"]
