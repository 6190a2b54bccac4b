"""torch.nn.modules.channelshuffle (defined in glassgrad/nn/channel_shuffle.py)."""

from glassgrad.nn.channel_shuffle import ChannelShuffle as ChannelShuffle

__all__ = ["ChannelShuffle"]
