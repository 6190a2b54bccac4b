"""Op-table rows for element-wise math and activations (joined into ``OPS`` by op_table.py).

Each op is drawn inside its domain and away from its kinks, poles and jumps:
acosh above 1, atanh and erfinv inside (-1, 1), the rounding ops off their
jump points, remainder/fmod with a / b away from whole numbers, the hard
activations off their corners.
"""

from __future__ import annotations

from typing import Any

import hypothesis.extra.numpy as hnp
import numpy as np
from hypothesis import strategies as st

from glassgrad import ops
from tests.ops.op_table import OpSpec, maximum_case, with_params
from tests.ops.strategies import (
    ANY,
    DENOMINATOR,
    NONZERO,
    POSITIVE,
    Case,
    Domain,
    array,
    binary,
    broadcast_shapes,
    shapes,
    unary,
)

INSIDE_UNIT = Domain(-0.9, 0.9)  # asin, acos, atanh, erfinv
ABOVE_ONE = Domain(1.2, 4.0)  # acosh
SMALL = Domain(-1.2, 1.2)  # tan stays away from its poles at +-pi/2


@st.composite
def off_grid(draw: st.DrawFn) -> Case:
    """Values k/8 + 0.01: at least 0.01 from every jump of floor, ceil, trunc and round
    (to 0, 1 or -1 decimals), so finite differences see a flat function."""
    shape = draw(shapes())
    k = draw(hnp.arrays(np.int64, shape, elements=st.integers(-24, 24)))
    return Case((k / 8 + 0.01,))


@st.composite
def quotient_off_integers(draw: st.DrawFn) -> Case:
    """(a, b) with a / b = k + f, f in [0.1, 0.9]: remainder and fmod are smooth there."""
    shape_a, shape_b = draw(broadcast_shapes(2))
    full = np.broadcast_shapes(shape_a, shape_b)
    b = draw(array(shape_b, Domain(0.5, 2.0))) * draw(st.sampled_from([1.0, -1.0]))
    whole = draw(hnp.arrays(np.int64, full, elements=st.integers(-3, 3)))
    fraction = draw(array(full, Domain(0.1, 0.9)))
    return Case(((whole + fraction) * b, b))


@st.composite
def ternary(draw: st.DrawFn, domain: Domain = ANY) -> Case:
    """Three inputs of mutually broadcastable shapes (lerp's start, end and weight)."""
    shapes_3 = draw(broadcast_shapes(3))
    return Case(tuple(draw(array(s, domain)) for s in shapes_3))


@st.composite
def ternary_of(draw: st.DrawFn, *domains: Domain) -> Case:
    """Three inputs of mutually broadcastable shapes, each from its own domain."""
    shapes_3 = draw(broadcast_shapes(3))
    return Case(tuple(draw(array(s, d)) for s, d in zip(shapes_3, domains)))


SCALES = st.sampled_from([1, 0.5, -2.0])  # addcmul's and addcdiv's ``value``
# frexp's mantissa jumps at every power of 2: |x| in [0.63, 0.87], [1.13, 1.87] or [2.13, 3]
OFF_POWERS_OF_TWO = Domain(avoid=(-2.0, -1.0, -0.5, -0.25, 0.0, 0.25, 0.5, 1.0, 2.0), margin=0.13)


def _fn(name: str) -> Any:
    """torch.<name> as a reference function ``ref(torch, *tensors)``."""
    return lambda t, *xs, **params: getattr(t, name)(*xs, **params)


def _nn_fn(name: str) -> Any:
    """torch.nn.functional.<name> as a reference function."""
    return lambda t, *xs, **params: getattr(t.nn.functional, name)(*xs, **params)


def _unary(name: str, domain: Domain = ANY) -> OpSpec:
    return OpSpec(name, getattr(ops, name), _fn(name), unary(domain))


HARD_CORNERS = Domain(-5.0, 5.0, avoid=(-3.0, 3.0))
HARDTANH_BOUNDS = [(-1.0, 1.0), (-2.0, 0.5)]
SOFTPLUS_KINKS = Domain(avoid=(1.0, 2.0))  # beta * x = threshold for beta in {1, 2}, threshold 2

