"""``torch.fft``'s transforms: fft/ifft, rfft/irfft, hfft/ihfft, each in 1-D, 2-D and n-D forms.

All are made of the three ops of transforms.py:

    fft, fft2, fftn, ifft, ...   C2C over the dims
    rfftn                        R2C over the last dim, then C2C over the others
    irfftn                       C2C (inverse) over all dims but the last, then C2R over the last
    hfftn(x)                     irfftn(conj x) with the dual norm: the transform of a Hermitian signal
    ihfftn(x)                    conj(rfftn(x)) with the dual norm

The scale of a norm splits over the dims (1/sqrt(n1 n2) = 1/sqrt(n1) 1/sqrt(n2)), so the stages of an n-D
form each take the same ``norm``. Default lengths, as torch: ``irfft``'s output length is 2 (m - 1) for an
input of length m (an odd length must be given as ``n``).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from glassgrad.fft.arguments import as_complex_input, as_real_input, check_length, many_dims, norm_mode, one_dim
from glassgrad.fft.transforms import C2C, C2R, DUAL_NORM, R2C
from glassgrad.ops.complex_identities import conj
from glassgrad.tensor import Tensor

Dims = Sequence[int] | None


def fftn(input: Tensor, s: Sequence[int] | None = None, dim: Dims = None, norm: str | None = None) -> Tensor:  # noqa: A002
    """The n-D discrete Fourier transform over ``dim`` (torch.fft.fftn)."""
    return _c2c(input, s, dim, norm, inverse=False)


def ifftn(input: Tensor, s: Sequence[int] | None = None, dim: Dims = None, norm: str | None = None) -> Tensor:  # noqa: A002
    """The n-D inverse discrete Fourier transform over ``dim`` (torch.fft.ifftn)."""
    return _c2c(input, s, dim, norm, inverse=True)


def _c2c(input: Tensor, s: Any, dim: Any, norm: str | None, inverse: bool) -> Tensor:  # noqa: A002
    x = as_complex_input(input)
    lengths, axes = many_dims(x, s, dim)
    return C2C.apply(x, sizes=tuple(lengths), axes=tuple(axes), norm=norm_mode(norm), inverse=inverse)


def fft(input: Tensor, n: int | None = None, dim: int = -1, norm: str | None = None) -> Tensor:  # noqa: A002
    """The 1-D discrete Fourier transform along ``dim``, the signal cut or zero-padded to ``n`` (torch.fft.fft)."""
    x = as_complex_input(input)
    n, axis = one_dim(x, n, dim)
    return C2C.apply(x, sizes=(n,), axes=(axis,), norm=norm_mode(norm), inverse=False)


def ifft(input: Tensor, n: int | None = None, dim: int = -1, norm: str | None = None) -> Tensor:  # noqa: A002
    """The 1-D inverse discrete Fourier transform along ``dim`` (torch.fft.ifft)."""
    x = as_complex_input(input)
    n, axis = one_dim(x, n, dim)
    return C2C.apply(x, sizes=(n,), axes=(axis,), norm=norm_mode(norm), inverse=True)


def fft2(input: Tensor, s: Sequence[int] | None = None, dim: Sequence[int] = (-2, -1),  # noqa: A002
         norm: str | None = None) -> Tensor:
    """fftn over two dims, the last two by default (torch.fft.fft2)."""
    return fftn(input, s, dim, norm)


def ifft2(input: Tensor, s: Sequence[int] | None = None, dim: Sequence[int] = (-2, -1),  # noqa: A002
          norm: str | None = None) -> Tensor:
    """ifftn over two dims, the last two by default (torch.fft.ifft2)."""
    return ifftn(input, s, dim, norm)


def rfft(input: Tensor, n: int | None = None, dim: int = -1, norm: str | None = None) -> Tensor:  # noqa: A002
    """The transform of a real signal, its n//2 + 1 non-redundant entries (torch.fft.rfft)."""
    x = as_real_input("rfft", input)
    n, axis = one_dim(x, n, dim)
    return R2C.apply(x, n=n, axis=axis, norm=norm_mode(norm))


def irfft(input: Tensor, n: int | None = None, dim: int = -1, norm: str | None = None) -> Tensor:  # noqa: A002
    """The real signal of length ``n`` (default 2 (m - 1)) whose rfft is ``input`` (torch.fft.irfft)."""
    x = as_complex_input(input)
    m, axis = one_dim(x, None, dim)
    return C2R.apply(x, n=check_length(2 * (m - 1) if n is None else n), axis=axis, norm=norm_mode(norm))


