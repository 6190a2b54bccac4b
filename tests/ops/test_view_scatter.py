"""The *_scatter ops and as_strided beyond the op table: as_strided_scatter (its values against
torch; its gradient by finite differences, since torch's own backward misplaces it), casting src
to the input's dtype, storage offsets of a sliced tensor, and the errors."""

from __future__ import annotations

import numpy as np
import pytest

import glassgrad as gg

X = np.arange(12.0).reshape(3, 4) / 7


@pytest.mark.parametrize("size, stride, offset", [((2, 2), (1, 2), 1), ((3,), (4,), None), ((2, 3), (4, 1), 5),
                                                  ((), (), 11), ((0, 3), (1, 1), 0)])
def test_as_strided_scatter_values_match_torch_and_its_gradient_is_exact(torch, size, stride, offset) -> None:
    src = np.arange(float(np.prod(size))).reshape(size) + 100
    ours = gg.as_strided_scatter(gg.tensor(X), gg.tensor(src), size, stride, offset)
    theirs = torch.as_strided_scatter(torch.tensor(X), torch.tensor(src), size, stride, offset)
    np.testing.assert_array_equal(ours.numpy(), theirs.numpy())
    inputs = [gg.tensor(X, requires_grad=True), gg.tensor(src, requires_grad=True)]
    assert gg.gradcheck(lambda a, s: gg.as_strided_scatter(a, s, size, stride, offset), inputs)


def test_as_strided_follows_the_storage_offset_of_a_sliced_tensor(torch) -> None:
    ours, theirs = gg.tensor(X)[1:], torch.tensor(X)[1:]  # storage offset 4 in both
    np.testing.assert_array_equal(ours.as_strided((2, 2), (1, 4)).numpy(), theirs.as_strided((2, 2), (1, 4)).numpy())
    np.testing.assert_array_equal(ours.as_strided((3,), (1,), 5).numpy(), theirs.as_strided((3,), (1,), 5).numpy())
    with pytest.raises(RuntimeError, match="outside this tensor"):
        ours.as_strided((2,), (1,), 0)  # storage elements before the slice: glassgrad refuses to read them


def test_as_strided_refuses_what_it_cannot_follow() -> None:
    with pytest.raises(NotImplementedError, match="contiguous"):
        gg.tensor(X).t().as_strided((2,), (1,))
    with pytest.raises(RuntimeError, match="outside"):
        gg.as_strided(gg.tensor(X), (4, 4), (4, 1))
    with pytest.raises(RuntimeError, match="single memory location"):
        gg.as_strided_scatter(gg.tensor(X), gg.zeros(2, 2), (2, 2), (0, 1))
    with pytest.raises(RuntimeError, match="mismatch in length"):
        gg.as_strided(gg.tensor(X), (2, 2), (1,))


def test_scatters_cast_src_to_the_input_dtype_and_check_its_shape(torch) -> None:
    ints = np.arange(12).reshape(3, 4)
    src = np.full((3, 2), 1.7)
    ours = gg.slice_scatter(gg.tensor(ints), gg.tensor(src), 1, 1, 3)
    theirs = torch.slice_scatter(torch.tensor(ints), torch.tensor(src), 1, 1, 3)
    assert ours.dtype == gg.int64 and ours.tolist() == theirs.tolist()
    x = gg.tensor(X, dtype=gg.float32)
    assert gg.select_scatter(x, gg.ones(4, dtype=gg.float64), 0, 1).dtype == gg.float32
    with pytest.raises(RuntimeError, match="slice size = \\[3, 2\\]"):
        gg.slice_scatter(x, gg.ones(3, 1), 1, 1, 3)
    with pytest.raises(IndexError, match="out of range"):
        gg.select_scatter(x, gg.ones(3), 1, 4)
    with pytest.raises(RuntimeError, match="slice size = \\[0\\]"):
        x.diagonal_scatter(gg.ones(2), 5)
    with pytest.raises(RuntimeError, match="cannot be identical"):
        gg.diagonal_scatter(x, gg.ones(3), 0, 1, -1)


def test_scatter_keeps_the_input_unchanged_and_gradients_split(torch) -> None:
    x = gg.tensor(X, requires_grad=True)
    src = gg.ones(3, dtype=gg.float64, requires_grad=True)
    out = gg.diagonal_scatter(x, src)
    (out * gg.tensor(X)).sum().backward()
    assert np.array_equal(x.detach().numpy(), X)  # a new tensor: x is not edited
    expected = X.copy()
    expected[[0, 1, 2], [0, 1, 2]] = 0
    np.testing.assert_array_equal(x.grad.numpy(), expected)
    np.testing.assert_array_equal(src.grad.numpy(), np.diagonal(X))
