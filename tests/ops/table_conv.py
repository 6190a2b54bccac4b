"""Op-table rows for the windowed ops: convolution, pooling and resampling (joined into ``OPS`` by op_table.py)."""

from __future__ import annotations

from typing import Any

from hypothesis import assume
from hypothesis import strategies as st

from glassgrad import ops
from tests.ops.op_table import OpSpec
from tests.ops.strategies import Case, array, distinct_array


def _out_size(n: int, kernel: int, stride: int, padding: int, dilation: int = 1) -> int:
    return (n + 2 * padding - dilation * (kernel - 1) - 1) // stride + 1


@st.composite
def conv2d_case(draw: st.DrawFn) -> Case:
    """x (N, C_in, H, W), weight (C_out, C_in / groups, kH, kW), optional bias; every hyper-parameter."""
    groups = draw(st.sampled_from([1, 2]))
    c_in, c_out = groups * draw(st.integers(1, 2)), groups * draw(st.integers(1, 2))
    kernel = (draw(st.integers(1, 3)), draw(st.integers(1, 3)))
    stride, dilation = draw(st.sampled_from([1, 2])), draw(st.sampled_from([1, 2]))
    padding = draw(st.integers(0, 1))
    size = (draw(st.integers(2, 5)), draw(st.integers(2, 5)))
    assume(all(_out_size(n, k, stride, padding, dilation) >= 1 for n, k in zip(size, kernel)))
    arrays = [draw(array((draw(st.integers(1, 2)), c_in, *size))), draw(array((c_out, c_in // groups, *kernel)))]
    if draw(st.booleans()):
        arrays.append(draw(array((c_out,))))
    return Case(tuple(arrays), {"stride": stride, "padding": padding, "dilation": dilation, "groups": groups})


@st.composite
def conv_transpose2d_case(draw: st.DrawFn) -> Case:
    """x (N, C_in, H, W), weight (C_in, C_out / groups, kH, kW); output_padding below stride or dilation."""
    groups = draw(st.sampled_from([1, 2]))
    c_in, c_out = groups * draw(st.integers(1, 2)), groups * draw(st.integers(1, 2))
    kernel = (draw(st.integers(1, 3)), draw(st.integers(1, 3)))
    stride, dilation = draw(st.sampled_from([1, 2])), draw(st.sampled_from([1, 2]))
    padding = draw(st.integers(0, 1))
    output_padding = draw(st.integers(0, max(stride, dilation) - 1))
    size = (draw(st.integers(1, 4)), draw(st.integers(1, 4)))
    assume(all((n - 1) * stride - 2 * padding + dilation * (k - 1) + output_padding + 1 >= 1
               for n, k in zip(size, kernel)))
    arrays = [draw(array((draw(st.integers(1, 2)), c_in, *size))), draw(array((c_in, c_out // groups, *kernel)))]
    if draw(st.booleans()):
        arrays.append(draw(array((c_out,))))
    params = {"stride": stride, "padding": padding, "output_padding": output_padding, "groups": groups,
              "dilation": dilation}
    return Case(tuple(arrays), params)


@st.composite
def conv1d_case(draw: st.DrawFn) -> Case:
    groups = draw(st.sampled_from([1, 2]))
    c_in, c_out = groups * draw(st.integers(1, 2)), groups * draw(st.integers(1, 2))
    kernel, stride = draw(st.integers(1, 3)), draw(st.integers(1, 2))
    padding, dilation = draw(st.integers(0, 1)), draw(st.integers(1, 2))
    length = draw(st.integers(2, 6))
    assume(_out_size(length, kernel, stride, padding, dilation) >= 1)
    arrays = [draw(array((draw(st.integers(1, 2)), c_in, length))), draw(array((c_out, c_in // groups, kernel)))]
    if draw(st.booleans()):
        arrays.append(draw(array((c_out,))))
    return Case(tuple(arrays), {"stride": stride, "padding": padding, "dilation": dilation, "groups": groups})


@st.composite
def max_pool2d_case(draw: st.DrawFn) -> Case:
    """Distinct values (no ties, where max has a kink); padding at most half the kernel, as torch requires."""
    kernel = (draw(st.integers(1, 3)), draw(st.integers(1, 3)))
    stride = draw(st.none() | st.integers(1, 2))
    padding = draw(st.integers(0, min(kernel) // 2))
    dilation, ceil_mode = draw(st.integers(1, 2)), draw(st.booleans())
    size = (draw(st.integers(2, 5)), draw(st.integers(2, 5)))
    assume(all(_out_size(n, k, stride or k, padding, dilation) >= 1 for n, k in zip(size, kernel)))
    x = draw(distinct_array((1, draw(st.integers(1, 2)), *size)))
    return Case((x,), {"kernel_size": kernel, "stride": stride, "padding": padding, "dilation": dilation,
                       "ceil_mode": ceil_mode})


@st.composite
def avg_pool2d_case(draw: st.DrawFn) -> Case:
    kernel = (draw(st.integers(1, 3)), draw(st.integers(1, 3)))
    stride = draw(st.none() | st.integers(1, 2))
    padding = draw(st.integers(0, min(kernel) // 2))
    size = (draw(st.integers(2, 5)), draw(st.integers(2, 5)))
    assume(all(_out_size(n, k, stride or k, padding) >= 1 for n, k in zip(size, kernel)))
    x = draw(array((draw(st.integers(1, 2)), draw(st.integers(1, 2)), *size)))
    return Case((x,), {"kernel_size": kernel, "stride": stride, "padding": padding,
                       "count_include_pad": draw(st.booleans())})


@st.composite
def adaptive_avg_pool2d_case(draw: st.DrawFn) -> Case:
    size = (draw(st.integers(1, 5)), draw(st.integers(1, 5)))
    output_size = (draw(st.integers(1, size[0])), draw(st.integers(1, size[1])))
    return Case((draw(array((1, draw(st.integers(1, 2)), *size))),), {"output_size": output_size})


@st.composite
def interpolate_case(draw: st.DrawFn) -> Case:
    """nearest or bilinear (align_corners both ways), to a size or by a scale factor."""
    size = (draw(st.integers(1, 4)), draw(st.integers(1, 4)))
    mode = draw(st.sampled_from(["nearest", "bilinear"]))
    align_corners = draw(st.booleans()) if mode == "bilinear" else None
    if draw(st.booleans()):
        target: dict[str, Any] = {"size": (draw(st.integers(1, 6)), draw(st.integers(1, 6))), "scale_factor": None}
    else:
        target = {"size": None, "scale_factor": draw(st.sampled_from([2, 3, 0.5, (2, 1)]))}
        factors = target["scale_factor"] if isinstance(target["scale_factor"], tuple) else (target["scale_factor"],) * 2
        assume(all(int(n * f) >= 1 for n, f in zip(size, factors)))
    x = draw(array((1, draw(st.integers(1, 2)), *size)))
    return Case((x,), {"mode": mode, "align_corners": align_corners, **target})


def _functional(name: str) -> Any:
    """torch.nn.functional.<name>(*tensors, **params) as an op-table reference."""
    return lambda t, *xs, **params: getattr(t.nn.functional, name)(*xs, **params)


def _conv(op: Any) -> Any:
    """glassgrad's conv with the bias as an optional third array."""
    return lambda x, w, b=None, **params: op(x, w, b, **params)


ROWS: list[OpSpec] = [
    OpSpec("conv2d", _conv(ops.conv2d), _functional("conv2d"), conv2d_case()),
    OpSpec("conv_transpose2d", _conv(ops.conv_transpose2d), _functional("conv_transpose2d"),
           conv_transpose2d_case()),
    OpSpec("conv1d", _conv(ops.conv1d), _functional("conv1d"), conv1d_case()),
    OpSpec("max_pool2d", ops.max_pool2d, _functional("max_pool2d"), max_pool2d_case()),
    OpSpec("avg_pool2d", ops.avg_pool2d, _functional("avg_pool2d"), avg_pool2d_case()),
    OpSpec("adaptive_avg_pool2d", ops.adaptive_avg_pool2d, _functional("adaptive_avg_pool2d"),
           adaptive_avg_pool2d_case()),
    OpSpec("interpolate", ops.interpolate, _functional("interpolate"), interpolate_case()),
]
