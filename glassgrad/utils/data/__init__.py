"""torch.utils.data's shape: Dataset, IterableDataset, TensorDataset, samplers, DataLoader.

``glassgrad.data`` (MNIST files, downloads, text helpers) re-exports these same
classes; there is one implementation.
"""

from glassgrad.utils.data.collate import default_collate as default_collate
from glassgrad.utils.data.collate import default_convert as default_convert
from glassgrad.utils.data.dataloader import DataLoader as DataLoader
from glassgrad.utils.data.dataloader import WorkerInfo as WorkerInfo
from glassgrad.utils.data.dataloader import get_worker_info as get_worker_info
from glassgrad.utils.data.dataset import ChainDataset as ChainDataset
from glassgrad.utils.data.dataset import ConcatDataset as ConcatDataset
from glassgrad.utils.data.dataset import Dataset as Dataset
from glassgrad.utils.data.dataset import IterableDataset as IterableDataset
from glassgrad.utils.data.dataset import Subset as Subset
from glassgrad.utils.data.dataset import TensorDataset as TensorDataset
from glassgrad.utils.data.dataset import random_split as random_split
from glassgrad.utils.data.sampler import BatchSampler as BatchSampler
from glassgrad.utils.data.sampler import RandomSampler as RandomSampler
from glassgrad.utils.data.sampler import Sampler as Sampler
from glassgrad.utils.data.sampler import SequentialSampler as SequentialSampler
from glassgrad.utils.data.sampler import SubsetRandomSampler as SubsetRandomSampler
from glassgrad.utils.data.sampler import WeightedRandomSampler as WeightedRandomSampler
from glassgrad.utils.data.distributed import DistributedSampler as DistributedSampler

__all__ = [
    "BatchSampler", "ChainDataset", "ConcatDataset", "DataLoader", "Dataset", "DistributedSampler", "IterableDataset",
    "RandomSampler",
    "Sampler", "SequentialSampler", "Subset", "SubsetRandomSampler", "TensorDataset", "WeightedRandomSampler",
    "WorkerInfo", "default_collate", "default_convert", "get_worker_info", "random_split",
]
