"""The sample frequencies of a transform, and moving the zero frequency to the middle (torch.fft).

    fftfreq(n, d)   = [0, 1, ..., ceil(n/2) - 1, -floor(n/2), ..., -1] / (d n)
    rfftfreq(n, d)  = [0, 1, ..., n//2] / (d n)
    fftshift(x)     = x rolled by n//2 along each dim (the zero frequency in the middle)
    ifftshift(x)    = x rolled by -(n//2) (undoes fftshift, also for odd n)
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from glassgrad import backend
from glassgrad.factory_args import any_dtype, finish
from glassgrad.fft.arguments import wrap_dim
from glassgrad.ops.movement_order import roll
from glassgrad.tensor import Tensor, as_tensor


def fftfreq(n: int, d: float = 1.0, *, dtype: Any = None, device: Any = None, requires_grad: bool = False,
            **_: Any) -> Tensor:
    """The frequency of each entry of an n-point fft, for samples spaced ``d`` apart (torch.fft.fftfreq)."""
    xp = backend.xp
    steps = xp.concatenate([xp.arange(0, (n + 1) // 2), xp.arange(-(n // 2), 0)])
    return finish((steps / (d * n)).astype(any_dtype(dtype, None)), device, requires_grad, "fftfreq")


def rfftfreq(n: int, d: float = 1.0, *, dtype: Any = None, device: Any = None, requires_grad: bool = False,
             **_: Any) -> Tensor:
    """The frequency of each entry of an n-point rfft (torch.fft.rfftfreq)."""
    steps = backend.xp.arange(0, n // 2 + 1)
    return finish((steps / (d * n)).astype(any_dtype(dtype, None)), device, requires_grad, "rfftfreq")


def _shifted(input: Any, dim: int | Sequence[int] | None, sign: int) -> Tensor:  # noqa: A002
    x = as_tensor(input)
    dims = range(x.ndim) if dim is None else [dim] if isinstance(dim, int) else dim
    axes = [wrap_dim(d, x.ndim) for d in dims]
    if not axes:
        return x
    return roll(x, [sign * (x.shape[a] // 2) for a in axes], axes)


def fftshift(input: Tensor, dim: int | Sequence[int] | None = None) -> Tensor:  # noqa: A002
    """Roll the zero frequency to the middle of ``dim`` (every dim by default) (torch.fft.fftshift)."""
    return _shifted(input, dim, 1)


def ifftshift(input: Tensor, dim: int | Sequence[int] | None = None) -> Tensor:  # noqa: A002
    """The inverse of fftshift (torch.fft.ifftshift)."""
    return _shifted(input, dim, -1)
