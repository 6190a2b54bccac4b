"""Weight initialisers (torch's ``nn.init``): each fills a tensor IN PLACE and returns it.

The tensor object is kept (its array is overwritten, its version goes up), so
a parameter already handed to an optimiser stays the same object. The fill is
never recorded by autograd (torch runs these under ``no_grad``).

Fans: for a weight of shape (out, in, *kernel), fan_in = in * prod(kernel) and
fan_out = out * prod(kernel).

| initialiser      | distribution                                                            |
|------------------|-------------------------------------------------------------------------|
| constant_/zeros_/ones_ | the constant                                                      |
| eye_ / dirac_    | the identity matrix / the identity convolution                          |
| normal_          | N(mean, std^2)                                                          |
| trunc_normal_    | N(mean, std^2) conditioned on [a, b]                                    |
| uniform_         | U(a, b)                                                                 |
| very_large_      | N(0, scale^2), scale = 10 by default: the classic failure (saturated units) |
| xavier_uniform_  | U(-s, s), s = gain * sqrt(6 / (fan_in + fan_out))  (Glorot & Bengio 2010) |
| xavier_normal_   | N(0, gain^2 * 2 / (fan_in + fan_out))                                   |
| kaiming_uniform_ | U(-s, s), s = gain * sqrt(3 / fan)  (He et al. 2015)                    |
| kaiming_normal_  | N(0, gain^2 / fan)                                                      |
| orthogonal_      | gain * Q, Q from the QR decomposition of a Gaussian matrix (Saxe et al. 2013) |

Randomness: ``generator`` (torch's name) or ``rng`` is a ``numpy.random.Generator``;
None means glassgrad's module generator (``glassgrad.manual_seed``).
"""

from __future__ import annotations

import math
import warnings
from typing import Any

import numpy as np

from glassgrad import autograd, backend
from glassgrad.random import draw_as, resolve_rng
from glassgrad.tensor import Tensor

Rng = np.random.Generator | None

_LINEAR_GAIN = ("linear", "conv1d", "conv2d", "conv3d", "conv_transpose1d", "conv_transpose2d",
                "conv_transpose3d", "sigmoid")


def calculate_gain(nonlinearity: str, param: float | None = None) -> float:
    """The recommended gain for a non-linearity (torch's table):

    linear/conv/sigmoid 1, tanh 5/3, relu sqrt(2), leaky_relu sqrt(2 / (1 + slope^2)), selu 3/4.
    """
    if nonlinearity in _LINEAR_GAIN:
        return 1.0
    if nonlinearity == "tanh":
        return 5.0 / 3
    if nonlinearity == "relu":
        return math.sqrt(2.0)
    if nonlinearity == "leaky_relu":
        if param is None:
            slope = 0.01
        elif isinstance(param, int | float) and not isinstance(param, bool):
            slope = param
        else:
            raise ValueError(f"negative_slope {param} not a valid number")
        return math.sqrt(2.0 / (1 + slope**2))
    if nonlinearity == "selu":
        return 3.0 / 4
    raise ValueError(f"Unsupported nonlinearity {nonlinearity}")


def _calculate_fan_in_and_fan_out(tensor: Tensor) -> tuple[int, int]:
    """(fan_in, fan_out) of a weight shaped (out, in, *kernel)."""
    if tensor.ndim < 2:
        raise ValueError("Fan in and fan out can not be computed for tensor with fewer than 2 dimensions "
                         f"(got shape {tuple(tensor.shape)})")
    receptive_field = math.prod(tensor.shape[2:])
    return tensor.shape[1] * receptive_field, tensor.shape[0] * receptive_field


fan_in_and_fan_out = _calculate_fan_in_and_fan_out  # the older glassgrad name


def _calculate_correct_fan(tensor: Tensor, mode: str) -> int:
    mode = mode.lower()
    if mode not in ("fan_in", "fan_out"):
        raise ValueError(f"Mode {mode} not supported, please use one of ['fan_in', 'fan_out']")
    fan_in, fan_out = _calculate_fan_in_and_fan_out(tensor)
    return fan_in if mode == "fan_in" else fan_out


def _fill(tensor: Tensor, values: Any) -> Tensor:
    """Overwrite ``tensor``'s values in place (not recorded by autograd); returns the same tensor."""
    with autograd.no_grad():
        tensor._write(backend.xp.asarray(values).astype(tensor.dtype, copy=False))
    return tensor