def rfftn(input: Tensor, s: Sequence[int] | None = None, dim: Dims = None, norm: str | None = None) -> Tensor:  # noqa: A002
    """rfft over the last of ``dim``, then fft over the others (torch.fft.rfftn)."""
    x = as_real_input("rfftn", input)
    lengths, axes = many_dims(x, s, dim)
    norm = norm_mode(norm)
    half = R2C.apply(x, n=lengths[-1], axis=axes[-1], norm=norm)
    if len(axes) == 1:
        return half
    return C2C.apply(half, sizes=tuple(lengths[:-1]), axes=tuple(axes[:-1]), norm=norm, inverse=False)


def irfftn(input: Tensor, s: Sequence[int] | None = None, dim: Dims = None, norm: str | None = None) -> Tensor:  # noqa: A002
    """ifft over all of ``dim`` but the last, then irfft over the last (torch.fft.irfftn); the last
    output length defaults to 2 (m - 1)."""
    x = as_complex_input(input)
    lengths, axes = many_dims(x, s, dim)
    if s is None or s[-1] == -1:
        lengths[-1] = check_length(2 * (x.shape[axes[-1]] - 1))
    norm = norm_mode(norm)
    if len(axes) > 1:
        x = C2C.apply(x, sizes=tuple(lengths[:-1]), axes=tuple(axes[:-1]), norm=norm, inverse=True)
    return C2R.apply(x, n=lengths[-1], axis=axes[-1], norm=norm)


def rfft2(input: Tensor, s: Sequence[int] | None = None, dim: Sequence[int] = (-2, -1),  # noqa: A002
          norm: str | None = None) -> Tensor:
    """rfftn over two dims (torch.fft.rfft2)."""
    return rfftn(input, s, dim, norm)


def irfft2(input: Tensor, s: Sequence[int] | None = None, dim: Sequence[int] = (-2, -1),  # noqa: A002
           norm: str | None = None) -> Tensor:
    """irfftn over two dims (torch.fft.irfft2)."""
    return irfftn(input, s, dim, norm)


def hfft(input: Tensor, n: int | None = None, dim: int = -1, norm: str | None = None) -> Tensor:  # noqa: A002
    """The (real) transform of a Hermitian-symmetric signal given by its first half: irfft of the conjugate
    with the dual norm (torch.fft.hfft); output length n, default 2 (m - 1)."""
    return irfft(conj(as_complex_input(input)), n, dim, DUAL_NORM[norm_mode(norm)])


def ihfft(input: Tensor, n: int | None = None, dim: int = -1, norm: str | None = None) -> Tensor:  # noqa: A002
    """The inverse of hfft for a real signal: the conjugate of rfft with the dual norm (torch.fft.ihfft)."""
    return conj(rfft(as_real_input("ihfft", input), n, dim, DUAL_NORM[norm_mode(norm)]))


def hfftn(input: Tensor, s: Sequence[int] | None = None, dim: Dims = None, norm: str | None = None) -> Tensor:  # noqa: A002
    """The n-D hfft: irfftn of the conjugate with the dual norm (torch.fft.hfftn)."""
    return irfftn(conj(as_complex_input(input)), s, dim, DUAL_NORM[norm_mode(norm)])


def ihfftn(input: Tensor, s: Sequence[int] | None = None, dim: Dims = None, norm: str | None = None) -> Tensor:  # noqa: A002
    """The n-D ihfft: the conjugate of rfftn with the dual norm (torch.fft.ihfftn)."""
    return conj(rfftn(as_real_input("ihfftn", input), s, dim, DUAL_NORM[norm_mode(norm)]))


def hfft2(input: Tensor, s: Sequence[int] | None = None, dim: Sequence[int] = (-2, -1),  # noqa: A002
          norm: str | None = None) -> Tensor:
    """hfftn over two dims (torch.fft.hfft2)."""
    return hfftn(input, s, dim, norm)


def ihfft2(input: Tensor, s: Sequence[int] | None = None, dim: Sequence[int] = (-2, -1),  # noqa: A002
           norm: str | None = None) -> Tensor:
    """ihfftn over two dims (torch.fft.ihfft2)."""
    return ihfftn(input, s, dim, norm)
