"""Shape and movement ops follow torch's signatures and semantics (split's int is a chunk SIZE,
repeat is NumPy's tile, F.pad lists the last dim first, ...), and bad input gets a clear error
naming the op. Gradients are checked in the op table (table_shape.py); these tests pin the API."""

from __future__ import annotations

import numpy as np
import pytest

import glassgrad as gg
from glassgrad import Tensor
from tests.helpers.oracle import compare_with_torch


def arange(*shape: int) -> Tensor:
    return gg.tensor(np.arange(int(np.prod(shape)), dtype=np.float64).reshape(shape))


def same(ours: Tensor, theirs) -> None:
    assert ours.shape == tuple(theirs.shape), (ours.shape, tuple(theirs.shape))
    np.testing.assert_array_equal(ours.numpy(), theirs.numpy())


# ----- cutting ------------------------------------------------------------------------------------
@pytest.mark.parametrize("n", [0, 1, 5, 6, 7])
@pytest.mark.parametrize("size", [1, 2, 3, 10, [2, 3, 0]])
def test_split_takes_a_chunk_size_or_sizes_as_torch(torch, n, size) -> None:
    if isinstance(size, list) and sum(size) != n:
        size = [n]
    ours = gg.split(arange(n, 2), size, 0)
    theirs = torch.split(torch.arange(n * 2.0, dtype=torch.float64).reshape(n, 2), size, 0)
    assert len(ours) == len(theirs)
    for a, b in zip(ours, theirs):
        same(a, b)


@pytest.mark.parametrize("n", [1, 5, 6, 7, 10])
@pytest.mark.parametrize("chunks", [1, 2, 3, 4, 6, 11])
def test_chunk_sizes_follow_torch(torch, n, chunks) -> None:
    ours = arange(2, n).chunk(chunks, dim=-1)
    theirs = torch.arange(2 * n, dtype=torch.float64).reshape(2, n).chunk(chunks, dim=-1)
    assert [t.shape for t in ours] == [tuple(t.shape) for t in theirs]


def test_unbind_tensor_split_and_narrow(torch) -> None:
    x, t = arange(3, 4), torch.arange(12.0, dtype=torch.float64).reshape(3, 4)
    for a, b in zip(x.unbind(1), t.unbind(1)):
        same(a, b)
    for a, b in zip(gg.tensor_split(x, 3, 1), torch.tensor_split(t, 3, 1)):
        same(a, b)
    same(x.narrow(1, -3, 2), t.narrow(1, -3, 2))
    same(x.narrow(0, gg.tensor(1), 2), t.narrow(0, torch.tensor(1), 2))


# ----- joining ------------------------------------------------------------------------------------
def test_cat_names_and_aliases(torch) -> None:
    a, b = arange(2, 3), arange(2, 1)
    expected = torch.cat([torch.from_numpy(a.numpy()), torch.from_numpy(b.numpy())], dim=1)
    for joined in (gg.cat([a, b], 1), gg.cat((a, b), dim=-1), gg.concatenate([a, b], axis=1), gg.concat([a, b], 1)):
        same(joined, expected)


def test_cat_promotes_dtypes_and_skips_empty_1d_tensors(torch) -> None:
    ints, floats = gg.tensor([[1, 2]]), gg.tensor([[0.5, 1.5]])
    assert gg.cat([ints, floats]).dtype == gg.float32
    assert gg.cat([gg.zeros(0), arange(2, 3)]).shape == tuple(torch.cat([torch.zeros(0), torch.zeros(2, 3)]).shape)


@pytest.mark.parametrize("fn", ["hstack", "vstack", "dstack", "column_stack", "atleast_3d"])
@pytest.mark.parametrize("shape", [(), (3,), (2, 3), (2, 3, 1)])
def test_stacking_helpers_match_torch_shapes(torch, fn, shape) -> None:
    x = np.arange(int(np.prod(shape)), dtype=np.float64).reshape(shape)
    if fn == "atleast_3d":
        same(gg.atleast_3d(gg.tensor(x)), torch.atleast_3d(torch.from_numpy(x)))
        return
    same(getattr(gg, fn)([gg.tensor(x), gg.tensor(x)]), getattr(torch, fn)([torch.from_numpy(x)] * 2))


def test_atleast_with_several_tensors_gives_a_tuple() -> None:
    one, two = gg.atleast_2d(gg.tensor(1.0), gg.tensor([1.0, 2.0]))
    assert one.shape == (1, 1) and two.shape == (1, 2)


@pytest.mark.parametrize("indexing", ["ij", "xy"])
def test_meshgrid_matches_torch(torch, indexing) -> None:
    xs = [np.arange(2.0), np.arange(3.0), np.arange(4.0)]
    ours = gg.meshgrid(*[gg.tensor(x) for x in xs], indexing=indexing)
    theirs = torch.meshgrid(*[torch.from_numpy(x) for x in xs], indexing=indexing)
    for a, b in zip(ours, theirs):
        same(a, b)


