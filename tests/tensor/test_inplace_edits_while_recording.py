"""In-place edits while a graph is recorded: values and gradients as torch's.

Memory that several tensors share (a base and its views, a tensor and its ``detach()``) shows an
in-place edit through every one of them, and the graph follows: an edited view becomes a
``CopySlices`` of its base, the other views are made again from the edited base, and a node made
before the edit keeps the value it took (glassgrad/autograd/view_edits.py, glassgrad/autograd/graph.py).
Each scenario runs the same code on glassgrad and on torch (the ``torch`` fixture, recorded) and
compares every value and gradient it returns.
"""

import numpy as np
import pytest

import glassgrad as gg

WEIGHTS = [[1.0, 10.0, 100.0], [0.5, -2.0, 3.0]]


def _values(*tensors) -> list:
    return [np.asarray(t.detach().numpy(), dtype=np.float64) for t in tensors]


def view_edit_writes_into_the_base(lib):
    x = lib.tensor([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]], dtype=lib.float64, requires_grad=True)
    w = lib.tensor([2.0, -3.0], dtype=lib.float64, requires_grad=True)
    a = x * 2
    a[0, :2].mul_(w)
    (a * lib.tensor(WEIGHTS, dtype=lib.float64)).sum().backward()
    return _values(a, x.grad, w.grad)


def base_edit_reaches_its_views(lib):
    x = lib.tensor([1.0, 2.0, 3.0], dtype=lib.float64, requires_grad=True)
    w = lib.tensor([5.0, 6.0, 7.0], dtype=lib.float64, requires_grad=True)
    a = x * 2
    b = a[1:]
    a.mul_(w)
    (b * lib.tensor([1.0, 3.0], dtype=lib.float64)).sum().backward()
    return _values(b, x.grad, w.grad)


def view_edit_turns_a_plain_base_into_a_result(lib):
    w = lib.tensor([2.0, 3.0], dtype=lib.float64, requires_grad=True)
    a = lib.ones(3, dtype=lib.float64)
    a[:2].mul_(w)
    (a * lib.tensor([1.0, 10.0, 100.0], dtype=lib.float64)).sum().backward()
    return [*_values(a, w.grad), float(a.requires_grad)]


def detached_alias_sees_the_edit(lib):
    x = lib.tensor([1.0, 2.0], dtype=lib.float64, requires_grad=True)
    y = x * 2
    z = y.detach()
    y.add_(1)
    return _values(z, y)


def view_of_a_view(lib):
    x = lib.tensor([[1.0, 2.0], [3.0, 4.0]], dtype=lib.float64, requires_grad=True)
    w = lib.tensor(5.0, dtype=lib.float64, requires_grad=True)
    a = x * 1
    a[0][1:].mul_(w)
    (a * lib.tensor([[1.0, 2.0], [3.0, 4.0]], dtype=lib.float64)).sum().backward()
    return _values(a, x.grad, w.grad)


def sibling_view_follows(lib):
    x = lib.tensor([1.0, 2.0, 3.0, 4.0], dtype=lib.float64, requires_grad=True)
    w = lib.tensor(3.0, dtype=lib.float64, requires_grad=True)
    a = x * 1
    v1, v2 = a[:2], a[1:3]
    v1.mul_(w)
    (v2 * lib.tensor([2.0, 5.0], dtype=lib.float64)).sum().backward()
    return _values(v2, x.grad, w.grad)


def setitem_through_a_view(lib):
    x = lib.tensor([[1.0, 2.0], [3.0, 4.0]], dtype=lib.float64, requires_grad=True)
    w = lib.tensor(9.0, dtype=lib.float64, requires_grad=True)
    a = x * 1
    a[1][0] = w
    (a * lib.tensor([[1.0, 2.0], [3.0, 4.0]], dtype=lib.float64)).sum().backward()
    return _values(a, x.grad, w.grad)


