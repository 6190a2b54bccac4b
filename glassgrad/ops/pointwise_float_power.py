"""float_power: a power computed in float64, whatever the operands' dtypes.

    float_power(a, b) = a^b in double precision

torch composes it from a cast to float64 and ``pow``, and so does this: the
derivatives are pow's (d/da = b a^(b-1), d/db = a^b ln a). Either operand may
be a Python number; ``float_power_`` needs a float64 tensor to write into.
"""

from __future__ import annotations

from typing import Any

import numpy

from glassgrad.ops.power import pow as power
from glassgrad.tensor import Tensor, as_tensor

# This family's functions in glassgrad.ops, torch and torch.nn.functional (glassgrad/ops/families.py):
__all__ = ["float_power"]
TORCH_NAMES = __all__
FUNCTIONAL_NAMES = []


def _double(value: Any) -> Any:
    """A tensor cast to float64 (a Python number stays a number: pow takes it as it is)."""
    if isinstance(value, Tensor):
        return value if value.dtype == numpy.float64 else value.to(numpy.float64)
    if isinstance(value, bool | int | float):
        return float(value)
    return as_tensor(value).to(numpy.float64)


def float_power(input: Any, exponent: Any) -> Tensor:  # noqa: A002
    """input^exponent in float64 (torch.float_power)."""
    if not isinstance(input, Tensor) and not isinstance(exponent, Tensor):
        raise TypeError("float_power(): expected a Tensor for input or exponent")
    base = _double(input)
    if not isinstance(base, Tensor):
        base = as_tensor(numpy.float64(base))
    return power(base, _double(exponent))
