"""Indexing follows torch: getitem's shape rule for advanced indices (an int and an index tensor
apart put the tensor's dim in place, unlike NumPy), setitem / index_put (broadcast values, masks,
accumulate), gather/scatter, index and mask selection, nonzero/where, new_* constructors, and
the in-place forms. Gradients of every op are checked in the op table (table_indexing.py)."""

from __future__ import annotations

import numpy as np
import pytest

import glassgrad as gg
from glassgrad import Tensor
from glassgrad.op import Context
from glassgrad.ops.indexing import GetItem, parse_index
from tests.helpers.oracle import compare_with_torch

SHAPE = (2, 3, 4, 5)
IDX = np.array([0, 2, 1])
IDX2 = np.array([1, 0])  # fits every dim
MASK = np.array([True, False, True])

# (index, what torch does that NumPy does not) -- each row's shape and values are compared with torch
INDEXES = [
    ((slice(None), 0, slice(None), IDX), "int and tensor apart: (2, 4, 3) in torch, (3, 2, 4) in NumPy"),
    ((None, 0, slice(None), IDX), "None first, int and tensor apart"),
    ((0, None, IDX), "int, None, tensor"),
    ((np.array(1), slice(None), slice(None), IDX), "a 0-d index tensor selects like an int"),
    ((IDX2, slice(None), 0), "tensor, slice, int"),
    ((IDX2, 0, IDX2), "int between tensors: they stay adjacent"),
    ((slice(None), MASK, slice(None), IDX[:2]), "mask and tensor apart: their dim goes first"),
    ((1, np.ones((3, 4), dtype=bool)), "int, then a 2-d mask"),
    ((Ellipsis, 0, IDX[:2]), "Ellipsis first"),
    ((IDX2, Ellipsis, IDX2), "tensors at both ends"),
    ((True,), "a bool adds a dim of size 1"),
    ((False, 0), "False adds a dim of size 0"),
    ((slice(1, None, 2), [0, 2]), "a list is an index tensor"),
    ((Ellipsis, None, slice(1, 3), None), "basic only"),
    ((np.array([[0, 1], [1, 0]]), slice(None), 0, np.array([[2], [3]])), "broadcast index tensors apart"),
]


def torch_key(torch, key):
    return tuple(torch.from_numpy(k) if isinstance(k, np.ndarray) else k for k in key)


@pytest.mark.parametrize("key, why", INDEXES, ids=[why for _, why in INDEXES])
def test_getitem_shape_values_and_gradient_match_torch(torch, rng, key, why) -> None:
    x = rng.normal(size=SHAPE)
    compare_with_torch(lambda a: a[key], lambda a: a[torch_key(torch, key)], [x], torch)


def test_the_torch_rule_differs_from_numpy_where_it_should() -> None:
    x = np.zeros(SHAPE)
    key = (slice(None), 0, slice(None), IDX)
    assert x[key].shape == (3, 2, 4)
    assert gg.tensor(x)[key].shape == (2, 4, 3)


@pytest.mark.parametrize(
    "key, error, pattern",
    [
        (slice(None, None, -1), ValueError, "step must be greater than zero"),
        ((0, 0, 0, 0, 0), IndexError, "too many indices.*dimension 4"),
        ((Ellipsis, 0, Ellipsis), IndexError, "single ellipsis"),
        (np.array([0.5]), IndexError, "integer or boolean"),
        (np.array([True, False, True]), IndexError, r"shape of the mask \(3,\).*\(2, 3, 4, 5\)"),
        ((0, 3), IndexError, r"index 3 is out of bounds for dimension 1 with size 3.*\(2, 3, 4, 5\)"),
        ((slice(None), np.array([0, 7])), IndexError, "index 7 is out of bounds for dimension 1"),
        ((np.array([0, 1]), np.array([0, 1, 2])), IndexError, "could not be broadcast"),
        ("a", IndexError, "valid indices"),
    ],
)
def test_bad_indexes_name_getitem(key, error, pattern) -> None:
    with pytest.raises(error, match=pattern):
        gg.zeros(*SHAPE)[key]


def test_backward_of_a_view_that_keeps_every_element_is_a_reshape() -> None:
    """x[None], x[:, None], x[...] select every element once: no zero gradient is allocated."""
    for key in [(None,), (slice(None), None), (Ellipsis,), (slice(None), slice(0, 3))]:
        ctx = Context()
        GetItem.forward(ctx, np.zeros((2, 3)), index=parse_index(key, (2, 3)))
        grad = np.ones(np.zeros((2, 3))[key].shape)
        assert np.shares_memory(GetItem.backward(ctx, grad), grad), key


def test_repeated_positions_add_up_in_the_gradient(torch) -> None:
    x = np.arange(5.0)
    compare_with_torch(lambda a: a[[0, 0, 3, 0]], lambda a: a[torch.tensor([0, 0, 3, 0])], [x], torch)