# ----- reordering and repeating -------------------------------------------------------------------
def test_repeat_is_numpy_tile_and_repeat_interleave_is_numpy_repeat(torch) -> None:
    x, t = arange(2, 3), torch.arange(6.0, dtype=torch.float64).reshape(2, 3)
    same(x.repeat(2, 1), t.repeat(2, 1))
    same(x.repeat((3, 1, 2)), t.repeat((3, 1, 2)))
    same(x.tile(2), t.tile(2))
    same(x.tile((2, 1, 1)), t.tile((2, 1, 1)))
    same(x.repeat_interleave(2), t.repeat_interleave(2))
    same(x.repeat_interleave(gg.tensor([1, 0, 2]), dim=1), t.repeat_interleave(torch.tensor([1, 0, 2]), dim=1))
    same(gg.repeat_interleave(gg.tensor([2, 0, 1])), torch.repeat_interleave(torch.tensor([2, 0, 1])))


def test_flip_and_roll_accept_torch_spellings(torch) -> None:
    x, t = arange(2, 3, 4), torch.arange(24.0, dtype=torch.float64).reshape(2, 3, 4)
    same(x.flip(0), t.flip(0))
    same(x.flip(0, -1), t.flip(0, -1))
    same(gg.flip(x, [1, 2]), torch.flip(t, [1, 2]))
    same(gg.fliplr(x), torch.fliplr(t))
    same(x.roll(5), t.roll(5))
    same(x.roll((1, -2), (0, 2)), t.roll((1, -2), (0, 2)))


def test_movedim_unflatten_swapaxes(torch) -> None:
    x, t = arange(2, 3, 4), torch.arange(24.0, dtype=torch.float64).reshape(2, 3, 4)
    same(x.movedim(0, -1), t.movedim(0, -1))
    same(gg.moveaxis(x, (0, 1), (2, 0)), torch.moveaxis(t, (0, 1), (2, 0)))
    same(x.unflatten(-1, (2, -1)), t.unflatten(-1, (2, -1)))
    same(x.swapaxes(0, 2), t.swapaxes(0, 2))
    same(gg.swapdims(x, 1, 2), torch.swapdims(t, 1, 2))


def test_view_squeeze_unsqueeze_expand_permute(torch) -> None:
    x, t = arange(2, 1, 3), torch.arange(6.0, dtype=torch.float64).reshape(2, 1, 3)
    same(x.view(-1, 3), t.view(-1, 3))
    same(x.squeeze(0), t.squeeze(0))  # a non-1 dim: nothing happens
    same(x.squeeze((0, 1)), t.squeeze((0, 1)))
    same(x.unsqueeze(-1), t.unsqueeze(-1))
    same(x.expand(4, -1, 5, -1), t.expand(4, -1, 5, -1))
    same(x.permute(2, 0, 1), t.permute(2, 0, 1))
    same(x.permute([2, 0, 1]), t.permute([2, 0, 1]))
    same(gg.broadcast_to(x, (2, 2, 3)), torch.broadcast_to(t, (2, 2, 3)))
    assert gg.broadcast_shapes((2, 1), (3,)) == tuple(torch.broadcast_shapes((2, 1), (3,)))


def test_transpose_method_needs_both_dims_as_torch() -> None:
    with pytest.raises(TypeError):
        arange(2, 3).transpose(0)
    with pytest.raises(TypeError):
        gg.transpose(arange(2, 3))
    assert gg.transpose(arange(2, 3, 4), -1, 0).shape == (4, 3, 2)


# ----- padding ------------------------------------------------------------------------------------
@pytest.mark.parametrize("mode", ["reflect", "replicate", "circular"])
@pytest.mark.parametrize("shape, pad", [((2, 5), (2, 1)), ((1, 2, 4, 5), (1, 2, 3, 0)),
                                        ((2, 3, 3, 4), (1, 1, 2, 2, 0, 1)), ((3, 4, 4), (3, 0, 1, 1))])
