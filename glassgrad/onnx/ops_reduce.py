"""ONNX mappings of the reductions and scans: sum, mean, prod, max/min, var/std, logsumexp, cumsum."""

from __future__ import annotations

import numpy as np

from glassgrad import backend
from glassgrad.onnx.registry import OpCall, maps, ops_module

reduce = ops_module("reduce")
reduce_extrema = ops_module("reduce_extrema")
reduce_select = ops_module("reduce_select")
reduce_stats = ops_module("reduce_stats")
scan = ops_module("scan")

_PLAIN = {reduce.Sum: "ReduceSum", reduce.Mean: "ReduceMean", reduce.Prod: "ReduceProd",
          reduce_stats.LogSumExp: "ReduceLogSumExp"}


@maps(*_PLAIN)
def plain_reduction(c: OpCall) -> str:
    y = c.g.reduce(_PLAIN[c.node.op], c.inputs[0], c.params["axes"], c.params["keepdim"])
    return y if c.out_dtype == c.dtype(0) else c.g.cast(y, c.out_dtype)


@maps(reduce_extrema.Extreme)
def extreme(c: OpCall) -> str:
    op = "ReduceMin" if c.params["smallest"] else "ReduceMax"
    return c.g.reduce(op, c.inputs[0], c.params["axes"], c.params["keepdim"])


@maps(reduce_select.EqualShare)
def equal_share(c: OpCall) -> str:
    """x.max() / x.min() over every element: the recorded value tells which one it was."""
    x = backend.to_numpy(c.node.inputs[0].array)
    op = "ReduceMax" if c.params["value"] == x.max() else "ReduceMin"
    return c.g.reduce(op, c.inputs[0], range(x.ndim), False)


def _variance(c: OpCall) -> str:
    """sum((x - mean)^2) / d over the axes; the op keeps d = N - correction as ``dof``."""
    g, x = c.g, c.inputs[0]
    axes, keepdim, dof = c.params["axes"], c.params["keepdim"], c.params["dof"]
    centred = g.add("Sub", [x, g.reduce("ReduceMean", x, axes, True)])
    total = g.reduce("ReduceSum", g.add("Mul", [centred, centred]), axes, keepdim)
    return g.add("Div", [total, g.scalar(dof, c.dtype(0))])


@maps(reduce_stats.Var)
def var(c: OpCall) -> str:
    return _variance(c)


@maps(reduce_stats.Std)
def std(c: OpCall) -> str:
    return c.g.add("Sqrt", [_variance(c)])


@maps(reduce_select.TakeAlongDim)
def take_along_dim(c: OpCall) -> str:
    """x's values at given indices along dim: GatherElements. When the indices are x's arg-max or
    arg-min along dim (``max(dim)`` / ``min(dim)``), they are computed in the graph by ArgMax / ArgMin."""
    g, x, dim, keepdim = c.g, c.inputs[0], int(c.params["dim"]), bool(c.params["keepdim"])
    data, indices = backend.to_numpy(c.node.inputs[0].array), np.asarray(backend.to_numpy(c.params["indices"]))
    if data.ndim == 0:
        raise NotImplementedError("onnx.export: TakeAlongDim of a 0-d tensor is not exported")
    picked = np.take_along_axis(data, indices, axis=dim)
    found = None
    for op, reduced in (("ArgMax", data.max(axis=dim, keepdims=True)), ("ArgMin", data.min(axis=dim, keepdims=True))):
        if indices.shape == reduced.shape and np.array_equal(picked, reduced, equal_nan=True):
            found = g.add(op, [x], axis=dim, keepdims=1, select_last_index=0)
            break
    if found is None:
        found = c.array("indices")
    y = g.add("GatherElements", [x, found], axis=dim)
    return y if keepdim else g.squeeze(y, [dim])


@maps(scan.CumSum)
def cumsum(c: OpCall) -> str:
    axis = c.g.constant(np.asarray(int(c.params["axis"]), dtype=np.int64), "axis")
    return c.g.add("CumSum", [c.inputs[0], axis])
