"""What an image is when a data set hands one to its transform: a PIL image or a NumPy array.

torchvision's data sets return PIL images, and ``torchvision.set_image_backend`` picks the
library that makes them. glassgrad does the same with two backends:

- ``"PIL"`` (the default when Pillow is installed, ``pip install glassgrad[vision]``): data sets
  return ``PIL.Image.Image`` objects, exactly as torchvision does;
- ``"numpy"`` (the default without Pillow): data sets return uint8 arrays (H, W) or (H, W, C),
  glassgrad's stand-in for a PIL image, so that NumPy stays the only dependency.

Every transform in :mod:`glassgrad.vision.transforms` takes either kind (and Tensors).
"""

from __future__ import annotations

import importlib.util
from typing import Any

import numpy as np

_BACKENDS = ("PIL", "numpy")
_state = {"backend": "PIL" if importlib.util.find_spec("PIL") is not None else "numpy"}


def get_image_backend() -> str:
    """The backend data sets make images with: ``"PIL"`` or ``"numpy"``."""
    return _state["backend"]


def set_image_backend(backend: str) -> None:
    """Choose ``"PIL"`` (needs Pillow) or ``"numpy"`` for the images data sets return."""
    if backend not in _BACKENDS:
        raise ValueError(f"Invalid backend '{backend}'. Options are {_BACKENDS}")
    if backend == "PIL":
        pil_image_module()  # fails now, with the install hint, when Pillow is missing
    _state["backend"] = backend


def pil_image_module() -> Any:
    """``PIL.Image``, or an ImportError that says how to install Pillow."""
    try:
        from PIL import Image
    except ImportError as error:
        raise ImportError("this needs Pillow: pip install 'glassgrad[vision]' (or pip install pillow)") from error
    return Image


def is_pil_image(obj: Any) -> bool:
    """True for a ``PIL.Image.Image`` (False, without importing Pillow, when it was never loaded)."""
    import sys

    module = sys.modules.get("PIL.Image")
    return module is not None and isinstance(obj, module.Image)


def array_to_image(array: np.ndarray) -> Any:
    """A uint8 array (H, W) or (H, W, 3) as the current backend's image (``Image.fromarray`` for PIL)."""
    if get_image_backend() == "PIL":
        return pil_image_module().fromarray(np.ascontiguousarray(array))
    return np.array(array, copy=True)