def transposed_row_edit(lib):
    x = lib.tensor([[1.0, 2.0], [3.0, 4.0]], dtype=lib.float64, requires_grad=True)
    w = lib.tensor([2.0, 3.0], dtype=lib.float64, requires_grad=True)
    a = x * 1
    a.t()[0].mul_(w)
    (a * lib.tensor([[1.0, 2.0], [3.0, 4.0]], dtype=lib.float64)).sum().backward()
    return _values(a, x.grad, w.grad)


def relu_of_a_slice(lib):
    x = lib.tensor([-1.0, 2.0, -3.0, 4.0], dtype=lib.float64, requires_grad=True)
    a = x * 1
    a[1:].relu_()
    (a * lib.tensor([1.0, 2.0, 3.0, 4.0], dtype=lib.float64)).sum().backward()
    return _values(a, x.grad)


def diagonal_edit(lib):
    x = lib.ones(3, 3, dtype=lib.float64, requires_grad=True)
    w = lib.tensor([2.0, 3.0], dtype=lib.float64, requires_grad=True)
    a = x * 1
    a.diagonal(1).mul_(w)
    (a * lib.arange(9, dtype=lib.float64).reshape(3, 3)).sum().backward()
    return _values(a, x.grad, w.grad)


def earlier_use_keeps_the_value_before(lib):
    """A node made before the edit (an add, which saves nothing) took the value before it."""
    x = lib.tensor([1.0, 2.0], dtype=lib.float64, requires_grad=True)
    w = lib.tensor([5.0, 7.0], dtype=lib.float64, requires_grad=True)
    y = x * 2
    z = y + 3
    y.mul_(w)
    (z * lib.tensor([1.0, 2.0], dtype=lib.float64) + y).sum().backward()
    return _values(z, y, x.grad, w.grad)


def earlier_view_use_keeps_the_value_before(lib):
    """A read of a row, then the row edited in place: the read keeps the row as it was."""
    x = lib.tensor([[1.0, 2.0], [3.0, 4.0]], dtype=lib.float64, requires_grad=True)
    w = lib.tensor([2.0, 3.0], dtype=lib.float64, requires_grad=True)
    a = x * 1
    first = a[0] + 1
    a[0].mul_(w)
    (first * lib.tensor([5.0, 7.0], dtype=lib.float64) + a.sum()).sum().backward()
    return _values(first, a, x.grad, w.grad)


def rnn_written_into_a_buffer(lib):
    """A learner's recurrent loop: each step reads the last row written and writes the next (a
    product with the row would save it, and both libraries would refuse the edit after it)."""
    x = lib.tensor([[0.5, -1.0], [1.5, 0.25], [-0.5, 2.0]], dtype=lib.float64)
    u = lib.tensor([0.3, -0.2], dtype=lib.float64, requires_grad=True)
    out = lib.zeros(4, 2, dtype=lib.float64)
    for t in range(3):
        out[t + 1] = lib.tanh(x[t] * u + out[t])
    (out * out).sum().backward()
    return _values(out, u.grad)


def repeated_edits_of_one_view(lib):
    x = lib.tensor([1.0, 2.0, 3.0], dtype=lib.float64, requires_grad=True)
    w = lib.tensor([4.0, 5.0], dtype=lib.float64, requires_grad=True)
    a = x * 2
    v = a[1:]
    v.mul_(w)
    v.add_(1)
    v.pow_(2)
    (a * lib.tensor([1.0, 2.0, 3.0], dtype=lib.float64)).sum().backward()
    return _values(a, v, x.grad, w.grad)


SCENARIOS = {f.__name__: f for f in (
    view_edit_writes_into_the_base, base_edit_reaches_its_views, view_edit_turns_a_plain_base_into_a_result,
    detached_alias_sees_the_edit, view_of_a_view, sibling_view_follows, setitem_through_a_view,
    transposed_row_edit, relu_of_a_slice, diagonal_edit, earlier_use_keeps_the_value_before,
    earlier_view_use_keeps_the_value_before, rnn_written_into_a_buffer, repeated_edits_of_one_view)}


