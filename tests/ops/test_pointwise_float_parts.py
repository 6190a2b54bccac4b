"""The element-wise ops of torch's float toolbox at their edges, against torch: addcmul/addcdiv's
dtype rules, copysign at signed zeros, frexp/ldexp/nextafter, nan_to_num on NaN and the
infinities, logit at and beyond 0 and 1, float_power's float64 result, heaviside, sinc at 0,
gcd/lcm, and torch's type promotion (result_type, promote_types, can_cast). Gradients on smooth
inputs are checked in the op table (table_pointwise.py)."""

from __future__ import annotations

import itertools

import numpy as np
import pytest

import glassgrad as gg
from tests.helpers.oracle import compare_with_torch

NON_FINITE = np.array([[np.nan, np.inf, -np.inf, 2.5], [-0.0, 6e4, -1e-30, 7.0]])


def assert_same(ours, theirs) -> None:
    """Same shape, dtype and values (NaN where torch has NaN) as a torch tensor."""
    expected = theirs.detach().numpy()
    assert ours.shape == tuple(expected.shape)
    assert str(ours.dtype) == str(expected.dtype)
    np.testing.assert_array_equal(ours.numpy(), expected)


@pytest.mark.parametrize("dtype", ["int64", "int32", "float32", "float64"])
def test_addcmul_and_addcdiv_dtypes_and_integer_scale_match_torch(torch, dtype) -> None:
    a = np.array([[1, -2, 3], [4, 5, -6]])
    b = np.array([2, 3, -1])
    ours = [gg.tensor(v).to(getattr(gg, dtype)) for v in (a, b, b)]
    theirs = [torch.tensor(v).to(getattr(torch, dtype)) for v in (a, b, b)]
    assert_same(gg.addcmul(*ours, value=2.5), torch.addcmul(*theirs, value=2.5))  # ints: the scale truncates to 2
    assert_same(ours[0].addcmul(ours[1].double(), ours[2]), theirs[0].addcmul(theirs[1].double(), theirs[2]))
    if dtype.startswith("float"):
        assert_same(gg.addcdiv(*ours, value=-0.5), torch.addcdiv(*theirs, value=-0.5))


def test_addcdiv_refuses_integer_division_and_addcmul_refuses_bool() -> None:
    i = gg.tensor([1, 2])
    with pytest.raises(RuntimeError, match="Integer division with addcdiv"):
        gg.addcdiv(i.float(), i, i)
    with pytest.raises(NotImplementedError, match="Bool"):
        gg.addcmul(i > 0, i > 0, i > 0)
    with pytest.raises(TypeError, match="Tensor"):
        gg.addcmul(i, 2, i)


def test_inplace_addcmul_and_addcdiv_edit_the_tensor(torch) -> None:
    x, y = np.array([1.0, -2.0, 3.0]), np.array([0.5, 2.0, -4.0])
    ours, theirs = gg.tensor(x), torch.tensor(x)
    ours.addcmul_(gg.tensor(y), gg.tensor(y), value=0.1).addcdiv_(gg.tensor(x), gg.tensor(y), value=2)
    theirs.addcmul_(torch.tensor(y), torch.tensor(y), value=0.1).addcdiv_(torch.tensor(x), torch.tensor(y), value=2)
    np.testing.assert_allclose(ours.numpy(), theirs.numpy(), rtol=1e-15)


def test_copysign_at_signed_zeros_matches_torch(torch) -> None:
    a = np.array([0.0, -0.0, 2.0, -3.0, 0.0, 4.0])
    b = np.array([-1.0, 1.0, -0.0, 0.0, -0.0, -np.inf])
    outs, grads = compare_with_torch(gg.copysign, torch.copysign, [a, b], torch)
    assert list(np.signbit(outs[0])) == [True, False, True, False, True, True]  # the sign bit of -0.0 counts
    assert grads[0][0] == 0 and grads[0][1] == 0  # torch's gradient at a = 0 is 0
    assert_same(gg.copysign(gg.tensor([1, -2]), -1), torch.copysign(torch.tensor([1, -2]), -1))  # ints: floats


