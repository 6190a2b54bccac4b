"""Image transforms with torchvision's names (``glassgrad.vision.transforms``).

Images are PIL images, NumPy arrays (H, W[, C]) standing in for them, or Tensors (..., C, H, W);
``functional`` holds the functions behind the classes.
"""

from glassgrad.vision.transforms import functional as functional
from glassgrad.vision.transforms.autoaugment import AutoAugment as AutoAugment
from glassgrad.vision.transforms.autoaugment import AutoAugmentPolicy as AutoAugmentPolicy
from glassgrad.vision.transforms.interpolation import InterpolationMode as InterpolationMode
from glassgrad.vision.transforms.random_choice import RandomApply as RandomApply
from glassgrad.vision.transforms.random_choice import RandomChoice as RandomChoice
from glassgrad.vision.transforms.random_choice import RandomOrder as RandomOrder
from glassgrad.vision.transforms.random_color import ColorJitter as ColorJitter
from glassgrad.vision.transforms.random_color import GaussianBlur as GaussianBlur
from glassgrad.vision.transforms.random_color import RandomAdjustSharpness as RandomAdjustSharpness
from glassgrad.vision.transforms.random_color import RandomAutocontrast as RandomAutocontrast
from glassgrad.vision.transforms.random_color import RandomEqualize as RandomEqualize
from glassgrad.vision.transforms.random_color import RandomGrayscale as RandomGrayscale
from glassgrad.vision.transforms.random_color import RandomInvert as RandomInvert
from glassgrad.vision.transforms.random_color import RandomPosterize as RandomPosterize
from glassgrad.vision.transforms.random_color import RandomSolarize as RandomSolarize
from glassgrad.vision.transforms.random_erasing import RandomErasing as RandomErasing
from glassgrad.vision.transforms.random_geometry import RandomAffine as RandomAffine
from glassgrad.vision.transforms.random_geometry import RandomResizedCrop as RandomResizedCrop
from glassgrad.vision.transforms.random_geometry import RandomRotation as RandomRotation
from glassgrad.vision.transforms.transforms import CenterCrop as CenterCrop
from glassgrad.vision.transforms.transforms import Compose as Compose
from glassgrad.vision.transforms.transforms import ConvertImageDtype as ConvertImageDtype
from glassgrad.vision.transforms.transforms import FiveCrop as FiveCrop
from glassgrad.vision.transforms.transforms import Grayscale as Grayscale
from glassgrad.vision.transforms.transforms import Lambda as Lambda
from glassgrad.vision.transforms.transforms import Normalize as Normalize
from glassgrad.vision.transforms.transforms import Pad as Pad
from glassgrad.vision.transforms.transforms import PILToTensor as PILToTensor
from glassgrad.vision.transforms.transforms import RandomCrop as RandomCrop
from glassgrad.vision.transforms.transforms import RandomHorizontalFlip as RandomHorizontalFlip
from glassgrad.vision.transforms.transforms import RandomVerticalFlip as RandomVerticalFlip
from glassgrad.vision.transforms.transforms import Resize as Resize
from glassgrad.vision.transforms.transforms import TenCrop as TenCrop
from glassgrad.vision.transforms.transforms import ToPILImage as ToPILImage
from glassgrad.vision.transforms.transforms import ToTensor as ToTensor

__all__ = [
    "AutoAugment", "AutoAugmentPolicy", "CenterCrop", "ColorJitter", "Compose", "ConvertImageDtype", "FiveCrop",
    "GaussianBlur", "Grayscale", "InterpolationMode", "Lambda", "Normalize", "PILToTensor", "Pad",
    "RandomAdjustSharpness",
    "RandomAffine", "RandomApply", "RandomAutocontrast", "RandomChoice", "RandomCrop", "RandomEqualize",
    "RandomErasing", "RandomGrayscale", "RandomHorizontalFlip", "RandomInvert", "RandomOrder", "RandomPosterize",
    "RandomResizedCrop", "RandomRotation", "RandomSolarize", "RandomVerticalFlip", "Resize", "TenCrop", "ToPILImage",
    "ToTensor", "functional",
]
