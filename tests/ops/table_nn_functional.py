"""Op-table rows for nn.functional's layer ops of issue 21: pdist, local_response_norm, channel_shuffle,
unfold, fold, embedding_bag, grid_sample, affine_grid and bilinear (joined into ``OPS`` by op_table.py)."""

from __future__ import annotations

from typing import Any

import hypothesis.extra.numpy as hnp
import numpy as np
from hypothesis import assume
from hypothesis import strategies as st

from glassgrad import Tensor, ops
from glassgrad.nn.channel_shuffle import channel_shuffle
from glassgrad.ops.embedding_bag import embedding_bag
from glassgrad.ops.fold_unfold import fold, unfold
from glassgrad.ops.grid_sample import affine_grid, grid_sample, source_index
from tests.ops.op_table import OpSpec
from tests.ops.strategies import Case, Domain, array, distinct_array


def _nn(name: str) -> Any:
    return lambda t, *xs, **params: getattr(t.nn.functional, name)(*xs, **params)


@st.composite
def pdist_case(draw: st.DrawFn) -> Case:
    """Rows far enough apart (and p = 1 coordinates away from 0) that the norm is smooth."""
    x = draw(array((draw(st.integers(1, 4)), draw(st.integers(1, 3)))))
    first, second = np.triu_indices(x.shape[0], k=1)
    assume(bool(np.all(np.abs(x[first] - x[second]) >= 0.05)))
    return Case((x,), {"p": draw(st.sampled_from([1.0, 2.0, 3.0]))})


@st.composite
def local_response_norm_case(draw: st.DrawFn) -> Case:
    shape = (draw(st.integers(1, 2)), draw(st.integers(1, 5))) + tuple(
        draw(st.lists(st.integers(1, 3), min_size=1, max_size=2)))
    params = {"size": draw(st.integers(1, 4)), "alpha": draw(st.sampled_from([1e-4, 0.5])),
              "beta": draw(st.sampled_from([0.75, 1.5])), "k": draw(st.sampled_from([1.0, 2.0]))}
    return Case((draw(array(shape)),), params)


@st.composite
def channel_shuffle_case(draw: st.DrawFn) -> Case:
    groups = draw(st.integers(1, 3))
    shape = (draw(st.integers(1, 2)), groups * draw(st.integers(1, 2)), draw(st.integers(1, 3)))
    return Case((draw(array(shape)),), {"groups": groups})


