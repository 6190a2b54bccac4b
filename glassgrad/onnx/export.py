"""The model builder: ``glassgrad.onnx.export``, torch.onnx.export's signature.

    trace the model (``trace.py``) -> one ONNX node group per recorded op (``ops_*.py``)
    -> an in-memory ModelProto -> ``onnx.checker.check_model`` -> written atomically.

Nothing is written unless the whole graph is built and checked: an op with no mapping
raises ``UnsupportedOperatorError`` naming it (and the module it ran in) before any file
is touched.
"""

from __future__ import annotations

import io
import os
import tempfile
from pathlib import Path
from typing import Any

import numpy as np

from glassgrad.onnx.graph import GraphBuilder
from glassgrad.onnx.registry import OpCall, UnsupportedOperatorError, load_mappings
from glassgrad.onnx.trace import Trace, TracedNode, flatten_inputs, trace
from glassgrad.tensor import Tensor

DEFAULT_OPSET = 17
MIN_OPSET = 17  # LayerNormalization

# torch.onnx.export keywords that change nothing here (accepted so that torch programs run)
_IGNORED = {"export_params", "verbose", "training", "operator_export_type", "do_constant_folding",
            "keep_initializers_as_inputs", "custom_opsets", "export_modules_as_functions", "autograd_inlining",
            "dynamo", "external_data", "dynamic_shapes", "report", "optimize", "verify", "profile",
            "dump_exported_program", "artifacts_dir", "fallback"}


def _import_onnx() -> Any:
    try:
        import onnx
    except ImportError as err:
        raise ImportError("glassgrad.onnx.export needs the onnx package: pip install 'glassgrad[onnx]' "
                          "(or pip install onnx)") from err
    return onnx


def _normalise_args(args: Any) -> tuple[tuple[Any, ...], dict[str, Any]]:
    """torch's convention: a tensor, or a tuple of them, optionally ending in a dict of keyword args."""
    if isinstance(args, Tensor | np.ndarray):
        return (args,), {}
    if not isinstance(args, tuple | list):
        raise TypeError(f"onnx.export: args must be a tensor or a tuple of tensors, got {type(args).__name__}")
    args = tuple(args)
    if args and isinstance(args[-1], dict):
        return args[:-1], dict(args[-1])
    return args, {}


def _names(given: list[str] | None, count: int, stem: str) -> list[str]:
    if given is None:
        return [stem] if count == 1 else [f"{stem}_{i}" for i in range(count)]
    given = list(given)
    if len(given) > count:
        raise ValueError(f"onnx.export: {len(given)} {stem} names for {count} {stem}s")
    return given + [f"{stem}_{i}" for i in range(len(given), count)]


def _dynamic_axes(dynamic_axes: dict | None, known: list[str] | None) -> dict[str, dict[int, str]]:
    """{name: {axis: symbol}} from torch's {name: {axis: symbol}} or {name: [axes]}; ``known``: the names
    they may refer to (None: not checked yet)."""
    result: dict[str, dict[int, str]] = {}
    for name, axes in (dynamic_axes or {}).items():
        if known is not None and name not in known:
            raise ValueError(f"onnx.export: dynamic_axes names {name!r}, which is neither an input nor an output "
                             f"name (known: {', '.join(known)})")
        if isinstance(axes, dict):
            result[name] = {int(a): str(s) for a, s in axes.items()}
        else:
            result[name] = {int(a): f"{name}_dynamic_axes_{int(a) + 1}" for a in axes}
    return result


