"""The per-op shortcuts for small tensors give exactly what the general code gives.

Element loops (``counts[i, j] += 1``, ``dC[ix] += demb[k, j]``) spend their time in the per-op
bookkeeping, so a few common cases take a shortcut (docs/kernels.md): ``plain_index`` for an
index of ints and slices, a Python number meeting a tensor, two operands of one dtype, the memo
behind ``backend.is_float``. Each is checked here against the general code it stands in for.
"""

from __future__ import annotations

import itertools

import numpy as np
import pytest

import glassgrad as gg
from glassgrad import backend
from glassgrad.ops.indexing import memo_key, parse_any_index, parse_index, plain_index

SHAPE = (4, 5, 3)
ENTRIES = [0, 3, -1, -4, 4, 7, slice(None), slice(1, 3), slice(None, None, 2), slice(-3, None), slice(2, 100),
           slice(1, 1), gg.tensor([0, 2, 2]), np.array([[1, -1], [0, 2]]), gg.tensor([5, 0]),
           np.array([], dtype=np.int64)]


def same_index(a, b) -> bool:
    """Two TorchIndex results are the same: equal parts, index arrays equal element by element."""
    if a.basic != b.basic or (a.keeps_all, a.repeats) != (b.keeps_all, b.repeats):
        return False
    if a.advanced is None or b.advanced is None:
        return a.advanced is b.advanced
    return len(a.advanced) == len(b.advanced) and all(
        x == y if isinstance(x, slice) or isinstance(y, slice) else np.array_equal(x, y) and x.dtype == y.dtype
        for x, y in zip(a.advanced, b.advanced))


def general_or_error(index, shape):
    """parse_any_index's answer, or the type of the error it raises."""
    try:
        return parse_any_index(index, shape)
    except Exception as err:  # noqa: BLE001  (the error type is the answer)
        return type(err)


@pytest.mark.parametrize("length", [1, 2, 3])
def test_plain_index_matches_the_general_parser(length: int) -> None:
    for items in itertools.product(ENTRIES, repeat=length):
        index = items if length > 1 else items[0]
        plain, general = plain_index(index, SHAPE), general_or_error(index, SHAPE)
        arrays = sum(np.ndim(getattr(i, "array", i)) > 0 for i in items if not isinstance(i, int | slice))
        if plain is None:  # only where the general parser has something to say: an error, or arrays to broadcast
            assert arrays > 1 or isinstance(general, type) and issubclass(general, IndexError), index
        elif isinstance(general, type):  # an index array out of bounds: plain_index leaves it to NumPy's check
            assert issubclass(general, IndexError) and arrays == 1, index
            refused_before_writing(plain, index)
            refused_before_writing(parse_index(index, SHAPE), index)
        else:
            assert same_index(plain, general) and same_index(parse_index(index, SHAPE), general), index
            data = np.arange(60.0).reshape(SHAPE)  # (plain reads one index array with take: the same values)
            for parsed in (plain, parse_index(index, SHAPE)):
                assert np.array_equal(parsed.read(data), general.read(data)), index
                assert parsed.read(data).shape == general.read(data).shape, index


def refused_before_writing(parsed, index) -> None:
    """Reading and writing with ``parsed`` raise IndexError, and no write changes anything first."""
    with pytest.raises(IndexError):
        parsed.read(np.zeros(SHAPE))
    for accumulate in (False, True):
        target = np.zeros(SHAPE)
        with pytest.raises(IndexError):
            parsed.write(target, 1.0, accumulate)
        assert not target.any(), index


@pytest.mark.parametrize("index", [gg.tensor([0, 4]), (slice(None), gg.tensor([[1, -6]])),
                                   (1, slice(0, 2), np.array([3]))])
