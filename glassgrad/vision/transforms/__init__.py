"""Image transforms with torchvision's names (``glassgrad.vision.transforms``).

Images are NumPy arrays (H, W[, C]) standing in for PIL images, or Tensors
(..., C, H, W); ``functional`` holds the functions behind the classes.
"""

from glassgrad.vision.transforms import functional as functional
from glassgrad.vision.transforms.transforms import CenterCrop as CenterCrop
from glassgrad.vision.transforms.transforms import Compose as Compose
from glassgrad.vision.transforms.transforms import Grayscale as Grayscale
from glassgrad.vision.transforms.transforms import InterpolationMode as InterpolationMode
from glassgrad.vision.transforms.transforms import Lambda as Lambda
from glassgrad.vision.transforms.transforms import Normalize as Normalize
from glassgrad.vision.transforms.transforms import Pad as Pad
from glassgrad.vision.transforms.transforms import RandomCrop as RandomCrop
from glassgrad.vision.transforms.transforms import RandomHorizontalFlip as RandomHorizontalFlip
from glassgrad.vision.transforms.transforms import RandomVerticalFlip as RandomVerticalFlip
from glassgrad.vision.transforms.transforms import Resize as Resize
from glassgrad.vision.transforms.transforms import ToTensor as ToTensor

__all__ = [
    "CenterCrop", "Compose", "Grayscale", "InterpolationMode", "Lambda", "Normalize", "Pad", "RandomCrop",
    "RandomHorizontalFlip", "RandomVerticalFlip", "Resize", "ToTensor", "functional",
]
