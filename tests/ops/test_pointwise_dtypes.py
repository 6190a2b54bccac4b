"""dtype rules, integer arithmetic, edge values and bad input of the element-wise ops,
each checked against torch where torch has a behaviour."""

from __future__ import annotations

import numpy as np
import pytest

import glassgrad as gg
from glassgrad import nn, ops
from glassgrad.nn import functional as F
from tests.helpers.oracle import compare_with_torch

FLOAT_FUNCTIONS = [
    "sin", "cos", "tan", "asin", "acos", "atan", "sinh", "cosh", "asinh", "acosh", "atanh", "exp", "exp2",
    "expm1", "log", "log2", "log10", "log1p", "sqrt", "rsqrt", "reciprocal", "erf", "erfc", "erfinv",
    "sigmoid", "tanh",
]
FLOAT_ACTIVATIONS = ["silu", "mish", "softplus", "logsigmoid", "softsign", "tanhshrink", "elu", "selu", "celu",
                     "gelu", "hardsigmoid", "hardswish", "leaky_relu"]  # hardtanh, relu6 keep integers (tests/opdb)


def _same(ours: gg.Tensor, theirs, torch) -> None:
    """Values and dtype equal to torch's (NaN where torch has NaN)."""
    assert str(ours.dtype) == str(theirs.dtype).removeprefix("torch."), (ours.dtype, theirs.dtype)
    np.testing.assert_allclose(ours.numpy().astype(np.float64), theirs.double().numpy(), rtol=1e-6, atol=1e-6)


# ----- integer inputs to float functions ----------------------------------------------------------
@pytest.mark.parametrize("name", FLOAT_FUNCTIONS)
def test_integer_input_gives_the_default_float_dtype(name, torch):
    values = [[0, 1], [2, 3]]
    for dtype in (gg.int64, gg.int32, gg.bool):
        ours = getattr(ops, name)(gg.tensor(values, dtype=dtype))
        theirs = getattr(torch, name)(torch.tensor(values, dtype=getattr(torch, str(dtype))))
        _same(ours, theirs, torch)
        assert getattr(gg.tensor(values, dtype=dtype), name)().dtype == gg.float32


@pytest.mark.parametrize("name", FLOAT_ACTIVATIONS)
def test_activations_of_integers_are_float32(name, torch):
    ours = getattr(F, name)(gg.tensor([-2, 0, 3]))
    assert ours.dtype == gg.float32
    expected = getattr(torch.nn.functional, name)(torch.tensor([-2.0, 0.0, 3.0]))
    # float32 results of size ~3: torch's own kernels differ by CPU by a few ulps of that (GELU(-2): 1.8e-7)
    np.testing.assert_allclose(ours.numpy(), expected.numpy(), rtol=1e-6, atol=1e-6)


def test_integer_input_follows_the_default_dtype():
    gg.set_default_dtype(gg.float64)
    try:
        assert ops.sin(gg.tensor([1, 2])).dtype == gg.float64
        assert (gg.tensor([1, 2]) / gg.tensor([2, 2])).dtype == gg.float64
    finally:
        gg.set_default_dtype(gg.float32)


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_float_inputs_keep_their_dtype(dtype):
    x = gg.tensor(np.array([0.5, 0.25], dtype=dtype))
    for name in FLOAT_FUNCTIONS + ["floor", "round", "sign", "square", "frac"]:
        assert getattr(ops, name)(x).dtype == dtype, name
    for name in FLOAT_ACTIVATIONS:
        assert getattr(F, name)(x).dtype == dtype, name


# ----- pow --------------------------------------------------------------------------------------------
def test_integer_powers_follow_torch(torch):
    base, torch_base = gg.tensor([2, 3, -1, 0]), torch.tensor([2, 3, -1, 0])
    _same(base**2, torch_base**2, torch)
    _same(base**0, torch_base**0, torch)
    _same(base**2.5, torch_base**2.5, torch)
    _same(2**base, 2**torch_base, torch)
    _same(2.0**base, 2.0**torch_base, torch)
    exponent, torch_exponent = gg.tensor([-1, -2, -3, 2]), torch.tensor([-1, -2, -3, 2])
    _same(gg.tensor([2, 1, -1, 5]) ** exponent, torch.tensor([2, 1, -1, 5]) ** torch_exponent, torch)
    _same(gg.tensor([2, 3], dtype=gg.int32) ** 2, torch.tensor([2, 3], dtype=torch.int32) ** 2, torch)