# ----- setitem and index_put ----------------------------------------------------------------------
SETS = [
    ((slice(None), 0, slice(None), IDX), (2, 4, 3)),  # the torch-only shape rule
    ((slice(None), 0, slice(None), IDX), (3,)),  # values broadcast
    ((0,), (1, 4, 5)),  # a leading size-1 dim of the values is dropped
    ((np.ones((2, 3), dtype=bool),), (4, 5)),  # a mask, values broadcast over the masked elements
    ((Ellipsis, 1), ()),
    ((IDX2, slice(1, 3)), (2, 2, 4, 5)),
]


@pytest.mark.parametrize("key, value_shape", SETS)
def test_setitem_matches_torch(torch, rng, key, value_shape) -> None:
    x, v = rng.normal(size=SHAPE), rng.normal(size=value_shape)
    ours, theirs = gg.tensor(x.copy()), torch.tensor(x.copy())
    ours[key] = gg.tensor(v)
    theirs[torch_key(torch, key)] = torch.tensor(v)
    np.testing.assert_array_equal(ours.numpy(), theirs.numpy())


@pytest.mark.parametrize("key, value_shape", SETS)
def test_setitem_gradients_match_torch(torch, rng, key, value_shape) -> None:
    def set_on_copy(index):
        def run(a, v):
            out = a * 1.0
            out[index] = v
            return out
        return run

    compare_with_torch(set_on_copy(key), set_on_copy(torch_key(torch, key)),
                       [rng.normal(size=SHAPE), rng.normal(size=value_shape)], torch)


def test_index_put_accumulate_adds_repeated_positions(torch, rng) -> None:
    x, v = rng.normal(size=(4, 3)), rng.normal(size=(4, 3))
    rows = np.array([0, 2, 0, 0])
    compare_with_torch(lambda a, b: gg.ops.index_put(a, (rows,), b, accumulate=True),
                       lambda a, b: a.index_put((torch.from_numpy(rows),), b, accumulate=True), [x, v], torch)
    distinct, w = rows[1:3], v[1:3]  # without accumulate, a repeated position's winner is unspecified
    ours = gg.tensor(x).index_put((gg.tensor(distinct),), gg.tensor(w))
    theirs = torch.from_numpy(x).index_put((torch.from_numpy(distinct),), torch.from_numpy(w))
    np.testing.assert_allclose(ours.numpy(), theirs.numpy())
    ours = gg.tensor(x.copy()).index_put_((gg.tensor(rows),), gg.tensor(v), accumulate=True)
    theirs = torch.tensor(x.copy()).index_put_((torch.from_numpy(rows),), torch.tensor(v), accumulate=True)
    np.testing.assert_allclose(ours.numpy(), theirs.numpy())


def test_setitem_with_a_bad_value_shape_names_setitem() -> None:
    with pytest.raises(ValueError, match=r"setitem.*\(3,\).*\(2, 4, 2\)"):
        gg.ops.index_put(gg.zeros(*SHAPE), (slice(None), 0, slice(None), IDX[:2]), gg.zeros(3))


# ----- gather, scatter, index and mask selection --------------------------------------------------
@pytest.mark.filterwarnings("ignore:The reduce argument of torch.scatter")
def test_scatter_family_matches_torch(torch) -> None:
    x = np.arange(12.0).reshape(3, 4)
    index = np.array([[0, 1, 2, 0], [1, 2, 0, 0]])
    src = np.arange(100.0, 112.0).reshape(3, 4)  # larger than index: only its leading part is used
    ours, t_index = gg.tensor(x), torch.from_numpy(index)
    theirs = torch.from_numpy(x)
    for got, want in [
        (ours.scatter(0, index, gg.tensor(src)), theirs.scatter(0, t_index, torch.from_numpy(src))),
        (ours.scatter(1, index, 7.0), theirs.scatter(1, t_index, 7.0)),
        (ours.scatter(0, index, gg.tensor(src), reduce="add"),
         theirs.scatter(0, t_index, torch.from_numpy(src), reduce="add")),
        (ours.scatter(0, index, gg.tensor(src), reduce="multiply"),
         theirs.scatter(0, t_index, torch.from_numpy(src), reduce="multiply")),
        (ours.scatter_add(0, index, gg.tensor(src)), theirs.scatter_add(0, t_index, torch.from_numpy(src))),
        (gg.gather(ours, 1, index), torch.gather(theirs, 1, t_index)),
    ]:
        np.testing.assert_allclose(got.numpy(), want.numpy())


def test_scatter_with_a_larger_src_has_a_gradient_of_src_shape() -> None:
    x = gg.tensor(np.zeros((3, 4)), requires_grad=True)
    src = gg.tensor(np.ones((3, 4)), requires_grad=True)
    assert gg.gradcheck(lambda a, s: a.scatter(0, np.array([[0, 1], [2, 0]]), s), [x, src])


