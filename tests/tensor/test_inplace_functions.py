"""torch's module-level in-place functions (torch.exp_(x), torch.clamp_(x, lo, hi), ...) edit their
argument as its method does, against torch; the arc* and fix_ method aliases too."""

from __future__ import annotations

import numpy as np
import pytest

import glassgrad as gg

X = np.array([0.3, -0.7, 0.95, -0.2])

CALLS = [("exp_", ()), ("sin_", ()), ("arccos_", ()), ("arctanh_", ()), ("fix_", ()), ("clamp_", (-0.5, 0.5)),
         ("clamp_min_", (0.0,)), ("nan_to_num_", ()), ("logit_", (0.1,)), ("deg2rad_", ()), ("sinc_", ()),
         ("ldexp_", None), ("xlogy_", None), ("round_", ()), ("sigmoid_", ()), ("zero_", ()), ("square_", ())]


@pytest.mark.parametrize("name, args", CALLS, ids=[name for name, _ in CALLS])
def test_inplace_function_edits_its_argument_as_torch(torch, name, args) -> None:
    ours, theirs = gg.tensor(X.copy()), torch.tensor(X.copy())
    if args is None:  # a tensor argument
        result = getattr(gg, name)(ours, gg.tensor([2.0, 1.0, 0.5, 3.0], dtype=gg.float64))
        getattr(torch, name)(theirs, torch.tensor([2.0, 1.0, 0.5, 3.0], dtype=torch.float64))
    else:
        result = getattr(gg, name)(ours, *args)
        getattr(torch, name)(theirs, *args)
    assert result is ours
    np.testing.assert_allclose(ours.numpy(), theirs.numpy(), rtol=1e-12)
    assert getattr(gg.tensor(X.copy()), name) is not None


def test_conj_physical_in_place_leaves_a_real_tensor_unchanged() -> None:
    x = gg.tensor(X.copy())
    assert gg.conj_physical_(x) is x and x.tolist() == X.tolist()


def test_shape_changing_methods_in_place_match_torch_and_keep_the_graph(torch) -> None:
    values = np.arange(6.0).reshape(2, 3)
    ours, theirs = gg.tensor(values), torch.tensor(values)
    for name, args in [("t_", ()), ("transpose_", (0, 1)), ("unsqueeze_", (1,)), ("squeeze_", ()),
                       ("swapdims_", (0, 1)), ("swapaxes_", (1, 0))]:
        assert getattr(ours, name)(*args) is ours
        getattr(theirs, name)(*args)
        assert ours.shape == tuple(theirs.shape) and ours.tolist() == theirs.tolist()
    w = gg.tensor(values, requires_grad=True)
    y = w * 2
    y.t_().unsqueeze_(0)
    (y * gg.arange(6.0, dtype=gg.float64).reshape(1, 3, 2)).sum().backward()
    assert w.grad.tolist() == (2 * np.arange(6.0).reshape(3, 2).T).tolist()
    with pytest.raises(RuntimeError, match="leaf"):
        w.t_()


def test_comparisons_cumulative_and_fill_diagonal_in_place_match_torch(torch) -> None:
    values = np.array([[1.0, 2.0, 3.0], [4.0, 2.0, 0.5]])
    for name in ("eq_", "ne_", "lt_", "le_", "gt_", "ge_", "greater_", "less_equal_", "not_equal_"):
        ours, theirs = gg.tensor(values), torch.tensor(values)
        getattr(ours, name)(2.0)
        getattr(theirs, name)(2.0)
        assert ours.tolist() == theirs.tolist() and ours.dtype == gg.float64
    for name, args in (("cumsum_", (1,)), ("cumprod_", (0,)), ("divide_", (4.0,)), ("multiply_", (3.0,)),
                       ("subtract_", (1.0,)), ("arctan2_", (torch.tensor(values),))):
        ours, theirs = gg.tensor(values), torch.tensor(values)
        getattr(ours, name)(*(gg.tensor(values) if hasattr(a, "numpy") else a for a in args))
        getattr(theirs, name)(*args)
        np.testing.assert_allclose(ours.numpy(), theirs.numpy(), rtol=1e-12)
    for shape, wrap in (((3, 3), False), ((7, 3), True), ((7, 3), False), ((3, 3, 3), False)):
        ours, theirs = gg.zeros(shape), torch.zeros(shape)
        ours.fill_diagonal_(2.5, wrap)
        theirs.fill_diagonal_(2.5, wrap)
        assert ours.tolist() == theirs.tolist()
    with pytest.raises(RuntimeError, match="equal length"):
        gg.zeros(2, 3, 4).fill_diagonal_(1.0)


def test_python_callables_element_by_element_and_legacy_new_match_torch(torch) -> None:
    ours, theirs = gg.tensor([1.0, 2.0]), torch.tensor([1.0, 2.0])
    ours.apply_(lambda v: v * 10).map_(gg.tensor([1.0, 1.0]), lambda a, b: a + b)
    theirs.apply_(lambda v: v * 10).map_(torch.tensor([1.0, 1.0]), lambda a, b: a + b)
    ours.map2_(gg.tensor([1.0, 2.0]), gg.tensor([3.0, 4.0]), lambda a, b, c: a + b * c)
    theirs.map2_(torch.tensor([1.0, 2.0]), torch.tensor([3.0, 4.0]), lambda a, b, c: a + b * c)
    assert ours.tolist() == theirs.tolist()
    scaled = torch.tensor([1, 2]).apply_(lambda v: v * 2.7)  # an integer tensor keeps its dtype: cut toward zero
    assert gg.tensor([1, 2]).apply_(lambda v: v * 2.7).tolist() == scaled.tolist()
    with pytest.raises(RuntimeError, match="requires grad"):
        gg.ones(2, requires_grad=True).apply_(lambda v: v)
    x = gg.tensor([1.0, 2.0], dtype=gg.float64)
    assert x.new(2, 3).shape == (2, 3) and x.new(2, 3).dtype == gg.float64 and x.new().shape == (0,)
    assert x.new([1, 2]).dtype == gg.float64 and x.new((2,)).tolist() == [2.0] and x.new(gg.Size([4])).shape == (4,)


@pytest.mark.parametrize("name, args", [("celu_", (0.5,)), ("selu_", ()), ("threshold_", (0.0, -3.0)), ("rrelu_", ()),
                                        ("relu_", ())])
def test_activation_functions_in_place_at_torch_level(torch, name, args) -> None:
    ours, theirs = gg.tensor(X.copy()), torch.tensor(X.copy())  # (no Tensor methods of these names, as torch)
    assert getattr(gg, name)(ours, *args) is ours
    getattr(torch, name)(theirs, *args)
    np.testing.assert_allclose(ours.numpy(), theirs.numpy(), rtol=1e-12)
