"""Data: data sets, the DataLoader, IDX files, MNIST, checked downloads, generated sets.

The data sets and the DataLoader are those of :mod:`glassgrad.utils.data` (torch's
names and arguments); the DataLoader also takes glassgrad's ``seed=`` / ``rng=``.

Nothing here touches the network unless asked (``download=True`` / ``fetch``).
"""

from glassgrad.data import synthetic as synthetic
from glassgrad.data import transforms as transforms
from glassgrad.data.dataset import ConcatDataset as ConcatDataset
from glassgrad.data.dataset import Dataset as Dataset
from glassgrad.data.dataset import IterableDataset as IterableDataset
from glassgrad.data.dataset import Subset as Subset
from glassgrad.data.dataset import TensorDataset as TensorDataset
from glassgrad.data.dataset import collate as collate
from glassgrad.data.dataset import random_split as random_split
from glassgrad.data.download import DownloadError as DownloadError
from glassgrad.data.download import cache_dir as cache_dir
from glassgrad.data.download import data_root as data_root
from glassgrad.data.download import download_dataset as download_dataset
from glassgrad.data.download import fetch as fetch
from glassgrad.data.idx import read_idx as read_idx
from glassgrad.data.idx import write_idx as write_idx
from glassgrad.data.loader import DataLoader as DataLoader
from glassgrad.data.mnist import MNIST as MNIST
from glassgrad.data.mnist import FashionMNIST as FashionMNIST
from glassgrad.data.mnist import load_mnist as load_mnist
from glassgrad.data.text import CharVocab as CharVocab
from glassgrad.data.text import SequenceBatcher as SequenceBatcher
from glassgrad.data.text import train_val_split as train_val_split

__all__ = [
    "CharVocab", "SequenceBatcher", "train_val_split",  # text
    "MNIST", "ConcatDataset", "DataLoader", "Dataset", "DownloadError", "FashionMNIST", "IterableDataset", "Subset",
    "TensorDataset",
    "cache_dir", "collate", "data_root", "download_dataset", "fetch", "load_mnist", "random_split", "read_idx",
    "synthetic", "transforms", "write_idx",
]