ROWS: list[OpSpec] = [
    # trigonometric and hyperbolic
    _unary("sin"),
    _unary("cos"),
    _unary("tan", SMALL),
    _unary("asin", INSIDE_UNIT),
    _unary("acos", INSIDE_UNIT),
    _unary("atan"),
    OpSpec("atan2", ops.atan2, _fn("atan2"), binary(Domain(avoid=(0.0,), margin=0.2), ANY)),
    _unary("sinh"),
    _unary("cosh"),
    _unary("asinh"),
    _unary("acosh", ABOVE_ONE),
    _unary("atanh", INSIDE_UNIT),
    # exponentials, logarithms, roots, error function
    _unary("exp2"),
    _unary("expm1"),
    _unary("log2", POSITIVE),
    _unary("log10", POSITIVE),
    _unary("log1p", Domain(-0.8, 3.0)),
    _unary("rsqrt", POSITIVE),
    _unary("reciprocal", DENOMINATOR),
    _unary("square"),
    _unary("erf"),
    _unary("erfc"),
    _unary("erfinv", INSIDE_UNIT),
    # two inputs
    OpSpec("xlogy", ops.xlogy, _fn("xlogy"), binary(ANY, POSITIVE)),
    OpSpec("hypot", ops.hypot, _fn("hypot"), binary(NONZERO, NONZERO)),
    OpSpec("logaddexp", ops.logaddexp, _fn("logaddexp"), binary()),
    OpSpec("lerp", ops.lerp, _fn("lerp"), ternary()),
    OpSpec("fmax", ops.fmax, _fn("fmax"), maximum_case()),
    OpSpec("fmin", ops.fmin, _fn("fmin"), maximum_case()),
    OpSpec("remainder", ops.remainder, _fn("remainder"), quotient_off_integers()),
    OpSpec("fmod", ops.fmod, _fn("fmod"), quotient_off_integers()),
    OpSpec("div_floor", lambda a, b: ops.div(a, b, rounding_mode="floor"),
           lambda t, a, b: t.div(a, b, rounding_mode="floor"), quotient_off_integers()),
    OpSpec("div_trunc", lambda a, b: ops.div(a, b, rounding_mode="trunc"),
           lambda t, a, b: t.div(a, b, rounding_mode="trunc"), quotient_off_integers()),
    # signs and rounding (gradient 0 away from the jumps, as torch)
    _unary("sign", NONZERO),
    OpSpec("floor", ops.floor, _fn("floor"), off_grid()),
    OpSpec("ceil", ops.ceil, _fn("ceil"), off_grid()),
    OpSpec("trunc", ops.trunc, _fn("trunc"), off_grid()),
    OpSpec("frac", ops.frac, _fn("frac"), off_grid()),
    OpSpec("round", lambda a, decimals: ops.round(a, decimals=decimals),
           lambda t, a, decimals: t.round(a, decimals=decimals),
           with_params(off_grid(), decimals=st.sampled_from([0, 1, -1]))),
    # activations
    OpSpec("gelu_tanh", lambda a: ops.gelu(a, approximate="tanh"),
           lambda t, a: t.nn.functional.gelu(a, approximate="tanh"), unary(Domain(-5, 5))),
    OpSpec("silu", ops.silu, _nn_fn("silu"), unary()),
    OpSpec("mish", ops.mish, _nn_fn("mish"), unary()),
    OpSpec("softplus", lambda a, beta, threshold: ops.softplus(a, beta, threshold),
           lambda t, a, beta, threshold: t.nn.functional.softplus(a, beta, threshold),
           with_params(unary(SOFTPLUS_KINKS), beta=st.sampled_from([1.0, 2.0]),
                       threshold=st.sampled_from([20.0, 2.0]))),
    OpSpec("logsigmoid", ops.logsigmoid, _nn_fn("logsigmoid"), unary(Domain(-8, 8))),
    OpSpec("softsign", ops.softsign, _nn_fn("softsign"), unary()),
    OpSpec("tanhshrink", ops.tanhshrink, _nn_fn("tanhshrink"), unary()),
    OpSpec("elu", lambda a, alpha: ops.elu(a, alpha), lambda t, a, alpha: t.nn.functional.elu(a, alpha),
           with_params(unary(NONZERO), alpha=st.sampled_from([1.0, 0.5, 2.0]))),
    OpSpec("selu", ops.selu, _nn_fn("selu"), unary(NONZERO)),
    OpSpec("celu", lambda a, alpha: ops.celu(a, alpha), lambda t, a, alpha: t.nn.functional.celu(a, alpha),
           with_params(unary(NONZERO), alpha=st.sampled_from([1.0, 0.5, 2.0]))),
    OpSpec("hardtanh", lambda a, bounds: ops.hardtanh(a, *bounds),
           lambda t, a, bounds: t.nn.functional.hardtanh(a, *bounds),
           with_params(unary(Domain(avoid=(-2.0, -1.0, 0.5, 1.0))), bounds=st.sampled_from(HARDTANH_BOUNDS))),
    OpSpec("relu6", ops.relu6, _nn_fn("relu6"), unary(Domain(-2.0, 8.0, avoid=(0.0, 6.0)))),
    OpSpec("hardsigmoid", ops.hardsigmoid, _nn_fn("hardsigmoid"), unary(HARD_CORNERS)),
    OpSpec("hardswish", ops.hardswish, _nn_fn("hardswish"), unary(HARD_CORNERS)),
    # fused products, float parts, log-odds, powers in float64, signal functions, angles
    OpSpec("addcmul", lambda a, b, c, value: ops.addcmul(a, b, c, value=value),
           lambda t, a, b, c, value: t.addcmul(a, b, c, value=value), with_params(ternary(), value=SCALES)),
    OpSpec("addcdiv", lambda a, b, c, value: ops.addcdiv(a, b, c, value=value),
           lambda t, a, b, c, value: t.addcdiv(a, b, c, value=value),
           with_params(ternary_of(ANY, ANY, DENOMINATOR), value=SCALES)),
    OpSpec("copysign", ops.copysign, _fn("copysign"), binary(NONZERO, NONZERO)),
    OpSpec("ldexp", ops.ldexp, _fn("ldexp"), binary(ANY, Domain(-2.0, 2.0))),
    OpSpec("frexp_mantissa", lambda a: ops.frexp(a)[0], lambda t, a: t.frexp(a)[0], unary(OFF_POWERS_OF_TWO)),
    OpSpec("nextafter", ops.nextafter, _fn("nextafter"), maximum_case()),  # a != b: torch gives 0 at a == b
    OpSpec("nan_to_num", lambda a: ops.nan_to_num(a, 0.5), lambda t, a: t.nan_to_num(a, 0.5), unary()),
    _unary("logit", Domain(0.05, 0.95)),
    OpSpec("logit_eps", lambda a: ops.logit(a, 0.2), lambda t, a: t.logit(a, 0.2),
           unary(Domain(0.02, 0.98, avoid=(0.2, 0.8)))),
    OpSpec("logaddexp2", ops.logaddexp2, _fn("logaddexp2"), binary()),
    OpSpec("float_power", ops.float_power, _fn("float_power"), binary(POSITIVE, Domain(-2.0, 2.0))),
    OpSpec("float_power_scalar", lambda a, p: ops.float_power(a, p), lambda t, a, p: t.float_power(a, p),
           with_params(unary(POSITIVE), p=st.sampled_from([2, 0.5, -1.5]))),
    _unary("sinc"),
    _unary("deg2rad"),
    _unary("rad2deg"),
    # named forms and the complex-number ops on real tensors
    _unary("angle", NONZERO),
    OpSpec("rsub", lambda a, b: ops.rsub(a, b, alpha=0.5), lambda t, a, b: t.rsub(a, b, alpha=0.5), binary()),
    OpSpec("fill", lambda a, v: ops.fill(a, v), lambda t, a, v: t.fill(a, v),
           st.tuples(shapes(), st.just(())).flatmap(lambda s: st.tuples(array(s[0]), array(s[1]))).map(Case)),
    OpSpec("conj_physical", ops.conj_physical, _fn("conj_physical"), unary()),
]
