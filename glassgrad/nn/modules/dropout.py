"""torch.nn.modules.dropout (defined in glassgrad/nn/channel_dropout.py, glassgrad/nn/dropout.py)."""

from glassgrad.nn.channel_dropout import AlphaDropout as AlphaDropout
from glassgrad.nn.channel_dropout import Dropout1d as Dropout1d
from glassgrad.nn.channel_dropout import Dropout2d as Dropout2d
from glassgrad.nn.channel_dropout import Dropout3d as Dropout3d
from glassgrad.nn.dropout import Dropout as Dropout

__all__ = ["AlphaDropout", "Dropout", "Dropout1d", "Dropout2d", "Dropout3d"]