@pytest.mark.parametrize("kernels", ["fast", "reference"])
def test_an_index_array_out_of_bounds_raises_torchs_error_and_writes_nothing(index, kernels) -> None:
    """plain_index leaves the bounds of an index array to NumPy; getitem, setitem and index_put (with and
    without accumulate, with and without a graph) still raise the general parser's IndexError, torch's
    message, and leave the tensor as it was."""
    with gg.kernels.use(kernels):
        x = gg.zeros(SHAPE)
        with pytest.raises(IndexError, match="out of bounds for dimension"):
            x[index]
        with pytest.raises(IndexError, match="out of bounds for dimension"):
            x[index] = 1.0
        with pytest.raises(IndexError, match="out of bounds for dimension"):
            x.index_put_(index if isinstance(index, tuple) else (index,), gg.tensor(1.0), accumulate=True)
        with pytest.raises(IndexError, match="out of bounds for dimension"):
            gg.ops.index_put(x, index, 1.0)
        w = gg.ones(SHAPE, requires_grad=True)
        with pytest.raises(IndexError, match="out of bounds for dimension"):
            w[index]
        y = w * 1
        with pytest.raises(IndexError, match="out of bounds for dimension"):
            y[index] = 2.0
        assert not x.array.any() and (y.array == 1).all() and x._version == 0


@pytest.mark.parametrize("index", [
    gg.tensor(2), gg.tensor(-1), (gg.tensor(1), 2), (slice(None), gg.tensor(4, dtype=gg.int32)),
    (1, gg.tensor(0, dtype=gg.int16), slice(0, 2)),
])
def test_plain_index_reads_a_0d_integer_tensor_as_its_int(index) -> None:
    assert same_index(plain_index(index, SHAPE), parse_any_index(index, SHAPE))


@pytest.mark.parametrize("index", [
    None, Ellipsis, True, False, (0, None), (Ellipsis, 1), [0, 1], (gg.tensor([1, 2]), gg.tensor([0, 1])),
    gg.tensor([True, False, True, False]), gg.tensor([1, 2], dtype=gg.uint8), gg.tensor([1.0]), gg.tensor(True),
    gg.tensor(3, dtype=gg.uint8),  # a 0-d mask, as torch's
    gg.tensor(1.0), np.int64(2), (0, 1, 2, 0), slice(None, None, -1), slice(0, 2, 0),
    slice(gg.tensor(1), None), slice(1.0, 2), (5, 0),
])
def test_plain_index_leaves_everything_else_to_the_general_parser(index) -> None:
    assert plain_index(index, SHAPE) is None


def test_a_slice_step_refused_by_the_general_parser_is_refused_through_parse_index() -> None:
    with pytest.raises(ValueError, match="step"):
        parse_index(slice(None, None, -1), SHAPE)
    with pytest.raises(IndexError, match="out of bounds"):
        parse_index((0, 9), SHAPE)


def test_an_index_of_slices_and_0d_tensors_parsed_again_comes_from_the_memo_and_is_still_right() -> None:
    """memo_key: a 0-d integer tensor stands for its value (another tensor of another value is another index),
    a slice for its Python-int bounds; a look-alike (a bool or float bound, a uint8 0-d mask, a tensor of
    more dims) has no key and is parsed afresh."""
    for index in [slice(1, 3), (gg.tensor(2), slice(None, None, 2)), gg.tensor(-1), (0, slice(-3, None), 1),
                  (slice(None), gg.tensor(4, dtype=gg.int32))]:
        first, again = parse_index(index, SHAPE), parse_index(index, SHAPE)
        assert again is first and same_index(first, parse_any_index(index, SHAPE)), index
    assert same_index(parse_index(gg.tensor(3), SHAPE), parse_any_index(3, SHAPE))
    assert same_index(parse_index(gg.tensor(1), SHAPE), parse_any_index(1, SHAPE))
    x = gg.arange(60.0).reshape(SHAPE)
    ix = gg.tensor(1)
    assert x[ix].tolist() == x[1].tolist()
    ix.fill_(2)  # the same tensor holding another value: another index
    assert x[ix].tolist() == x[2].tolist()
    for lookalike in [slice(True, 3), slice(1, 3.0), gg.tensor(1, dtype=gg.uint8), (gg.tensor([1]), 0),
                      slice(np.int64(1), 3), (gg.tensor(True), 0)]:
        assert memo_key(lookalike) is None, lookalike
    with pytest.raises(IndexError, match="out of bounds"):
        parse_index(gg.tensor(4), SHAPE)  # never remembered: it raises each time
    with pytest.raises(IndexError, match="out of bounds"):
        parse_index((slice(None), gg.tensor(5)), SHAPE)
    with pytest.raises(ValueError, match="step"):
        parse_index(slice(None, None, -1), SHAPE)


