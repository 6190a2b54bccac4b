"""Local response normalisation (AlexNet's): each value divided by the activity of its neighbouring channels.

For an input (N, C, *) and a window of ``size`` channels centred on c (size // 2 before it,
(size - 1) // 2 after it, zero beyond the edges):

    y[n, c] = x[n, c] / (k + alpha / size * sum_{c' in window(c)} x[n, c']^2)^beta

As torch's, it is a composition (square, zero-pad along the channels, a sum of ``size`` shifted
slices, power, division), so the engine chains the derivatives of those ops.
"""

from __future__ import annotations

from typing import Any

from glassgrad import ops
from glassgrad.tensor import Tensor, as_tensor

# This family's functions in glassgrad.ops, torch and torch.nn.functional (glassgrad/ops/families.py):
__all__ = ["local_response_norm"]
TORCH_NAMES = []
FUNCTIONAL_NAMES = ["local_response_norm"]


def local_response_norm(input: Any, size: int, alpha: float = 1e-4, beta: float = 0.75,  # noqa: A002
                        k: float = 1.0) -> Tensor:
    """Normalise over ``size`` neighbouring channels (torch's F.local_response_norm); input (N, C, *) with at
    least 3 dims."""
    x = as_tensor(input)
    if x.ndim < 3:
        raise ValueError(f"Expected 3D or higher dimensionality input (got {x.ndim} dimensions)")
    if x.numel() == 0:
        return x
    channels = x.shape[1]
    before_after = (size // 2, (size - 1) // 2)
    padded = ops.pad(x * x, (0, 0) * (x.ndim - 2) + before_after)  # zero squares beyond the channel edges
    window_sum = padded[:, 0:channels]
    for shift in range(1, size):
        window_sum = window_sum + padded[:, shift:shift + channels]
    return x / (window_sum * (alpha / size) + k) ** beta