def test_integer_to_a_negative_integer_power_is_an_error():
    with pytest.raises(RuntimeError, match="Integers to negative integer powers are not allowed."):
        gg.tensor([2, 3]) ** -1
    with pytest.raises(RuntimeError, match="Integers to negative integer powers are not allowed."):
        ops.pow(gg.tensor([2]), -2)


@pytest.mark.parametrize("exponent", [0, 0.5, 1, 2, 3, -1, -2, 1.5])
def test_pow_gradient_at_a_zero_base_matches_torch(exponent, torch):
    x = np.array([0.0, 2.0, 0.5])
    compare_with_torch(lambda a: a**exponent, lambda a: a**exponent, [x], torch)


def test_pow_tensor_exponent_gradients_at_a_zero_base_match_torch(torch):
    base, exponent = np.zeros(4), np.array([0.0, 0.5, 1.0, 2.0])
    compare_with_torch(ops.pow, torch.pow, [base, exponent], torch)
    # negative exponents: 0^b = inf, d/da = -inf, d/db = -inf (a finite upstream gradient of ones)
    exponent = np.array([-1.0, -0.5, 0.0, 0.5])
    a, b = gg.tensor(np.zeros(4), requires_grad=True), gg.tensor(exponent, requires_grad=True)
    ta, tb = torch.zeros(4, dtype=torch.float64, requires_grad=True), torch.tensor(exponent, requires_grad=True)
    ops.pow(a, b).backward(gg.ones(4, dtype=gg.float64))
    torch.pow(ta, tb).backward(torch.ones(4, dtype=torch.float64))
    np.testing.assert_array_equal(a.grad.numpy(), ta.grad.numpy())
    np.testing.assert_array_equal(b.grad.numpy(), tb.grad.numpy())


def test_pow_of_a_negative_base_gives_nan_exponent_gradient_silently(torch):
    compare_with_torch(ops.pow, torch.pow, [np.array([-2.0]), np.array([2.0])], torch)


# ----- division -----------------------------------------------------------------------------------------
@pytest.mark.parametrize("mode", [None, "trunc", "floor"])
def test_div_rounding_modes_match_torch(mode, torch):
    a, b = [-7, 7, -8, 9, 0], [2, -2, 3, 4, 5]
    _same(ops.div(gg.tensor(a), gg.tensor(b), rounding_mode=mode),
          torch.div(torch.tensor(a), torch.tensor(b), rounding_mode=mode), torch)
    fa, fb = [-7.5, 7.5, -0.5, 9.0], [2.0, -2.0, 3.0, 0.0]
    _same(gg.tensor(fa).div(gg.tensor(fb), rounding_mode=mode),
          torch.tensor(fa).div(torch.tensor(fb), rounding_mode=mode), torch)
    _same(ops.div(gg.tensor(a), 2, rounding_mode=mode), torch.div(torch.tensor(a), 2, rounding_mode=mode), torch)


def test_div_with_rounding_has_zero_gradient(torch):
    x, y = np.array([1.5, -2.5, 3.25]), np.array([2.0, 0.75, -1.5])
    compare_with_torch(lambda a, b: ops.div(a, b, rounding_mode="floor"),
                       lambda a, b: torch.div(a, b, rounding_mode="floor"), [x, y], torch)


def test_true_division_of_integers_is_float(torch):
    _same(gg.tensor([1, 2]) / gg.tensor([2, 2]), torch.tensor([1, 2]) / torch.tensor([2, 2]), torch)
    _same(gg.tensor([1, 2]) / 2, torch.tensor([1, 2]) / 2, torch)
    _same(ops.true_divide(gg.tensor([3]), gg.tensor([2])), torch.true_divide(torch.tensor([3]), torch.tensor([2])),
          torch)


