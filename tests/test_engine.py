"""The graph engine: accumulation, reuse, grad modes, detach, deep graphs, freeing
the graph after backward, retain_graph and retain_grad."""

from __future__ import annotations

import gc
import math
import weakref
from typing import Any

import numpy as np
import pytest

import glassgrad as gg
from glassgrad import Context, Op, Tensor
from glassgrad.autograd import unbroadcast


def leaf(values: Any) -> Tensor:
    return Tensor(np.asarray(values, dtype=np.float64), requires_grad=True)


# ----- accumulation and reuse --------------------------------------------------------------------
def test_gradients_accumulate_across_backward_calls() -> None:
    x = leaf([1.0, 2.0])
    (x * 3.0).sum().backward()
    (x * x).sum().backward()
    np.testing.assert_allclose(x.grad, [3.0 + 2.0, 3.0 + 4.0])
    x.zero_grad()
    assert x.grad is None


def test_a_tensor_used_twice_gets_both_contributions() -> None:
    x = leaf(3.0)
    y = x * x + x  # dy/dx = 2x + 1
    y.backward()
    assert x.grad == pytest.approx(7.0)


def test_shared_subexpressions_like_micrograd() -> None:
    # micrograd's test_more_ops in float64; the expected numbers are what PyTorch computes for it
    a, b = leaf(-4.0), leaf(2.0)
    c = a + b
    d = a * b + b**3
    c = c + c + 1
    c = c + 1 + c + (-a)
    d = d + d * 2 + (b + a).relu()
    d = d + 3 * d + (b - a).relu()
    e = c - d
    f = e**2
    g = f / 2.0
    g = g + 10.0 / f
    g.backward()
    assert g.item() == pytest.approx(24.70408163265306, abs=1e-10)
    assert a.grad == pytest.approx(138.83381924198252, abs=1e-10)
    assert b.grad == pytest.approx(645.5772594752187, abs=1e-10)


def test_diamond_graph_visits_each_node_once_after_all_its_users() -> None:
    x = leaf(2.0)
    a = x * 2.0
    b = a * 3.0
    c = a + b + a.exp()  # a feeds three consumers, one through b
    c.backward()
    assert x.grad == pytest.approx(2.0 * (1.0 + 3.0 + math.exp(4.0)))


def test_grad_is_owned_by_the_leaf() -> None:
    x = leaf(np.ones(3))
    x.sum().backward()  # Sum's backward returns a read-only broadcast view
    x.grad.array[0] = 5.0  # an optimiser may edit .grad in place
    assert x.grad.array.flags.writeable and x.grad.tolist() == [5.0, 1.0, 1.0]


def test_backward_with_an_explicit_gradient_for_a_non_scalar() -> None:
    x = leaf([[1.0, 2.0], [3.0, 4.0]])
    y = x * x
    y.backward(np.array([[1.0, 0.0], [0.5, 2.0]]))
    np.testing.assert_allclose(x.grad, [[2.0, 0.0], [3.0, 16.0]])


def test_backward_on_a_leaf() -> None:
    x = leaf(2.0)
    x.backward()
    assert x.grad == 1.0


# ----- what requires grad ------------------------------------------------------------------------
def test_requires_grad_propagates_and_constants_get_no_grad() -> None:
    x = leaf([1.0, 2.0])
    c = Tensor(np.array([3.0, 4.0]))
    labels = Tensor(np.array([1, 2]))
    y = x * c + labels  # the int tensor is promoted to float, and stays a constant
    assert y.requires_grad and not (c * 2).requires_grad
    assert y.grad_fn.name() == "AddBackward" and x.grad_fn is None and x.is_leaf and not y.is_leaf
    y.sum().backward()
    assert c.grad is None and labels.grad is None
    np.testing.assert_allclose(x.grad, [3.0, 4.0])


