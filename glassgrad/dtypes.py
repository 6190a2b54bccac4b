"""torch's dtype names over NumPy's dtypes.

``glassgrad.float32`` *is* ``numpy.dtype("float32")``, so ``x.dtype ==
glassgrad.float32`` and ``x.dtype == numpy.float32`` are both true, and every
NumPy function accepts these names as they are. ``torch.long`` is int64,
``torch.int`` int32, ``torch.half`` float16, ``torch.double`` float64, as in torch.
``torch.bfloat16`` is ``ml_dtypes``' bfloat16 (see ``glassgrad/bfloat16_math.py``).
``torch.complex64`` (``cfloat``) and ``torch.complex128`` (``cdouble``) are NumPy's complex
dtypes: a pair of float32 (float64) numbers, the real and the imaginary part.
"""

from __future__ import annotations

import builtins
from typing import Any

import numpy

from glassgrad.bfloat16_math import bfloat16 as bfloat16

float16 = half = numpy.dtype(numpy.float16)
float32 = float = numpy.dtype(numpy.float32)  # noqa: A001  (torch's name)
float64 = double = numpy.dtype(numpy.float64)
uint8 = numpy.dtype(numpy.uint8)
int8 = numpy.dtype(numpy.int8)
int16 = short = numpy.dtype(numpy.int16)
int32 = int = numpy.dtype(numpy.int32)  # noqa: A001
int64 = long = numpy.dtype(numpy.int64)
bool = numpy.dtype(numpy.bool_)  # noqa: A001
complex64 = cfloat = numpy.dtype(numpy.complex64)
complex128 = cdouble = numpy.dtype(numpy.complex128)

# torch's legacy type strings, as ``Tensor.type()`` prints them
_TYPE_NAMES = {
    float16: "HalfTensor", bfloat16: "BFloat16Tensor", float32: "FloatTensor", float64: "DoubleTensor",
    uint8: "ByteTensor", int8: "CharTensor", int16: "ShortTensor", int32: "IntTensor", int64: "LongTensor",
    bool: "BoolTensor", complex64: "ComplexFloatTensor", complex128: "ComplexDoubleTensor",
}


def to_dtype(dtype: Any) -> numpy.dtype:
    """Any dtype spelling (glassgrad/NumPy dtype, Python type, string such as
    ``"float32"`` or ``"torch.float32"``) as a NumPy dtype."""
    if isinstance(dtype, str):
        dtype = dtype.removeprefix("torch.").removeprefix("glassgrad.")
        names = {"float": "float32", "double": "float64", "half": "float16", "long": "int64",
                 "int": "int32", "short": "int16", "bool": "bool",
                 "cfloat": "complex64", "cdouble": "complex128"}
        dtype = names.get(dtype, dtype)
    try:
        return numpy.dtype(dtype)
    except TypeError as err:
        raise TypeError(f"unknown dtype {dtype!r}") from err


def type_name(dtype: Any) -> str:
    """torch's name of a tensor type: ``"torch.FloatTensor"``."""
    return "torch." + _TYPE_NAMES.get(numpy.dtype(dtype), f"{numpy.dtype(dtype)}Tensor")


def is_floating_point(dtype: Any) -> bool:
    return numpy.dtype(dtype).kind == "f" or numpy.dtype(dtype) == bfloat16


def is_complex(dtype: Any) -> bool:
    """True for complex64 and complex128."""
    return numpy.dtype(dtype).kind == "c"


def complex_of(dtype: Any) -> numpy.dtype:
    """The complex dtype whose parts are ``dtype``: float64 -> complex128, any other float (float16,
    bfloat16, float32) -> complex64, as torch pairs them; a complex dtype is its own."""
    dtype = numpy.dtype(dtype)
    if dtype.kind == "c":
        return dtype
    return complex128 if dtype == float64 else complex64


def real_of(dtype: Any) -> numpy.dtype:
    """The float dtype of a complex dtype's parts: complex64 -> float32, complex128 -> float64
    (any other dtype is returned as it is)."""
    dtype = numpy.dtype(dtype)
    return {complex64: float32, complex128: float64}.get(dtype, dtype)


class finfo:  # noqa: N801  (torch's name)
    """Machine limits of a floating dtype: ``eps``, ``max``, ``min``, ``tiny``."""

    def __init__(self, dtype: Any = None) -> None:
        from glassgrad import backend

        dtype = numpy.dtype(backend.get_default_dtype() if dtype is None else to_dtype(dtype))
        if dtype == bfloat16:  # NumPy's finfo does not know it
            from glassgrad.bfloat16_math import finfo_values

            values = finfo_values()
            self.bits, self.eps, self.max, self.min = values["bits"], values["eps"], values["max"], values["min"]
            self.tiny = self.smallest_normal = values["tiny"]
            self.resolution, self.dtype = values["resolution"], "bfloat16"
            return
        info = numpy.finfo(dtype)
        as_float = builtins.float  # this module's ``float`` is torch's dtype name
        self.bits, self.eps, self.max, self.min = info.bits, as_float(info.eps), as_float(info.max), as_float(info.min)
        self.tiny = self.smallest_normal = as_float(info.tiny)
        self.resolution, self.dtype = as_float(info.resolution), str(info.dtype)


class iinfo:  # noqa: N801
    """Limits of an integer dtype: ``min``, ``max``, ``bits``."""

    def __init__(self, dtype: Any) -> None:
        info = numpy.iinfo(to_dtype(dtype))
        as_int = builtins.int
        self.bits, self.min, self.max, self.dtype = info.bits, as_int(info.min), as_int(info.max), str(info.dtype)
