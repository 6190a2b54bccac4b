"""Weight initialisers. Each fills a tensor in place and returns it.

Fans: for a weight of shape (out, in, *kernel), fan_in = in * prod(kernel) and
fan_out = out * prod(kernel).

| initialiser      | distribution                                   |
|------------------|------------------------------------------------|
| zeros_/constant_ | the constant                                   |
| normal_          | N(mean, std^2)                                 |
| uniform_         | U(a, b)                                        |
| very_large_      | N(0, scale^2), scale = 10 by default: the classic failure (saturated units) |
| xavier_uniform_  | U(-s, s), s = gain * sqrt(6 / (fan_in + fan_out))  (Glorot & Bengio 2010) |
| xavier_normal_   | N(0, gain^2 * 2 / (fan_in + fan_out))          |
| kaiming_uniform_ | U(-s, s), s = gain * sqrt(3 / fan)  (He et al. 2015) |
| kaiming_normal_  | N(0, gain^2 / fan)                             |
"""

from __future__ import annotations

import math

import numpy as np

from glassgrad import backend
from glassgrad.random import resolve_rng
from glassgrad.tensor import Tensor

Rng = np.random.Generator | None


def fan_in_and_fan_out(tensor: Tensor) -> tuple[int, int]:
    """(fan_in, fan_out) of a weight shaped (out, in, *kernel)."""
    if tensor.ndim < 2:
        raise ValueError(f"fan in and fan out need a tensor of at least 2 dims, got shape {tensor.shape}")
    receptive = int(np.prod(tensor.shape[2:])) if tensor.ndim > 2 else 1
    return tensor.shape[1] * receptive, tensor.shape[0] * receptive


def calculate_gain(nonlinearity: str, param: float | None = None) -> float:
    """The recommended gain for a non-linearity (torch's table)."""
    linear_like = ("linear", "conv1d", "conv2d", "conv3d", "conv_transpose2d", "sigmoid")
    if nonlinearity in linear_like:
        return 1.0
    if nonlinearity == "tanh":
        return 5.0 / 3
    if nonlinearity == "relu":
        return math.sqrt(2.0)
    if nonlinearity == "leaky_relu":
        slope = 0.01 if param is None else param
        return math.sqrt(2.0 / (1 + slope**2))
    if nonlinearity == "selu":
        return 3.0 / 4
    raise ValueError(f"calculate_gain: unsupported nonlinearity {nonlinearity!r}")


def _fill(tensor: Tensor, values: np.ndarray) -> Tensor:
    tensor.data = backend.xp.asarray(values.astype(tensor.dtype))
    return tensor


def constant_(tensor: Tensor, value: float) -> Tensor:
    return _fill(tensor, np.full(tensor.shape, value))


def zeros_(tensor: Tensor) -> Tensor:
    return constant_(tensor, 0.0)


def ones_(tensor: Tensor) -> Tensor:
    return constant_(tensor, 1.0)


def normal_(tensor: Tensor, mean: float = 0.0, std: float = 1.0, rng: Rng = None) -> Tensor:
    return _fill(tensor, resolve_rng(rng).normal(mean, std, tensor.shape))


def uniform_(tensor: Tensor, a: float = 0.0, b: float = 1.0, rng: Rng = None) -> Tensor:
    return _fill(tensor, resolve_rng(rng).uniform(a, b, tensor.shape))


def very_large_(tensor: Tensor, scale: float = 10.0, rng: Rng = None) -> Tensor:
    """N(0, scale^2): deliberately too large, kept to show why initialisation matters."""
    return normal_(tensor, 0.0, scale, rng)


def xavier_uniform_(tensor: Tensor, gain: float = 1.0, rng: Rng = None) -> Tensor:
    fan_in, fan_out = fan_in_and_fan_out(tensor)
    bound = gain * math.sqrt(6.0 / (fan_in + fan_out))
    return uniform_(tensor, -bound, bound, rng)


def xavier_normal_(tensor: Tensor, gain: float = 1.0, rng: Rng = None) -> Tensor:
    fan_in, fan_out = fan_in_and_fan_out(tensor)
    return normal_(tensor, 0.0, gain * math.sqrt(2.0 / (fan_in + fan_out)), rng)


def _fan(tensor: Tensor, mode: str) -> int:
    if mode not in ("fan_in", "fan_out"):
        raise ValueError(f"mode must be 'fan_in' or 'fan_out', got {mode!r}")
    fan_in, fan_out = fan_in_and_fan_out(tensor)
    return fan_in if mode == "fan_in" else fan_out


def kaiming_uniform_(tensor: Tensor, a: float = 0.0, mode: str = "fan_in",
                     nonlinearity: str = "leaky_relu", rng: Rng = None) -> Tensor:
    """U(-b, b), b = gain * sqrt(3 / fan); ``a`` is the leaky-relu slope in the gain."""
    gain = calculate_gain(nonlinearity, a)
    bound = gain * math.sqrt(3.0 / _fan(tensor, mode))
    return uniform_(tensor, -bound, bound, rng)


def kaiming_normal_(tensor: Tensor, a: float = 0.0, mode: str = "fan_in",
                    nonlinearity: str = "leaky_relu", rng: Rng = None) -> Tensor:
    """N(0, gain^2 / fan)."""
    gain = calculate_gain(nonlinearity, a)
    return normal_(tensor, 0.0, gain / math.sqrt(_fan(tensor, mode)), rng)


def default_layer_init_(weight: Tensor, bias: Tensor | None, rng: Rng = None) -> None:
    """PyTorch's default for Linear and Conv: kaiming_uniform_(a=sqrt(5)) on the weight,
    i.e. U(-1/sqrt(fan_in), 1/sqrt(fan_in)), and the same bound for the bias."""
    kaiming_uniform_(weight, a=math.sqrt(5), rng=rng)
    if bias is not None:
        fan_in, _ = fan_in_and_fan_out(weight)
        bound = 1 / math.sqrt(fan_in) if fan_in > 0 else 0.0
        uniform_(bias, -bound, bound, rng)
