"""DataLoader: re-exported from :mod:`glassgrad.utils.data` (torch's arguments, plus ``seed=``/``rng=``)."""

from glassgrad.utils.data.dataloader import DataLoader as DataLoader

__all__ = ["DataLoader"]
