"""Greatest common divisor and least common multiple of integer tensors: gcd and lcm.

Both broadcast, meet in the common integer dtype and are never negative
(``gcd(0, 0) = 0``, ``lcm(x, 0) = 0``). Float tensors are refused, as torch does;
the results are integers, so there is nothing to differentiate.
"""

from __future__ import annotations

from typing import Any

from glassgrad import backend
from glassgrad.ops.pointwise_float_parts import _torch_name
from glassgrad.ops.type_promotion import category, promoted
from glassgrad.tensor import Tensor

# This family's functions in glassgrad.ops, torch and torch.nn.functional (glassgrad/ops/families.py):
__all__ = ["gcd", "lcm"]
TORCH_NAMES = __all__
FUNCTIONAL_NAMES = []


def _integer_pair(name: str, input: Any, other: Any) -> tuple[Tensor, Tensor]:  # noqa: A002
    for t in (input, other):
        if not isinstance(t, Tensor):
            raise TypeError(f"{name}(): argument 'other' (position 2) must be Tensor, not {type(t).__name__}")
    a, b = promoted(input, other)
    if category(a.dtype) != 1:
        raise NotImplementedError(f'"{name}_cpu" not implemented for \'{_torch_name(a.dtype)}\'')
    return a, b


def gcd(input: Tensor, other: Tensor) -> Tensor:  # noqa: A002
    """The greatest common divisor of each pair of elements (torch.gcd)."""
    a, b = _integer_pair("gcd", input, other)
    return Tensor._make(backend.xp.gcd(a.array, b.array), False)


def lcm(input: Tensor, other: Tensor) -> Tensor:  # noqa: A002
    """The least common multiple of each pair of elements (torch.lcm)."""
    a, b = _integer_pair("lcm", input, other)
    return Tensor._make(backend.xp.lcm(a.array, b.array), False)