def test_frexp_ldexp_and_nextafter_match_torch(torch) -> None:
    x = np.array([0.0, -0.0, 1.0, -3.5, 1e-310, 6e4, np.inf])
    ours, theirs = gg.frexp(gg.tensor(x)), torch.frexp(torch.tensor(x))
    assert_same(ours.mantissa, theirs.mantissa)
    assert_same(ours.exponent, theirs.exponent)  # int32, as torch
    assert_same(gg.tensor(x).frexp()[1], torch.tensor(x).frexp()[1])
    with pytest.raises(RuntimeError, match="floating-point"):
        gg.frexp(gg.tensor([1, 2]))
    m, e = np.array([0.5, -0.75, 3.0]), np.array([3.0, -2.0, 0.5])
    compare_with_torch(gg.ldexp, torch.ldexp, [m, e], torch)
    assert_same(gg.ldexp(gg.tensor([1, 3]), gg.tensor([2, 0])), torch.ldexp(torch.tensor([1, 3]), torch.tensor([2, 0])))
    towards = np.array([1.0, -4.0, 0.0, np.inf, 2.0, 1.0, 0.0])
    assert_same(gg.nextafter(gg.tensor(x), gg.tensor(towards)), torch.nextafter(torch.tensor(x), torch.tensor(towards)))
    assert_same(gg.nextafter(gg.tensor(x).float(), gg.tensor(towards).float()),
                torch.nextafter(torch.tensor(x).float(), torch.tensor(towards).float()))
    with pytest.raises(NotImplementedError, match="Long"):
        gg.nextafter(gg.tensor([1]), gg.tensor([2]))
    # torch's gradient: 1 for input where it moves, 0 where input == other (the result is other)
    compare_with_torch(gg.nextafter, torch.nextafter, [np.array([1.0, 2.0, 0.0]), np.array([1.0, 3.0, -1.0])], torch)


@pytest.mark.parametrize("dtype", ["float16", "float32", "float64"])
@pytest.mark.parametrize("args", [(), (1.5,), (0.0, 100.0, -100.0), (-1.0, 1e6)], ids=str)
def test_nan_to_num_matches_torch(torch, dtype, args) -> None:
    ours = gg.tensor(NON_FINITE).to(getattr(gg, dtype))
    theirs = torch.tensor(NON_FINITE).to(getattr(torch, dtype))
    assert_same(gg.nan_to_num(ours, *args), torch.nan_to_num(theirs, *args))
    assert_same(ours.clone().nan_to_num_(*args), theirs.clone().nan_to_num_(*args))


def test_nan_to_num_gradient_is_zero_at_replaced_values(torch) -> None:
    x = gg.tensor(NON_FINITE, requires_grad=True)
    t = torch.tensor(NON_FINITE, requires_grad=True)
    gg.nan_to_num(x, neginf=-3.0).mul(0.5).sum().backward()
    torch.nan_to_num(t, neginf=-3.0).mul(0.5).sum().backward()
    assert_same(x.grad, t.grad)
    assert_same(gg.nan_to_num(gg.tensor([1, 2])), torch.nan_to_num(torch.tensor([1, 2])))  # ints: a copy


@pytest.mark.parametrize("eps", [None, 0.1, -1.0])
def test_logit_at_and_beyond_its_ends_matches_torch(torch, eps) -> None:
    p = np.array([-0.5, 0.0, 0.05, 0.5, 0.95, 1.0, 1.5])
    outs, grads = compare_with_torch(lambda a: gg.logit(a, eps), lambda a: torch.logit(a, eps), [p], torch)
    assert np.isnan(outs[0][0]) == (eps != 0.1)
    assert_same(gg.logit(gg.tensor([0, 1])), torch.logit(torch.tensor([0, 1])))


def test_logaddexp2_of_huge_values_is_finite_and_refuses_integers(torch) -> None:
    a, b = np.array([1000.0, -1000.0, 3.0, -np.inf]), np.array([1000.0, 2.0, -1e4, 1.0])
    outs, _ = compare_with_torch(gg.logaddexp2, torch.logaddexp2, [a, b], torch)
    assert np.isfinite(outs[0]).all()
    with pytest.raises(NotImplementedError, match="Long"):
        gg.logaddexp2(gg.tensor([1]), gg.tensor([2]))