def _rng(generator: Any, rng: Rng) -> np.random.Generator:
    return resolve_rng(rng if rng is not None else generator)


# ----- constants ------------------------------------------------------------------
def constant_(tensor: Tensor, val: float) -> Tensor:
    """Every element set to ``val``."""
    return _fill(tensor, np.full(tensor.shape, val))


def zeros_(tensor: Tensor) -> Tensor:
    return constant_(tensor, 0.0)


def ones_(tensor: Tensor) -> Tensor:
    return constant_(tensor, 1.0)


def eye_(tensor: Tensor) -> Tensor:
    """The identity matrix (a 2-D tensor only), keeping a Linear layer's input as it is."""
    if tensor.ndim != 2:
        raise ValueError(f"Only tensors with 2 dimensions are supported (eye_ got shape {tuple(tensor.shape)})")
    return _fill(tensor, np.eye(*tensor.shape))


def dirac_(tensor: Tensor, groups: int = 1) -> Tensor:
    """The identity convolution: a 1 at the kernel's centre linking output channel d to input channel d
    (in each of ``groups`` groups), so a Conv layer initially copies its input channels."""
    if tensor.ndim not in (3, 4, 5):
        raise ValueError(f"Only tensors with 3, 4, or 5 dimensions are supported (dirac_ got {tuple(tensor.shape)})")
    if tensor.shape[0] % groups != 0:
        raise ValueError("dim 0 must be divisible by groups")
    out_per_group = tensor.shape[0] // groups
    values = np.zeros(tensor.shape)
    centre = tuple(k // 2 for k in tensor.shape[2:])
    for g in range(groups):
        for d in range(min(out_per_group, tensor.shape[1])):
            values[(g * out_per_group + d, d) + centre] = 1
    return _fill(tensor, values)


# ----- plain random fills -------------------------------------------------------------
def _check_normal(op: str, mean: float, std: float) -> None:
    """A NaN mean or a negative / NaN std would fill the tensor with NaN (or fail deep in NumPy)."""
    if not std >= 0 or mean != mean:
        raise ValueError(f"{op}: expects a mean that is not NaN and std >= 0, got mean={mean}, std={std}")


def uniform_(tensor: Tensor, a: float = 0.0, b: float = 1.0, generator: Any = None, *, rng: Rng = None) -> Tensor:
    """U(a, b)."""
    if not a <= b:  # also refuses NaN bounds
        raise ValueError(f"uniform_: expects a <= b (a [from, to) range), got a={a}, b={b}")
    return _fill(tensor, draw_as(_rng(generator, rng).random, tuple(tensor.shape), tensor.dtype, b - a, a))  # U(a, b)


def normal_(tensor: Tensor, mean: float = 0.0, std: float = 1.0, generator: Any = None, *,
            rng: Rng = None) -> Tensor:
    """N(mean, std^2)."""
    _check_normal("normal_", mean, std)
    return _fill(tensor, draw_as(_rng(generator, rng).standard_normal, tuple(tensor.shape), tensor.dtype, std, mean))


def trunc_normal_(tensor: Tensor, mean: float = 0.0, std: float = 1.0, a: float = -2.0, b: float = 2.0,
                  generator: Any = None, *, rng: Rng = None) -> Tensor:
    """N(mean, std^2) conditioned on [a, b] (``a``, ``b`` are absolute bounds, as torch).

    Drawn by rejection: values outside [a, b] are drawn again until none is left.
    """
    if not a < b:
        raise ValueError(f"trunc_normal_: need a < b, got a={a}, b={b}")
    _check_normal("trunc_normal_", mean, std)
    gen = _rng(generator, rng)
    values = gen.normal(mean, std, tensor.shape)
    outside = (values < a) | (values > b)
    while outside.any():
        values[outside] = gen.normal(mean, std, int(outside.sum()))
        outside = (values < a) | (values > b)
    return _fill(tensor, values)


def very_large_(tensor: Tensor, scale: float = 10.0, generator: Any = None, *, rng: Rng = None) -> Tensor:
    """N(0, scale^2): deliberately too large, kept to show why initialisation matters."""
    return normal_(tensor, 0.0, scale, generator, rng=rng)


# ----- scaled by the fans -----------------------------------------------------------
def xavier_uniform_(tensor: Tensor, gain: float = 1.0, generator: Any = None, *, rng: Rng = None) -> Tensor:
    """U(-s, s), s = gain * sqrt(6 / (fan_in + fan_out)): keeps the variance of activations and
    gradients equal across a layer with a linear (or tanh) unit."""
    fan_in, fan_out = _calculate_fan_in_and_fan_out(tensor)
    bound = gain * math.sqrt(6.0 / (fan_in + fan_out))
    return uniform_(tensor, -bound, bound, generator, rng=rng)


def xavier_normal_(tensor: Tensor, gain: float = 1.0, generator: Any = None, *, rng: Rng = None) -> Tensor:
    """N(0, std^2), std = gain * sqrt(2 / (fan_in + fan_out))."""
    fan_in, fan_out = _calculate_fan_in_and_fan_out(tensor)
    return normal_(tensor, 0.0, gain * math.sqrt(2.0 / (fan_in + fan_out)), generator, rng=rng)


def _empty_warning(tensor: Tensor) -> bool:
    if 0 in tensor.shape:
        warnings.warn("Initializing zero-element tensors is a no-op", stacklevel=3)
        return True
    return False


def kaiming_uniform_(tensor: Tensor, a: float = 0.0, mode: str = "fan_in", nonlinearity: str = "leaky_relu",
                     generator: Any = None, *, rng: Rng = None) -> Tensor:
    """U(-b, b), b = gain * sqrt(3 / fan); ``a`` is the leaky-relu slope used in the gain.

    ``mode="fan_in"`` keeps the forward activations' variance, ``"fan_out"`` the backward gradients'.
    """
    if _empty_warning(tensor):
        return tensor
    gain = calculate_gain(nonlinearity, a)
    bound = gain * math.sqrt(3.0 / _calculate_correct_fan(tensor, mode))
    return uniform_(tensor, -bound, bound, generator, rng=rng)


def kaiming_normal_(tensor: Tensor, a: float = 0.0, mode: str = "fan_in", nonlinearity: str = "leaky_relu",
                    generator: Any = None, *, rng: Rng = None) -> Tensor:
    """N(0, gain^2 / fan)."""
    if _empty_warning(tensor):
        return tensor
    gain = calculate_gain(nonlinearity, a)
    return normal_(tensor, 0.0, gain / math.sqrt(_calculate_correct_fan(tensor, mode)), generator, rng=rng)


def orthogonal_(tensor: Tensor, gain: float = 1.0, generator: Any = None, *, rng: Rng = None) -> Tensor:
    """A (semi-)orthogonal matrix times ``gain``; a tensor of more than 2 dims is treated as
    (shape[0], rest) flattened.

    Draw A ~ N(0, 1) of shape (rows, cols) (transposed when rows < cols), take A = QR, and
    multiply each column of Q by sign(R_ii) so that Q is uniformly distributed (Haar measure).
    """
    if tensor.ndim < 2:
        raise ValueError(f"Only tensors with 2 or more dimensions are supported (orthogonal_ got "
                         f"{tuple(tensor.shape)})")
    if tensor.numel() == 0:
        return tensor
    rows = tensor.shape[0]
    cols = tensor.numel() // rows
    flat = _rng(generator, rng).normal(0.0, 1.0, (rows, cols))
    if rows < cols:
        flat = flat.T
    q, r = np.linalg.qr(flat)  # (max, min) and (min, min)
    q = q * np.sign(np.diag(r))
    if rows < cols:
        q = q.T
    return _fill(tensor, gain * q.reshape(tensor.shape))


def default_layer_init_(weight: Tensor, bias: Tensor | None, rng: Rng = None) -> None:
    """PyTorch's default for Linear and Conv: ``kaiming_uniform_(a=sqrt(5))`` on the weight, i.e.
    gain^2 = 2 / (1 + 5) = 1/3, so U(-1/sqrt(fan_in), 1/sqrt(fan_in)), and the same bound for the bias."""
    kaiming_uniform_(weight, a=math.sqrt(5), rng=rng)
    if bias is not None:
        fan_in, _ = _calculate_fan_in_and_fan_out(weight)
        bound = 1 / math.sqrt(fan_in) if fan_in > 0 else 0.0
        uniform_(bias, -bound, bound, rng=rng)
