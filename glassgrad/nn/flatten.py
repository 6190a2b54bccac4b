"""Flatten and Unflatten: reshape layers (torch's ``nn.Flatten`` / ``nn.Unflatten``)."""

from __future__ import annotations

from collections.abc import Sequence

from glassgrad.nn.module import Module
from glassgrad.tensor import Tensor, as_tensor


class Flatten(Module):
    """Join axes ``start_dim..end_dim`` into one: (N, C, H, W) -> (N, C*H*W) by default.

    Shape: input (*, S_start, ..., S_end, *) -> output (*, S_start * ... * S_end, *).
    """

    def __init__(self, start_dim: int = 1, end_dim: int = -1) -> None:
        super().__init__()
        self.start_dim, self.end_dim = start_dim, end_dim

    def forward(self, input: Tensor) -> Tensor:  # noqa: A002
        return as_tensor(input).flatten(self.start_dim, self.end_dim)

    def extra_repr(self) -> str:
        return f"start_dim={self.start_dim}, end_dim={self.end_dim}"


class Unflatten(Module):
    """Split axis ``dim`` into ``unflattened_size``: Unflatten(1, (C, H, W)) turns (N, C*H*W) into (N, C, H, W).

    One entry of ``unflattened_size`` may be -1 (inferred). The product must equal the axis' length.
    """

    def __init__(self, dim: int, unflattened_size: Sequence[int]) -> None:
        super().__init__()
        if not isinstance(unflattened_size, Sequence) or not all(isinstance(s, int) for s in unflattened_size):
            raise TypeError(f"Unflatten: unflattened_size must be a tuple of ints, got {unflattened_size!r}")
        self.dim, self.unflattened_size = dim, tuple(unflattened_size)

    def forward(self, input: Tensor) -> Tensor:  # noqa: A002
        dim = input._dim(self.dim)
        sizes = self.unflattened_size
        known = 1
        for s in sizes:
            known *= s if s != -1 else 1
        length = input.shape[dim]
        if (-1 not in sizes and known != length) or (-1 in sizes and (known == 0 or length % known)):
            raise RuntimeError(f"Unflatten: unflattened_size {sizes} does not multiply to the size {length} of "
                               f"dim {self.dim} of an input of shape {tuple(input.shape)}")
        return input.reshape(tuple(input.shape[:dim]) + sizes + tuple(input.shape[dim + 1:]))

    def extra_repr(self) -> str:
        return f"dim={self.dim}, unflattened_size={self.unflattened_size}"