@pytest.mark.parametrize("reduce", ["amax", "amin", "prod", "mean"])
@pytest.mark.parametrize("include_self", [True, False])
def test_scatter_reduce_ties_and_zeros_match_torch(torch, reduce, include_self) -> None:
    x = np.array([1.0, 0.0, 2.0, 2.0])
    src = np.array([2.0, 2.0, 0.0, 1.0, 3.0])  # ties with x and among themselves; zeros for prod
    if not include_self:  # torch counts an excluded x that ties with the result as sharing the gradient
        x = x + 0.25  # (halving the others' share), which finite differences refute: keep x off the results
    index = np.array([0, 0, 1, 1, 2])
    compare_with_torch(lambda a, s: a.scatter_reduce(0, index, s, reduce, include_self=include_self),
                       lambda a, s: a.scatter_reduce(0, torch.from_numpy(index), s, reduce, include_self=include_self),
                       [x, src], torch)


def test_nonzero_argwhere_and_one_argument_where(torch) -> None:
    x = np.array([[0.0, 1.5, 0.0], [2.0, 0.0, -1.0]])
    np.testing.assert_array_equal(gg.nonzero(gg.tensor(x)).numpy(), torch.nonzero(torch.from_numpy(x)).numpy())
    np.testing.assert_array_equal(gg.argwhere(gg.tensor(x)).numpy(), torch.argwhere(torch.from_numpy(x)).numpy())
    for ours, theirs in zip(gg.tensor(x).nonzero(as_tuple=True), torch.from_numpy(x).nonzero(as_tuple=True)):
        np.testing.assert_array_equal(ours.numpy(), theirs.numpy())
    np.testing.assert_array_equal(gg.tensor(x).where(gg.tensor(x) > 0, -1.0).numpy(),
                                  torch.from_numpy(x).where(torch.from_numpy(x) > 0, -1.0).numpy())
    for ours, theirs in zip(gg.where(gg.tensor(x) > 0), torch.where(torch.from_numpy(x) > 0)):
        np.testing.assert_array_equal(ours.numpy(), theirs.numpy())
    assert gg.nonzero(gg.tensor(3.0)).shape == tuple(torch.nonzero(torch.tensor(3.0)).shape)
    assert gg.nonzero(gg.tensor(x)).dtype == gg.int64


@pytest.mark.parametrize("a, b", [(1, 0), (1.5, 0), (np.array([1, 2], dtype=np.int32), 2.5),
                                  (np.array([1, 2], dtype=np.int32), 2), (np.array([1.0, 2.0]), 1)])
def test_where_accepts_numbers_with_torch_dtypes(torch, a, b) -> None:
    cond = np.array([True, False])
    ours = gg.where(cond, gg.tensor(a) if isinstance(a, np.ndarray) else a, b)
    theirs = torch.where(torch.from_numpy(cond), torch.from_numpy(a) if isinstance(a, np.ndarray) else a, b)
    assert str(ours.dtype) == str(theirs.dtype).replace("torch.", "")
    np.testing.assert_array_equal(ours.numpy(), theirs.numpy())


def test_selection_helpers_match_torch(torch) -> None:
    x = np.arange(12.0).reshape(3, 4)
    ours, theirs = gg.tensor(x), torch.from_numpy(x)
    mask = np.array([True, False, True, True])
    pairs = [
        (ours.index_select(1, gg.tensor([3, 0, 3])), theirs.index_select(1, torch.tensor([3, 0, 3]))),
        (ours.masked_select(mask), theirs.masked_select(torch.from_numpy(mask))),
        (ours.masked_fill(mask, -1.0), theirs.masked_fill(torch.from_numpy(mask), -1.0)),
        (ours.index_fill(1, gg.tensor([-1, 0]), 5.0), theirs.index_fill(1, torch.tensor([-1, 0]), 5.0)),
        (ours.take(gg.tensor([[0, -1], [5, 5]])), theirs.take(torch.tensor([[0, -1], [5, 5]]))),
        (ours.take_along_dim(gg.tensor([[1], [0], [3]]), 1), theirs.take_along_dim(torch.tensor([[1], [0], [3]]), 1)),
        (ours.take_along_dim(gg.tensor([11, 0])), theirs.take_along_dim(torch.tensor([11, 0]))),
        (gg.tensor(3.0).index_select(0, gg.tensor([0])), torch.tensor(3.0).index_select(0, torch.tensor([0]))),
    ]
    for got, want in pairs:
        assert got.shape == tuple(want.shape)
        np.testing.assert_array_equal(got.numpy(), want.numpy())


