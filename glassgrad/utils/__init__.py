"""Utilities with torch's names: ``glassgrad.utils.data`` (data sets, samplers, DataLoader)."""

from glassgrad.utils import data as data

__all__ = ["data"]
