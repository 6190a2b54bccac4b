"""A multi-layer perceptron built from scalar ``Value``s.

``Neuron`` computes ``act(w . x + b)``; a ``Layer`` is a list of Neurons that
see the same input; an ``MLP`` chains Layers, with a linear last layer.
Weights are the same numbers a ``torch.nn.Linear`` would hold: layer ``i``
corresponds to a weight matrix ``W`` of shape (out, in) and a bias ``b`` of
shape (out,), with neuron ``j`` owning row ``W[j]`` and ``b[j]``.  Use
``MLP.from_arrays`` / ``MLP.to_arrays`` to move weights in and out.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Literal

import numpy as np

from glassgrad.scalar.engine import Number, Value

Activation = Literal["tanh", "relu"]
_ACTIVATIONS = ("tanh", "relu")


class Module:
    """Base class: anything with a list of parameter Values."""

    def parameters(self) -> list[Value]:
        return []

    def zero_grad(self) -> None:
        """Reset every parameter's ``grad`` to 0.0 before the next backward."""
        for p in self.parameters():
            p.grad = 0.0


class Neuron(Module):
    """One unit: ``act(sum_i w_i * x_i + b)``.

    Args:
        nin: number of inputs.
        nonlin: apply the activation (True) or stay linear (False).
        activation: ``"tanh"`` or ``"relu"`` (relu has gradient 0 at 0, as in torch).
        rng: NumPy Generator for the initial weights; default ``default_rng(0)``.

    Attributes:
        w: ``nin`` weight Values, drawn from U(-1, 1).
        b: the bias Value, drawn from U(-1, 1) after the weights.
    """

    def __init__(
        self,
        nin: int,
        nonlin: bool = True,
        *,
        activation: Activation = "tanh",
        rng: np.random.Generator | None = None,
    ) -> None:
        if activation not in _ACTIVATIONS:
            raise ValueError(
                f"Neuron: activation must be one of {_ACTIVATIONS}, got {activation!r}"
            )
        rng = np.random.default_rng(0) if rng is None else rng
        self.w = [Value(float(v)) for v in rng.uniform(-1.0, 1.0, size=nin)]
        self.b = Value(float(rng.uniform(-1.0, 1.0)))
        self.nonlin = nonlin
        self.activation = activation

    def __call__(self, x: Sequence[Value | Number]) -> Value:
        if len(x) != len(self.w):
            raise ValueError(f"Neuron: expected {len(self.w)} inputs, got {len(x)}")
        act = sum((wi * xi for wi, xi in zip(self.w, x)), self.b)
        if not self.nonlin:
            return act
        return act.tanh() if self.activation == "tanh" else act.relu()

    def parameters(self) -> list[Value]:
        return [*self.w, self.b]

    def __repr__(self) -> str:
        kind = self.activation if self.nonlin else "linear"
        return f"Neuron({len(self.w)}, {kind})"


class Layer(Module):
    """``nout`` Neurons that all read the same ``nin`` inputs.

    Args:
        nin: number of inputs; nout: number of Neurons (outputs).
        nonlin, activation: passed to every Neuron.
        rng: shared by the Neurons, drawn in order; default ``default_rng(0)``.
    """

    def __init__(
        self,
        nin: int,
        nout: int,
        nonlin: bool = True,
        *,
        activation: Activation = "tanh",
        rng: np.random.Generator | None = None,
    ) -> None:
        rng = np.random.default_rng(0) if rng is None else rng
        self.neurons = [
            Neuron(nin, nonlin, activation=activation, rng=rng) for _ in range(nout)
        ]

    def __call__(self, x: Sequence[Value | Number]) -> list[Value]:
        return [n(x) for n in self.neurons]

    def parameters(self) -> list[Value]:
        return [p for n in self.neurons for p in n.parameters()]

    def load_arrays(self, weight: np.ndarray, bias: np.ndarray) -> None:
        """Copy a (nout, nin) ``weight`` and (nout,) ``bias`` into the Neurons."""
        weight, bias = np.asarray(weight), np.asarray(bias)
        shape = (len(self.neurons), len(self.neurons[0].w))
        if weight.shape != shape or bias.shape != shape[:1]:
            raise ValueError(
                f"Layer.load_arrays: expected weight {shape} and bias {shape[:1]}, "
                f"got {weight.shape} and {bias.shape}"
            )
        for neuron, row, b in zip(self.neurons, weight, bias):
            for wi, v in zip(neuron.w, row):
                wi.data = float(v)
            neuron.b.data = float(b)

    def to_arrays(self) -> tuple[np.ndarray, np.ndarray]:
        """The weights as a float64 (nout, nin) matrix and a (nout,) bias."""
        weight = np.array([[wi.data for wi in n.w] for n in self.neurons])
        bias = np.array([n.b.data for n in self.neurons])
        return weight, bias

    def __repr__(self) -> str:
        return f"Layer([{', '.join(repr(n) for n in self.neurons)}])"


