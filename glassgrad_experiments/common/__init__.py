"""What the experiments share, so that no experiment imports another.

The plumbing around the experiments' training loops lives here; the loops themselves (model, loss,
optimiser, ``zero_grad`` / ``backward`` / ``step``) are written out in each experiment's ``run``.

- :mod:`glassgrad_experiments.common.config`: the command line (``--field value`` onto the Config
  dataclass, strict booleans, typed lists, checks), the output folder and ``results.json``;
- :mod:`glassgrad_experiments.common.data`: the data root (``--data-dir``, else ``$GLASSGRAD_DATA``, else
  the user cache), checked downloads, and the image and text data sets (``--dataset synthetic``
  everywhere means generated data);
- :mod:`glassgrad_experiments.common.training`: what the image classifiers share (their Config, random pixel
  shifts, ``EpochLog``: running means, progress bar and History; the results dict; the saved CNN);
- :mod:`glassgrad_experiments.common.text`: the character models and the plumbing of their truncated-BPTT
  loops (``CharTrainingLog``: time budget, validation reports, samples);
- :mod:`glassgrad_experiments.common.rl`: the RL experiments' MLP, running averages and returns summary;
- :mod:`glassgrad_experiments.common.plots`: figure grids the experiments draw;
- :mod:`glassgrad_experiments.common.results_table`: docs/results.md from the runs' results.json files.

The models themselves live in the library (:mod:`glassgrad.models`) where they are general.
"""

from glassgrad_experiments.common.config import RUNS_DIR as RUNS_DIR
from glassgrad_experiments.common.config import TargetMissed as TargetMissed
from glassgrad_experiments.common.config import check_output_folder as check_output_folder
from glassgrad_experiments.common.config import parse_bool as parse_bool
from glassgrad_experiments.common.config import parse_config as parse_config
from glassgrad_experiments.common.config import run_experiment as run_experiment
from glassgrad_experiments.common.config import validate_config as validate_config

__all__ = ["RUNS_DIR", "TargetMissed", "check_output_folder", "parse_bool", "parse_config", "run_experiment",
           "validate_config"]
