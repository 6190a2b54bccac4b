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


def test_as_strided_is_a_view_an_edit_of_it_reaches_its_base_and_back(torch) -> None:
    ours, theirs = gg.zeros(6), torch.zeros(6)
    ours.as_strided((2,), (2,)).add_(1)
    theirs.as_strided((2,), (2,)).add_(1)
    np.testing.assert_array_equal(ours.numpy(), theirs.numpy())  # [1, 0, 1, 0, 0, 0]
    ours_view, theirs_view = ours[1:].as_strided((2, 2), (1, 2), 2), theirs[1:].as_strided((2, 2), (1, 2), 2)
    ours.mul_(3)
    theirs.mul_(3)
    np.testing.assert_array_equal(ours_view.numpy(), theirs_view.numpy())  # the base's edit is seen by the view
    with pytest.raises(RuntimeError, match="read-only"):  # two elements name one position: torch refuses too
        gg.zeros(6).as_strided((2, 2), (0, 1)).add_(1)
    with pytest.raises(RuntimeError):
        torch.zeros(6).as_strided((2, 2), (0, 1)).add_(1)


def test_an_edit_of_an_as_strided_view_while_recording_gives_torchs_gradients(torch) -> None:
    def run(lib):
        leaf = lib.tensor(X[:2, :3].copy(), requires_grad=True)
        w = lib.tensor([2.0, -3.0, 0.5], requires_grad=True)
        x = leaf * 1
        x.as_strided((3,), (2,), 1).mul_(w)  # elements 1, 3, 5 of x's memory
        (x * lib.tensor(np.arange(6.0).reshape(2, 3))).sum().backward()
        return x.detach().numpy(), leaf.grad.numpy(), w.grad.numpy()

    for ours, theirs in zip(run(gg), run(torch)):
        np.testing.assert_allclose(ours, np.asarray(theirs), rtol=1e-12)


def test_an_edited_as_strided_view_takes_a_transposed_gradient() -> None:
    def edited(leaf, w):
        x = leaf * 1
        x.as_strided((3,), (2,), 1).mul_(w)
        return (x.t() * gg.tensor(np.arange(6.0).reshape(3, 2))).sum()  # the gradient reaching x is transposed

    leaf = gg.tensor(X[:2, :3].copy(), requires_grad=True)
    assert gg.gradcheck(edited, [leaf, gg.tensor([2.0, -3.0, 0.5], dtype=gg.float64, requires_grad=True)])


def test_as_strided_and_an_edit_of_it_are_twice_differentiable() -> None:
    def edited(leaf, w):
        x = leaf * 1
        x.as_strided((3,), (2,), 1).mul_(w)  # CopySlices applies AsStrided to the gradient
        return (x * x).sum()

    leaf = gg.tensor(X[:2, :3].copy(), requires_grad=True)
    w = gg.tensor([2.0, -3.0, 0.5], dtype=gg.float64, requires_grad=True)
    assert gg.gradcheck(edited, [leaf, w]) and gg.autograd.gradgradcheck(edited, [leaf, w])
    for stride in [(1, 2), (0, 2)]:  # apart and overlapping positions (the gradient adds up there)
        assert gg.autograd.gradgradcheck(lambda a, s=stride: a.as_strided((2, 2), s, 1).exp().sum(), [leaf])