@pytest.mark.parametrize("name", SCENARIOS)
def test_values_and_gradients_match_torch(torch, name):
    ours, theirs = SCENARIOS[name](gg), SCENARIOS[name](torch)
    assert len(ours) == len(theirs)
    for mine, expected in zip(ours, theirs):
        np.testing.assert_allclose(mine, np.asarray(expected, dtype=np.float64), rtol=1e-12, atol=1e-12)


def test_an_edit_of_a_view_of_a_leaf_that_requires_grad_is_refused():
    p = gg.tensor([1.0, 2.0, 3.0], requires_grad=True)
    with pytest.raises(RuntimeError, match="view of a leaf Variable that requires grad"):
        p[:2].add_(1)
    with gg.no_grad():
        p[:2].add_(1)  # allowed, as optimisers do
    assert p.tolist() == [2.0, 3.0, 3.0]


def test_a_view_edit_is_twice_differentiable():
    """CopySlices' backward records a graph: d/dw of (d loss/d x) through an edited view, by finite differences."""
    def loss(x, w):
        a = x * x
        a[1:].mul_(w)
        return (a * a).sum()

    x = gg.tensor([0.5, -1.5, 2.0], dtype=gg.float64, requires_grad=True)
    w = gg.tensor([1.5, -0.5], dtype=gg.float64, requires_grad=True)
    assert gg.autograd.gradgradcheck(loss, (x, w))


def test_views_of_a_tensor_nobody_edits_cost_no_refresh():
    """Views of a tensor that needs no gradient are not remade when a sibling is edited without a graph."""
    a = gg.zeros(4)
    v1, v2 = a[:2], a[2:]
    v1.add_(1)
    v2.add_(2)
    assert a.tolist() == [1.0, 1.0, 2.0, 2.0]
    assert v1._node is None and v2._node is None


def test_a_deep_copy_shares_no_memory_and_no_views():
    import copy

    a = gg.zeros(3)
    view = a[:2]
    b = copy.deepcopy(a)
    assert b._views is None and b._view_of is None and not b._shared
    w = gg.tensor([2.0], requires_grad=True)
    c = copy.deepcopy(view)  # a copy of a view is a tensor of its own
    c[:1].mul_(w)
    assert a._node is None and c._node is not None


def test_a_view_of_other_memory_keeps_its_node():
    """Writing row t + 1 of a buffer does not remake the views of earlier rows (an RNN's loop stays linear)."""
    u = gg.tensor([0.5, -0.25], requires_grad=True)
    out = gg.zeros(4, 2)
    out[0] = u
    first = out[0]
    node = first._node
    out[1] = first + 1
    assert first._node is node
    whole = out[:2]
    whole_node = whole._node
    out[1] = u  # whole reads row 1: it is made again from the edited buffer
    assert whole._node is not whole_node
    (whole * gg.tensor([[1.0, 2.0], [3.0, 4.0]])).sum().backward()
    assert u.grad.tolist() == [4.0, 6.0]


# ----- random programs of views, in-place edits and uses, run on both libraries ---------------------
VIEWS = [
    ("rows", lambda t: t.ndim >= 1 and t.shape[0] > 1, lambda t: t[1:]),
    ("columns", lambda t: t.ndim == 2 and t.shape[1] > 1, lambda t: t[:, 1:]),
    ("first", lambda t: t.ndim >= 1 and t.shape[0] > 0, lambda t: t[0]),
    ("transpose", lambda t: t.ndim == 2, lambda t: t.t()),
    ("unsqueeze", lambda t: t.ndim <= 2, lambda t: t.unsqueeze(0)),
    ("narrow", lambda t: t.ndim >= 1 and t.shape[-1] > 2, lambda t: t.narrow(-1, 1, 2)),
    ("diagonal", lambda t: t.ndim == 2 and min(t.shape) > 0, lambda t: t.diagonal()),
]
EDITS = [
    ("mul_w", lambda t, w: t.mul_(w)),
    ("add_w", lambda t, w: t.add_(w)),
    ("sub_const", lambda t, w: t.sub_(1.5)),
    ("mul_const", lambda t, w: t.mul_(-0.5)),
    ("set_first", lambda t, w: t.__setitem__(0, w * 2) if t.ndim >= 1 and t.shape[0] > 0 else t.add_(w)),
    ("fill_w", lambda t, w: t.fill_(w)),
]