def test_division_by_zero_is_silent(torch):
    # pytest turns warnings into errors, so a NumPy RuntimeWarning would fail here
    _same(gg.tensor([1, 0, -1]) / 0, torch.tensor([1, 0, -1]) / 0, torch)
    _same(gg.tensor([1.0, 0.0, -1.0]) / 0.0, torch.tensor([1.0, 0.0, -1.0]) / 0.0, torch)
    _same(gg.tensor([1.0, -1.0]) // 0.0, torch.tensor([1.0, -1.0]) // 0.0, torch)
    _same(gg.tensor([1.0]) % 0.0, torch.tensor([1.0]) % 0.0, torch)
    x = gg.tensor([0.0, 1.0], requires_grad=True)
    (1 / x).sum().backward()
    assert np.isinf(x.grad.numpy()[0])


def test_integer_division_by_zero_raises():
    for fn in (lambda a: a // 0, lambda a: a % 0, lambda a: ops.fmod(a, 0),
               lambda a: ops.div(a, 0, rounding_mode="trunc")):
        with pytest.raises(RuntimeError, match="ZeroDivisionError"):
            fn(gg.tensor([1, 2]))


def test_bad_rounding_mode_names_the_op():
    with pytest.raises(RuntimeError, match="div expected rounding_mode to be one of None, 'trunc', or 'floor'"):
        ops.div(gg.tensor([1.0]), 2, rounding_mode="round")


def test_floor_divide_remainder_fmod_match_torch(torch):
    a, b = [-7, 7, -7, 7, 5], [3, 3, -3, -3, 5]
    ta, tb = torch.tensor(a), torch.tensor(b)
    _same(gg.tensor(a) // gg.tensor(b), ta // tb, torch)
    _same(gg.tensor(a) % gg.tensor(b), ta % tb, torch)
    _same(ops.fmod(gg.tensor(a), gg.tensor(b)), torch.fmod(ta, tb), torch)
    _same(17 // gg.tensor(b), 17 // tb, torch)
    _same(17 % gg.tensor(b), 17 % tb, torch)
    fa = [-7.5, 7.5, 5.5, -3.2]
    _same(gg.tensor(fa) % -3, torch.tensor(fa) % -3, torch)
    _same(gg.tensor(fa) // 2, torch.tensor(fa) // 2, torch)


def test_floor_divide_has_no_derivative_as_in_torch():
    x = gg.tensor([1.5, 2.5], requires_grad=True)
    with pytest.raises(RuntimeError, match="derivative for floor_divide is not implemented"):
        (x // 2).sum().backward()


# ----- rounding and signs ---------------------------------------------------------------------------
def test_rounding_keeps_integer_dtypes(torch):
    values = [-2, 0, 3]
    for name in ("floor", "ceil", "trunc", "round", "sign"):
        _same(getattr(ops, name)(gg.tensor(values)), getattr(torch, name)(torch.tensor(values)), torch)
    _same(ops.sign(gg.tensor([True, False])), torch.sign(torch.tensor([True, False])), torch)


def test_round_half_to_even_and_decimals_match_torch(torch):
    values = [0.5, 1.5, 2.5, -0.5, 1.2345, 1234.5, -2.675]
    for decimals in (0, 1, 2, -1, -2):
        _same(ops.round(gg.tensor(values), decimals=decimals), torch.round(torch.tensor(values), decimals=decimals),
              torch)
        assert gg.tensor(values).round(decimals=decimals).dtype == gg.float32


def test_rounding_errors_for_integers():
    with pytest.raises(NotImplementedError, match="round: decimals=1"):
        ops.round(gg.tensor([15]), decimals=1)
    with pytest.raises(TypeError, match="frac"):
        ops.frac(gg.tensor([1]))


def test_sgn_and_signbit_match_torch(torch):
    values = [-2.0, -0.0, 0.0, 3.0, float("nan")]
    _same(ops.sgn(gg.tensor(values)), torch.sgn(torch.tensor(values)), torch)
    assert ops.signbit(gg.tensor(values)).tolist() == torch.signbit(torch.tensor(values)).tolist()


# ----- bitwise and logical -----------------------------------------------------------------------------
def test_bitwise_operators_match_torch(torch):
    a, b = [5, -3, 12, 0], [3, 6, -1, 7]
    ga, gb, ta, tb = gg.tensor(a), gg.tensor(b), torch.tensor(a), torch.tensor(b)
    for op in (lambda x, y: x & y, lambda x, y: x | y, lambda x, y: x ^ y, lambda x, y: ~x,
               lambda x, y: x << 2, lambda x, y: x >> 1, lambda x, y: 3 << abs(y), lambda x, y: 1 & x,
               lambda x, y: 6 | x, lambda x, y: 6 ^ x):
        _same(op(ga, gb), op(ta, tb), torch)
    _same(ops.bitwise_left_shift(ga, gg.tensor([1, 2, 3, 4])),
          torch.bitwise_left_shift(ta, torch.tensor([1, 2, 3, 4])), torch)
    _same(gg.tensor([1], dtype=gg.int8) << 7, torch.tensor([1], dtype=torch.int8) << 7, torch)


def test_bitwise_on_bools_match_torch(torch):
    a, b = [True, True, False, False], [True, False, True, False]
    ga, gb, ta, tb = gg.tensor(a), gg.tensor(b), torch.tensor(a), torch.tensor(b)
    for op in (lambda x, y: x & y, lambda x, y: x | y, lambda x, y: x ^ y, lambda x, y: ~x):
        _same(op(ga, gb), op(ta, tb), torch)
    _same(ga & gg.tensor([1, 2, 3, 4]), ta & torch.tensor([1, 2, 3, 4]), torch)
    _same(gg.tensor([True]) << 1, torch.tensor([True]) << 1, torch)


def test_logical_ops_match_torch(torch):
    a, b = [1.5, 0.0, -2.0, 0.0], [3, 0, 0, 1]
    for name in ("logical_and", "logical_or", "logical_xor"):
        ours = getattr(ops, name)(gg.tensor(a), gg.tensor(b))
        assert ours.dtype == gg.bool
        assert ours.tolist() == getattr(torch, name)(torch.tensor(a), torch.tensor(b)).tolist()
    assert ops.logical_not(gg.tensor(a)).tolist() == torch.logical_not(torch.tensor(a)).tolist()


def test_bitwise_ops_refuse_floats_and_name_the_op():
    with pytest.raises(NotImplementedError, match="bitwise_and.*float32"):
        gg.tensor([1.0]) & gg.tensor([1.0])
    with pytest.raises(NotImplementedError, match="bitwise_left_shift"):
        gg.tensor([1.0]) << 1
    with pytest.raises(TypeError, match="bitwise_not.*integer and Boolean"):
        ~gg.tensor([1.0])


# ----- other bad input -------------------------------------------------------------------------------
def test_negating_or_subtracting_bools_is_an_error():
    with pytest.raises(RuntimeError, match="Negation, the `-` operator, on a bool tensor is not supported"):
        -gg.tensor([True])
    with pytest.raises(RuntimeError, match="Subtraction, the `-` operator, with two bool tensors"):
        gg.tensor([True]) - gg.tensor([False])


def test_activation_arguments_are_checked():
    with pytest.raises(ValueError, match="gelu: approximate must be 'none' or 'tanh'"):
        ops.gelu(gg.tensor([1.0]), approximate="fast")
    with pytest.raises(ValueError, match="hardtanh: min_val"):
        F.hardtanh(gg.tensor([1.0]), 2.0, 1.0)
    with pytest.raises(ZeroDivisionError, match="celu"):
        ops.celu(gg.tensor([1.0]), alpha=0)
    with pytest.raises(TypeError, match="lerp: expected start and end of the same dtype"):
        ops.lerp(gg.tensor([1.0]), gg.tensor(np.array([2.0])), 0.5)


def test_broadcast_mismatch_names_the_op():
    with pytest.raises(ValueError, match="Atan2"):
        ops.atan2(gg.tensor([1.0, 2.0]), gg.tensor([1.0, 2.0, 3.0]))
    with pytest.raises(ValueError, match="Hypot"):
        ops.hypot(gg.tensor([1.0, 2.0]), gg.tensor([1.0, 2.0, 3.0]))


# ----- NaN and ties in maximum / minimum / fmax / fmin -------------------------------------------------
@pytest.mark.parametrize("name", ["maximum", "minimum", "fmax", "fmin"])
def test_nan_and_ties_follow_torch(name, torch):
    a = np.array([1.0, 2.0, np.nan, 3.0, np.nan, -1.0])
    b = np.array([2.0, 2.0, 1.0, np.nan, np.nan, -4.0])
    compare_with_torch(getattr(ops, name), getattr(torch, name), [a, b], torch)
    compare_with_torch(getattr(ops, name), getattr(torch, name), [a, b], torch, dtype=np.float32)
    _same(getattr(ops, name)(gg.tensor([1, 5]), gg.tensor([3, 2])),
          getattr(torch, name)(torch.tensor([1, 5]), torch.tensor([3, 2])), torch)


# ----- clamp, alpha, aliases --------------------------------------------------------------------------
def test_clamp_follows_torch(torch):
    _same(gg.clamp(gg.tensor([1, 5]), min=0.5), torch.clamp(torch.tensor([1, 5]), min=0.5), torch)
    _same(gg.clip(gg.tensor([1, 5]), min=2), torch.clip(torch.tensor([1, 5]), min=2), torch)
    _same(gg.tensor([-2.0, 0.3, 4.0]).clamp(max=1.0), torch.tensor([-2.0, 0.3, 4.0]).clamp(max=1.0), torch)
    _same(gg.tensor([-2.0, 4.0]).clamp_min(0.0), torch.tensor([-2.0, 4.0]).clamp_min(0.0), torch)


def test_add_and_sub_with_alpha_match_torch(torch):
    x = np.array([1.0, 2.0, 3.0])
    y = np.array([0.5, -1.0, 2.0])
    compare_with_torch(lambda a, b: gg.add(a, b, alpha=2), lambda a, b: torch.add(a, b, alpha=2), [x, y], torch)
    compare_with_torch(lambda a, b: a.sub(b, alpha=-0.5), lambda a, b: a.sub(b, alpha=-0.5), [x, y], torch)
    _same(gg.add(gg.tensor([1, 2]), 3, alpha=2), torch.add(torch.tensor([1, 2]), 3, alpha=2), torch)


def test_torch_spellings_exist():
    x = gg.tensor([0.5, -0.25])
    for name in ("absolute", "negative", "arcsin", "arctan2", "multiply", "divide", "subtract", "fix"):
        assert hasattr(gg, name) and hasattr(x, name), name
    np.testing.assert_allclose(gg.arctan2(x, 1.0).numpy(), np.arctan2(x.numpy(), 1.0))


# ----- extreme values: no overflow, no warning, torch's numbers -----------------------------------------
EXTREMES = np.array([-1e4, -745.0, -88.0, -30.0, -1e-12, 0.0, 1e-12, 30.0, 88.0, 745.0, 1e4])
STABLE = {
    "silu": lambda t: t.nn.functional.silu, "softplus": lambda t: t.nn.functional.softplus,
    "mish": lambda t: t.nn.functional.mish, "logsigmoid": lambda t: t.nn.functional.logsigmoid,
    "elu": lambda t: t.nn.functional.elu, "selu": lambda t: t.nn.functional.selu,
    "celu": lambda t: t.nn.functional.celu, "softsign": lambda t: t.nn.functional.softsign,
    "erf": lambda t: t.erf, "erfc": lambda t: t.erfc, "atan": lambda t: t.atan,
    "hardswish": lambda t: t.nn.functional.hardswish, "hardsigmoid": lambda t: t.nn.functional.hardsigmoid,
}


@pytest.mark.parametrize("dtype", [np.float64, np.float32], ids=["float64", "float32"])
@pytest.mark.parametrize("name", sorted(STABLE))
def test_extreme_inputs_match_torch(name, dtype, torch):
    x = np.stack([EXTREMES, -EXTREMES[::-1]])
    outs, grads = compare_with_torch(getattr(ops, name), STABLE[name](torch), [x], torch, dtype=dtype)
    assert np.isfinite(grads[0]).all()


def test_gelu_default_is_the_exact_erf_form(torch):
    x = np.linspace(-6, 6, 25)
    compare_with_torch(ops.gelu, torch.nn.functional.gelu, [x], torch)
    compare_with_torch(nn.GELU(), torch.nn.GELU(), [x], torch)
    compare_with_torch(lambda a: F.gelu(a, approximate="tanh"),
                       lambda a: torch.nn.functional.gelu(a, approximate="tanh"), [x], torch)


def test_error_function_tails_and_inverse_edges(torch):
    x = np.array([-40.0, -6.0, -3.0, -2.9999, 0.0, 1e-300, 2.5, 3.0, 5.0, 10.0, 26.0])
    for name in ("erf", "erfc"):
        ours = getattr(ops, name)(gg.tensor(x)).numpy()
        theirs = getattr(torch, name)(torch.tensor(x)).numpy()
        np.testing.assert_allclose(ours, theirs, rtol=1e-10, atol=0)  # relative: the tails too
    y = np.array([-1.0, -0.999999, -0.5, 0.0, 0.3, 0.999999999, 1.0, 1.5, np.nan])
    np.testing.assert_allclose(ops.erfinv(gg.tensor(y)).numpy(), torch.erfinv(torch.tensor(y)).numpy(), rtol=1e-10)


def test_out_of_domain_inputs_are_nan_or_inf_silently(torch):
    x = np.array([-2.0, -1.0, 0.0, 1.0, 2.0])
    for name in ("asin", "acos", "acosh", "atanh", "log2", "log10", "log1p", "rsqrt", "reciprocal", "erfinv"):
        ours = getattr(ops, name)(gg.tensor(x)).numpy()
        np.testing.assert_allclose(ours, getattr(torch, name)(torch.tensor(x)).numpy(), rtol=1e-12, err_msg=name)


def test_recurrent_sigmoid_uses_the_one_array_sigmoid():
    from glassgrad.arrays.sigmoid import sigmoid_inplace, stable_sigmoid
    from glassgrad.kernels import gru

    assert gru.sigmoid_inplace is sigmoid_inplace  # the fused kernels' sigmoid is the array floor's
    a = np.linspace(-10, 10, 21)
    np.testing.assert_allclose(sigmoid_inplace(a.copy()), stable_sigmoid(a), atol=1e-15)