def test_ops_skip_gradients_no_input_needs() -> None:
    seen = []

    class Spy(Op):
        @staticmethod
        def forward(ctx: Context, a: Any, b: Any) -> Any:
            return a * b

        @staticmethod
        def backward(ctx: Context, grad: Any) -> tuple[Any, Any]:
            seen.append(ctx.needs_input_grad)
            return grad, None

    Spy.apply(leaf(1.0), Tensor(np.float64(2.0))).backward()
    assert seen == [(True, False)]


# ----- grad modes and detach ---------------------------------------------------------------------
def test_no_grad_context_manager() -> None:
    x = leaf([1.0])
    with gg.no_grad():
        y = x * 2
        assert not gg.is_grad_enabled()
    assert gg.is_grad_enabled()
    assert not y.requires_grad and y.grad_fn is None


def test_no_grad_decorator_including_recursion() -> None:
    x = leaf([1.0])

    @gg.no_grad()
    def f(depth: int) -> Tensor:
        y = x * 2 if depth == 0 else f(depth - 1)
        assert not gg.is_grad_enabled()
        return y

    assert not f(3).requires_grad
    assert gg.is_grad_enabled()


def test_enable_grad_inside_no_grad() -> None:
    x = leaf([1.0])
    with gg.no_grad():
        with gg.enable_grad():
            y = x * 2
        z = x * 2
    assert y.requires_grad and not z.requires_grad

    @gg.enable_grad()
    def g() -> Tensor:
        return x * 3

    with gg.no_grad():
        assert g().requires_grad


def test_grad_mode_is_restored_after_an_exception() -> None:
    with pytest.raises(ZeroDivisionError), gg.no_grad():
        raise ZeroDivisionError
    assert gg.is_grad_enabled()


def test_detach_cuts_the_graph_and_shares_the_array() -> None:
    x = leaf([1.0, 2.0])
    h = x * 2
    d = h.detach()
    assert not d.requires_grad and d.is_leaf and d.array is h.array
    (h * d).sum().backward()  # d is a constant: d(h*d)/dx = 2 d
    np.testing.assert_allclose(x.grad, [4.0, 8.0])


# ----- deep graphs and memory --------------------------------------------------------------------
def test_ten_thousand_op_chain_has_no_recursion_error() -> None:
    x = leaf(1.0)
    y = x
    for _ in range(10_000):
        y = y * 1.0001 + 0.0  # 20,000 ops deep
    y.backward()
    assert x.grad == pytest.approx(1.0001**10_000)


def test_deep_chain_can_be_dropped_without_backward() -> None:
    x = leaf(1.0)
    y = x
    for _ in range(10_000):
        y = y + 1.0
    ref = weakref.ref(y)
    del y
    gc.collect()
    assert ref() is None


class _Scratch(Op):
    """y = 2x, saving an array that nothing else holds (to watch it being freed)."""

    saved_refs: list[weakref.ref] = []

    @staticmethod
    def forward(ctx: Context, x: Any) -> Any:
        scratch = np.full(x.shape, 2.0)
        _Scratch.saved_refs.append(weakref.ref(scratch))
        ctx.save_for_backward(scratch)
        return x * scratch

    @staticmethod
    def backward(ctx: Context, grad: Any) -> Any:
        (scratch,) = ctx.saved
        return grad * scratch


def test_backward_frees_saved_arrays_and_intermediate_tensors() -> None:
    _Scratch.saved_refs.clear()
    x = leaf(np.ones(4))
    hidden = _Scratch.apply(x).tanh()  # Tanh saves its output; _Scratch saves its own array
    hidden_ref = weakref.ref(hidden)
    loss = (hidden * 3.0).sum()
    del hidden
    gc.collect()
    assert _Scratch.saved_refs[0]() is not None and hidden_ref() is not None  # the graph holds them
    loss.backward()
    gc.collect()
    assert _Scratch.saved_refs[0]() is None, "the saved array outlived backward"
    assert hidden_ref() is None, "an intermediate tensor outlived backward"
    np.testing.assert_allclose(x.grad, 3.0 * 2.0 * (1 - np.tanh(2.0) ** 2))


