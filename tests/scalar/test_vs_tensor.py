"""The scalar engine and the tensor engine must agree: same expressions, same MLP.

The scalar side runs element by element on ``Value``s; the tensor side runs
the same Python code once on float64 vectors.  Both reduce with a random
upstream gradient ``dout`` (loss = sum(out * dout)), so a wrong or transposed
gradient cannot hide behind a uniform one.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable
from typing import Any

import numpy as np
import pytest

from glassgrad.scalar import MLP, Value

tensor_module = pytest.importorskip("glassgrad.tensor")
Tensor = tensor_module.Tensor

pytestmark = pytest.mark.filterwarnings("error")


def make_tensor(array: np.ndarray, requires_grad: bool = False) -> Any:
    return Tensor(
        np.asarray(array, dtype=np.float64),
        requires_grad=requires_grad,
        dtype="float64",
    )


def grad_of(t: Any) -> np.ndarray:
    """A tensor's .grad as a float64 array (zeros if it never received one)."""
    return np.zeros(t.shape) if t.grad is None else np.asarray(t.grad, dtype=np.float64)


# Ops written once, run by both engines; "safe" forms stay inside each op's domain.
OPS: dict[str, Callable[..., Any]] = {
    "add": lambda a, b: a + b,
    "sub": lambda a, b: a - b,
    "mul": lambda a, b: a * b,
    "div": lambda a, b: a / (b * b + 0.5),
    "neg": lambda a, b: -a,
    "pow3": lambda a, b: a**3,
    "sqrt": lambda a, b: (a * a + 0.1) ** 0.5,
    "rsub": lambda a, b: 1.5 - a,
    "rdiv": lambda a, b: 2.0 / (a * a + 1.0),
    "exp": lambda a, b: a.tanh().exp(),
    "log": lambda a, b: (a * a + 0.5).log(),
    "tanh": lambda a, b: a.tanh(),
    "relu": lambda a, b: a.relu(),
    "sigmoid": lambda a, b: a.sigmoid(),
    "reuse": lambda a, b: a * a + a,  # the same operand twice
}


def random_program(
    seed: int, n_inputs: int, n_steps: int
) -> list[tuple[str, int, int]]:
    """Steps (op, i, j): node k = op(node i, node j), over inputs then earlier nodes."""
    rng = np.random.default_rng(seed)
    names = sorted(OPS)
    program = []
    for step in range(n_steps):
        i, j = (int(k) for k in rng.integers(0, n_inputs + step, size=2))
        program.append((names[rng.integers(len(names))], i, j))
    return program


def run_program(program: list[tuple[str, int, int]], inputs: list[Any]) -> Any:
    nodes = list(inputs)
    for name, i, j in program:
        nodes.append(OPS[name](nodes[i], nodes[j]))
    return nodes[-1] + nodes[-2] * nodes[-3]


def compare_elementwise(
    fn: Callable[..., Any], xs: np.ndarray, dout: np.ndarray
) -> None:
    """xs: (n_inputs, n) values; fn runs per element on Values and once on (n,) tensors."""
    values = [[Value(v) for v in row] for row in xs]
    outs = [fn(*column) for column in zip(*values)]
    loss = sum((o * float(d) for o, d in zip(outs, dout)), Value(0.0))
    loss.backward()

    tensors = [make_tensor(row, requires_grad=True) for row in xs]
    t_out = fn(*tensors)
    (t_out * make_tensor(dout)).sum().backward()

    np.testing.assert_allclose(
        [o.data for o in outs], t_out.numpy(), rtol=1e-10, atol=1e-12
    )
    for row, t in zip(values, tensors):
        np.testing.assert_allclose(
            [v.grad for v in row], grad_of(t), rtol=1e-10, atol=1e-12
        )


@pytest.mark.parametrize("name", sorted(OPS))
def test_each_op_agrees(name):
    rng = np.random.default_rng(len(name))
    xs = rng.normal(size=(2, 7))
    compare_elementwise(OPS[name], xs, dout=rng.normal(size=7))


@pytest.mark.parametrize("seed", range(10))
def test_random_expression_agrees(seed):
    rng = np.random.default_rng(1000 + seed)
    program = random_program(seed, n_inputs=3, n_steps=20)
    xs = rng.normal(size=(3, 5))
    compare_elementwise(
        lambda *ins: run_program(program, list(ins)), xs, rng.normal(size=5)
    )


def test_relu_kink_and_sigmoid_extremes_agree():
    xs = np.array([[0.0, -0.0, 1000.0, -1000.0, 3.0]])
    compare_elementwise(lambda a: a.relu() + a.sigmoid(), xs, dout=np.ones(5))


def tensor_mlp(params: list[tuple[Any, Any]], x: Any, activation: str) -> Any:
    """The same MLP as scalar.MLP, written with tensor ops: h = act(h @ W.T + b)."""
    h = x  # (N, nin)
    for k, (w, b) in enumerate(params):
        h = h @ w.T + b  # (N, out)
        if k < len(params) - 1:
            h = h.tanh() if activation == "tanh" else h.relu()
    return h


@pytest.mark.parametrize("activation", ["tanh", "relu"])
@pytest.mark.parametrize("seed", [0, 1])
def test_mlp_agrees_with_tensor_mlp(activation, seed):
    rng = np.random.default_rng(seed)
    sizes = [4, 6, 5, 3]
    params = [
        (rng.normal(size=(n_out, n_in)) / np.sqrt(n_in), rng.normal(size=n_out))
        for n_in, n_out in itertools.pairwise(sizes)
    ]
    x = rng.normal(size=(8, sizes[0]))  # (N, nin)
    dout = rng.normal(size=(8, sizes[-1]))  # (N, nout)

    mlp = MLP.from_arrays(params, activation=activation)
    x_values = [[Value(v) for v in row] for row in x]
    outs = [mlp(row) for row in x_values]
    pairs = zip(itertools.chain(*outs), dout.ravel())
    sum((o * float(d) for o, d in pairs), Value(0.0)).backward()

    t_params = [(make_tensor(w, True), make_tensor(b, True)) for w, b in params]
    tx = make_tensor(x, requires_grad=True)
    t_out = tensor_mlp(t_params, tx, activation)
    (t_out * make_tensor(dout)).sum().backward()

    got = np.array([[o.data for o in out] for out in outs])
    np.testing.assert_allclose(got, t_out.numpy(), rtol=1e-9, atol=1e-12)
    for layer, (w, b) in zip(mlp.layers, t_params):
        grad_w = np.array([[wi.grad for wi in n.w] for n in layer.neurons])  # (out, in)
        grad_b = np.array([n.b.grad for n in layer.neurons])  # (out,)
        np.testing.assert_allclose(grad_w, grad_of(w), rtol=1e-9, atol=1e-12)
        np.testing.assert_allclose(grad_b, grad_of(b), rtol=1e-9, atol=1e-12)
    grad_x = np.array([[v.grad for v in row] for row in x_values])
    np.testing.assert_allclose(grad_x, grad_of(tx), rtol=1e-9, atol=1e-12)
