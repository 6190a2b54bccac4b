"""Data sets: re-exported from :mod:`glassgrad.utils.data` (torch's classes; one implementation).

``collate`` is glassgrad's older name for ``default_collate``.
"""

from glassgrad.utils.data.collate import default_collate as collate
from glassgrad.utils.data.dataset import ConcatDataset as ConcatDataset
from glassgrad.utils.data.dataset import Dataset as Dataset
from glassgrad.utils.data.dataset import IterableDataset as IterableDataset
from glassgrad.utils.data.dataset import Subset as Subset
from glassgrad.utils.data.dataset import TensorDataset as TensorDataset
from glassgrad.utils.data.dataset import random_split as random_split

__all__ = ["ConcatDataset", "Dataset", "IterableDataset", "Subset", "TensorDataset", "collate", "random_split"]