def test_retain_graph_keeps_saved_arrays() -> None:
    _Scratch.saved_refs.clear()
    x = leaf(np.ones(2))
    loss = _Scratch.apply(x).sum()
    loss.backward(retain_graph=True)
    gc.collect()
    assert _Scratch.saved_refs[0]() is not None
    loss.backward()
    np.testing.assert_allclose(x.grad, [4.0, 4.0])  # twice 2, accumulated


def test_second_backward_without_retain_graph_is_a_clear_error() -> None:
    x = leaf([1.0, 2.0])
    loss = (x.exp() * 2).sum()
    loss.backward()
    with pytest.raises(RuntimeError, match="second time.*retain_graph=True"):
        loss.backward()


def test_retain_graph_twice_then_free() -> None:
    x = leaf([1.0, 2.0])
    loss = (x * x).sum()
    loss.backward(retain_graph=True)
    loss.backward(retain_graph=True)
    loss.backward()
    np.testing.assert_allclose(x.grad, 3 * 2 * np.array([1.0, 2.0]))
    with pytest.raises(RuntimeError, match="second time"):
        loss.backward()


def test_retain_grad_keeps_an_intermediate_gradient() -> None:
    x = leaf([1.0, 2.0])
    h = (x * 3).retain_grad()
    other = x * 5  # not retained
    loss = (h * h).sum() + other.sum()
    loss.backward()
    np.testing.assert_allclose(h.grad, 2 * h.array)
    np.testing.assert_allclose(x.grad, 3 * 2 * h.array + 5)
    assert other.grad is None


# ----- the one place broadcast gradients are reduced ---------------------------------------------
@pytest.mark.parametrize(
    "grad_shape, shape, expected_sum_axes",
    [((4, 3), (3,), (0,)), ((4, 3), (4, 1), (1,)), ((2, 4, 3), (1, 3), (0, 1)), ((2, 3), (), (0, 1)), ((3,), (3,), ())],
)
def test_unbroadcast_sums_over_the_copies(grad_shape: tuple, shape: tuple, expected_sum_axes: tuple) -> None:
    g = np.arange(np.prod(grad_shape), dtype=np.float64).reshape(grad_shape)
    expected = g.sum(axis=expected_sum_axes).reshape(shape) if expected_sum_axes else g
    np.testing.assert_allclose(unbroadcast(g, shape), expected)


def test_a_backward_of_the_wrong_shape_is_named() -> None:
    class WrongShape(Op):
        @staticmethod
        def forward(ctx: Context, x: Any) -> Any:
            return x * 2

        @staticmethod
        def backward(ctx: Context, grad: Any) -> Any:
            return np.ones(5)

    with pytest.raises(RuntimeError, match=r"WrongShape.backward.*\(5,\).*\(2, 3\)"):
        WrongShape.apply(leaf(np.ones((2, 3)))).sum().backward()


def test_a_backward_with_the_wrong_number_of_gradients_is_named() -> None:
    class TooMany(Op):
        @staticmethod
        def forward(ctx: Context, x: Any) -> Any:
            return x * 2

        @staticmethod
        def backward(ctx: Context, grad: Any) -> Any:
            return grad, grad

    with pytest.raises(RuntimeError, match="TooMany.backward returned 2 gradients for 1 inputs"):
        TooMany.apply(leaf([1.0])).sum().backward()


def test_leaf_gradients_never_alias_each_other():
    """Add hands the same array to both inputs; editing one .grad in place (as
    clipping does) must not change the other."""
    import glassgrad as gg

    a = gg.tensor([1.0, 2.0], requires_grad=True)
    b = gg.tensor([3.0, 4.0], requires_grad=True)
    (a + b).backward(gg.ones(2).numpy())
    a.grad *= 10
    assert b.grad.tolist() == [1.0, 1.0]
    c = gg.tensor([1.0, 2.0], requires_grad=True)
    seed = gg.ones(2).numpy()
    c.reshape(2).backward(seed)
    c.grad *= 5
    assert seed.tolist() == [1.0, 1.0]
