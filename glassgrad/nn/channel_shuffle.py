"""Channel shuffle (ShuffleNet): interleave the channels of ``groups`` groups so that the next grouped
convolution mixes information across them.

For an input (N, C, *) with C = g * m, channel i * m + j moves to position j * g + i: a reshape to
(N, g, m, *), a swap of the two channel axes and a reshape back. A pure permutation of the
channels, so its gradient is the inverse permutation (the engine chains the reshape and
transpose ops it is made of).
"""

from __future__ import annotations

from typing import Any

from glassgrad.nn.module import Module
from glassgrad.tensor import Tensor, as_tensor


def channel_shuffle(input: Any, groups: int) -> Tensor:  # noqa: A002
    """Interleave the channels of ``groups`` groups (torch's F.channel_shuffle / native_channel_shuffle)."""
    x = as_tensor(input)
    if x.ndim < 3:
        raise RuntimeError(f"channel_shuffle expects input with > 2 dims, but got input with sizes {list(x.shape)}")
    if groups <= 0:
        raise RuntimeError(f"Number of groups to divide channels in must be positive. Value of groups:{groups}")
    n, c = x.shape[:2]
    if c % groups:
        raise RuntimeError(f"Number of channels must be divisible by groups. Got {c} channels and {groups} groups.")
    rest = tuple(x.shape[2:])
    grouped = x.reshape((n, groups, c // groups) + rest)
    return grouped.transpose(1, 2).reshape((n, c) + rest)


class ChannelShuffle(Module):
    """Interleave the channels of ``groups`` groups.  Shape: (N, C, *) -> (N, C, *), C divisible by groups."""

    def __init__(self, groups: int) -> None:
        super().__init__()
        self.groups = groups

    def forward(self, x: Tensor) -> Tensor:
        return channel_shuffle(x, self.groups)

    def extra_repr(self) -> str:
        return f"groups={self.groups}"
