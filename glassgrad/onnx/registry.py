"""The table from op classes (``glassgrad.ops``) to functions that write their ONNX nodes.

A mapping is registered with ``@maps(OpClass, ...)`` and receives one ``OpCall``: the
recorded node, its inputs' value names and the ``GraphBuilder``. It returns the name of the
value that holds the op's output (it may emit several nodes on the way).
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass
from types import ModuleType
from typing import Any

import numpy as np

from glassgrad.onnx.graph import GraphBuilder, Near
from glassgrad.onnx.trace import TracedNode


class UnsupportedOperatorError(RuntimeError):
    """An op in the traced graph has no ONNX mapping (as torch.onnx.errors.UnsupportedOperatorError)."""


@dataclass
class OpCall:
    """One op application, as the mappings see it."""

    node: TracedNode
    inputs: list[str]        # value names of the node's inputs
    g: GraphBuilder

    @property
    def op_name(self) -> str:
        return self.node.op.__name__

    @property
    def params(self) -> dict[str, Any]:
        return self.node.params

    @property
    def ctx(self) -> Any:
        return self.node.ctx

    def shape(self, i: int) -> tuple[int, ...]:
        return tuple(self.node.inputs[i].shape)

    def alt_shape(self, i: int) -> tuple[int, ...]:
        return tuple(self.node.alt_inputs[i].shape)

    def dtype(self, i: int) -> np.dtype:
        return self.node.inputs[i].dtype

    @property
    def out_shape(self) -> tuple[int, ...]:
        return tuple(self.node.output.shape)

    @property
    def out_alt_shape(self) -> tuple[int, ...]:
        return tuple(self.node.alt_output.shape)

    @property
    def out_dtype(self) -> np.dtype:
        return self.node.output.dtype

    def dynamic(self, i: int) -> list[bool]:
        """Per axis of input i: does it change with a dynamic axis?"""
        return [a != b for a, b in zip(self.shape(i), self.alt_shape(i))]

    def near(self) -> Near:
        return [(name, self.shape(i), self.alt_shape(i)) for i, name in enumerate(self.inputs)]

    def out_shape_vector(self, infer_one: bool = False) -> str:
        """The output's shape as an int64 vector, dynamic dims read from the inputs at run time."""
        return self.g.shape_vector(self.out_shape, self.out_alt_shape, self.near(), self.op_name, infer_one)

    def array(self, key: str, hint: str = "") -> str:
        """An array passed to the forward as a keyword parameter (indices, running stats, masks):
        the value it came from when it is a traced tensor's or a parameter's array, else a constant."""
        array = self.params[key]
        found = self.g.array_value(array)
        if found is not None:
            return found
        return self.g.constant_pair(array, self.node.alt_params[key], hint or key, self.near(), self.op_name)


def ops_module(name: str) -> ModuleType:
    """The module ``glassgrad.ops.<name>`` itself: ``glassgrad.ops.matmul`` as an attribute is the
    *function* matmul (the package re-exports its functional forms under the modules' names)."""
    return importlib.import_module(f"glassgrad.ops.{name}")


Mapping = Callable[[OpCall], str]
MAPPINGS: dict[type, Mapping] = {}


def maps(*ops: type) -> Callable[[Mapping], Mapping]:
    """Register the decorated function as the ONNX mapping of each op class in ``ops``."""
    def register(fn: Mapping) -> Mapping:
        for op in ops:
            MAPPINGS[op] = fn
        return fn
    return register


def load_mappings() -> dict[type, Mapping]:
    """Import every mapping family (each registers itself) and return the table."""
    from glassgrad.onnx import ops_layers, ops_math, ops_recurrent, ops_reduce, ops_shape  # noqa: F401

    return MAPPINGS