@st.composite
def unfold_case(draw: st.DrawFn, folding: bool = False) -> Case:
    """An image (N, C, H, W) and block geometry; for fold, the columns such a geometry makes."""
    kernel = (draw(st.integers(1, 2)), draw(st.integers(1, 3)))
    dilation, padding, stride = draw(st.integers(1, 2)), draw(st.integers(0, 1)), draw(st.integers(1, 2))
    size = (draw(st.integers(2, 4)), draw(st.integers(2, 4)))
    blocks = [(n + 2 * padding - dilation * (k - 1) - 1) // stride + 1 for n, k in zip(size, kernel)]
    assume(min(blocks) >= 1)
    params = {"kernel_size": kernel, "dilation": dilation, "padding": padding, "stride": stride}
    n, c = draw(st.integers(1, 2)), draw(st.integers(1, 2))
    if folding:
        return Case((draw(array((n, c * kernel[0] * kernel[1], blocks[0] * blocks[1]))),),
                    {"output_size": size, **params})
    return Case((draw(array((n, c, *size))),), params)


@st.composite
def embedding_bag_case(draw: st.DrawFn) -> Case:
    """A table (N, D); bags as a 2-D input or 1-D indices with offsets (empty bags too); per-sample weights
    for 'sum'. 'max' takes a table of distinct values (no ties)."""
    rows, dim = draw(st.integers(2, 5)), draw(st.integers(1, 3))
    mode = draw(st.sampled_from(["sum", "mean", "max"]))
    table = draw(distinct_array((rows, dim)) if mode == "max" else array((rows, dim)))
    if draw(st.booleans()):
        indices = draw(hnp.arrays(np.int64, (draw(st.integers(1, 3)), draw(st.integers(1, 3))),
                                  elements=st.integers(0, rows - 1)))
        offsets = None
    else:
        indices = draw(hnp.arrays(np.int64, (draw(st.integers(1, 6)),), elements=st.integers(0, rows - 1)))
        cuts = sorted(draw(st.lists(st.integers(0, indices.size), max_size=3)))
        offsets = np.array([0] + cuts, dtype=np.int64)
    params = {"indices": indices, "offsets": offsets, "mode": mode,
              "padding_idx": draw(st.sampled_from([None, 0]))}
    if mode == "sum" and draw(st.booleans()):
        return Case((table, draw(array(indices.shape))), params)
    return Case((table,), params)


@st.composite
def bilinear_case(draw: st.DrawFn) -> Case:
    """x1 (*, in1), x2 (*, in2) with the same leading dims (or none), weight (out, in1, in2), a bias or none."""
    lead = tuple(draw(st.lists(st.integers(1, 3), max_size=2)))
    in1, in2, out = draw(st.integers(1, 3)), draw(st.integers(1, 3)), draw(st.integers(1, 3))
    arrays = (draw(array(lead + (in1,))), draw(array(lead + (in2,))), draw(array((out, in1, in2))))
    return Case(arrays + ((draw(array((out,))),) if draw(st.booleans()) else ()), {})


def _gg_bag(weight: Any, sample: Any = None, *, indices: Any, offsets: Any, **params: Any) -> Any:
    return embedding_bag(Tensor(indices), weight, None if offsets is None else Tensor(offsets),
                         per_sample_weights=sample, **params)


def _torch_bag(t: Any, weight: Any, sample: Any = None, *, indices: Any, offsets: Any, **params: Any) -> Any:
    return t.nn.functional.embedding_bag(t.from_numpy(indices), weight, None if offsets is None else
                                         t.from_numpy(offsets), per_sample_weights=sample, **params)


def _smooth_at(coords: np.ndarray, size: int, mode: str, padding_mode: str, align_corners: bool) -> bool:
    """True when every sampled pixel coordinate keeps away from where the sampling has a kink or a jump
    (integer coordinates for bilinear, halves for nearest, the clamp at the image's edges)."""
    index, _ = source_index(coords, size, padding_mode, align_corners)
    raw, _ = source_index(coords, size, "zeros", align_corners)
    frac = index - np.floor(index)
    target = 0.5 if mode == "nearest" else 0.0
    away = np.abs(((frac - target + 0.5) % 1.0) - 0.5) >= 0.02
    unclamped = (np.abs(raw) >= 0.02) & (np.abs(raw - (size - 1)) >= 0.02)
    return bool(np.all(away & (unclamped | (padding_mode == "zeros"))))


@st.composite
def grid_sample_case(draw: st.DrawFn) -> Case:
    n, c, h, w = draw(st.integers(1, 2)), draw(st.integers(1, 2)), draw(st.integers(1, 3)), draw(st.integers(1, 3))
    mode = draw(st.sampled_from(["bilinear", "nearest"]))
    padding_mode = draw(st.sampled_from(["zeros", "border", "reflection"]))
    align_corners = draw(st.booleans())
    grid = draw(array((n, draw(st.integers(1, 3)), draw(st.integers(1, 2)), 2), Domain(-1.3, 1.3)))
    assume(_smooth_at(grid[..., 0], w, mode, padding_mode, align_corners))
    assume(_smooth_at(grid[..., 1], h, mode, padding_mode, align_corners))
    return Case((draw(array((n, c, h, w))), grid),
                {"mode": mode, "padding_mode": padding_mode, "align_corners": align_corners})


@st.composite
def affine_grid_case(draw: st.DrawFn) -> Case:
    spatial = draw(st.sampled_from([2, 3]))
    n = draw(st.integers(1, 2))
    size = [n, 1] + [draw(st.integers(2, 3)) for _ in range(spatial)]
    return Case((draw(array((n, spatial, spatial + 1))),), {"size": size, "align_corners": draw(st.booleans())})


ROWS: list[OpSpec] = [
    OpSpec("grid_sample", grid_sample, _nn("grid_sample"), grid_sample_case()),
    OpSpec("affine_grid", affine_grid, _nn("affine_grid"), affine_grid_case()),
    OpSpec("embedding_bag", _gg_bag, _torch_bag, embedding_bag_case()),
    OpSpec("unfold_im2col", unfold, _nn("unfold"), unfold_case()),
    OpSpec("fold_col2im", fold, _nn("fold"), unfold_case(folding=True)),
    OpSpec("pdist", ops.pdist, _nn("pdist"), pdist_case()),
    OpSpec("bilinear", ops.bilinear, _nn("bilinear"), bilinear_case()),
    OpSpec("local_response_norm", ops.local_response_norm, _nn("local_response_norm"), local_response_norm_case()),
    OpSpec("channel_shuffle", channel_shuffle, lambda t, x, groups: t.nn.functional.channel_shuffle(x, groups),
           channel_shuffle_case()),
]
