"""The three discrete Fourier transforms every function of ``glassgrad.fft`` is made of, with their backward.

For a signal x of length n the DFT is  X_k = s * sum_j x_j e^{-2 pi i jk/n}, a matrix product X = s F x,
and its inverse  x_j = s' * sum_k X_k e^{+2 pi i jk/n} = s' F^H X. The scales s, s' come from ``norm``:

    norm        forward (fft, rfft)   inverse (ifft, irfft)
    "backward"  1                     1/n
    "ortho"     1/sqrt(n)             1/sqrt(n)
    "forward"   1/n                   1

The gradient of a complex-linear map X = A x is A^H g (docs/derivations/complex.md), and F^H is the
unnormalised inverse, so the adjoint of a transform is **the transform the other way with the dual norm**
("backward" <-> "forward", "ortho" stays): that is the whole backward of ``C2C``. ``R2C`` (rfft) keeps only
the n//2 + 1 first outputs of a real input, and ``C2R`` (irfft) reads only those; their adjoints carry a
factor for the Hermitian symmetry: docs/derivations/fft.md derives all three.

``n`` (per axis) pads the input with zeros or cuts it before the transform; the adjoint cuts or pads the
gradient back (:func:`resized`).
"""

from __future__ import annotations

from typing import Any

from glassgrad import backend, complex_math
from glassgrad.op import Context, Op

DUAL_NORM = {"backward": "forward", "forward": "backward", "ortho": "ortho"}


def resized(array: Any, axes: tuple[int, ...], lengths: tuple[int, ...]) -> Any:
    """``array`` cut or zero-padded at the end of each axis in ``axes`` to the matching length."""
    xp = backend.xp
    cut = tuple(slice(0, length) if axis in axes else slice(None)
                for axis, length in _per_axis(array.ndim, axes, lengths))
    array = array[cut]
    padding = [(0, 0)] * array.ndim
    for axis, length in zip(axes, lengths):
        padding[axis] = (0, max(0, length - array.shape[axis]))
    return xp.pad(array, padding) if any(after for _, after in padding) else array


def _per_axis(ndim: int, axes: tuple[int, ...], lengths: tuple[int, ...]) -> list[tuple[int, int]]:
    wanted = dict(zip(axes, lengths))
    return [(axis, wanted.get(axis, -1)) for axis in range(ndim)]


class C2C(Op):
    """Complex to complex, over ``axes`` (signal lengths ``sizes``):  X = s F x  (``inverse``: x = s' F^H X).

    Backward: the adjoint s F^H g is the opposite transform with the dual norm, then cut/padded back
    to the input's lengths."""

    differentiable_backward = True  # its adjoint is a transform too: recorded under create_graph

    @staticmethod
    def forward(ctx: Context, x: Any, *, sizes: tuple[int, ...], axes: tuple[int, ...], norm: str,
                 inverse: bool) -> Any:
        ctx.lengths, ctx.axes, ctx.norm, ctx.inverse = tuple(x.shape[axis] for axis in axes), axes, norm, inverse
        transform = backend.xp.fft.ifftn if inverse else backend.xp.fft.fftn
        return complex_math.mark(transform(x, s=sizes, axes=axes, norm=norm).astype(x.dtype, copy=False))

    @staticmethod
    def backward(ctx: Context, grad: Any) -> Any:
        transform = backend.xp.fft.fftn if ctx.inverse else backend.xp.fft.ifftn
        adjoint = transform(grad, axes=ctx.axes, norm=DUAL_NORM[ctx.norm]).astype(grad.dtype, copy=False)
        return resized(adjoint, ctx.axes, ctx.lengths)


class R2C(Op):
    """Real to complex along ``axis``, the one-sided half:  X_k = s sum_j x_j e^{-2 pi i jk/n}, k = 0..n//2.

    Backward: dL/dx = s Re(F^H P^T g) (P keeps the first n//2 + 1 rows) = irfft(h, n, dual norm), where
    h = g with the entries 1..ceil(n/2)-1 halved (irfft counts each of them twice, for its mirror image)."""

    differentiable_backward = True  # its adjoint is a transform too: recorded under create_graph

    @staticmethod
    def forward(ctx: Context, x: Any, *, n: int, axis: int, norm: str) -> Any:
        ctx.length, ctx.n, ctx.axis, ctx.norm = x.shape[axis], n, axis, norm
        out = backend.xp.fft.rfft(x, n=n, axis=axis, norm=norm)
        return complex_math.mark(out.astype(_complex_dtype(x.dtype), copy=False))

    @staticmethod
    def backward(ctx: Context, grad: Any) -> Any:
        xp = backend.xp
        n, axis, norm = ctx.n, ctx.axis, ctx.norm
        weights = xp.full(grad.shape[axis], 0.5, dtype=grad.real.dtype)
        weights[0] = 1.0
        if n % 2 == 0:
            weights[-1] = 1.0  # the Nyquist entry has no mirror image
        h = grad * weights.reshape((-1,) + (1,) * (grad.ndim - 1 - axis))
        adjoint = xp.fft.irfft(h, n=n, axis=axis, norm=DUAL_NORM[norm]).astype(grad.real.dtype, copy=False)
        return resized(adjoint, (axis,), (ctx.length,))


class C2R(Op):
    """Complex (one-sided) to real along ``axis``, output length n:  x_j = s' [Re X_0 + 2 sum_{k=1}^{K} Re(X_k
    e^{2 pi i jk/n}) + Re(X_{n/2}) (-1)^j (n even)],  K = ceil(n/2) - 1.

    Backward: dL/dX_k = c_k rfft(g, dual norm)_k with c_k = 2 for k = 1..K and 1 at k = 0 and the
    Nyquist entry (the imaginary parts forward ignores get 0: rfft(g) is real there), cut/padded back."""

    differentiable_backward = True  # its adjoint is a transform too: recorded under create_graph

    @staticmethod
    def forward(ctx: Context, x: Any, *, n: int, axis: int, norm: str) -> Any:
        ctx.length, ctx.n, ctx.axis, ctx.norm = x.shape[axis], n, axis, norm
        return backend.xp.fft.irfft(x, n=n, axis=axis, norm=norm).astype(x.real.dtype, copy=False)

    @staticmethod
    def backward(ctx: Context, grad: Any) -> Any:
        xp = backend.xp
        n, axis, norm = ctx.n, ctx.axis, ctx.norm
        half = xp.fft.rfft(grad, n=n, axis=axis, norm=DUAL_NORM[norm]).astype(_complex_dtype(grad.dtype), copy=False)
        counts = xp.full(half.shape[axis], 2.0, dtype=grad.dtype)
        counts[0] = 1.0
        if n % 2 == 0:
            counts[-1] = 1.0
        half = half * counts.reshape((-1,) + (1,) * (half.ndim - 1 - axis))
        return resized(half, (axis,), (ctx.length,))


def _complex_dtype(dtype: Any) -> Any:
    from glassgrad.dtypes import complex_of

    return complex_of(dtype)