def test_an_index_of_ints_parsed_again_comes_from_the_memo_and_is_still_right() -> None:
    """parse_index remembers an index of Python ints with the shape; a bool, a NumPy int or a float that
    compares equal to a remembered int is a different index (or an error) and must not be answered from it."""
    for index in [(1, 2), 3, (0, -1, 2), -4]:
        first, again = parse_index(index, SHAPE), parse_index(index, SHAPE)
        assert again is first and same_index(first, parse_any_index(index, SHAPE))
        assert same_index(parse_index(index, (9, 9, 9)), parse_any_index(index, (9, 9, 9)))
    parse_index((1, 0), SHAPE)
    for lookalike in [(True, 0), (1, False), (np.int64(1), 0), True]:
        assert same_index(parse_index(lookalike, SHAPE), parse_any_index(lookalike, SHAPE)), lookalike
    parse_index(1, SHAPE)
    with pytest.raises(IndexError):
        parse_index(1.0, SHAPE)
    with pytest.raises(IndexError):
        parse_index((1.0, 0), SHAPE)
    with pytest.raises(IndexError, match="out of bounds"):
        parse_index((4, 0), SHAPE)  # never remembered: it raises each time
    with pytest.raises(IndexError, match="out of bounds"):
        parse_index((4, 0), SHAPE)


@pytest.mark.parametrize("dtype", ["float16", "float32", "float64", "bfloat16", "int8", "int32", "int64", "uint8",
                                   "bool", "complex64"])
@pytest.mark.parametrize("number", [2, 2.5, True])
def test_a_number_meeting_a_tensor_takes_torchs_dtype(dtype: str, number) -> None:
    """torch's rule: a number takes the tensor's dtype within its category; a float meeting an integer or
    bool tensor gives the default float dtype; an int meeting a bool tensor int64; bool keeps the tensor's."""
    x = gg.ones(3, dtype=getattr(gg, dtype))
    kind = np.dtype(x.dtype).kind if dtype != "bfloat16" else "f"
    if isinstance(number, float) and kind in "iub":
        expected = gg.float32
    elif type(number) is int and kind == "b":
        expected = gg.int64
    else:
        expected = x.dtype
    assert (x * number).dtype == expected and (number * x).dtype == expected
    assert (x + number).dtype == expected and (number + x).dtype == expected


def test_operands_of_one_dtype_are_used_as_they_are() -> None:
    a, b = gg.ones(2, dtype=gg.int32), gg.ones((), dtype=gg.int32)
    from glassgrad.tensor import as_tensor_pair

    pa, pb = as_tensor_pair(a, b)
    assert pa is a and pb is b


@pytest.mark.parametrize("spelling", [np.float32, np.float64, np.float16, np.int64, np.bool_, "float32", "int8",
                                      np.dtype("complex64"), gg.bfloat16, gg.float64, gg.int32])
def test_is_float_memo_answers_as_the_rule(spelling) -> None:
    first, again = backend.is_float(spelling), backend.is_float(spelling)
    assert first == again == backend._is_float_dtype(spelling)


def test_element_loop_updates_count_as_torch_counts() -> None:
    """The loop the shortcuts are for, end to end: bigram counts and the manual embedding scatter."""
    rng = np.random.default_rng(0)
    pairs = rng.integers(0, 5, (200, 2))
    counts = gg.zeros((5, 5), dtype=gg.int32)
    for i, j in pairs.tolist():
        counts[i, j] += 1
    np.testing.assert_array_equal(counts.numpy(), np.histogram2d(pairs[:, 0], pairs[:, 1], bins=5,
                                                                range=[[0, 5], [0, 5]])[0])
    xb, demb = gg.tensor(rng.integers(0, 5, (4, 3))), gg.tensor(rng.standard_normal((4, 3, 2)))
    d_table = gg.zeros((5, 2), dtype=gg.float64)
    for k in range(4):
        for j in range(3):
            d_table[xb[k, j]] += demb[k, j]
    expected = np.zeros((5, 2))
    np.add.at(expected, xb.numpy().reshape(-1), demb.numpy().reshape(-1, 2))
    np.testing.assert_allclose(d_table.numpy(), expected)
