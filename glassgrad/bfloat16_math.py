"""bfloat16: torch's 16-bit "brain" float, stored as bfloat16 and computed through float32.

A bfloat16 number is the upper half of a float32: the same sign and 8 exponent bits (so the same
range, up to 3.39e38) and 7 of the 23 fraction bits (so about 3 significant digits: eps = 2**-7).
NumPy has no such dtype; the ``ml_dtypes`` package (a small NumPy extension, from the JAX
project) adds it, and ``glassgrad.bfloat16`` *is* ``numpy.dtype(ml_dtypes.bfloat16)``.

What torch does on the CPU, glassgrad does:

- **storage**: tensors hold bfloat16 arrays (2 bytes an element);
- **arithmetic through float32**: every op reads its bfloat16 inputs as float32, computes in
  float32 (sums and matrix products accumulate there too) and rounds its result to bfloat16 once,
  to nearest, ties to even (:func:`widen` and :func:`narrow`, used by ``Op.apply``);
- **conversion through float32**: float64 and integers become float32 first and then bfloat16
  (:func:`cast`), so ``1 + 2**-8 + 2**-30`` gives 1.0 as in torch (rounding straight to
  bfloat16 would give 1.0078125);
- **promotion**: bfloat16 meeting float16 gives float32, meeting float32 or float64 the wider
  one, meeting an integer or a Python number stays bfloat16.
"""

from __future__ import annotations

from typing import Any

import ml_dtypes
import numpy

bfloat16 = numpy.dtype(ml_dtypes.bfloat16)
float32 = numpy.dtype(numpy.float32)

# Set once a bfloat16 array is made (a cast, a factory, from_numpy): until then ``Op.apply``
# skips the bfloat16 test altogether, so programs that never use bfloat16 pay nothing for it.
in_use = False


def mark(array: Any) -> Any:
    """``array``, noting that bfloat16 is in use when it is bfloat16."""
    global in_use
    if not in_use and getattr(array, "dtype", None) is bfloat16:
        in_use = True
    return array


def is_bfloat16(dtype: Any) -> bool:
    return numpy.dtype(dtype) == bfloat16


def cast(array: Any, dtype: Any) -> Any:
    """``array.astype(dtype)``, going through float32 when the target is bfloat16 (torch's double rounding)."""
    dtype = numpy.dtype(dtype)
    if dtype == bfloat16 and array.dtype not in (bfloat16, float32):
        array = array.astype(float32)
    return mark(array.astype(dtype))


def widen(arrays: list[Any]) -> tuple[list[Any], bool]:
    """The arrays an op computes on: bfloat16 ones as float32. Returns (arrays, whether any was bfloat16)."""
    if not any(getattr(a, "dtype", None) == bfloat16 for a in arrays):
        return arrays, False
    return [a.astype(float32) if getattr(a, "dtype", None) == bfloat16 else a for a in arrays], True


def result_is_bfloat16(arrays: list[Any]) -> bool:
    """True when an op on these (original) inputs gives bfloat16, by torch's rule: among the floating
    inputs with dimensions (or the 0-d ones, when none has any), bfloat16 and no other floating dtype
    (float16 with bfloat16 gives float32; float32 or float64 the wider one). A 0-d float input, such as
    the float32 constant a Python number becomes, does not widen a bfloat16 tensor."""
    floats = [a for a in arrays if getattr(a, "dtype", None) is not None and a.dtype.kind in "fV"]
    dimensioned = [a for a in floats if a.ndim]
    return {a.dtype for a in dimensioned or floats} == {bfloat16}


def narrow(out: Any) -> Any:
    """An op's float32 result as bfloat16 (rounded to nearest, ties to even); other results unchanged."""
    return out.astype(bfloat16) if getattr(out, "dtype", None) == float32 else out


def finfo_values() -> dict[str, float]:
    """torch.finfo(torch.bfloat16): bits, eps, max, min, tiny (smallest normal), resolution."""
    info = ml_dtypes.finfo(bfloat16)
    return {"bits": 16, "eps": float(info.eps), "max": float(info.max), "min": float(info.min),
            "tiny": float(info.smallest_normal), "resolution": 10.0 ** -info.precision}




def present(arrays: list[Any]) -> bool:
    """True when some array is bfloat16: the test every op application makes, so the quickest there is
    (``is``: arrays share their dtype's one instance; ``==`` costs six times as long)."""
    for a in arrays:
        if a.dtype is bfloat16:
            return True
    return False


def forward_in_float32(op: Any, ctx: Any, arrays: list[Any], params: dict[str, Any]) -> Any:
    """``op.forward`` of bfloat16 inputs, computed in float32 and rounded once to bfloat16 (torch's CPU rule).

    The bfloat16 inputs are read as float32, and so is a ``dtype=bfloat16`` parameter (Sum's
    accumulator); the engine reads the incoming gradient as float32 too (``ctx.bfloat16``). An op
    that only moves data returns a view of what it was given (reshape, transpose, a slice): it runs
    again on the bfloat16 arrays themselves, so that the view is of the tensor's own storage.
    """
    wide, _ = widen(arrays)
    wide_params = {k: float32 if isinstance(v, numpy.dtype) and v == bfloat16 else v for k, v in params.items()}
    out = op.forward(ctx, *wide, **wide_params)
    if _root(out) is not None and any(_root(out) is w for w, a in zip(wide, arrays) if w is not a):
        needs = ctx.needs_input_grad
        ctx.__dict__.clear()  # a fresh context for the run on the bfloat16 arrays
        ctx.needs_input_grad = needs
        return op.forward(ctx, *arrays, **params)
    ctx.bfloat16 = True
    if result_is_bfloat16(arrays):
        # what backward reads is what torch saves: bfloat16 values (an output rounded, as the output is)
        ctx.saved = tuple(_rounded(a) for a in ctx.saved)
        return narrow(out)
    return out


def _rounded(array: Any) -> Any:
    """A saved float32 array as the bfloat16 values it stands for (still float32: backward computes there)."""
    return array.astype(bfloat16).astype(float32) if getattr(array, "dtype", None) == float32 else array


def _root(array: Any) -> Any:
    """The array that owns ``array``'s memory (itself when it owns it)."""
    if not hasattr(array, "base"):
        return None
    while array.base is not None:
        array = array.base
    return array


__all__ = ["bfloat16", "cast", "finfo_values", "forward_in_float32", "is_bfloat16", "narrow", "present",
           "result_is_bfloat16", "widen"]
