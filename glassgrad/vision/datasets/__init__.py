"""Data sets with torchvision's interface: MNIST, FashionMNIST, FakeData."""

from glassgrad.vision.datasets.fakedata import FakeData as FakeData
from glassgrad.vision.datasets.mnist import MNIST as MNIST
from glassgrad.vision.datasets.mnist import FashionMNIST as FashionMNIST

__all__ = ["MNIST", "FakeData", "FashionMNIST"]
