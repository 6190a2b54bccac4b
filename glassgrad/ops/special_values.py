"""Values of special functions from SciPy, for the ops of ``glassgrad.special``.

NumPy has no gamma, Bessel or zeta function; ``scipy.special`` is the field's library for
them. Its functions take NumPy arrays, so every value here is computed the same way:

1. the arrays go to the host (a CuPy array is copied; a NumPy array is used as it is);
2. the function runs in float64, where SciPy's kernels are most accurate, with NumPy's
   warnings for poles and domain errors silenced (torch gives inf or NaN silently);
3. the result comes back as a backend array of the op's dtype (float32 stays float32).

The backward of an op needs values too (digamma' = polygamma(1, x)). When a backward records
its own graph (``create_graph=True``, glassgrad/autograd/higher_order.py) it receives Tensors, and a value
computed by SciPy would have no graph: ``value_or_op`` then runs the differentiable glassgrad op
instead, so the second derivative is an ordinary first derivative of that op.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy

from glassgrad import backend
from glassgrad.op import Context, Op
from glassgrad.ops.pointwise_base import quiet_float_errors
from glassgrad.tensor import Tensor


def scipy_values(function: Callable[..., Any], *arrays: Any, dtype: Any = None) -> Any:
    """``function(*arrays)`` for a ufunc of scipy.special, computed in float64 on the host; the result
    as a backend array of ``dtype`` (the first array's dtype when None). Python numbers pass as they are."""
    host = [backend.to_numpy(a).astype(numpy.float64) if hasattr(a, "dtype") else a for a in arrays]
    with numpy.errstate(all="ignore"):
        result = function(*host)
    if dtype is None:
        dtype = next(a.dtype for a in arrays if hasattr(a, "dtype"))
    return backend.xp.asarray(result, dtype=dtype)


def value_or_op(op: Callable[..., Tensor], function: Callable[..., Any], *args: Any) -> Any:
    """The special function at ``args``: ``scipy_values(function, *args)`` on arrays; the glassgrad ``op``
    (recorded, differentiable) when an argument is a Tensor (a backward recording its graph)."""
    if any(isinstance(a, Tensor) for a in args):
        return op(*args)
    return scipy_values(function, *args)


def over_x(values: Any, x: Any, at_zero: float) -> Any:
    """values / x, and ``at_zero`` where x == 0 (the limit of a ratio whose numerator vanishes there:
    I1(x)/x -> 1/2). The division never sees x = 0, so a second derivative has no NaN from it."""
    xp = backend.xp
    safe = xp.where(x == 0, 1, x)
    return xp.where(x == 0, at_zero, values / safe)


class SpecialUnary(Op):
    """Base of the one-input special functions z = f(a), with f from scipy.special.

    A subclass names the SciPy function (``function``, a static attribute) and writes the backward
    formula ``input_grad(grad, a, z)``, in the input a, the output z or both (both are saved). The
    forward's ``value(a)`` computes f in float64 (``scipy_values``); a subclass overrides it where
    torch's value at an edge differs from SciPy's.
    """

    differentiable_backward = True
    function: Callable[..., Any]

    @classmethod
    def value(cls, a: Any) -> Any:
        return scipy_values(cls.function, a)

    @staticmethod
    def input_grad(grad: Any, a: Any, z: Any) -> Any:
        raise NotImplementedError

    @classmethod
    def forward(cls, ctx: Context, a: Any) -> Any:
        z = cls.value(a)
        ctx.save_for_backward(a, z)
        return z

    @classmethod
    def backward(cls, ctx: Context, grad: Any) -> Any:
        a, z = ctx.saved
        with quiet_float_errors():
            return cls.input_grad(grad, a, z)
