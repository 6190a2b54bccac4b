"""THE op table: every differentiable op once, with its glassgrad form, its torch
form and the inputs it is tested on. The generic tests in ``test_gradcheck_ops.py``
(finite differences) and ``test_torch_oracle.py`` (PyTorch) are generated from it.

An entry is ``OpSpec(name, gg, ref, cases)``:

* ``gg(*tensors, **params)``: the glassgrad call;
* ``ref(torch, *torch_tensors, **params)``: the same computation in torch;
* ``cases``: a hypothesis strategy of ``Case(arrays, params)``; every array is a
  differentiable float64 input, drawn inside the op's domain (see strategies.py);
* ``gradcheck_kw``: keyword overrides for ``glassgrad.gradcheck`` (rarely needed).

To test a new op, add one entry here.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import hypothesis.extra.numpy as hnp
import numpy as np
from hypothesis import assume
from hypothesis import strategies as st

from glassgrad import ops
from tests.ops.strategies import (
    ANY,
    DENOMINATOR,
    NONZERO,
    POSITIVE,
    Case,
    Domain,
    array,
    axis_and_keepdims,
    binary,
    broadcast_shapes,
    distinct_array,
    shapes,
    unary,
)


@dataclass(frozen=True)
class OpSpec:
    name: str
    gg: Callable[..., Any]
    ref: Callable[..., Any]
    cases: st.SearchStrategy[Case]
    gradcheck_kw: dict[str, Any] = field(default_factory=dict)

    def __repr__(self) -> str:
        return self.name


def _dims(axis: Any, ndim: int) -> Any:
    """glassgrad's axis argument as torch's dim argument (None = every axis)."""
    return tuple(range(ndim)) if axis is None else axis


# ----- case strategies for ops with structure ---------------------------------------------------
@st.composite
def with_params(draw: st.DrawFn, base: st.SearchStrategy[Case], **params: st.SearchStrategy[Any]) -> Case:
    case = draw(base)
    return Case(case.arrays, {**case.params, **{k: draw(v) for k, v in params.items()}})


@st.composite
def reduce_case(draw: st.DrawFn, distinct: bool = False, correction: bool = False) -> Case:
    shape = draw(shapes())
    x = draw(distinct_array(shape) if distinct else array(shape))
    params = draw(axis_and_keepdims(len(shape)))
    if correction:
        params["correction"] = draw(st.sampled_from([0, 1]))
        axes = range(len(shape)) if params["axis"] is None else np.atleast_1d(params["axis"])
        count = int(np.prod([shape[a] for a in axes]))
        assume(count - params["correction"] >= 1 and count >= 2)  # a spread exists: std is smooth
    return Case((x,), params)


@st.composite
def softmax_case(draw: st.DrawFn) -> Case:
    shape = draw(shapes(min_dims=1))
    return Case((draw(array(shape, Domain(-5, 5))),), {"axis": draw(st.integers(-len(shape), len(shape) - 1))})


@st.composite
def matmul_case(draw: st.DrawFn) -> Case:
    n, k, m = (draw(st.integers(1, 4)) for _ in range(3))
    kind = draw(st.sampled_from(["1d@1d", "1d@2d", "2d@1d", "2d@2d", "batched", "1d@batched", "batched@1d"]))
    batch_a, batch_b = draw(broadcast_shapes(2, max_dims=2)) if "batched" in kind else ((), ())
    shape_a = (k,) if kind.startswith("1d") else batch_a + (n, k)
    shape_b = (k,) if kind.endswith("1d") else batch_b + (k, m)
    return Case((draw(array(shape_a)), draw(array(shape_b))))


@st.composite
def linear_case(draw: st.DrawFn) -> Case:
    lead = draw(shapes(max_dims=2))
    n_in, n_out = draw(st.integers(1, 4)), draw(st.integers(1, 4))
    arrays = [draw(array(lead + (n_in,))), draw(array((n_out, n_in)))]
    if draw(st.booleans()):
        arrays.append(draw(array((n_out,))))
    return Case(tuple(arrays))


@st.composite
def maximum_case(draw: st.DrawFn) -> Case:
    shape_a, shape_b = draw(broadcast_shapes(2))
    grid = st.integers(-30, 30)  # a on k/10, b on k/10 + 0.05: never tied
    a = draw(hnp.arrays(np.int64, shape_a, elements=grid)) / 10
    b = draw(hnp.arrays(np.int64, shape_b, elements=grid)) / 10 + 0.05
    return Case((a, b))


@st.composite
def where_case(draw: st.DrawFn) -> Case:
    shape_c, shape_a, shape_b = draw(broadcast_shapes(3))
    cond = draw(hnp.arrays(np.bool_, shape_c))
    return Case((draw(array(shape_a)), draw(array(shape_b))), {"cond": cond})


@st.composite
def clip_case(draw: st.DrawFn) -> Case:
    low, high = draw(st.sampled_from([(-1.0, 0.5), (-1.0, None), (None, 0.5), (0.5, 0.5)]))
    domain = Domain(avoid=(-1.0, 0.5))  # the clip edges are kinks
    return Case((draw(array(draw(shapes()), domain)),), {"low": low, "high": high})


@st.composite
def reshape_case(draw: st.DrawFn) -> Case:
    shape = draw(shapes())
    size = int(np.prod(shape))
    target = draw(st.sampled_from([(-1,), tuple(reversed(shape)), (1,) + shape + (1,), (size, 1), shape[:1] + (-1,)]))
    return Case((draw(array(shape)),), {"shape": target})


@st.composite
def permute_case(draw: st.DrawFn) -> Case:
    shape = draw(shapes())
    return Case((draw(array(shape)),), {"axes": tuple(draw(st.permutations(range(len(shape)))))})


@st.composite
def transpose_case(draw: st.DrawFn) -> Case:
    shape = draw(shapes(min_dims=2))
    axis = st.integers(-len(shape), len(shape) - 1)
    return Case((draw(array(shape)),), {"axis0": draw(axis), "axis1": draw(axis)})


@st.composite
def squeeze_case(draw: st.DrawFn) -> Case:
    shape = draw(hnp.array_shapes(min_dims=0, max_dims=4, min_side=1, max_side=2))
    axis = draw(st.none() | st.integers(-len(shape), len(shape) - 1)) if shape else None
    return Case((draw(array(shape)),), {"axis": axis})


@st.composite
def unsqueeze_case(draw: st.DrawFn) -> Case:
    shape = draw(shapes())
    return Case((draw(array(shape)),), {"axis": draw(st.integers(-len(shape) - 1, len(shape)))})


@st.composite
def expand_case(draw: st.DrawFn) -> Case:
    target = draw(shapes())
    kept = target[draw(st.integers(0, len(target))):]  # drop some leading axes, set some others to 1
    shape = tuple(n if draw(st.booleans()) else 1 for n in kept)
    return Case((draw(array(shape)),), {"shape": target})


@st.composite
def basic_index_case(draw: st.DrawFn) -> Case:
    shape = draw(shapes(min_dims=1))
    if len(shape) == 1:
        index = draw(st.slices(shape[0]) | st.integers(-shape[0], shape[0] - 1))
    else:
        index = draw(hnp.basic_indices(shape, allow_newaxis=True))
    return Case((draw(array(shape)),), {"index": _positive_steps(index)})


def _positive_steps(index: Any) -> Any:
    """torch refuses negative slice steps: use the same slice with a positive step."""
    if isinstance(index, tuple):
        return tuple(_positive_steps(i) for i in index)
    if isinstance(index, slice) and index.step is not None and index.step < 0:
        return slice(index.start, index.stop, -index.step)
    return index


@st.composite
def int_index_case(draw: st.DrawFn) -> Case:
    shape = draw(shapes(min_dims=1))
    axis = draw(st.integers(0, len(shape) - 1))
    n = shape[axis]
    idx = draw(hnp.arrays(np.int64, draw(hnp.array_shapes(max_dims=2, max_side=3)), elements=st.integers(-n, n - 1)))
    idx = np.concatenate([idx.reshape(-1), idx.reshape(-1)[:1]])  # at least one repeated position
    index = (slice(None),) * axis + (idx,)
    return Case((draw(array(shape)),), {"index": index})


@st.composite
def bool_index_case(draw: st.DrawFn) -> Case:
    shape = draw(shapes(min_dims=1))
    mask = draw(hnp.arrays(np.bool_, shape[: draw(st.integers(1, len(shape)))]))
    return Case((draw(array(shape)),), {"index": mask})


@st.composite
def concatenate_case(draw: st.DrawFn) -> Case:
    shape = draw(shapes(min_dims=1))
    axis = draw(st.integers(-len(shape), len(shape) - 1))
    pieces = []
    for _ in range(draw(st.integers(1, 3))):
        piece = list(shape)
        piece[axis] = draw(st.integers(1, 3))
        pieces.append(draw(array(tuple(piece))))
    return Case(tuple(pieces), {"axis": axis})


@st.composite
def stack_case(draw: st.DrawFn) -> Case:
    shape = draw(shapes())
    arrays = tuple(draw(array(shape)) for _ in range(draw(st.integers(1, 3))))
    return Case(arrays, {"axis": draw(st.integers(-len(shape) - 1, len(shape)))})


@st.composite
def split_case(draw: st.DrawFn) -> Case:
    shape = draw(shapes(min_dims=1))
    axis = draw(st.integers(-len(shape), len(shape) - 1))
    n = shape[axis]
    sizes: Any = draw(st.integers(1, n))  # a chunk size, or sections that add up to n
    if draw(st.booleans()):
        cuts = sorted(draw(st.lists(st.integers(0, n), max_size=2)))
        sizes = [b - a for a, b in zip([0] + cuts, cuts + [n])]
    return Case((draw(array(shape)),), {"sizes": sizes, "axis": axis})


@st.composite
def pad_case(draw: st.DrawFn) -> Case:
    shape = draw(shapes(min_dims=1))
    pairs = draw(st.integers(1, len(shape)))  # torch's flat order: (before, after) of the last dim first
    widths = tuple(draw(st.integers(0, 2)) for _ in range(2 * pairs))
    return Case((draw(array(shape)),), {"widths": widths, "value": draw(st.sampled_from([0.0, -1.5]))})


# ----- the table -------------------------------------------------------------------------------
def _torch_pad(torch: Any, x: Any, widths: tuple[int, ...], value: float) -> Any:
    return torch.nn.functional.pad(x, widths, value=value)


def _torch_basic_index(torch: Any, x: Any, index: Any) -> Any:
    # torch has no negative-step slices, so gather through the NumPy index map instead
    positions = np.asarray(np.arange(x.numel()).reshape(tuple(x.shape))[index]).copy()
    return x.reshape(-1)[torch.from_numpy(positions)]


OPS: list[OpSpec] = [
    # elementwise arithmetic (broadcasting)
    OpSpec("add", lambda a, b: a + b, lambda t, a, b: a + b, binary()),
    OpSpec("sub", lambda a, b: a - b, lambda t, a, b: a - b, binary()),
    OpSpec("mul", lambda a, b: a * b, lambda t, a, b: a * b, binary()),
    OpSpec("div", lambda a, b: a / b, lambda t, a, b: a / b, binary(ANY, DENOMINATOR)),
    OpSpec("neg", lambda a: -a, lambda t, a: -a, unary()),
    OpSpec("pow_tensor", ops.pow, lambda t, a, b: t.pow(a, b), binary(POSITIVE, Domain(-2, 2))),
    OpSpec("pow_scalar", lambda a, p: a**p, lambda t, a, p: a**p,
           with_params(unary(POSITIVE), p=st.sampled_from([2.0, 3.0, 0.5, -1.5, 1 / 3, 0.0]))),
    OpSpec("pow_scalar_signed_base", lambda a, p: ops.pow(a, p), lambda t, a, p: t.pow(a, p),
           with_params(unary(DENOMINATOR), p=st.sampled_from([2, 3, -1, -2]))),
    OpSpec("scalar_operators", lambda a: (1.5 - a) * 2 + a / 4 - 3 / (a + 10) + 2**a,
           lambda t, a: (1.5 - a) * 2 + a / 4 - 3 / (a + 10) + 2**a, unary()),
    OpSpec("exp", ops.exp, lambda t, a: t.exp(a), unary()),
    OpSpec("log", ops.log, lambda t, a: t.log(a), unary(POSITIVE)),
    OpSpec("sqrt", ops.sqrt, lambda t, a: t.sqrt(a), unary(POSITIVE)),
    OpSpec("abs", ops.abs, lambda t, a: t.abs(a), unary(NONZERO)),
    OpSpec("maximum", ops.maximum, lambda t, a, b: t.maximum(a, b), maximum_case()),
    OpSpec("minimum", ops.minimum, lambda t, a, b: t.minimum(a, b), maximum_case()),
    OpSpec("clip", lambda a, low, high: ops.clip(a, low, high), lambda t, a, low, high: t.clamp(a, low, high),
           clip_case()),
    OpSpec("where", lambda a, b, cond: ops.where(cond, a, b),
           lambda t, a, b, cond: t.where(t.from_numpy(cond), a, b), where_case()),
    # cast to the other float dtype; float32 rounding needs a wide finite-difference step (exact: cast is linear)
    OpSpec("cast", lambda a: ops.cast(a, np.float32 if a.dtype == np.float64 else np.float64),
           lambda t, a: a.to(t.float32 if a.dtype == t.float64 else t.float64), unary(), {"eps": 1e-2, "atol": 1e-4}),
    # matrix products
    OpSpec("matmul", lambda a, b: a @ b, lambda t, a, b: t.matmul(a, b), matmul_case()),
    OpSpec("linear", ops.linear, lambda t, *xs: t.nn.functional.linear(*xs), linear_case()),
    # activations
    OpSpec("relu", ops.relu, lambda t, a: t.relu(a), unary(NONZERO)),
    OpSpec("leaky_relu", lambda a, slope: ops.leaky_relu(a, slope),
           lambda t, a, slope: t.nn.functional.leaky_relu(a, slope),
           with_params(unary(NONZERO), slope=st.sampled_from([0.01, 0.2, 1.5]))),
    OpSpec("sigmoid", ops.sigmoid, lambda t, a: t.sigmoid(a), unary(Domain(-8, 8))),
    OpSpec("tanh", ops.tanh, lambda t, a: t.tanh(a), unary()),
    OpSpec("gelu", ops.gelu, lambda t, a: t.nn.functional.gelu(a), unary(Domain(-5, 5))),
    OpSpec("softmax", lambda a, axis: ops.softmax(a, axis), lambda t, a, axis: t.softmax(a, axis), softmax_case()),
    OpSpec("log_softmax", lambda a, axis: ops.log_softmax(a, axis), lambda t, a, axis: t.log_softmax(a, axis),
           softmax_case()),
    # reductions
    OpSpec("sum", lambda a, axis, keepdims: a.sum(axis, keepdims),
           lambda t, a, axis, keepdims: t.sum(a, _dims(axis, a.ndim), keepdims), reduce_case()),
    OpSpec("mean", lambda a, axis, keepdims: a.mean(axis, keepdims),
           lambda t, a, axis, keepdims: t.mean(a, _dims(axis, a.ndim), keepdims), reduce_case()),
    OpSpec("max", lambda a, axis, keepdims: a.amax(axis, keepdims),
           lambda t, a, axis, keepdims: t.amax(a, _dims(axis, a.ndim), keepdims), reduce_case(distinct=True)),
    OpSpec("min", lambda a, axis, keepdims: a.amin(axis, keepdims),
           lambda t, a, axis, keepdims: t.amin(a, _dims(axis, a.ndim), keepdims), reduce_case(distinct=True)),
    OpSpec("var", lambda a, axis, keepdims, correction: a.var(axis, keepdim=keepdims, correction=correction),
           lambda t, a, axis, keepdims, correction: t.var(a, _dims(axis, a.ndim), correction=correction,
                                                          keepdim=keepdims),
           reduce_case(distinct=True, correction=True)),
    OpSpec("std", lambda a, axis, keepdims, correction: a.std(axis, keepdim=keepdims, correction=correction),
           lambda t, a, axis, keepdims, correction: t.std(a, _dims(axis, a.ndim), correction=correction,
                                                          keepdim=keepdims),
           reduce_case(distinct=True, correction=True)),
    # movement
    OpSpec("reshape", lambda a, shape: a.reshape(shape), lambda t, a, shape: a.reshape(shape), reshape_case()),
    OpSpec("permute", lambda a, axes: a.permute(axes), lambda t, a, axes: a.permute(axes), permute_case()),
    OpSpec("transpose", lambda a, axis0, axis1: a.transpose(axis0, axis1),
           lambda t, a, axis0, axis1: a.transpose(axis0, axis1), transpose_case()),
    OpSpec("T", lambda a: a.T, lambda t, a: a.permute(tuple(reversed(range(a.ndim)))), unary()),
    OpSpec("squeeze", lambda a, axis: a.squeeze(axis),
           lambda t, a, axis: a.squeeze() if axis is None else a.squeeze(axis), squeeze_case()),
    OpSpec("unsqueeze", lambda a, axis: a.unsqueeze(axis), lambda t, a, axis: a.unsqueeze(axis), unsqueeze_case()),
    OpSpec("expand", lambda a, shape: a.expand(shape), lambda t, a, shape: a.expand(shape), expand_case()),
    OpSpec("pad", lambda a, widths, value: ops.pad(a, widths, value=value), _torch_pad, pad_case()),
    OpSpec("concatenate", lambda *xs, axis: ops.concatenate(xs, axis), lambda t, *xs, axis: t.cat(xs, axis),
           concatenate_case()),
    OpSpec("stack", lambda *xs, axis: ops.stack(xs, axis), lambda t, *xs, axis: t.stack(xs, axis), stack_case()),
    OpSpec("split", lambda a, sizes, axis: ops.split(a, sizes, axis),
           lambda t, a, sizes, axis: t.split(a, sizes, axis), split_case()),
    # indexing
    OpSpec("getitem_basic", lambda a, index: a[index], _torch_basic_index, basic_index_case()),
    OpSpec("getitem_int_array", lambda a, index: a[index],
           lambda t, a, index: a[tuple(t.from_numpy(i) if isinstance(i, np.ndarray) else i for i in index)],
           int_index_case()),
    OpSpec("getitem_bool", lambda a, index: a[index], lambda t, a, index: a[t.from_numpy(index)], bool_index_case()),
]

# Op families kept in their own table files (each a list ROWS of OpSpec), joined here.
from tests.ops import (  # noqa: E402  (they import OpSpec and the case strategies from this module)
    table_attention,
    table_linalg,
    table_pointwise,
    table_reduction,
    table_shape,
)

OPS += table_pointwise.ROWS + table_reduction.ROWS + table_shape.ROWS + table_linalg.ROWS + table_attention.ROWS

# --- layer ops: convolution, pooling, resampling, normalisation, losses, recurrent, dropout, embedding ---
from tests.ops import table_conv, table_dropout_embedding, table_losses, table_norm, table_recurrent  # noqa: E402

OPS += table_conv.ROWS + table_norm.ROWS + table_losses.ROWS + table_recurrent.ROWS + table_dropout_embedding.ROWS


# --- nn.functional families of issue 21: shrink/threshold/gated activations, losses, windows, sampling ---
from tests.ops import table_losses_more, table_nn_functional, table_shrink, table_windows  # noqa: E402

OPS += table_shrink.ROWS + table_losses_more.ROWS + table_nn_functional.ROWS + table_windows.ROWS

from tests.ops import table_special  # noqa: E402  (glassgrad.special, issue 24)

OPS += table_special.ROWS

from tests.ops import table_linalg_decompositions  # noqa: E402  (torch.linalg's decompositions, issue 24)

OPS += table_linalg_decompositions.ROWS

from tests.ops import table_fft_sparse  # noqa: E402  (glassgrad.fft and the sparse product, issue 24)

OPS += table_fft_sparse.ROWS

OPS_BY_NAME = {spec.name: spec for spec in OPS}
assert len(OPS_BY_NAME) == len(OPS), "duplicate op name in the table"