@pytest.mark.parametrize(
    "call, error, pattern",
    [
        (lambda x: x.gather(1, np.array([0, 1])), ValueError, "gather.*same number of dimensions"),
        (lambda x: x.gather(1, np.array([[0, 4]])), IndexError, "gather: index 4 is out of bounds for dimension 1"),
        (lambda x: x.gather(0, np.array([[0.0]])), TypeError, "gather.*int64"),
        (lambda x: x.gather(1, np.zeros((4, 1), dtype=np.int64)), ValueError, "gather: Size does not match"),
        (lambda x: x.scatter(0, np.array([[0]])), TypeError, "scatter: give exactly one"),
        (lambda x: x.scatter(0, np.array([[0]]), x, reduce="max"), ValueError, "scatter: reduce"),
        (lambda x: x.scatter_reduce(0, np.array([[0]]), x, "max"), ValueError, "scatter_reduce: reduce"),
        (lambda x: x.index_select(0, np.array([[0]])), IndexError, "index_select: index must"),
        (lambda x: x.index_select(0, np.array([-1])), IndexError, "index_select: index out of range"),
        (lambda x: x.index_add(0, np.array([0]), gg.zeros(2, 4)), ValueError, r"index_add.*\(2, 4\)"),
        (lambda x: x.masked_fill(np.ones(4), 0.0), TypeError, "masked_fill: expected a boolean mask"),
        (lambda x: x.masked_fill(np.ones(3, dtype=bool), 0.0), ValueError, r"masked_fill.*\(3,\).*\(3, 4\)"),
        (lambda x: x.masked_fill(np.ones(4, dtype=bool), gg.zeros(2)), ValueError, "0-dimensional value"),
        (lambda x: x.masked_scatter(np.ones(4, dtype=bool), gg.zeros(5)), ValueError, "masked_scatter.*12.*5"),
        (lambda x: x.take(np.array([12])), IndexError, "take: index out of range"),
    ],
)
def test_bad_input_names_the_op(call, error, pattern) -> None:
    with pytest.raises(error, match=pattern):
        call(gg.zeros(3, 4))


# ----- in-place forms and new_* -------------------------------------------------------------------
def test_in_place_forms_match_torch(torch) -> None:
    x = np.arange(12.0).reshape(3, 4)
    index = np.array([[0, 1, 2, 0]])
    mask = np.array([True, False, True, False])
    steps = [
        (lambda t: t.masked_fill_(gg.tensor(mask), 2.0), lambda t: t.masked_fill_(torch.from_numpy(mask), 2.0)),
        (lambda t: t.scatter_(0, gg.tensor(index), -1.0), lambda t: t.scatter_(0, torch.from_numpy(index), -1.0)),
        (lambda t: t.scatter_add_(0, gg.tensor(index), gg.ones(1, 4, dtype=gg.float64)),
         lambda t: t.scatter_add_(0, torch.from_numpy(index), torch.ones(1, 4, dtype=torch.float64))),
        (lambda t: t.index_fill_(1, gg.tensor([1]), 9.0), lambda t: t.index_fill_(1, torch.tensor([1]), 9.0)),
        (lambda t: t.tril_(1), lambda t: t.tril_(1)),
        (lambda t: t.triu_(-1), lambda t: t.triu_(-1)),
    ]
    ours, theirs = gg.tensor(x.copy()), torch.tensor(x.copy())
    for step_ours, step_theirs in steps:
        assert step_ours(ours) is ours
        step_theirs(theirs)
        np.testing.assert_array_equal(ours.numpy(), theirs.numpy())
    assert ours._version == len(steps)


def test_in_place_forms_record_the_graph(torch, rng) -> None:
    def edit(a, mask, index_t, tri):
        y = a * 2
        y.masked_fill_(mask, 0.5)
        y.scatter_(1, index_t, a[:, :2])
        y.tril_(tri)
        return y

    mask = np.array([False, True, True])
    index = np.array([[2, 0], [1, 2]])
    compare_with_torch(lambda a: edit(a, gg.tensor(mask), gg.tensor(index), 0),
                       lambda a: edit(a, torch.from_numpy(mask), torch.from_numpy(index), 0),
                       [rng.normal(size=(2, 3))], torch)


def test_new_constructors_keep_dtype_and_device() -> None:
    x = gg.zeros(2, dtype=gg.float64)
    assert x.new_zeros(2, 3).shape == (2, 3) and x.new_zeros((2, 3)).dtype == gg.float64
    assert x.new_ones(4).numpy().tolist() == [1.0] * 4
    assert x.new_full((2,), 7).numpy().tolist() == [7.0, 7.0]
    assert x.new_empty(3, dtype=gg.int64).dtype == gg.int64
    made = x.new_tensor([1, 2], requires_grad=True)
    assert made.dtype == gg.float64 and made.requires_grad and made.is_leaf
    assert isinstance(made, Tensor) and made.device == x.device
