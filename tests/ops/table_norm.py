"""Op-table rows for normalisation: batch, layer, group and instance norm, weight standardisation
and ``normalize`` (joined into ``OPS`` by op_table.py).

Inputs are drawn with distinct values (``distinct_array``), so every group that is normalised has
a spread, and each group has at least 3 elements: with 2, the normalised values are +-1 whatever
the input, the exact gradient is nearly 0 and what is left is rounding.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from hypothesis import assume
from hypothesis import strategies as st

from glassgrad import Tensor, ops
from glassgrad.ops.normalize import normalize
from tests.ops.op_table import OpSpec
from tests.ops.strategies import POSITIVE, Case, Domain, array, distinct_array


@st.composite
def batch_norm_case(draw: st.DrawFn) -> Case:
    """x (N, C) or (N, C, L) or (N, C, H, W); training statistics, or given running statistics (eval)."""
    channels = draw(st.integers(1, 3))
    spatial = draw(st.sampled_from([(), (2,), (2, 2)]))
    training = draw(st.booleans())
    batch = draw(st.integers(1, 3))
    assume(batch * int(np.prod(spatial)) >= 3)
    arrays = [draw(distinct_array((batch, channels, *spatial)))]
    if draw(st.booleans()):
        arrays += [draw(array((channels,))), draw(array((channels,)))]
    params: dict[str, Any] = {"training": training, "running": None}
    if not training:
        params["running"] = (draw(array((channels,))), draw(array((channels,), POSITIVE)))
    return Case(tuple(arrays), params)


def _gg_batch_norm(x: Any, weight: Any = None, bias: Any = None, *, training: bool, running: Any) -> Any:
    mean, var = (None, None) if running is None else (Tensor(r.astype(x.dtype)) for r in running)
    return ops.batch_norm(x, mean, var, weight, bias, training=training)


def _torch_batch_norm(t: Any, x: Any, weight: Any = None, bias: Any = None, *, training: bool, running: Any) -> Any:
    mean, var = (None, None) if running is None else (t.from_numpy(r).to(x.dtype) for r in running)
    return t.nn.functional.batch_norm(x, mean, var, weight, bias, training=training)


@st.composite
def layer_norm_case(draw: st.DrawFn) -> Case:
    """Normalise over the last one or two axes, with or without an elementwise affine."""
    shape = (draw(st.integers(1, 3)), draw(st.integers(2, 3)), draw(st.integers(3, 4)))
    normalized_shape = shape[-draw(st.integers(1, 2)):]
    arrays = [draw(distinct_array(shape))]
    if draw(st.booleans()):
        arrays += [draw(array(normalized_shape)), draw(array(normalized_shape))]
    return Case(tuple(arrays), {"normalized_shape": normalized_shape})


@st.composite
def group_norm_case(draw: st.DrawFn) -> Case:
    groups = draw(st.integers(1, 2))
    channels = groups * draw(st.integers(1, 2))
    spatial = draw(st.sampled_from([(), (2,), (3,), (2, 2)]))
    assume(channels // groups * int(np.prod(spatial)) >= 3)
    arrays = [draw(distinct_array((draw(st.integers(1, 2)), channels, *spatial)))]
    if draw(st.booleans()):
        arrays += [draw(array((channels,))), draw(array((channels,)))]
    return Case(tuple(arrays), {"num_groups": groups})


@st.composite
def instance_norm_case(draw: st.DrawFn) -> Case:
    channels = draw(st.integers(1, 2))
    spatial = draw(st.sampled_from([(3,), (2, 2), (2, 3)]))
    arrays = [draw(distinct_array((draw(st.integers(1, 2)), channels, *spatial)))]
    if draw(st.booleans()):
        arrays += [draw(array((channels,))), draw(array((channels,)))]
    return Case(tuple(arrays))


@st.composite
def weight_standardize_case(draw: st.DrawFn) -> Case:
    """A conv weight (C_out, C_in, kH, kW): each output channel standardised."""
    shape = (draw(st.integers(1, 3)), draw(st.integers(1, 2)), draw(st.integers(1, 2)), draw(st.integers(3, 4)))
    return Case((draw(distinct_array(shape)),))


def _torch_weight_standardize(t: Any, w: Any) -> Any:
    dims = tuple(range(1, w.ndim))
    mean, var = w.mean(dim=dims, keepdim=True), w.var(dim=dims, keepdim=True, unbiased=False)
    return (w - mean) / t.sqrt(var + 1e-5)


@st.composite
def normalize_case(draw: st.DrawFn) -> Case:
    shape = (draw(st.integers(1, 3)), draw(st.integers(1, 3)))
    x = draw(array(shape, Domain(avoid=(0.0,), margin=0.1)))  # |x|^p is not smooth enough at 0 for p = 1.5
    return Case((x,), {"p": draw(st.sampled_from([1.5, 2.0, 3.0])), "dim": draw(st.sampled_from([1, -1]))})


def _affine(op: Any) -> Any:
    """glassgrad's norm with weight and bias as optional trailing arrays."""
    return lambda x, weight=None, bias=None, **params: op(x, weight=weight, bias=bias, **params)


def _torch_affine(name: str) -> Any:
    return lambda t, x, weight=None, bias=None, **params: getattr(t.nn.functional, name)(
        x, weight=weight, bias=bias, **params)


ROWS: list[OpSpec] = [
    OpSpec("batch_norm", _gg_batch_norm, _torch_batch_norm, batch_norm_case()),
    OpSpec("layer_norm", _affine(ops.layer_norm), _torch_affine("layer_norm"), layer_norm_case()),
    OpSpec("group_norm", _affine(ops.group_norm), _torch_affine("group_norm"), group_norm_case()),
    OpSpec("instance_norm", _affine(ops.instance_norm), _torch_affine("instance_norm"), instance_norm_case()),
    OpSpec("weight_standardize", ops.weight_standardize, _torch_weight_standardize, weight_standardize_case()),
    OpSpec("normalize", lambda x, p, dim: normalize(x, p, dim),
           lambda t, x, p, dim: t.nn.functional.normalize(x, p, dim), normalize_case()),
]
