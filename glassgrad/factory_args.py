"""The arguments every creation function shares, read one way: size, dtype, device, requires_grad.

torch's factories (``zeros``, ``rand``, ``full``, ``arange`` ...) take the
size as varargs (``zeros(2, 3)``), one sequence (``zeros((2, 3))``,
``zeros([2, 3])``, ``zeros(x.shape)``) or ``size=``, and the keywords
``dtype``, ``device`` and ``requires_grad``. ``creation.py`` and
``random_tensors.py`` both read them through these helpers.
"""

from __future__ import annotations

import operator
from typing import Any

import numpy

from glassgrad import backend, bfloat16_math, complex_math, dtypes
from glassgrad.device import device, get_default_device, move_array
from glassgrad.tensor import Tensor


def read_size(op: str, sizes: tuple[Any, ...], size: Any = None) -> tuple[int, ...]:
    """The shape from varargs ints, one tuple/list/Size, or the ``size=`` keyword."""
    if size is not None:
        if sizes:
            raise TypeError(f"{op}: got the size both as arguments {sizes} and as size={size}")
        sizes = (size,)
    if len(sizes) == 1 and isinstance(sizes[0], tuple | list):
        sizes = tuple(sizes[0])
    try:
        shape = tuple(map(operator.index, sizes))  # (map, not a generator: no Python frame per call)
    except TypeError as err:
        raise TypeError(f"{op}: the size must be ints (or one tuple of ints), got {sizes}") from err
    if shape and min(shape) < 0:
        raise RuntimeError(f"{op}: trying to create a tensor with a negative dimension: size {shape}")
    return shape


TORCH_ONLY_OPTIONS = ("layout", "pin_memory", "memory_format")  # accepted, and meaningless here


def check_options(op: str, options: dict[str, Any]) -> None:
    """Accept torch's layout/pin_memory/memory_format keywords; refuse any other (a typo is an error)."""
    for key, value in options.items():
        if key == "out" and value is not None:
            raise NotImplementedError(f"{op}: out= is not supported; assign the result instead")
        if key not in TORCH_ONLY_OPTIONS and key != "out":
            raise TypeError(f"{op}() got an unexpected keyword argument '{key}'")
        if key == "layout" and value is not None and str(value) != "torch.strided":
            raise NotImplementedError(f"{op}: layout={value}: glassgrad tensors are dense (torch.strided) only")


def float_dtype(op: str, dtype: Any) -> numpy.dtype:
    """``dtype`` (default: the default float dtype), which must be floating."""
    result = backend.get_default_dtype() if dtype is None else dtypes.to_dtype(dtype)
    if not backend.is_float(result):
        raise TypeError(f"{op}: expected a floating dtype, got {result}")
    return result


def any_dtype(dtype: Any, default: Any) -> numpy.dtype:
    """``dtype``, or ``default`` when it is None (None there means the default float dtype)."""
    if dtype is not None:
        return dtypes.to_dtype(dtype)
    return backend.get_default_dtype() if default is None else dtypes.to_dtype(default)


def target_device(target: Any) -> device:
    """``target`` as a device; None means the default device (see ``glassgrad.set_default_device``)."""
    if target is None:
        return get_default_device()
    return target if isinstance(target, device) else device(target)


def finish(array: Any, target: Any, requires_grad: bool, op: str = "tensor") -> Tensor:
    """Wrap an array made for a factory: move it to the device, set requires_grad.

    Only floating tensors may require a gradient (torch's rule).
    """
    if numpy.dtype(complex_math.mark(array).dtype).kind not in "fiubc" and not backend.is_float(
            bfloat16_math.mark(array).dtype):
        raise TypeError(f"{op}: unsupported dtype {array.dtype}; glassgrad holds float, complex, int and bool tensors")
    array = move_array(array, target if isinstance(target, device) else target_device(target))
    out = Tensor._make(array, False)
    if requires_grad:
        if not (backend.is_float(array.dtype) or numpy.dtype(array.dtype).kind == "c"):
            raise RuntimeError(f"{op}: only Tensors of floating point and complex dtype can require gradients, "
                               f"got {array.dtype}")
        out.requires_grad = True
    return out


def host(value: Any) -> Any:
    """A tensor's values (or any array-like) as a NumPy array on the host; numbers stay numbers."""
    if isinstance(value, Tensor):
        return backend.to_numpy(value.array)
    return value
