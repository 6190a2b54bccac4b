"""torch.nn.modules.conv (defined in glassgrad/nn/conv.py, glassgrad/nn/conv_nd.py, glassgrad/nn/lazy.py).
With torch's private base classes, which programs test isinstance against."""

from glassgrad.nn.conv import Conv1d as Conv1d
from glassgrad.nn.conv import Conv2d as Conv2d
from glassgrad.nn.conv import ConvTranspose2d as ConvTranspose2d
from glassgrad.nn.conv import _ConvNd as _ConvNd
from glassgrad.nn.conv_nd import Conv3d as Conv3d
from glassgrad.nn.conv_nd import ConvTranspose1d as ConvTranspose1d
from glassgrad.nn.conv_nd import ConvTranspose3d as ConvTranspose3d
from glassgrad.nn.lazy import LazyConv1d as LazyConv1d
from glassgrad.nn.lazy import LazyConv2d as LazyConv2d
from glassgrad.nn.lazy import LazyConv3d as LazyConv3d
from glassgrad.nn.lazy import LazyConvTranspose1d as LazyConvTranspose1d
from glassgrad.nn.lazy import LazyConvTranspose2d as LazyConvTranspose2d
from glassgrad.nn.lazy import LazyConvTranspose3d as LazyConvTranspose3d

__all__ = [
    "Conv1d", "Conv2d", "Conv3d", "ConvTranspose1d", "ConvTranspose2d", "ConvTranspose3d", "LazyConv1d", "LazyConv2d",
    "LazyConv3d", "LazyConvTranspose1d", "LazyConvTranspose2d", "LazyConvTranspose3d",
]