class MLP(Module):
    """Layers of sizes ``nin -> nouts[0] -> ... -> nouts[-1]``; the last is linear.

    Args:
        nin: number of inputs.
        nouts: the width of each layer, last one = number of outputs.
        activation: hidden-layer activation, ``"tanh"`` or ``"relu"``.
        rng: one Generator shared by all layers, in order; default ``default_rng(0)``.

    Shape:
        input: a sequence of ``nin`` Values or numbers; output: a list of
        ``nouts[-1]`` Values.
    """

    def __init__(
        self,
        nin: int,
        nouts: Sequence[int],
        *,
        activation: Activation = "tanh",
        rng: np.random.Generator | None = None,
    ) -> None:
        rng = np.random.default_rng(0) if rng is None else rng
        sizes = [nin, *nouts]
        last = len(nouts) - 1
        self.layers = [
            Layer(
                sizes[i], sizes[i + 1], nonlin=i != last, activation=activation, rng=rng
            )
            for i in range(len(nouts))
        ]

    @classmethod
    def from_arrays(
        cls,
        params: Sequence[tuple[np.ndarray, np.ndarray]],
        *,
        activation: Activation = "tanh",
    ) -> MLP:
        """Build an MLP from ``[(W, b), ...]`` with W of shape (out, in), as in torch Linear."""
        if not params:
            raise ValueError("MLP.from_arrays: need at least one (W, b) pair")
        shapes = [np.shape(w) for w, _ in params]
        for i, shape in enumerate(shapes):
            if len(shape) != 2:
                raise ValueError(
                    f"MLP.from_arrays: W[{i}] must be 2-D (out, in), got {shape}"
                )
            if i > 0 and shape[1] != shapes[i - 1][0]:
                raise ValueError(
                    f"MLP.from_arrays: W[{i}] has {shape[1]} inputs but layer {i - 1} "
                    f"has {shapes[i - 1][0]} outputs"
                )
        mlp = cls(shapes[0][1], [s[0] for s in shapes], activation=activation)
        mlp.load_arrays(params)
        return mlp

    def load_arrays(self, params: Sequence[tuple[np.ndarray, np.ndarray]]) -> None:
        """Copy ``[(W, b), ...]`` (one pair per layer) into this MLP."""
        if len(params) != len(self.layers):
            raise ValueError(
                f"MLP.load_arrays: expected {len(self.layers)} (W, b) pairs, got {len(params)}"
            )
        for layer, (weight, bias) in zip(self.layers, params):
            layer.load_arrays(weight, bias)

    def to_arrays(self) -> list[tuple[np.ndarray, np.ndarray]]:
        """The weights as ``[(W, b), ...]``, W of shape (out, in)."""
        return [layer.to_arrays() for layer in self.layers]

    def __call__(self, x: Sequence[Value | Number]) -> list[Value]:
        out: Sequence[Value | Number] = x
        for layer in self.layers:
            out = layer(out)
        return list(out)

    def parameters(self) -> list[Value]:
        return [p for layer in self.layers for p in layer.parameters()]

    def __repr__(self) -> str:
        return f"MLP([{', '.join(repr(layer) for layer in self.layers)}])"
