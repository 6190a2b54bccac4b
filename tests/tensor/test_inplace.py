"""In-place edits: values, graphs, the version counter, and torch's refusals."""

from __future__ import annotations

import numpy as np
import pytest

import glassgrad as gg
from glassgrad import Tensor


def f64(values, requires_grad: bool = False) -> Tensor:
    return Tensor(np.array(values, dtype=np.float64), requires_grad=requires_grad)


def test_inplace_arithmetic_outside_autograd_edits_the_shared_array() -> None:
    x = f64([1.0, 2.0, 3.0])
    alias = x.data
    x.add_(1).mul_(2).sub_(f64([1.0, 1.0, 1.0]), alpha=2).div_(2)
    np.testing.assert_allclose(x.array, [1.0, 2.0, 3.0])
    assert alias.array is x.array and x._version == 4
    x += 1
    x -= 0.5
    x *= 2
    x /= 3
    np.testing.assert_allclose(alias.array, [1.0, 5 / 3, 7 / 3])


def test_parameter_update_under_no_grad_keeps_the_object() -> None:
    w = f64([1.0, 2.0], requires_grad=True)
    (w * w).sum().backward()
    before = w
    with gg.no_grad():
        w -= 0.1 * w.grad
    assert w is before
    np.testing.assert_allclose(w.array, [0.8, 1.6])
    w.data.add_(w.grad, alpha=-1.0)  # word_language_model's update
    np.testing.assert_allclose(w.array, [-1.2, -2.4])


def test_a_leaf_that_requires_grad_cannot_be_edited_in_place_under_grad() -> None:
    w = f64([1.0], requires_grad=True)
    with pytest.raises(RuntimeError, match="leaf Variable that requires grad"):
        w.add_(1)
    with pytest.raises(RuntimeError, match="leaf Variable that requires grad"):
        w.normal_()


def test_inplace_on_a_non_leaf_records_the_graph_like_torch(torch) -> None:
    a = np.array([0.5, -1.0, 2.0])
    b = np.array([1.5, 2.0, -0.5])
    x, y = f64(a, True), f64(b, True)
    h = x * 2
    h.mul_(y).add_(x).clamp_(-1.0, 3.0)
    h[1] = y[0] * 3
    (h * f64([1.0, 2.0, 3.0])).sum().backward()
    tx, ty = torch.tensor(a, requires_grad=True), torch.tensor(b, requires_grad=True)
    th = tx * 2
    th.mul_(ty).add_(tx).clamp_(-1.0, 3.0)
    th[1] = ty[0] * 3
    (th * torch.tensor([1.0, 2.0, 3.0], dtype=torch.float64)).sum().backward()
    np.testing.assert_allclose(h.detach().numpy(), th.detach().numpy())
    np.testing.assert_allclose(x.grad.numpy(), tx.grad.numpy())
    np.testing.assert_allclose(y.grad.numpy(), ty.grad.numpy())


def test_setitem_differentiable_for_every_key_kind(torch) -> None:
    rng = np.random.default_rng(0)
    base = rng.normal(size=(4, 3))
    keys = [1, slice(1, 3), (slice(None), 2), np.array([0, 2]), base[:, 0] > 0]
    for key in keys:
        v = rng.normal(size=base[key].shape)
        x, val = f64(base, True), f64(v, True)
        h = x * 1.0
        h[key if not isinstance(key, np.ndarray) else Tensor(key)] = val
        dout = rng.normal(size=base.shape)
        (h * Tensor(dout)).sum().backward()
        tx, tv = torch.tensor(base, requires_grad=True), torch.tensor(v, requires_grad=True)
        th = tx * 1.0
        th[key if not isinstance(key, np.ndarray) else torch.from_numpy(key)] = tv
        (th * torch.from_numpy(dout)).sum().backward()
        np.testing.assert_allclose(h.detach().numpy(), th.detach().numpy(), err_msg=str(key))
        np.testing.assert_allclose(x.grad.numpy(), tx.grad.numpy(), err_msg=str(key))
        np.testing.assert_allclose(val.grad.numpy(), tv.grad.numpy(), err_msg=str(key))


def test_setitem_without_grad_writes_in_place() -> None:
    x = f64(np.zeros((2, 3)))
    view = x.data
    x[0] = 1.0
    x[:, 1] = f64([5.0, 6.0])
    x[x > 5.5] = -1.0
    np.testing.assert_allclose(view.array, [[1, 5, 1], [0, -1, 0]])


def test_editing_a_saved_input_through_data_is_caught() -> None:
    x = f64([1.0, 2.0], requires_grad=True)
    y = (x * x).sum()
    x.data.mul_(10)  # torch would silently use the new values here
    with pytest.raises(RuntimeError, match="modified by an inplace operation"):
        y.backward()


def test_editing_a_saved_output_is_caught() -> None:
    x = f64([1.0, 2.0], requires_grad=True)
    h = x.exp()  # exp saves its output
    loss = h.sum()
    with gg.no_grad():
        h.add_(1)
    with pytest.raises(RuntimeError, match="version 1; expected version 0"):
        loss.backward()


