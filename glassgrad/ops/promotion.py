"""Which dtype an element-wise op computes in (torch's promotion rules for math functions).

* A float function (``sin``, ``exp``, ``sqrt``, ``sigmoid``, ...) of an integer or
  bool tensor gives the DEFAULT float dtype (float32 unless changed with
  ``glassgrad.set_default_dtype``), never NumPy's float64.
* A float input keeps its dtype: float32 in, float32 out; float64 in, float64 out.
* Two operands meet in a common dtype first (``as_tensor_pair``: a Python number
  takes the tensor's dtype, an int tensor meeting a float one becomes float).
"""

from __future__ import annotations

from typing import Any

from glassgrad import backend
from glassgrad.tensor import Tensor, as_tensor, as_tensor_pair


def is_integral(t: Tensor) -> bool:
    """True for integer and bool tensors (those that cannot carry a gradient)."""
    return t.dtype.kind in "iub"


def check_layer_input_dtype(op: str, x: Tensor, weight: Tensor) -> None:
    """A layer's input must not be silently promoted into its weight's dtype, as torch: an integer or
    bool input, or a float16 input to a wider weight, raises (convert the input with ``.float()`` /
    ``.to(weight.dtype)``). A float64 input to a float32 layer is allowed: it computes in float64."""
    narrower_float = backend.is_float(x.dtype) and x.dtype.itemsize < weight.dtype.itemsize
    if is_integral(x) or narrower_float:
        raise RuntimeError(f"{op}: the input is {x.dtype} but the weight is {weight.dtype}; torch raises "
                           f"'mat1 and mat2 must have the same dtype' here. Convert the input first "
                           f"(x.float() or x.to({weight.dtype}))")


def float_input(x: Any) -> Tensor:
    """``x`` as a tensor of a floating dtype: int and bool become the default float dtype."""
    t = x if isinstance(x, Tensor) else as_tensor(x)
    if t.array.dtype.kind in "iub":  # is_integral(t), without the calls: every float op asks it
        return Tensor._make(t.array.astype(backend.get_default_dtype()), False)
    return t


def float_pair(a: Any, b: Any) -> tuple[Tensor, Tensor]:
    """Both operands in a common floating dtype (int/int pairs become the default float dtype)."""
    ta, tb = as_tensor_pair(a, b)
    return float_input(ta), float_input(tb)


def require_integral(op_name: str, *tensors: Tensor) -> None:
    """Raise torch's error when an integer-only op gets a floating tensor (torch raises a
    RuntimeError "not implemented for 'Float'"; NotImplementedError is one)."""
    for t in tensors:
        if not is_integral(t):
            raise NotImplementedError(f"{op_name}: only integer and bool tensors are supported, "
                                      f"got dtype {t.dtype} (shape {tuple(t.shape)})")
