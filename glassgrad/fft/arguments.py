"""Reading ``glassgrad.fft``'s arguments as torch reads them: ``norm``, ``n``, ``s``, ``dim``, and the
dtype a transform computes in."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from glassgrad import backend, dtypes
from glassgrad.tensor import Tensor, as_tensor

NORMS = ("backward", "ortho", "forward")


def norm_mode(norm: str | None) -> str:
    """``norm`` checked; None means "backward" (no scaling forward, 1/n on the inverse)."""
    if norm is None:
        return "backward"
    if norm not in NORMS:
        raise RuntimeError(f'Invalid normalization mode: "{norm}"')
    return norm


def wrap_dim(dim: int, ndim: int) -> int:
    """``dim`` as a non-negative axis, torch's IndexError when it is out of range."""
    low, high = -max(ndim, 1), max(ndim, 1) - 1
    if not low <= dim <= high:
        raise IndexError(f"Dimension out of range (expected to be in range of [{low}, {high}], but got {dim})")
    return dim % max(ndim, 1)


def check_length(n: int) -> int:
    if n < 1:
        raise RuntimeError(f"Invalid number of data points ({n}) specified")
    return n


def one_dim(x: Tensor, n: int | None, dim: int) -> tuple[int, int]:
    """(length, axis) of a 1-D transform: ``n`` defaults to the input's length along ``dim``."""
    if x.ndim == 0:
        raise IndexError("Dimension specified as -1 but tensor has no dimensions")
    axis = wrap_dim(dim, x.ndim)
    return check_length(x.shape[axis] if n is None else n), axis


def many_dims(x: Tensor, s: Sequence[int] | None, dim: int | Sequence[int] | None) -> tuple[list[int], list[int]]:
    """(lengths, axes) of an n-D transform, as torch: with neither, every dimension; with ``s`` only,
    the last len(s) dimensions; with ``dim`` only, the input's lengths there; -1 in ``s`` keeps a length."""
    if isinstance(dim, int):
        dim = [dim]
    if dim is not None:
        axes = [wrap_dim(d, x.ndim) for d in dim]
        if len(set(axes)) != len(axes):
            raise RuntimeError("FFT dims must be unique")
        if s is not None and len(s) != len(axes):
            raise RuntimeError("When given, dim and shape arguments must have the same length")
    elif s is not None:
        if len(s) > x.ndim:
            raise RuntimeError(f"Got shape with {len(s)} values but input tensor only has {x.ndim} dimensions.")
        axes = list(range(x.ndim - len(s), x.ndim))
    else:
        axes = list(range(x.ndim))
    lengths = [x.shape[a] if s is None or s[i] == -1 else check_length(int(s[i])) for i, a in enumerate(axes)]
    return lengths, axes


def as_complex_input(input: Any) -> Tensor:  # noqa: A002
    """The input of a complex transform: a real tensor becomes complex (float64 -> complex128, other
    floats and integers -> the default complex dtype, torch's pairing); the gradient flows back."""
    x = as_tensor(input)
    if x.dtype.kind == "c":
        return x
    return x.to(dtypes.complex_of(x.dtype if backend.is_float(x.dtype) else backend.get_default_dtype()))


def as_real_input(op: str, input: Any) -> Tensor:  # noqa: A002
    """The input of a real transform (rfft, ihfft): complex refused as torch; integers become the default
    float dtype, float16 and bfloat16 float32."""
    x = as_tensor(input)
    if x.dtype.kind == "c":
        name = "ComplexFloat" if x.dtype == dtypes.complex64 else "ComplexDouble"
        raise RuntimeError(f"{op} expects a real input tensor, but got {name}")
    if x.dtype not in (dtypes.float32, dtypes.float64):
        return x.to(dtypes.float32 if backend.is_float(x.dtype) else backend.get_default_dtype())
    return x