def _weights(lib, shape, salt):
    n = int(np.prod(shape)) if shape else 1
    values = np.cos(np.arange(n, dtype=np.float64) * 0.7 + salt)
    return lib.tensor(values.reshape(shape), dtype=lib.float64)


def random_program(lib, seed: int) -> list:
    """Views of views, edits through any of them, and reads in between, as the seed says."""
    rng = np.random.default_rng(seed)
    x = lib.tensor(np.linspace(-1.0, 2.0, 12).reshape(3, 4), dtype=lib.float64, requires_grad=True)
    w = lib.tensor(0.75, dtype=lib.float64, requires_grad=True)
    pool, reads = [x * 1.0], []
    for _ in range(int(rng.integers(3, 9))):
        t = pool[int(rng.integers(len(pool)))]
        kind = rng.random()
        if kind < 0.4:
            usable = [make for _, ok, make in VIEWS if ok(t)]
            if usable:
                pool.append(usable[int(rng.integers(len(usable)))](t))
        elif kind < 0.8:
            EDITS[int(rng.integers(len(EDITS)))][1](t, w)
        else:
            reads.append(t + 0.25)
    loss = sum((t * _weights(lib, tuple(t.shape), i)).sum() for i, t in enumerate(pool + reads))
    loss.backward()
    grad_w = w.grad if w.grad is not None else lib.zeros((), dtype=lib.float64)
    return _values(*pool, *reads, x.grad, grad_w)


@pytest.mark.parametrize("seed", range(40))
def test_random_programs_match_torch(torch, seed):
    ours, theirs = random_program(gg, seed), random_program(torch, seed)
    assert len(ours) == len(theirs)
    for mine, expected in zip(ours, theirs):
        np.testing.assert_allclose(mine, np.asarray(expected, dtype=np.float64), rtol=1e-12, atol=1e-12)


def view_made_before_its_memory_had_a_graph(lib):
    """v2 was made while a needed no gradient; an edit through v1 gives the shared element a graph."""
    w = lib.tensor(3.0, dtype=lib.float64, requires_grad=True)
    a = lib.ones(3, dtype=lib.float64)
    v1, v2 = a[:2], a[1:]
    v1.mul_(w)
    (v2 * lib.tensor([2.0, 5.0], dtype=lib.float64)).sum().backward()
    return [*_values(a, v2, w.grad), float(v2.requires_grad)]


def base_given_a_graph_then_old_view_used(lib):
    w = lib.tensor(2.0, dtype=lib.float64, requires_grad=True)
    a = lib.ones(2, 2, dtype=lib.float64)
    column = a[:, 1]
    a.mul_(w)
    (column * lib.tensor([3.0, 4.0], dtype=lib.float64)).sum().backward()
    return _values(a, column, w.grad)


SCENARIOS.update({f.__name__: f for f in (
    view_made_before_its_memory_had_a_graph, base_given_a_graph_then_old_view_used)})