def export(model: Any, args: Any = (), f: Any = None, *, kwargs: dict[str, Any] | None = None,
           input_names: list[str] | None = None, output_names: list[str] | None = None,
           opset_version: int | None = None, dynamic_axes: dict | None = None, **options: Any) -> Any:
    """Export ``model`` (called on ``args``) as an ONNX graph to ``f`` (a path or a binary file object).

    Args:
        model: a Module (or any callable over tensors) returning a tensor or (nested) tuples of them.
        args: the example input: a tensor or a tuple of tensors (a trailing dict is keyword arguments);
            nested tuples, e.g. ``(x, (h0, c0))``, become one graph input per tensor, in order.
        f: where to write; None only returns the model.
        input_names, output_names: names of the graph's inputs and (flattened) outputs.
        opset_version: the ONNX opset (default 17, the least this exporter needs).
        dynamic_axes: {name: {axis: "symbol"}} or {name: [axis, ...]}: dims that may change size
            at run time (usually the batch axis). Other dims are fixed to the traced sizes.
        options: torch's other keywords (``export_params``, ``do_constant_folding``, ``verbose``,
            ``dynamo``, ...), accepted and ignored.

    Returns:
        the exported ``onnx.ModelProto``.
    """
    unknown = set(options) - _IGNORED
    if unknown:
        raise TypeError(f"onnx.export: unexpected keyword argument(s) {', '.join(sorted(unknown))}")
    onnx = _import_onnx()
    opset = DEFAULT_OPSET if opset_version is None else int(opset_version)
    if not MIN_OPSET <= opset <= onnx.defs.onnx_opset_version():
        raise ValueError(f"onnx.export: opset_version {opset} is not supported; use {MIN_OPSET} to "
                         f"{onnx.defs.onnx_opset_version()}")
    nested, call_kwargs = _normalise_args(args)
    inputs, template = flatten_inputs(nested)  # (x, (h0, c0)) -> three graph inputs, as torch does
    call_kwargs.update(kwargs or {})
    in_names = _names(input_names, len(inputs), "input")
    axes = _dynamic_axes(dynamic_axes, None)
    for name, value in zip(in_names, inputs):
        shape = tuple(getattr(value, "shape", np.shape(value)))
        for axis in axes.get(name, {}):
            if not 0 <= axis < len(shape):
                raise ValueError(f"onnx.export: dynamic axis {axis} of input {name!r} is not an axis of its "
                                 f"shape {shape}")
    symbols = sorted({s for name in in_names for s in axes.get(name, {}).values()})
    growth = [{a: symbols.index(s) + 1 for a, s in axes.get(name, {}).items()} for name in in_names]

    was_training = getattr(model, "training", None)
    if was_training is not None:
        model.eval()
    try:
        traced = trace(model, inputs, call_kwargs, growth, template)
    finally:
        if was_training:
            model.train()
    out_names = _names(output_names, len(traced.outputs), "output")
    axes = _dynamic_axes(dynamic_axes, in_names + out_names)
    proto = build_model(onnx, model, traced, in_names, out_names, axes, opset)
    if f is not None:
        write_atomically(proto.SerializeToString(), f)
    return proto


def _symbol_table(traced: Trace, in_names: list[str], axes: dict[str, dict[int, str]]) -> dict[tuple, str]:
    """(traced size, grown size) -> symbol, from the inputs' dynamic axes."""
    table = {}
    for name, (t, alt) in zip(in_names, _input_pairs(traced)):
        for axis, symbol in axes.get(name, {}).items():
            table[(t.shape[axis], alt.shape[axis])] = symbol
    return table


def _input_pairs(traced: Trace) -> list[tuple[Tensor, Tensor]]:
    return list(zip(traced.inputs, traced.alt_inputs))


def _value_info(onnx: Any, name: str, t: Tensor, alt_shape: tuple[int, ...], symbols: dict[tuple, str],
                given: dict[int, str]) -> Any:
    dims: list[Any] = []
    for axis, (size, alt) in enumerate(zip(t.shape, alt_shape)):
        if axis in given:
            dims.append(given[axis])
        elif size != alt:
            dims.append(symbols.get((size, alt), f"{name}_dim_{axis}"))
        else:
            dims.append(int(size))
    elem = onnx.helper.np_dtype_to_tensor_dtype(np.dtype(t.dtype))
    return onnx.helper.make_tensor_value_info(name, elem, dims)


def _module_path(traced: Trace, node: TracedNode) -> str:
    """The innermost module whose output the failing op's result flows into (for the error message)."""
    consumers: dict[int, list[TracedNode]] = {}
    for n in traced.nodes:
        for t in n.inputs:
            consumers.setdefault(id(t), []).append(n)
    frontier, seen = [node.output], set()
    while frontier:
        t = frontier.pop(0)
        if id(t) in traced.module_of_output:
            return traced.module_of_output[id(t)]
        for n in consumers.get(id(t), []):
            if id(n.output) not in seen:
                seen.add(id(n.output))
                frontier.append(n.output)
    return ""