def test_float_power_computes_in_float64(torch) -> None:
    x = np.array([0.5, 2.0, 3.0])
    for base, exponent in [(x.astype(np.float32), 2), (x.astype(np.int64), 0.5), (2, x.astype(np.float32))]:
        ours = gg.float_power(*(gg.tensor(v) if isinstance(v, np.ndarray) else v for v in (base, exponent)))
        theirs = torch.float_power(*(torch.tensor(v) if isinstance(v, np.ndarray) else v for v in (base, exponent)))
        assert ours.dtype == gg.float64
        np.testing.assert_allclose(ours.numpy(), theirs.numpy(), rtol=1e-15)
    with pytest.raises(RuntimeError, match="float_power_"):
        gg.tensor(x.astype(np.float32)).float_power_(2)
    y = gg.tensor(x)
    assert y.float_power_(2) is y and y.tolist() == [0.25, 4.0, 9.0]


def test_heaviside_matches_torch_and_has_no_derivative(torch) -> None:
    x = np.array([-2.0, 0.0, -0.0, 3.0, np.nan])
    values = np.array([0.5, 0.25, 7.0, 9.0, 1.0])
    assert_same(gg.heaviside(gg.tensor(x), gg.tensor(values)), torch.heaviside(torch.tensor(x), torch.tensor(values)))
    assert_same(gg.tensor([-1, 0, 4]).heaviside(gg.tensor(5)), torch.tensor([-1, 0, 4]).heaviside(torch.tensor(5)))
    with pytest.raises(RuntimeError, match="different dtypes"):
        gg.heaviside(gg.tensor(x), gg.tensor(values).float())
    with pytest.raises(RuntimeError, match="derivative for heaviside"):
        gg.heaviside(gg.tensor(x, requires_grad=True), gg.tensor(values)).sum().backward()


def test_sinc_and_angles_match_torch_at_zero_and_on_integers(torch) -> None:
    x = np.array([0.0, 1e-9, 0.5, -1.0, 2.5])
    compare_with_torch(gg.sinc, torch.sinc, [x], torch)
    for name in ("sinc", "deg2rad", "rad2deg"):
        assert_same(getattr(gg, name)(gg.tensor([0, 1, 90])), getattr(torch, name)(torch.tensor([0, 1, 90])))
        assert_same(getattr(gg.tensor([True, False]), name)(), getattr(torch.tensor([True, False]), name)())


def test_gcd_and_lcm_match_torch() -> None:
    a, b = np.array([0, 12, -18, 7, 0]), np.array([0, 8, 12, -3, 5])
    assert gg.gcd(gg.tensor(a), gg.tensor(b)).tolist() == [0, 4, 6, 1, 5]
    assert gg.tensor(a).lcm(gg.tensor(b)).tolist() == [0, 24, 36, 21, 0]
    assert gg.gcd(gg.tensor(a, dtype=gg.int32), gg.tensor(b)).dtype == gg.int64
    with pytest.raises(NotImplementedError, match="Float"):
        gg.gcd(gg.tensor([1.0]), gg.tensor([2.0]))
    with pytest.raises(TypeError, match="Tensor"):
        gg.gcd(gg.tensor([4]), 2)


def test_positive_and_isreal() -> None:
    x = gg.tensor([1.0, -2.0])
    assert gg.positive(x) is x and x.positive() is x
    assert gg.isreal(x).tolist() == [True, True] and x.isreal().dtype == gg.bool
    with pytest.raises(RuntimeError, match="bool"):
        gg.positive(x > 0)


DTYPES = ["bool", "uint8", "int8", "int16", "int32", "int64", "float16", "float32", "float64"]


def test_type_promotion_matches_torch(torch) -> None:
    for a, b in itertools.product(DTYPES, DTYPES):
        ta, tb = getattr(torch, a), getattr(torch, b)
        assert str(gg.promote_types(getattr(gg, a), getattr(gg, b))) == str(torch.promote_types(ta, tb))[6:]
        assert gg.can_cast(getattr(gg, a), getattr(gg, b)) == torch.can_cast(ta, tb)
        for shape_a, shape_b in [((2,), ()), ((), (2,)), ((), ())]:
            ours = gg.result_type(gg.zeros(shape_a, dtype=getattr(gg, a)), gg.zeros(shape_b, dtype=getattr(gg, b)))
            theirs = torch.result_type(torch.zeros(shape_a, dtype=ta), torch.zeros(shape_b, dtype=tb))
            assert str(ours) == str(theirs)[6:], (a, b, shape_a, shape_b)
        for number in (True, 3, 2.5):
            assert str(gg.result_type(gg.zeros(2, dtype=getattr(gg, a)), number)) == \
                str(torch.result_type(torch.zeros(2, dtype=ta), number))[6:]
