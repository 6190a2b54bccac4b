"""The ONNX graph under construction: nodes, initializers, value names, and shape vectors.

The op mappings (``ops_*.py``) talk to one ``GraphBuilder``: ``add`` appends a node and
returns its output name, ``constant`` stores an array as an initializer, and
``shape_vector`` builds the int64 shape a Reshape, Expand or ConstantOfShape needs, taking
every dynamic dim from a ``Shape`` op at run time instead of baking the traced size in.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from glassgrad import backend
from glassgrad.onnx.trace import same_values

# Where a dynamic dim can be read at run time: (value name, its shape, its shape in the grown run).
Near = list[tuple[str, tuple[int, ...], tuple[int, ...]]]


class GraphBuilder:
    """Collects ONNX nodes and initializers; hands out unique value names."""

    def __init__(self, onnx: Any, opset: int) -> None:
        self.onnx, self.opset = onnx, opset
        self.nodes: list[Any] = []
        self.initializers: list[Any] = []
        self.used_names: set[str] = set()
        self.values: dict[int, str] = {}          # id(traced tensor) -> value name
        self.output_names: set[str] = set()       # graph outputs named so far
        self.arrays: dict[int, str] = {}          # id(NumPy array) -> value name (traced values, initializers)
        self.parameters: dict[int, tuple[str, Any]] = {}  # id(array) -> (state_dict key, array), not stored yet
        self.dim_sources: Near = []               # graph inputs: where dynamic sizes come from
        self._shapes: dict[str, str] = {}         # value name -> name of its Shape
        self._small: dict[tuple, str] = {}        # cache of small int64 constants

    # ----- names -----------------------------------------------------------------------------
    def fresh(self, hint: str) -> str:
        """A value name not used yet, made from ``hint``."""
        name, k = hint, 1
        while name in self.used_names:
            name, k = f"{hint}_{k}", k + 1
        self.used_names.add(name)
        return name

    # ----- nodes and constants --------------------------------------------------------------
    def add(self, op_type: str, inputs: list[str], outputs: int | list[str] = 1, **attrs: Any) -> Any:
        """Append a node; return its output name (or the list of names when it has several)."""
        names = outputs if isinstance(outputs, list) else [self.fresh(op_type) for _ in range(outputs)]
        self.nodes.append(self.onnx.helper.make_node(op_type, inputs, names, name=self.fresh(f"node_{op_type}"),
                                                     **{k: v for k, v in attrs.items() if v is not None}))
        return names[0] if len(names) == 1 and not isinstance(outputs, list) else names

    def initializer(self, array: Any, name: str) -> str:
        """Store ``array`` as an initializer called ``name`` (made unique)."""
        name = self.fresh(name)
        data = np.ascontiguousarray(backend.to_numpy(array))
        self.initializers.append(self.onnx.numpy_helper.from_array(data, name))
        return name

    def constant(self, array: Any, hint: str = "const") -> str:
        """A constant array (an initializer); small int64 vectors are shared."""
        data = np.asarray(backend.to_numpy(array))
        if data.dtype == np.int64 and data.size <= 8:
            key = (data.shape, tuple(data.reshape(-1).tolist()))
            if key not in self._small:
                self._small[key] = self.initializer(data, hint)
            return self._small[key]
        return self.initializer(data, hint)

    def array_value(self, array: Any) -> str | None:
        """The value that holds this very array (a traced tensor's, or a parameter's or buffer's, which
        becomes an initializer named by its state_dict key on first use), or None."""
        key = id(array)
        if key not in self.arrays and key in self.parameters:
            name, data = self.parameters.pop(key)
            self.arrays[key] = self.initializer(data, name)
        return self.arrays.get(key)

    def ints(self, values: Any, hint: str = "ints") -> str:
        """A 1-D int64 constant."""
        return self.constant(np.asarray(list(values), dtype=np.int64).reshape(-1), hint)

    def scalar(self, value: float, dtype: Any) -> str:
        """A 0-d constant of ``dtype``."""
        return self.constant(np.asarray(value, dtype=dtype), "scalar")

    def cast(self, name: str, dtype: Any) -> str:
        return self.add("Cast", [name], to=self.onnx.helper.np_dtype_to_tensor_dtype(np.dtype(dtype)))

    # ----- shapes ---------------------------------------------------------------------------
    def shape_of(self, name: str) -> str:
        if name not in self._shapes:
            self._shapes[name] = self.add("Shape", [name])
        return self._shapes[name]

    def dim(self, size: int, alt: int, near: Near) -> str | None:
        """A 1-element int64 holding a dynamic dim at run time, or None when no tensor has it."""
        for name, shape, alt_shape in list(near) + self.dim_sources:
            for axis, (a, b) in enumerate(zip(shape, alt_shape)):
                if (a, b) == (size, alt):
                    return self.add("Gather", [self.shape_of(name), self.ints([axis])], axis=0)
        return None

    def shape_vector(self, shape: tuple[int, ...], alt_shape: tuple[int, ...], near: Near, op: str,
                     infer_one: bool = False, reshaped: tuple[tuple[int, ...], tuple[int, ...]] | None = None) -> str:
        """The int64 vector ``shape``, with dims that differ from ``alt_shape`` read at run time.

        For a Reshape: ``infer_one`` lets one dynamic dim that no tensor has be -1, and ``reshaped``
        (the input's shape in both runs) lets a dynamic dim kept in place be 0 ("copy the input's").
        """
        pieces: list[Any] = []  # ints (static runs) or names
        unknown = 0
        for axis, (size, alt) in enumerate(zip(shape, alt_shape)):
            if size == alt:
                pieces.append(int(size))
                continue
            if reshaped and axis < len(reshaped[0]) and (reshaped[0][axis], reshaped[1][axis]) == (size, alt):
                pieces.append(0)
                continue
            found = self.dim(size, alt, near)
            if found is None:
                unknown += 1
                if not infer_one or unknown > 1:
                    raise RuntimeError(f"onnx.export: {op}: cannot express the dynamic size {size} of shape {shape} "
                                       "from the input sizes; export with fewer dynamic axes")
                pieces.append(-1)
            else:
                pieces.append(found)
        if all(isinstance(p, int) for p in pieces):
            return self.ints(pieces, "shape")
        parts, run = [], []
        for p in pieces:
            if isinstance(p, int):
                run.append(p)
                continue
            if run:
                parts.append(self.ints(run, "shape"))
                run = []
            parts.append(p)
        if run:
            parts.append(self.ints(run, "shape"))
        return self.add("Concat", parts, axis=0)

    def constant_pair(self, array: Any, alt_array: Any, hint: str, near: Near, op: str) -> str:
        """A constant the forward made, seen in both runs: an initializer when it is the same in
        both, a ``ConstantOfShape`` when it only grows with a dynamic axis and holds one value."""
        if same_values(array, alt_array):
            return self.constant(array, hint)
        data, alt = backend.to_numpy(array), backend.to_numpy(alt_array)
        if data.ndim == alt.ndim and data.size and alt.size:
            first = data.reshape(-1)[0]
            if (data == first).all() and (alt == first).all():
                shape = self.shape_vector(data.shape, alt.shape, near, op)
                fill = self.onnx.numpy_helper.from_array(np.asarray([first], dtype=data.dtype), "value")
                return self.add("ConstantOfShape", [shape], value=fill)
        raise RuntimeError(f"onnx.export: {op}: a constant of shape {data.shape} depends on the input (its values "
                           "change with the input); it was computed outside the recorded ops (e.g. with NumPy "
                           "or .item()), so it cannot be exported")

    # ----- reductions (opset 18 moved ``axes`` from an attribute to an input) ---------------
    def reduce(self, op_type: str, x: str, axes: Any, keepdims: bool) -> str:
        axes = [int(a) for a in axes]
        if op_type == "ReduceSum" or self.opset >= 18:
            return self.add(op_type, [x, self.ints(axes)] if axes else [x], keepdims=int(keepdims))
        return self.add(op_type, [x], axes=axes or None, keepdims=int(keepdims))

    def unsqueeze(self, x: str, axes: list[int]) -> str:
        return self.add("Unsqueeze", [x, self.ints(axes)])

    def squeeze(self, x: str, axes: list[int]) -> str:
        return self.add("Squeeze", [x, self.ints(axes)])
