"""ONNX mappings of the ops that move data without arithmetic: reshape, permute, expand,
concatenation, indexing, padding, flips, tiling, triangles, one-hot.

Target shapes come from the traced output's shape; a dim that changes with a dynamic axis is
read at run time from a ``Shape`` op (see ``GraphBuilder.shape_vector``), so the graph keeps
working at other batch sizes.
"""

from __future__ import annotations

import numpy as np

from glassgrad.onnx.registry import OpCall, maps, ops_module

indexing = ops_module("indexing")
indexing_scatter = ops_module("indexing_scatter")
indexing_select = ops_module("indexing_select")
movement = ops_module("movement")
movement_diag = ops_module("movement_diag")
movement_join = ops_module("movement_join")
movement_order = ops_module("movement_order")
movement_pad = ops_module("movement_pad")

INT64_MAX = np.iinfo(np.int64).max
INT64_MIN = np.iinfo(np.int64).min


@maps(movement.Reshape)
def reshape(c: OpCall) -> str:
    """A dynamic dim that stays in place is 0 (ONNX: copy the input's), one other may be -1."""
    shape = c.g.shape_vector(c.out_shape, c.out_alt_shape, c.near(), "Reshape", infer_one=True,
                             reshaped=(c.shape(0), c.alt_shape(0)))
    return c.g.add("Reshape", [c.inputs[0], shape])


@maps(movement.Permute)
def permute(c: OpCall) -> str:
    return c.g.add("Transpose", c.inputs, perm=[int(d) for d in c.params["dims"]])


@maps(movement.Expand)
def expand(c: OpCall) -> str:
    return c.g.add("Expand", [c.inputs[0], c.out_shape_vector()])


@maps(movement_join.Cat)
def cat(c: OpCall) -> str:
    return c.g.add("Concat", c.inputs, axis=int(c.params["dim"]))


def _slice(c: OpCall, x: str, axes: list[int], starts: list[int], ends: list[int], steps: list[int]) -> str:
    if not axes:
        return x
    return c.g.add("Slice", [x, c.g.ints(starts), c.g.ints(ends), c.g.ints(axes), c.g.ints(steps)])


@maps(indexing.GetItem)
def getitem(c: OpCall) -> str:
    """The basic part as Slice (slices and ints), Squeeze (ints) and Unsqueeze (None);
    one index tensor as a Gather. Several index tensors are not exported."""
    index = c.params["index"]
    shape, dynamic = c.shape(0), c.dynamic(0)
    axes, starts, ends, steps, dropped, new_axes = [], [], [], [], [], []
    axis = out_axis = 0
    for item in index.basic:
        if item is None:
            new_axes.append(out_axis)
            out_axis += 1
            continue
        n = shape[axis]
        if isinstance(item, slice):
            start, stop, step = item.start, item.stop, item.step or 1
            if not dynamic[axis]:
                start, stop, step = item.indices(n)
            full = (start in (None, 0) and (stop is None or stop >= n) and step == 1)
            if not full:
                axes.append(axis)
                starts.append(0 if start is None else start)
                ends.append(INT64_MAX if stop is None else stop)
                steps.append(step)
            out_axis += 1
        else:  # an int picks one position and drops the axis
            i = item if dynamic[axis] else item % n
            axes.append(axis)
            starts.append(i)
            ends.append(INT64_MAX if i == -1 else i + 1)
            steps.append(1)
            dropped.append(axis)
        axis += 1
    y = _slice(c, c.inputs[0], axes, starts, ends, steps)
    if dropped:
        y = c.g.squeeze(y, dropped)
    if new_axes:
        y = c.g.unsqueeze(y, new_axes)
    if index.advanced is None:
        return y
    arrays = [(k, a) for k, a in enumerate(index.advanced) if not isinstance(a, slice)]
    if len(arrays) != 1:
        raise NotImplementedError(f"onnx.export: GetItem: indexing with {len(arrays)} index tensors at once "
                                  "is not exported (use index_select or one index tensor)")
    position, array = arrays[0]
    alt_array = c.node.alt_params["index"].advanced[position]
    indices = c.g.array_value(array) or c.g.constant_pair(np.asarray(array, dtype=np.int64),
                                                             np.asarray(alt_array, dtype=np.int64),
                                                             "index", c.near(), "GetItem")
    return c.g.add("Gather", [y, indices], axis=position)


@maps(movement_pad.ConstantPad)
def constant_pad(c: OpCall) -> str:
    widths = c.params["widths"]
    pads = [int(lo) for lo, _ in widths] + [int(hi) for _, hi in widths]
    value = c.g.scalar(c.params["value"], c.dtype(0))
    return c.g.add("Pad", [c.inputs[0], c.g.ints(pads), value], mode="constant")


@maps(movement_order.Flip)
def flip(c: OpCall) -> str:
    dims = [int(d) for d in c.params["dims"]]
    return _slice(c, c.inputs[0], dims, [-1] * len(dims), [INT64_MIN] * len(dims), [-1] * len(dims))


@maps(movement_order.Repeat)
def repeat(c: OpCall) -> str:
    reps = [int(r) for r in c.params["reps"]]
    x = c.inputs[0]
    lead = len(reps) - len(c.shape(0))
    if lead:
        x = c.g.unsqueeze(x, list(range(lead)))
    return c.g.add("Tile", [x, c.g.ints(reps)])


@maps(movement_diag.Triangle)
def triangle(c: OpCall) -> str:
    k = c.g.constant(np.asarray(int(c.params["diagonal"]), dtype=np.int64), "k")
    return c.g.add("Trilu", [c.inputs[0], k], upper=0 if c.params["lower"] else 1)


@maps(indexing.OneHot)
def one_hot(c: OpCall) -> str:
    depth = c.g.constant(np.asarray(int(c.params["num_classes"]), dtype=np.int64), "depth")
    values = c.g.constant(np.asarray([0, 1], dtype=c.out_dtype), "off_on")
    return c.g.add("OneHot", [c.inputs[0], depth, values], axis=-1)


@maps(indexing_scatter.Gather)
def gather(c: OpCall) -> str:
    """torch.gather: y[i][j][k] = x[i][index[i][j][k]][k] along dim = ONNX GatherElements."""
    return c.g.add("GatherElements", [c.inputs[0], c.array("index")], axis=int(c.params["dim"]))


@maps(indexing_select.IndexSelect)
def index_select(c: OpCall) -> str:
    return c.g.add("Gather", [c.inputs[0], c.array("index")], axis=int(c.params["dim"]))


@maps(indexing_select.MaskedFill)
def masked_fill(c: OpCall) -> str:
    """value where mask else x."""
    return c.g.add("Where", [c.array("mask"), c.inputs[1], c.inputs[0]])