def test_an_edit_that_nothing_saved_is_allowed() -> None:
    x = f64([1.0, 2.0], requires_grad=True)
    h = x + 1  # add saves nothing
    loss = (h * 3).sum()
    with gg.no_grad():
        x.add_(5)
    loss.backward()
    np.testing.assert_allclose(x.grad.array, [3.0, 3.0])


def test_optimizer_step_between_two_backwards_through_a_retained_graph_raises() -> None:
    w = f64([1.0, -2.0], requires_grad=True)
    opt = gg.optim.SGD([w], lr=0.1)
    loss = (w * w).sum()
    loss.backward(retain_graph=True)
    opt.step()
    with pytest.raises(RuntimeError, match="modified by an inplace operation"):
        loss.backward()


def test_detach_shares_the_version_counter() -> None:
    x = f64([1.0, 2.0], requires_grad=True)
    y = (x * x).sum()
    x.detach().zero_()
    with pytest.raises(RuntimeError, match="inplace"):
        y.backward()


def test_integer_tensor_refuses_a_float_result() -> None:
    t = Tensor(np.array([1, 2]))
    with pytest.raises(RuntimeError, match="can't be cast"):
        t.add_(1.5)
    t.add_(2)
    assert t.tolist() == [3, 4]


def test_fill_zero_copy_and_random_fills() -> None:
    x = f64(np.ones(4))
    x.fill_(2.5)
    assert x.tolist() == [2.5] * 4
    x.zero_()
    assert x.tolist() == [0.0] * 4
    x.copy_(f64([1.0, 2.0, 3.0, 4.0]))
    assert x.tolist() == [1.0, 2.0, 3.0, 4.0]
    gg.manual_seed(0)
    x.normal_(0.0, 1.0)
    first = x.tolist()
    gg.manual_seed(0)
    x.uniform_(-1, 1)
    assert x.tolist() != first and all(-1 <= v < 1 for v in x.tolist())


def test_copy_into_a_non_leaf_sends_the_gradient_to_the_source(torch) -> None:
    src = f64([1.0, 2.0], requires_grad=True)
    buf = gg.zeros(2, dtype=gg.float64)
    buf.copy_(src * 3)
    buf.sum().backward()
    np.testing.assert_allclose(src.grad.array, [3.0, 3.0])


def test_grad_and_data_are_tensors() -> None:
    x = f64([1.0, 2.0], requires_grad=True)
    (x * 3).sum().backward()
    assert isinstance(x.grad, Tensor) and isinstance(x.data, Tensor)
    assert not x.data.requires_grad and x.data.array is x.array
    x.grad.zero_()
    assert x.grad.tolist() == [0.0, 0.0]
    x.grad = None
    with pytest.raises(RuntimeError, match="shape"):
        x.grad = f64([1.0])
    x.data = f64([7.0, 8.0])
    assert x.tolist() == [7.0, 8.0] and x.requires_grad


def test_chained_inplace_edits_match_torch_refusals(torch) -> None:
    x = f64([0.5, 1.0, -0.5], requires_grad=True)
    h = x * 2
    h.exp_()
    h.add_(1)  # exp saved its output, which add_ then replaced: torch refuses the backward
    with pytest.raises(RuntimeError, match="modified by an inplace operation"):
        h.sum().backward()
    y = f64([2.0, 3.0, 4.0], requires_grad=True)
    h = x * 2
    h.mul_(y)
    h.add_(x)  # mul saved the value before the edit: fine, as in torch
    h.sum().backward()
    np.testing.assert_allclose(y.grad.array, [1.0, 2.0, -1.0])


def test_inplace_forms_of_elementwise_ops(torch) -> None:
    values = np.array([0.3, 0.6, 0.9])
    for name in ["sin", "cos", "exp2", "log1p", "sqrt", "floor", "reciprocal", "erf", "square", "sigmoid"]:
        x = f64(values)
        t = torch.tensor(values)
        getattr(x, name + "_")()
        getattr(t, name + "_")()
        np.testing.assert_allclose(x.array, t.numpy(), err_msg=name)
    x, t = f64(values), torch.tensor(values)
    x.atan2_(f64([1.0, 2.0, 3.0]))
    t.atan2_(torch.tensor([1.0, 2.0, 3.0], dtype=torch.float64))
    np.testing.assert_allclose(x.array, t.numpy())
    n = Tensor(np.array([7, -7]))
    n //= 2
    n %= 3
    assert n.tolist() == [0, 2]  # floor division and a remainder with the divisor's sign, as torch


def test_version_counts_every_edit_like_torch(torch) -> None:
    x = f64([0.5, 1.0], requires_grad=True)
    h = x * 1
    tx = torch.tensor([0.5, 1.0], dtype=torch.float64, requires_grad=True)
    th = tx * 1
    for edit in (lambda t: t.mul_(2), lambda t: t.exp_(), lambda t: t.add_(1)):
        edit(h)
        edit(th)
        assert h._version == th._version
    y = x * 2
    y.exp_()  # exp saved its output: it must still be usable
    y.sum().backward()
    np.testing.assert_allclose(x.grad.array, 2 * np.exp(2 * np.array([0.5, 1.0])))
