"""torch.nn.modules.dropout (defined in glassgrad/nn/dropout.py)."""

from glassgrad.nn.dropout import Dropout as Dropout

__all__ = ["Dropout"]