def test_pad_modes_match_torch(torch, rng, mode, shape, pad) -> None:
    if mode == "reflect" and max(pad) >= min(shape[-len(pad) // 2:]):
        pytest.skip("reflect needs pads smaller than the dim")
    x = rng.normal(size=shape)
    compare_with_torch(lambda a: gg.nn.functional.pad(a, pad, mode), lambda a: torch.nn.functional.pad(a, pad, mode),
                       [x], torch)


def test_pad_negative_widths_crop(torch, rng) -> None:
    x = rng.normal(size=(3, 5))
    for mode in ("constant", "circular"):
        compare_with_torch(lambda a, m=mode: gg.nn.functional.pad(a, (-1, 2, 0, -1), m),
                           lambda a, m=mode: torch.nn.functional.pad(a, (-1, 2, 0, -1), m), [x[None]], torch)


@pytest.mark.parametrize(
    "call, error, pattern",
    [
        (lambda x: gg.nn.functional.pad(x, (1, 2, 3)), ValueError, r"pad.*even.*\(2, 3\)"),
        (lambda x: gg.nn.functional.pad(x, ((1, 1), (1, 1))), TypeError, "flat tuple"),
        (lambda x: gg.nn.functional.pad(x, (1, 1), mode="bogus"), NotImplementedError, "bogus"),
        (lambda x: gg.nn.functional.pad(x, (3, 0), mode="reflect"), ValueError, r"reflect.*\(3, 0\)"),
        (lambda x: gg.nn.functional.pad(x, (1, 1), mode="reflect", value=1.0), ValueError, "value"),
        (lambda x: gg.nn.functional.pad(x, (4, 0), mode="circular"), ValueError, "wrapping around"),
        (lambda x: gg.nn.functional.pad(x, (1, 1, 1, 1), mode="replicate"), NotImplementedError, "replicate"),
        (lambda x: gg.nn.functional.pad(x, (1, -1), mode="replicate"), ValueError, "negative"),
    ],
)
def test_pad_errors(call, error, pattern) -> None:
    with pytest.raises(error, match=pattern):
        call(arange(2, 3))


# ----- triangles and diagonals --------------------------------------------------------------------
def test_diag_diagonal_diag_embed_match_torch(torch) -> None:
    x, t = arange(3, 4), torch.arange(12.0, dtype=torch.float64).reshape(3, 4)
    same(x.diag(1), t.diag(1))
    same(gg.diag(gg.tensor([1.0, 2.0]), -1), torch.diag(torch.tensor([1.0, 2.0], dtype=torch.float64), -1))
    same(x.diagonal(-1), t.diagonal(-1))
    y, u = arange(2, 3, 4), torch.arange(24.0, dtype=torch.float64).reshape(2, 3, 4)
    same(y.diagonal(1, 2, 0), u.diagonal(1, 2, 0))
    same(y.diag_embed(1, 0, 2), u.diag_embed(1, 0, 2))
    same(y.tril(-1), u.tril(-1))
    same(gg.triu(y, 2), torch.triu(u, 2))


# ----- bad input names the op ---------------------------------------------------------------------
@pytest.mark.parametrize(
    "call, error, pattern",
    [
        (lambda: gg.cat([gg.tensor(1.0)]), ValueError, "cat: zero-dimensional"),
        (lambda: gg.cat([]), ValueError, "cat: expected a non-empty"),
        (lambda: gg.cat(arange(2, 3)), TypeError, "cat: expected a sequence"),
        (lambda: gg.stack([arange(2), arange(3)]), ValueError, r"stack.*\(2,\).*\(3,\)"),
        (lambda: gg.split(arange(4), 0), ValueError, "split: split_size must be positive"),
        (lambda: gg.chunk(arange(4), 0), ValueError, "chunk: number of chunks"),
        (lambda: arange(2, 3).squeeze(2), IndexError, r"squeeze.*\[-2, 1\].*2"),
        (lambda: arange(2, 3).unsqueeze(3), IndexError, "unsqueeze.*Dimension out of range"),
        (lambda: arange(2, 3).repeat(2), ValueError, r"repeat.*\(2, 3\)"),
        (lambda: arange(2, 3).flip(0, 0), ValueError, "flip: dim appears multiple times"),
        (lambda: arange(2, 3).roll((1, 2), 0), ValueError, "roll: shifts"),
        (lambda: arange(2, 3).movedim((0, 1), 0), ValueError, "movedim"),
        (lambda: arange(2, 6).unflatten(1, (4, -1)), ValueError, r"unflatten.*\(2, 6\)"),
        (lambda: arange(2, 3).narrow(1, 2, 2), ValueError, "narrow"),
        (lambda: arange(2, 3).expand(-1, 3, 3), ValueError, r"expand.*\(2, 3\)"),
        (lambda: arange(2, 3).view(4, -1), ValueError, r"reshape.*\(2, 3\)"),
        (lambda: arange(3).tril(), ValueError, "tril: input tensor must have at least 2"),
        (lambda: gg.diag(arange(2, 2, 2)), ValueError, "diag: supports 1D or 2D"),
        (lambda: arange(2, 3).diagonal(0, 1, 1), ValueError, "diagonal: dimensions cannot be identical"),
        (lambda: arange(3).repeat_interleave(gg.tensor([1, 2])), ValueError, "repeat_interleave: repeats"),
        (lambda: gg.meshgrid(arange(2, 2)), ValueError, "meshgrid"),
    ],
)
def test_bad_input_names_the_op(call, error, pattern) -> None:
    with pytest.raises(error, match=pattern):
        call()
