"""Window functions (torch.signal.windows): a taper w[0..M-1] for spectral analysis and filters.

With N = M - 1 (``sym=True``, the window symmetric around its middle) or N = M (``sym=False``,
periodic: the first M points of a symmetric window of M + 1, as a DFT wants), n = 0, ..., M - 1:

    general_cosine(a)   w[n] = sum_k (-1)^k a_k cos(2 pi k n / N)
    hann                general_cosine with a = (0.5, 0.5)
    hamming             general_hamming(alpha = 0.54):  a = (alpha, 1 - alpha)
    blackman            a = (0.42, 0.5, 0.08)
    nuttall             a = (0.3635819, 0.4891775, 0.1365995, 0.0106411)
    bartlett            w[n] = 1 - |2n / N - 1|              (the triangle)
    cosine              w[n] = sin(pi (n + 1/2) / (N + 1))
    gaussian(std)       w[n] = exp(-(n - N/2)^2 / (2 std^2))
    exponential(tau)    w[n] = exp(-|n - center| / tau)      (center N/2 unless given, periodic only)
    kaiser(beta)        w[n] = I0(beta sqrt(1 - (2n / N - 1)^2)) / I0(beta)

M = 1 gives [1.], M = 0 an empty window. The values are computed in float64 and returned in
``dtype`` (the default float dtype unless given; float32 or float64). No gradient: they are constants.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

import numpy

from glassgrad import backend, dtypes
from glassgrad.factory_args import check_options, finish
from glassgrad.tensor import Tensor


def _window(name: str, M: int, sym: bool, dtype: Any, device: Any, requires_grad: bool,  # noqa: N803
            options: dict[str, Any], values: Any) -> Tensor:
    """Checks M and dtype, then ``values(n, N)`` on the points n = 0..M-1 (N = M - 1, or M if periodic)."""
    check_options(name, options)
    if M < 0:
        raise ValueError(f"{name} requires non-negative window length, got M={M}")
    target = backend.get_default_dtype() if dtype is None else dtypes.to_dtype(dtype)
    if target not in (numpy.dtype(numpy.float32), numpy.dtype(numpy.float64)):
        raise ValueError(f"{name} expects float32 or float64 dtypes, got: {target}")
    if M <= 1:
        w = numpy.ones(M)
    else:
        n = numpy.arange(M, dtype=numpy.float64)
        w = values(n, float(M - 1 if sym else M))
    return finish(backend.xp.asarray(w.astype(target)), device, requires_grad, name)


def general_cosine(M: int, *, a: Sequence[float], sym: bool = True, dtype: Any = None,  # noqa: N803
                   device: Any = None, requires_grad: bool = False, **options: Any) -> Tensor:
    """sum_k (-1)^k a_k cos(2 pi k n / N): the family of hann, hamming, blackman, nuttall."""
    coefficients = [float(c) for c in a]
    if not coefficients:
        raise ValueError("Coefficients cannot be empty")
    return _window("general_cosine", M, sym, dtype, device, requires_grad, options, lambda n, N: sum(
        (-1) ** k * c * numpy.cos(2 * math.pi * k * n / N) for k, c in enumerate(coefficients)))


def general_hamming(M: int, *, alpha: float = 0.54, sym: bool = True, dtype: Any = None,  # noqa: N803
                    device: Any = None, requires_grad: bool = False, **options: Any) -> Tensor:
    """alpha - (1 - alpha) cos(2 pi n / N)."""
    return general_cosine(M, a=[alpha, 1.0 - alpha], sym=sym, dtype=dtype, device=device,
                          requires_grad=requires_grad, **options)


def hann(M: int, *, sym: bool = True, dtype: Any = None, device: Any = None,  # noqa: N803
         requires_grad: bool = False, **options: Any) -> Tensor:
    """0.5 - 0.5 cos(2 pi n / N)."""
    return general_cosine(M, a=[0.5, 0.5], sym=sym, dtype=dtype, device=device, requires_grad=requires_grad,
                          **options)


def hamming(M: int, *, sym: bool = True, dtype: Any = None, device: Any = None,  # noqa: N803
            requires_grad: bool = False, **options: Any) -> Tensor:
    """0.54 - 0.46 cos(2 pi n / N)."""
    return general_hamming(M, sym=sym, dtype=dtype, device=device, requires_grad=requires_grad, **options)


def blackman(M: int, *, sym: bool = True, dtype: Any = None, device: Any = None,  # noqa: N803
             requires_grad: bool = False, **options: Any) -> Tensor:
    """0.42 - 0.5 cos(2 pi n / N) + 0.08 cos(4 pi n / N)."""
    return general_cosine(M, a=[0.42, 0.5, 0.08], sym=sym, dtype=dtype, device=device,
                          requires_grad=requires_grad, **options)


def nuttall(M: int, *, sym: bool = True, dtype: Any = None, device: Any = None,  # noqa: N803
            requires_grad: bool = False, **options: Any) -> Tensor:
    """The four-term cosine window of Nuttall (minimum side lobes)."""
    return general_cosine(M, a=[0.3635819, 0.4891775, 0.1365995, 0.0106411], sym=sym, dtype=dtype,
                          device=device, requires_grad=requires_grad, **options)


def bartlett(M: int, *, sym: bool = True, dtype: Any = None, device: Any = None,  # noqa: N803
             requires_grad: bool = False, **options: Any) -> Tensor:
    """The triangle 1 - |2n / N - 1|."""
    return _window("bartlett", M, sym, dtype, device, requires_grad, options,
                   lambda n, N: 1 - numpy.abs(2 * n / N - 1))


def cosine(M: int, *, sym: bool = True, dtype: Any = None, device: Any = None,  # noqa: N803
           requires_grad: bool = False, **options: Any) -> Tensor:
    """sin(pi (n + 1/2) / (N + 1)): half a sine period."""
    return _window("cosine", M, sym, dtype, device, requires_grad, options,
                   lambda n, N: numpy.sin(math.pi * (n + 0.5) / (N + 1)))


def gaussian(M: int, *, std: float = 1.0, sym: bool = True, dtype: Any = None, device: Any = None,  # noqa: N803
             requires_grad: bool = False, **options: Any) -> Tensor:
    """exp(-(n - N/2)^2 / (2 std^2))."""
    if std <= 0:
        raise ValueError(f"Standard deviation must be positive, got: {std} instead.")
    return _window("gaussian", M, sym, dtype, device, requires_grad, options,
                   lambda n, N: numpy.exp(-((n - N / 2) ** 2) / (2 * std**2)))


def exponential(M: int, *, center: float | None = None, tau: float = 1.0, sym: bool = True,  # noqa: N803
                dtype: Any = None, device: Any = None, requires_grad: bool = False, **options: Any) -> Tensor:
    """exp(-|n - center| / tau); the center is the middle N/2 unless given (periodic windows only)."""
    if sym and center is not None:
        raise ValueError("Center must be None for symmetric windows")
    if tau <= 0:
        raise ValueError(f"Tau must be positive, got: {tau} instead.")
    return _window("exponential", M, sym, dtype, device, requires_grad, options,
                   lambda n, N: numpy.exp(-numpy.abs(n - (N / 2 if center is None else center)) / tau))


def kaiser(M: int, *, beta: float = 12.0, sym: bool = True, dtype: Any = None, device: Any = None,  # noqa: N803
           requires_grad: bool = False, **options: Any) -> Tensor:
    """I0(beta sqrt(1 - (2n / N - 1)^2)) / I0(beta), I0 the modified Bessel function of order 0."""
    if beta < 0:
        raise ValueError(f"beta must be non-negative, got: {beta} instead.")
    return _window("kaiser", M, sym, dtype, device, requires_grad, options,
                   lambda n, N: numpy.i0(beta * numpy.sqrt(numpy.clip(1 - (2 * n / N - 1) ** 2, 0, None)))
                   / numpy.i0(beta))


# ----- torch's older factories: torch.hann_window(N, periodic=True) & co. ---------------------------------
def _older(window: Any, window_length: int, periodic: bool, dtype: Any, device: Any, requires_grad: bool,
           options: dict[str, Any], **parameters: Any) -> Tensor:
    """``window(M, sym=not periodic)``: torch's ``*_window`` functions are periodic by default."""
    return window(window_length, sym=not periodic, dtype=dtype, device=device, requires_grad=requires_grad,
                  **parameters, **options)