def real_and_imaginary_parts_edited(lib):
    """``a.real`` covers the real parts of ``a``: the imaginary parts' gradient passes by its edit (glassgrad
    zeroed all of ``a``'s gradient for ``a.real`` and could not find ``a.imag``'s region)."""
    x = lib.tensor([1 + 2j, 3 - 1j, -2 + 0.5j], dtype=lib.complex128, requires_grad=True)
    w = lib.tensor([2.0, 3.0, 4.0], dtype=lib.float64, requires_grad=True)
    a = x * x
    a.real.mul_(w)
    a.imag[1:].add_(w[1:] * w[1:])
    (a.abs() ** 2).sum().backward()
    return [*_values(a.real, a.imag, x.grad.real, x.grad.imag, w.grad)]


def empty_view_edited(lib):
    """An edit of an empty view changes nothing (glassgrad's backward could not find its region)."""
    x = lib.tensor([1.0, 2.0, 3.0], dtype=lib.float64, requires_grad=True)
    w = lib.tensor(2.0, dtype=lib.float64, requires_grad=True)
    a = x * 1
    a[3:].mul_(w)
    a[1:1].add_(w)
    (a * a).sum().backward()
    return _values(a, x.grad, w.grad)


def second_derivatives_through_edited_views(lib):
    x = lib.tensor([[0.5, -1.5, 2.0], [1.0, 2.0, 3.0]], dtype=lib.float64, requires_grad=True)
    w = lib.tensor([1.5, -0.5], dtype=lib.float64, requires_grad=True)
    a = x * x
    a[:, 1:].t()[0].mul_(w)
    a.diagonal().add_(w)
    gx, = lib.autograd.grad((a * a * a).sum(), x, create_graph=True)
    hx, hw = lib.autograd.grad((gx * gx).sum(), (x, w))
    return _values(gx, hx, hw)


def hessian_of_a_function_editing_a_view(lib):
    def f(x):
        a = x * 2
        a[1:].mul_(x[:2])
        a.real.add_(x.flip(0))
        return (a ** 2).sum()

    return _values(lib.autograd.functional.hessian(f, lib.tensor([0.5, -1.5, 2.0], dtype=lib.float64)))


SCENARIOS.update({f.__name__: f for f in (
    real_and_imaginary_parts_edited, empty_view_edited, second_derivatives_through_edited_views,
    hessian_of_a_function_editing_a_view)})


def rnn_buffer_with_a_decay(lib):
    """``buf[t] * 0.5`` and ``buf[t] / 4`` keep nothing of ``buf[t]`` (only the constant is needed, for
    ``buf[t]``'s gradient), so writing the next row may come after (glassgrad's Mul and Div kept both)."""
    xs = lib.tensor(np.linspace(-1.0, 1.0, 10).reshape(5, 2), dtype=lib.float64)
    u = lib.tensor([0.3, -0.2], dtype=lib.float64, requires_grad=True)
    buf = lib.zeros(6, 2, dtype=lib.float64)
    for t in range(5):
        buf[t + 1] = lib.tanh(xs[t] * u + buf[t] * 0.5 + buf[t] / 4.0)
    column = buf[:, 1]
    (column * lib.arange(6, dtype=lib.float64)).sum().backward()
    return _values(buf, u.grad)


SCENARIOS.update({f.__name__: f for f in (rnn_buffer_with_a_decay,)})


def test_an_edit_finds_only_the_views_over_what_it_wrote():
    """The views an edit of row t looks at are those over row t (and wider ones), not every row read so far,
    in the order they were made; an RNN's loop over T steps so stays linear."""
    from glassgrad.autograd import views

    def views_over(base, region):
        return [id(view) for view in views.views_over(base, region)]

    u = gg.tensor([0.5, -0.25], requires_grad=True)
    buf = gg.zeros(20, 2)
    buf[0] = u
    rows = [buf[t] for t in range(20)]
    column = buf[:, 1]
    assert views_over(buf, buf.array[7]) == [id(rows[7]), id(column)]
    assert views_over(buf, buf.array[7:9, 0]) == [id(rows[7]), id(rows[8]), id(column)]
    assert views_over(buf, buf.array[3:3]) == []
    del rows[:5]  # a dead view is passed over
    assert views_over(buf, buf.array[2]) == [id(column)]
    for t in range(19):
        buf[t + 1] = buf[t] * 0.5 + u
    (column * gg.arange(20.0)).sum().backward()
    expected = sum(t * sum(0.5 ** k for k in range(t + 1)) for t in range(20))
    np.testing.assert_allclose(u.grad.numpy(), [0.0, expected], rtol=1e-6)