def _unsupported(traced: Trace, node: TracedNode, why: str = "") -> UnsupportedOperatorError:
    where = _module_path(traced, node)
    where = f" (in module {where!r})" if where else ""
    reason = why or "it has no ONNX mapping in glassgrad.onnx"
    return UnsupportedOperatorError(f"onnx.export: cannot export op {node.op.__name__}{where}: {reason}; "
                                    "nothing was written")


def build_model(onnx: Any, model: Any, traced: Trace, in_names: list[str], out_names: list[str],
                axes: dict[str, dict[int, str]], opset: int) -> Any:
    """The checked ModelProto of a trace (raises before returning anything partial)."""
    mappings = load_mappings()
    for node in traced.nodes:
        if node.op not in mappings:
            raise _unsupported(traced, node)
    g = GraphBuilder(onnx, opset)
    g.used_names.update(in_names + out_names)
    symbols = _symbol_table(traced, in_names, axes)
    graph_inputs = []
    for name, (t, alt) in zip(in_names, _input_pairs(traced)):
        g.values[id(t)] = g.arrays[id(t.array)] = name
        g.dim_sources.append((name, tuple(t.shape), tuple(alt.shape)))
        graph_inputs.append(_value_info(onnx, name, t, tuple(alt.shape), symbols, axes.get(name, {})))
    _name_leaves(g, model, traced)
    for node in traced.nodes:
        call = OpCall(node, [g.values[id(t)] for t in node.inputs], g)
        try:
            name = mappings[node.op](call)
        except NotImplementedError as err:
            raise _unsupported(traced, node, str(err).removeprefix("onnx.export: ")) from err
        g.values[id(node.output)] = name
        g.arrays.setdefault(id(node.output.array), name)
    graph_outputs = []
    for name, t, alt in zip(out_names, traced.outputs, traced.alt_outputs):
        _name_output(g, g.values[id(t)], name, in_names)
        graph_outputs.append(_value_info(onnx, name, t, tuple(alt.shape), symbols, axes.get(name, {})))
    graph = onnx.helper.make_graph(g.nodes, type(model).__name__, graph_inputs, graph_outputs, g.initializers)
    opsets = [onnx.helper.make_opsetid("", opset)]
    proto = onnx.helper.make_model(graph, opset_imports=opsets, producer_name="glassgrad",
                                   ir_version=onnx.helper.find_min_ir_version_for(opsets))
    onnx.checker.check_model(proto, full_check=True)
    return proto


def _name_output(g: GraphBuilder, value: str, name: str, in_names: list[str]) -> None:
    """Give the graph output ``name`` to the node that computes ``value`` (renaming it everywhere), or add an
    Identity when the value is an input, an initializer or already another output."""
    made_by = [node for node in g.nodes if value in node.output]
    if not made_by or value in in_names or value in g.output_names:
        g.add("Identity", [value], outputs=[name])
    else:
        for node in g.nodes:
            for field in (node.input, node.output):
                for i, v in enumerate(field):
                    if v == value:
                        field[i] = name
        g.values = {k: (name if v == value else v) for k, v in g.values.items()}
    g.output_names.add(name)


def _name_leaves(g: GraphBuilder, model: Any, traced: Trace) -> None:
    """Parameters and buffers become initializers named by their state_dict keys (when used; a tied
    weight once, under its first key); other leaves are constants the forward made."""
    for getter in ("named_parameters", "named_buffers"):
        for key, t in getattr(model, getter, lambda: [])():
            if t is not None and id(t.array) not in g.arrays:
                g.parameters.setdefault(id(t.array), (key, t.array))
    for t, alt in traced.leaves:
        if id(t) not in g.values:
            name = g.array_value(t.array)
            g.values[id(t)] = name or g.constant_pair(t.array, alt.array, "constant", [], "a constant")


def write_atomically(data: bytes, f: Any) -> None:
    """Write ``data`` to the path ``f`` through a temporary file and a rename (or to a file object)."""
    if isinstance(f, io.IOBase) or hasattr(f, "write"):
        f.write(data)
        return
    path = Path(os.fspath(f))
    handle, tmp = tempfile.mkstemp(dir=path.parent if str(path.parent) else ".", prefix=f".{path.name}.",
                                   suffix=".tmp")
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(data)
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(tmp, 0o666 & ~umask)  # mkstemp made it private; give it an ordinary file's mode
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
