"""torchvision's shape on glassgrad: ``datasets``, ``transforms`` and ``utils`` (make_grid, save_image).

A torchvision program imports these instead::

    from glassgrad.vision import datasets, transforms
    import glassgrad.vision.utils as vutils
"""

from glassgrad.vision import datasets as datasets
from glassgrad.vision import transforms as transforms
from glassgrad.vision import utils as utils

__all__ = ["datasets", "transforms", "utils"]
