"""Data sets with torchvision's interface: MNIST, FashionMNIST, CIFAR10, CIFAR100, SVHN, ImageFolder,
DatasetFolder, FakeData."""

from glassgrad.vision.datasets.cifar import CIFAR10 as CIFAR10
from glassgrad.vision.datasets.cifar import CIFAR100 as CIFAR100
from glassgrad.vision.datasets.fakedata import FakeData as FakeData
from glassgrad.vision.datasets.folder import DatasetFolder as DatasetFolder
from glassgrad.vision.datasets.folder import ImageFolder as ImageFolder
from glassgrad.vision.datasets.mnist import MNIST as MNIST
from glassgrad.vision.datasets.mnist import FashionMNIST as FashionMNIST
from glassgrad.vision.datasets.svhn import SVHN as SVHN
from glassgrad.vision.datasets.vision_dataset import VisionDataset as VisionDataset

__all__ = ["CIFAR10", "CIFAR100", "SVHN", "DatasetFolder", "FakeData", "FashionMNIST", "ImageFolder", "MNIST",
           "VisionDataset"]
