"""torch's ``nn.modules`` paths (``nn.modules.linear.Linear``, ``nn.modules.conv.Conv2d``, ...).

Each file here only re-exports; the classes are defined in ``glassgrad/nn/*.py``,
so ``isinstance`` checks agree whichever path a program imports from. A class's
``__module__`` names the file that defines it (``glassgrad.nn.linear``), not the
torch-like path, so ``inspect.getsource`` and "go to definition" find its code.
"""

from glassgrad.nn.modules import activation as activation
from glassgrad.nn.modules import batchnorm as batchnorm
from glassgrad.nn.modules import channelshuffle as channelshuffle
from glassgrad.nn.modules import container as container
from glassgrad.nn.modules import conv as conv
from glassgrad.nn.modules import distance as distance
from glassgrad.nn.modules import dropout as dropout
from glassgrad.nn.modules import flatten as flatten
from glassgrad.nn.modules import fold as fold
from glassgrad.nn.modules import instancenorm as instancenorm
from glassgrad.nn.modules import linear as linear
from glassgrad.nn.modules import loss as loss
from glassgrad.nn.modules import module as module
from glassgrad.nn.modules import normalization as normalization
from glassgrad.nn.modules import padding as padding
from glassgrad.nn.modules import pixelshuffle as pixelshuffle
from glassgrad.nn.modules import pooling as pooling
from glassgrad.nn.modules import rnn as rnn
from glassgrad.nn.modules import sparse as sparse
from glassgrad.nn.modules import transformer as transformer
from glassgrad.nn.modules import upsampling as upsampling
from glassgrad.nn.modules import utils as utils
from glassgrad.nn.modules.module import Module as Module

__all__ = [
    "Module", "activation", "batchnorm", "channelshuffle", "container", "conv", "distance", "dropout", "flatten",
    "fold", "instancenorm", "linear", "loss", "module", "normalization", "padding", "pixelshuffle", "pooling", "rnn",
    "sparse", "transformer", "upsampling", "utils",
]
