"""torchvision's shape on glassgrad: ``datasets``, ``transforms``, ``models`` and ``utils`` (make_grid, save_image).

A torchvision program imports these instead::

    from glassgrad.vision import datasets, models, transforms
    import glassgrad.vision.utils as vutils

``get_image_backend`` / ``set_image_backend`` choose what data sets return: PIL images (with
Pillow, the ``vision`` extra) or uint8 NumPy arrays (see :mod:`glassgrad.vision.image_backend`).
"""

from glassgrad.vision import datasets as datasets
from glassgrad.vision import models as models
from glassgrad.vision import transforms as transforms
from glassgrad.vision import utils as utils
from glassgrad.vision.image_backend import get_image_backend as get_image_backend
from glassgrad.vision.image_backend import set_image_backend as set_image_backend

__all__ = ["datasets", "get_image_backend", "models", "set_image_backend", "transforms", "utils"]
