"""torch.nn.modules.pooling; the classes are defined in
glassgrad/nn/pooling.py, glassgrad/nn/pooling_more.py, glassgrad/nn/pooling_nd.py."""

from glassgrad.nn.pooling import AdaptiveAvgPool2d as AdaptiveAvgPool2d
from glassgrad.nn.pooling import AvgPool2d as AvgPool2d
from glassgrad.nn.pooling import MaxPool2d as MaxPool2d
from glassgrad.nn.pooling_more import AdaptiveAvgPool1d as AdaptiveAvgPool1d
from glassgrad.nn.pooling_more import AdaptiveMaxPool2d as AdaptiveMaxPool2d
from glassgrad.nn.pooling_more import AvgPool1d as AvgPool1d
from glassgrad.nn.pooling_more import MaxPool1d as MaxPool1d
from glassgrad.nn.pooling_nd import AdaptiveAvgPool3d as AdaptiveAvgPool3d
from glassgrad.nn.pooling_nd import AdaptiveMaxPool1d as AdaptiveMaxPool1d
from glassgrad.nn.pooling_nd import AdaptiveMaxPool3d as AdaptiveMaxPool3d
from glassgrad.nn.pooling_nd import AvgPool3d as AvgPool3d
from glassgrad.nn.pooling_nd import FractionalMaxPool2d as FractionalMaxPool2d
from glassgrad.nn.pooling_nd import FractionalMaxPool3d as FractionalMaxPool3d
from glassgrad.nn.pooling_nd import LPPool1d as LPPool1d
from glassgrad.nn.pooling_nd import LPPool2d as LPPool2d
from glassgrad.nn.pooling_nd import LPPool3d as LPPool3d
from glassgrad.nn.pooling_nd import MaxPool3d as MaxPool3d
from glassgrad.nn.pooling_nd import MaxUnpool1d as MaxUnpool1d
from glassgrad.nn.pooling_nd import MaxUnpool2d as MaxUnpool2d
from glassgrad.nn.pooling_nd import MaxUnpool3d as MaxUnpool3d

__all__ = [
    "AdaptiveAvgPool1d", "AdaptiveAvgPool2d", "AdaptiveAvgPool3d", "AdaptiveMaxPool1d", "AdaptiveMaxPool2d",
    "AdaptiveMaxPool3d", "AvgPool1d", "AvgPool2d", "AvgPool3d", "FractionalMaxPool2d", "FractionalMaxPool3d",
    "LPPool1d", "LPPool2d", "LPPool3d", "MaxPool1d", "MaxPool2d", "MaxPool3d", "MaxUnpool1d", "MaxUnpool2d",
    "MaxUnpool3d",
]
