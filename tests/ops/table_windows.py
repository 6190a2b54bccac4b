"""Op-table rows for the N-d windowed ops: conv3d, conv_transpose1d/3d, 3-D pooling, pooling with indices,
max unpooling, LP pooling, adaptive 1-D/3-D pooling and fractional max pooling (joined into ``OPS`` by op_table.py).

Spatial sizes stay tiny (finite differences cost one forward per input element); max pooling
draws distinct values (no ties, where max has a kink); LP pooling draws positive values.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
from hypothesis import assume
from hypothesis import strategies as st

from glassgrad import Tensor, ops
from glassgrad.nn import functional as F
from glassgrad.ops import pool_nd
from tests.ops.op_table import OpSpec
from tests.ops.strategies import POSITIVE, Case, Domain, array, distinct_array


def _out(n: int, kernel: int, stride: int, padding: int, dilation: int = 1) -> int:
    return (n + 2 * padding - dilation * (kernel - 1) - 1) // stride + 1


def _nn(name: str) -> Any:
    return lambda t, *xs, **params: getattr(t.nn.functional, name)(*xs, **params)


def _conv(op: Any) -> Any:
    return lambda x, w, b=None, **params: op(x, w, b, **params)


def _sizes(draw: st.DrawFn, spatial: int, low: int, high: int) -> tuple[int, ...]:
    return tuple(draw(st.integers(low, high)) for _ in range(spatial))


@st.composite
def conv3d_case(draw: st.DrawFn) -> Case:
    groups = draw(st.sampled_from([1, 2]))
    c_in, c_out = groups, groups * draw(st.integers(1, 2))
    kernel = _sizes(draw, 3, 1, 2)
    stride, dilation, padding = draw(st.sampled_from([1, 2])), draw(st.sampled_from([1, 2])), draw(st.integers(0, 1))
    size = _sizes(draw, 3, 2, 3)
    assume(all(_out(n, k, stride, padding, dilation) >= 1 for n, k in zip(size, kernel)))
    arrays = [draw(array((1, c_in, *size))), draw(array((c_out, c_in // groups, *kernel)))]
    if draw(st.booleans()):
        arrays.append(draw(array((c_out,))))
    return Case(tuple(arrays), {"stride": stride, "padding": padding, "dilation": dilation, "groups": groups})


@st.composite
def conv_transpose_case(draw: st.DrawFn, spatial: int) -> Case:
    groups = draw(st.sampled_from([1, 2]))
    c_in, c_out = groups * draw(st.integers(1, 2)), groups
    kernel = _sizes(draw, spatial, 1, 3 if spatial == 1 else 2)
    stride, dilation, padding = draw(st.sampled_from([1, 2])), draw(st.sampled_from([1, 2])), draw(st.integers(0, 1))
    output_padding = draw(st.integers(0, max(stride, dilation) - 1))
    size = _sizes(draw, spatial, 1, 4 if spatial == 1 else 2)
    assume(all((n - 1) * stride - 2 * padding + dilation * (k - 1) + output_padding + 1 >= 1
               for n, k in zip(size, kernel)))
    arrays = [draw(array((draw(st.integers(1, 2)), c_in, *size))), draw(array((c_in, c_out // groups, *kernel)))]
    if draw(st.booleans()):
        arrays.append(draw(array((c_out,))))
    return Case(tuple(arrays), {"stride": stride, "padding": padding, "output_padding": output_padding,
                                "groups": groups, "dilation": dilation})


def _pool_window(draw: st.DrawFn, spatial: int, size: tuple[int, ...], dilation: bool) -> dict[str, Any]:
    kernel = _sizes(draw, spatial, 1, 2)
    stride = draw(st.none() | st.integers(1, 2))
    padding = draw(st.integers(0, min(kernel) // 2))
    params: dict[str, Any] = {"kernel_size": kernel, "stride": stride, "padding": padding,
                              "ceil_mode": draw(st.booleans())}
    d = 1
    if dilation:
        params["dilation"] = d = draw(st.integers(1, 2))
    assume(all(_out(n, k, stride or k, padding, d) >= 1 for n, k in zip(size, kernel)))
    return params


@st.composite
def max_pool_case(draw: st.DrawFn, spatial: int, indices: bool = False) -> Case:
    size = _sizes(draw, spatial, 2, 3 if spatial == 3 else 4)
    params = _pool_window(draw, spatial, size, dilation=True)
    if indices:
        params["return_indices"] = True
    return Case((draw(distinct_array((1, draw(st.integers(1, 2)), *size))),), params)


@st.composite
def avg_pool_case(draw: st.DrawFn, spatial: int) -> Case:
    size = _sizes(draw, spatial, 2, 3 if spatial == 3 else 4)
    params = _pool_window(draw, spatial, size, dilation=False)
    params["count_include_pad"] = draw(st.booleans())
    if spatial > 1:
        params["divisor_override"] = draw(st.sampled_from([None, 3]))
    return Case((draw(array((1, draw(st.integers(1, 2)), *size))),), params)


@st.composite
def max_unpool_case(draw: st.DrawFn, spatial: int) -> Case:
    """Pooled values and the indices of a max pooling of a random input (kernel = stride, no padding)."""
    kernel = _sizes(draw, spatial, 1, 2)
    pooled = _sizes(draw, spatial, 1, 2)
    size = tuple(p * k + draw(st.integers(0, k - 1)) for p, k in zip(pooled, kernel))
    source = np.array(draw(st.permutations(range(2 * math.prod(size)))), dtype=np.float64).reshape((1, 2, *size))
    geometry = pool_nd.PoolGeometry.of(size, kernel, kernel, (0,) * spatial, (1,) * spatial, pooled)
    indices = pool_nd.max_pool_indices(source, geometry)
    return Case((draw(array((1, 2, *pooled))),), {"indices": indices, "kernel_size": kernel,
                                                   "output_size": size})


def _gg_unpool(name: str) -> Any:
    return lambda x, indices, **params: getattr(F, name)(x, Tensor(indices), **params)


def _torch_unpool(name: str) -> Any:
    return lambda t, x, indices, **params: getattr(t.nn.functional, name)(x, t.from_numpy(indices), **params)


@st.composite
def lp_pool_case(draw: st.DrawFn, spatial: int) -> Case:
    size = _sizes(draw, spatial, 2, 3 if spatial == 3 else 4)
    kernel = _sizes(draw, spatial, 1, 2)
    stride = draw(st.none() | st.integers(1, 2))
    assume(all(_out(n, k, stride or k, 0) >= 1 for n, k in zip(size, kernel)))
    x = draw(array((1, draw(st.integers(1, 2)), *size), POSITIVE))
    return Case((x,), {"norm_type": draw(st.sampled_from([1.0, 2.0, 3.0])),
                       "kernel_size": kernel[0] if spatial == 1 else kernel,  # torch's lp_pool1d takes an int
                       "stride": stride, "ceil_mode": draw(st.booleans())})


@st.composite
def adaptive_case(draw: st.DrawFn, spatial: int, distinct: bool) -> Case:
    size = _sizes(draw, spatial, 1, 3 if spatial == 3 else 5)
    out = tuple(draw(st.integers(1, n)) for n in size)
    shape = (1, draw(st.integers(1, 2)), *size)
    return Case((draw(distinct_array(shape) if distinct else array(shape)),), {"output_size": out})


@st.composite
def fractional_case(draw: st.DrawFn, spatial: int) -> Case:
    """Distinct values; the window positions fixed by ``_random_samples`` (one per plane and axis)."""
    kernel = _sizes(draw, spatial, 1, 2)
    size = _sizes(draw, spatial, 2, 3 if spatial == 3 else 5)
    limits = [n - k + (1 if spatial == 2 else 0) for n, k in zip(size, kernel)]  # torch's 3-D check is strict
    assume(min(limits) >= 1)
    out = tuple(draw(st.integers(1, limit)) for limit in limits)
    n, c = draw(st.integers(1, 2)), draw(st.integers(1, 2))
    samples = draw(array((n, c, spatial), Domain(0.0, 0.99)))
    x = np.array(draw(st.permutations(range(n * c * math.prod(size)))), dtype=np.float64).reshape((n, c, *size))
    return Case((x / 10,), {"kernel_size": kernel, "output_size": out, "_random_samples": samples})


def _gg_fractional(name: str) -> Any:
    return lambda x, _random_samples, **params: getattr(F, name)(x, _random_samples=Tensor(_random_samples),
                                                                 **params)


def _torch_fractional(name: str) -> Any:
    return lambda t, x, _random_samples, **params: getattr(t.nn.functional, name)(
        x, _random_samples=t.from_numpy(_random_samples).to(x.dtype), **params)


def _values(op: Any) -> Any:
    """The pooled values of an op that also returns indices (the indices take no gradient)."""
    return lambda *xs, **params: op(*xs, **params)[0] if params.get("return_indices") else op(*xs, **params)


def _torch_values(name: str) -> Any:
    def call(t: Any, *xs: Any, **params: Any) -> Any:
        out = getattr(t.nn.functional, name)(*xs, **params)
        return out[0] if params.get("return_indices") else out
    return call


ROWS: list[OpSpec] = [
    OpSpec("conv3d", _conv(ops.conv3d), _nn("conv3d"), conv3d_case()),
    OpSpec("conv_transpose1d", _conv(ops.conv_transpose1d), _nn("conv_transpose1d"), conv_transpose_case(1)),
    OpSpec("conv_transpose3d", _conv(ops.conv_transpose3d), _nn("conv_transpose3d"), conv_transpose_case(3)),
    OpSpec("max_pool3d", _values(ops.max_pool3d), _torch_values("max_pool3d"), max_pool_case(3, indices=True)),
    OpSpec("max_pool2d_with_indices", _values(F.max_pool2d), _torch_values("max_pool2d"), max_pool_case(2, True)),
    OpSpec("max_pool1d_with_indices", _values(F.max_pool1d), _torch_values("max_pool1d"), max_pool_case(1, True)),
    OpSpec("avg_pool3d", ops.avg_pool3d, _nn("avg_pool3d"), avg_pool_case(3)),
    OpSpec("avg_pool2d_ceil_divisor", F.avg_pool2d, _nn("avg_pool2d"), avg_pool_case(2)),
    OpSpec("avg_pool1d_ceil", F.avg_pool1d, _nn("avg_pool1d"), avg_pool_case(1)),
    OpSpec("max_unpool1d", _gg_unpool("max_unpool1d"), _torch_unpool("max_unpool1d"), max_unpool_case(1)),
    OpSpec("max_unpool2d", _gg_unpool("max_unpool2d"), _torch_unpool("max_unpool2d"), max_unpool_case(2)),
    OpSpec("max_unpool3d", _gg_unpool("max_unpool3d"), _torch_unpool("max_unpool3d"), max_unpool_case(3)),
    OpSpec("lp_pool1d", ops.lp_pool1d, _nn("lp_pool1d"), lp_pool_case(1)),
    OpSpec("lp_pool2d", ops.lp_pool2d, _nn("lp_pool2d"), lp_pool_case(2)),
    OpSpec("lp_pool3d", ops.lp_pool3d, _nn("lp_pool3d"), lp_pool_case(3)),
    OpSpec("adaptive_avg_pool3d", ops.adaptive_avg_pool3d, _nn("adaptive_avg_pool3d"), adaptive_case(3, False)),
    OpSpec("adaptive_max_pool1d", ops.adaptive_max_pool1d, _nn("adaptive_max_pool1d"), adaptive_case(1, True)),
    OpSpec("adaptive_max_pool3d", ops.adaptive_max_pool3d, _nn("adaptive_max_pool3d"), adaptive_case(3, True)),
    OpSpec("fractional_max_pool2d", _gg_fractional("fractional_max_pool2d"), _torch_fractional("fractional_max_pool2d"),
           fractional_case(2)),
    OpSpec("fractional_max_pool3d", _gg_fractional("fractional_max_pool3d"), _torch_fractional("fractional_max_pool3d"),
           fractional_case(3)),
]
