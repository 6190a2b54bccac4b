"""The array-module seam.

Every array call in glassgrad goes through ``xp``, the array module in force:
NumPy by default, CuPy when ``use_backend("cupy")`` is called and CuPy is
installed. CuPy mirrors NumPy's API, so one body of code serves both; the few
places that must differ ask ``backend.name``.

The default floating dtype (float32) also lives here.
"""

from __future__ import annotations

import importlib
from typing import Any

import numpy

from glassgrad.bfloat16_math import bfloat16

xp: Any = numpy
name: str = "numpy"

_default_float = numpy.dtype(numpy.float32)
FLOAT_DTYPES = (numpy.dtype(numpy.float16), numpy.dtype(numpy.float32), numpy.dtype(numpy.float64))


def use_backend(backend_name: str) -> None:
    """Switch the array module: ``"numpy"`` or ``"cupy"`` (needs CuPy installed).

    Tensors made before the switch keep the arrays they hold; make new ones.
    """
    global xp, name
    if backend_name not in ("numpy", "cupy"):
        raise ValueError(f"unknown backend {backend_name!r}; choose 'numpy' or 'cupy'")
    xp = importlib.import_module(backend_name)
    name = backend_name


def get_default_dtype() -> numpy.dtype:
    """The dtype that new floating tensors get when none is asked for."""
    return _default_float


def set_default_dtype(dtype: Any) -> None:
    """Set the default floating dtype: float32 (the default) or float64 (for checks)."""
    global _default_float
    dt = numpy.dtype(dtype)
    if dt not in FLOAT_DTYPES:
        raise TypeError(f"default dtype must be a floating dtype, got {dt}")
    _default_float = dt


def is_float(dtype: Any) -> bool:
    """True for the floating dtypes a gradient can flow through (bfloat16 too: NumPy calls it kind "V").

    Asked several times by every op (dtype promotion, in-place casts), so each answer is kept:
    ``_float_dtype`` memoises ``_is_float_dtype``, the rule itself."""
    try:
        return _float_dtype[dtype]
    except KeyError:
        answer = _float_dtype[dtype] = _is_float_dtype(dtype)
        return answer


def _is_float_dtype(dtype: Any) -> bool:
    return numpy.dtype(dtype).kind == "f" or numpy.dtype(dtype) == bfloat16


_float_dtype: dict[Any, bool] = {}  # is_float's answers by dtype (a handful of entries)


def to_numpy(array: Any) -> numpy.ndarray:
    """Copy a backend array to host memory as a NumPy array (no copy for NumPy)."""
    if name == "cupy" and not isinstance(array, numpy.ndarray):
        return array.get()
    return numpy.asarray(array)