def augmented_assignment_of_a_row_and_a_column(lib):
    """``a[0] *= w`` is ``v = a[0]; v.mul_(w); a[0] = v``: the setitem's node reads ``v`` as it was, not ``v``
    remade from the ``a`` that setitem makes (glassgrad's graph had a loop there: x's gradient was 0)."""
    x = lib.tensor([[1.0, 2.0], [3.0, 4.0]], dtype=lib.float64, requires_grad=True)
    w = lib.tensor([2.0, 3.0], dtype=lib.float64, requires_grad=True)
    a = x.clone()
    a[:, 0] += w
    a[0] *= w
    row = a[1]
    row[1:] -= w[:1]
    (a * lib.tensor([[1.0, 2.0], [3.0, 4.0]], dtype=lib.float64)).sum().backward()
    return _values(a, x.grad, w.grad)


SCENARIOS.update({f.__name__: f for f in (augmented_assignment_of_a_row_and_a_column,)})


def operand_is_the_edited_tensor(lib):
    """``a.add_(a)`` and ``v.add_(v)``: the operand is the value before the edit (glassgrad's node read the
    edited tensor itself, a loop that lost x's gradient through it)."""
    x = lib.tensor([[1.0, 2.0], [3.0, 4.0]], dtype=lib.float64, requires_grad=True)
    a = x * 1
    a.add_(a)
    row = a[1]
    row.add_(row)
    (a * lib.tensor([[1.0, 2.0], [3.0, 4.0]], dtype=lib.float64)).sum().backward()
    return _values(a, x.grad)


def _clone_in_torch(lib, t):
    """torch refuses an operand over the memory an edit writes; glassgrad answers as if it were cloned."""
    return t if lib is gg else t.clone()


def operand_over_the_written_memory(lib):
    x = lib.tensor(np.linspace(-1.0, 2.0, 9).reshape(3, 3), dtype=lib.float64, requires_grad=True)
    a = x * 1
    a[0:2].mul_(_clone_in_torch(lib, a[1:3]))
    a.mul_(_clone_in_torch(lib, a.t()))
    row = a[1]
    row.mul_(_clone_in_torch(lib, row))
    a[2].pow_(_clone_in_torch(lib, a[2]))
    (a * lib.tensor([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0], [7.0, 8.0, 9.0]], dtype=lib.float64)).sum().backward()
    return _values(a, x.grad)


SCENARIOS.update({f.__name__: f for f in (operand_is_the_edited_tensor, operand_over_the_written_memory)})


def recorded_copy_then_more_edits(lib):
    """A recorded ``copy_`` of a broadcast source left the tensor holding NumPy's read-only broadcast view:
    the next in-place edit (of it, or of a view of it, with or without a graph) was refused."""
    x = lib.tensor([1.0, 2.0], dtype=lib.float64, requires_grad=True)
    w = lib.tensor(3.0, dtype=lib.float64, requires_grad=True)
    y = x * 1
    y.copy_(w)
    y[0].mul_(x[0])
    z = lib.zeros(2, dtype=lib.float64)
    z.copy_(y)
    with lib.no_grad():
        z.add_(1)
    (y * lib.tensor([1.0, 5.0], dtype=lib.float64)).sum().backward()
    return _values(y, z, x.grad, w.grad)


SCENARIOS.update({f.__name__: f for f in (recorded_copy_then_more_edits,)})