def hann_window(window_length: int, periodic: bool = True, *, dtype: Any = None, device: Any = None,
                requires_grad: bool = False, **options: Any) -> Tensor:
    """torch.hann_window: ``hann`` (periodic by default)."""
    return _older(hann, window_length, periodic, dtype, device, requires_grad, options)


def hamming_window(window_length: int, periodic: bool = True, alpha: float = 0.54, beta: float = 0.46, *,
                   dtype: Any = None, device: Any = None, requires_grad: bool = False, **options: Any) -> Tensor:
    """torch.hamming_window: alpha - beta cos(2 pi n / N) (periodic by default)."""
    return _older(general_cosine, window_length, periodic, dtype, device, requires_grad, options, a=[alpha, beta])


def blackman_window(window_length: int, periodic: bool = True, *, dtype: Any = None, device: Any = None,
                    requires_grad: bool = False, **options: Any) -> Tensor:
    """torch.blackman_window: ``blackman`` (periodic by default)."""
    return _older(blackman, window_length, periodic, dtype, device, requires_grad, options)


def bartlett_window(window_length: int, periodic: bool = True, *, dtype: Any = None, device: Any = None,
                    requires_grad: bool = False, **options: Any) -> Tensor:
    """torch.bartlett_window: ``bartlett`` (periodic by default)."""
    return _older(bartlett, window_length, periodic, dtype, device, requires_grad, options)


def kaiser_window(window_length: int, periodic: bool = True, beta: float = 12.0, *, dtype: Any = None,
                  device: Any = None, requires_grad: bool = False, **options: Any) -> Tensor:
    """torch.kaiser_window: ``kaiser`` (periodic by default)."""
    return _older(kaiser, window_length, periodic, dtype, device, requires_grad, options, beta=beta)
