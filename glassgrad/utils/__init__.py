"""Utilities with torch's names: ``glassgrad.utils.data`` (data sets, samplers, DataLoader) and
``glassgrad.utils.tensorboard`` (``SummaryWriter``; imported on request, it needs the ``tensorboard`` package)."""

from glassgrad.utils import data as data

__all__ = ["data"]
