"""Tests for glassgrad.scalar.engine: every op against finite differences and torch."""

from __future__ import annotations

import math
import sys
import warnings
from collections.abc import Callable

import numpy as np
import pytest

from glassgrad.scalar import Value
from glassgrad.scalar.engine import topological_order, zero_grad

pytestmark = pytest.mark.filterwarnings("error")

H = 1e-6  # central-difference step


def numeric_grads(fn: Callable[..., Value], xs: list[float]) -> list[float]:
    """Central differences (f(x+h) - f(x-h)) / 2h, one input at a time, in float64."""
    grads = []
    for i in range(len(xs)):
        up = [Value(x + H if j == i else x) for j, x in enumerate(xs)]
        down = [Value(x - H if j == i else x) for j, x in enumerate(xs)]
        grads.append((fn(*up).data - fn(*down).data) / (2 * H))
    return grads


def analytic_grads(
    fn: Callable[..., Value], xs: list[float]
) -> tuple[float, list[float]]:
    values = [Value(x) for x in xs]
    out = fn(*values)
    out.backward()
    return out.data, [v.grad for v in values]


# One row per op: name, function of Values, points away from kinks and poles.
OP_TABLE: list[tuple[str, Callable[..., Value], list[list[float]]]] = [
    ("add", lambda a, b: a + b, [[0.3, -1.2], [2.0, 5.0]]),
    ("sub", lambda a, b: a - b, [[0.3, -1.2], [2.0, 5.0]]),
    ("mul", lambda a, b: a * b, [[0.3, -1.2], [2.0, 5.0]]),
    ("div", lambda a, b: a / b, [[0.3, -1.2], [2.0, 0.5]]),
    ("neg", lambda a: -a, [[0.7], [-2.5]]),
    ("pow2", lambda a: a**2, [[0.7], [-2.5]]),
    ("pow3", lambda a: a**3, [[0.7], [-2.5]]),
    ("pow_neg", lambda a: a**-1.5, [[0.7], [2.5]]),
    ("pow_half", lambda a: a**0.5, [[0.7], [2.5]]),
    ("radd", lambda a: 2.5 + a, [[0.7], [-2.5]]),
    ("rsub", lambda a: 2.5 - a, [[0.7], [-2.5]]),
    ("rmul", lambda a: 2.5 * a, [[0.7], [-2.5]]),
    ("rtruediv", lambda a: 2.5 / a, [[0.7], [-2.5]]),
    ("exp", lambda a: a.exp(), [[0.7], [-2.5], [3.0]]),
    ("log", lambda a: a.log(), [[0.7], [2.5], [40.0]]),
    ("tanh", lambda a: a.tanh(), [[0.7], [-2.5], [0.0]]),
    ("relu", lambda a: a.relu(), [[0.7], [-2.5]]),
    ("sigmoid", lambda a: a.sigmoid(), [[0.7], [-2.5], [0.0]]),
    (
        "composite",
        lambda a, b: (a * b).tanh() * a + (b * b + 1).log() / a.exp(),
        [[0.4, -0.9]],
    ),
]
CASES = [(name, fn, xs) for name, fn, points in OP_TABLE for xs in points]


@pytest.mark.parametrize("name, fn, xs", CASES, ids=[f"{c[0]}-{c[2]}" for c in CASES])
def test_op_gradient_matches_finite_differences(name, fn, xs):
    _, analytic = analytic_grads(fn, xs)
    numeric = numeric_grads(fn, xs)
    np.testing.assert_allclose(analytic, numeric, rtol=1e-6, atol=1e-8, err_msg=name)


@pytest.mark.parametrize("name, fn, xs", CASES, ids=[f"{c[0]}-{c[2]}" for c in CASES])
def test_op_matches_torch(name, fn, xs, torch):
    data, grads = analytic_grads(fn, xs)
    ts = [torch.tensor(x, dtype=torch.float64, requires_grad=True) for x in xs]
    out = fn(*ts)
    out.backward()
    assert data == pytest.approx(out.item(), rel=1e-12, abs=1e-15)
    np.testing.assert_allclose(
        grads, [t.grad.item() for t in ts], rtol=1e-12, atol=1e-15
    )


# ----------------------------------------------------- random expressions vs torch
# Each step applies one op to earlier nodes.  The "safe" forms keep every op in
# its domain (log and / see a positive argument, exp sees a bounded one) so the
# same program runs unchanged on Values and on torch tensors.
UNARY = {
    "neg": lambda a: -a,
    "tanh": lambda a: a.tanh(),
    "sigmoid": lambda a: a.sigmoid(),
    "relu": lambda a: a.relu(),
    "exp": lambda a: a.tanh().exp(),
    "log": lambda a: (a * a + 0.5).log(),
    "square": lambda a: a**2,
    "sqrt": lambda a: (a * a + 0.1) ** 0.5,
    "rsub": lambda a: 1.5 - a,
    "rdiv": lambda a: 1.0 / (a * a + 1.0),
}
BINARY = {
    "add": lambda a, b: a + b,
    "sub": lambda a, b: a - b,
    "mul": lambda a, b: a * b,
    "div": lambda a, b: a / (b * b + 0.5),
}


def random_program(
    seed: int, n_inputs: int, n_steps: int
) -> list[tuple[str, int, int]]:
    """A list of (op name, i, j): node k = op(node i, node j) over inputs + earlier nodes."""
    rng = np.random.default_rng(seed)
    names = sorted(UNARY) + sorted(BINARY)
    program = []
    for step in range(n_steps):
        n_nodes = n_inputs + step
        i, j = (int(k) for k in rng.integers(0, n_nodes, size=2))
        program.append((names[rng.integers(len(names))], i, j))
    return program


def run_program(program: list[tuple[str, int, int]], inputs: list):
    """Evaluate with any scalar type (Value or 0-d torch tensor); sums the last 3 nodes."""
    nodes = list(inputs)
    for name, i, j in program:
        nodes.append(
            UNARY[name](nodes[i]) if name in UNARY else BINARY[name](nodes[i], nodes[j])
        )
    return nodes[-1] + nodes[-2] * nodes[-3]


@pytest.mark.parametrize("seed", range(12))
def test_random_expression_matches_torch(seed, torch):
    program = random_program(seed, n_inputs=3, n_steps=25)
    xs = np.random.default_rng(100 + seed).normal(size=3).tolist()
    values = [Value(x) for x in xs]
    out = run_program(program, values)
    out.backward()
    ts = [torch.tensor(x, dtype=torch.float64, requires_grad=True) for x in xs]
    t_out = run_program(program, ts)
    t_out.backward()
    assert out.data == pytest.approx(t_out.item(), rel=1e-9, abs=1e-12)
    for v, t in zip(values, ts):
        # torch gives None for an input the program never used
        expected = 0.0 if t.grad is None else t.grad.item()
        assert v.grad == pytest.approx(expected, rel=1e-9, abs=1e-12)


@pytest.mark.parametrize("seed", range(4))
def test_random_expression_matches_finite_differences(seed):
    program = random_program(seed, n_inputs=3, n_steps=15)
    xs = np.random.default_rng(200 + seed).normal(size=3).tolist()

    def fn(*vs: Value) -> Value:
        return run_program(program, list(vs))

    _, analytic = analytic_grads(fn, xs)
    np.testing.assert_allclose(analytic, numeric_grads(fn, xs), rtol=1e-5, atol=1e-7)


# ------------------------------------------------------------- accumulation
def test_value_used_twice_accumulates():
    a = Value(3.0)
    b = a * a  # d/da a^2 = 2a
    b.backward()
    assert a.grad == 6.0

    x = Value(-2.0)
    y = x + x  # d/dx = 2, both operands are the same object
    y.backward()
    assert x.grad == 2.0


def test_micrograd_style_reuse():
    # c = a + b; c = c + c + 1; c = c + 1 + c + (-a); d = a * b + b^3; ...
    a, b = Value(-4.0), Value(2.0)
    c = a + b
    d = a * b + b**3
    c = c + c + 1
    c = c + 1 + c + (-a)
    d = d + d * 2 + (b + a).relu()
    d = d + 3 * d + (b - a).relu()
    e = c - d
    f = e**2
    g = f / 2.0
    g = g + 10.0 / f
    g.backward()
    # by hand: c = 3a + 4b + 3 = -1;  d = 12(ab + b^3) + 6 = 6;  e = c - d = -7
    # g = e^2/2 + 10/e^2;  dg/de = e - 20/e^3 = -7 + 20/343
    dg_de = -7.0 + 20.0 / 343.0
    assert g.data == pytest.approx(49 / 2 + 10 / 49, rel=1e-14)
    assert a.grad == pytest.approx(dg_de * (3 - (12 * b.data - 1)), rel=1e-12)
    assert b.grad == pytest.approx(
        dg_de * (4 - 12 * (a.data + 3 * b.data**2) - 1), rel=1e-12
    )


def test_micrograd_style_reuse_matches_torch(torch):

    def program(a, b):
        c = a + b
        d = a * b + b**3
        c = c + c + 1
        c = c + 1 + c + (-a)
        d = d + d * 2 + (b + a).relu()
        d = d + 3 * d + (b - a).relu()
        e = c - d
        f = e**2
        g = f / 2.0
        return g + 10.0 / f

    a, b = Value(-4.0), Value(2.0)
    program(a, b).backward()
    ta, tb = (
        torch.tensor(x, dtype=torch.float64, requires_grad=True) for x in (-4.0, 2.0)
    )
    program(ta, tb).backward()
    assert a.grad == pytest.approx(ta.grad.item(), rel=1e-12)
    assert b.grad == pytest.approx(tb.grad.item(), rel=1e-12)


def test_leaf_grads_accumulate_across_backward_calls_interior_do_not():
    x = Value(1.5)
    h = x * 2.0
    y = h * h
    y.backward()
    y.backward()
    assert h.grad == 2 * h.data  # interior: recomputed, not doubled
    assert x.grad == 2 * (2 * h.data * 2.0)  # leaf: two calls' worth
    zero_grad([x])
    assert x.grad == 0.0


def test_long_chain_backward_is_iterative():
    x = Value(0.5)
    y = x
    for _ in range(10_000):
        y = y + x  # 10,000 adds, each one reusing x
    limit = sys.getrecursionlimit()
    y.backward()
    assert sys.getrecursionlimit() == limit
    assert x.grad == 10_001.0
    assert len(topological_order(y)) == 10_001  # x and the 10,000 sums


def test_long_chain_of_unary_ops():
    x = Value(0.3)
    y = x
    for _ in range(10_000):
        y = (y * 1.0001).tanh()
    y.backward()
    assert math.isfinite(x.grad)


def test_topological_order_puts_inputs_first():
    a, b = Value(1.0), Value(2.0)
    c = a * b
    d = c + a
    order = topological_order(d)
    position = {id(v): k for k, v in enumerate(order)}
    for node in order:
        for child in node._prev:
            assert position[id(child)] < position[id(node)]
    assert len(order) == 4


# ------------------------------------------------------------ conventions and errors
def test_relu_gradient_at_zero_is_zero():
    x = Value(0.0)
    y = x.relu()
    y.backward()
    assert y.data == 0.0
    assert x.grad == 0.0


def test_relu_gradient_at_zero_matches_torch(torch):
    t = torch.tensor(0.0, dtype=torch.float64, requires_grad=True)
    t.relu().backward()
    x = Value(0.0)
    x.relu().backward()
    assert x.grad == t.grad.item()


@pytest.mark.parametrize("bad", [0.0, -1.0, -1e-300])
def test_log_of_non_positive_raises(bad):
    with pytest.raises(ValueError, match=r"log.*positive"):
        Value(bad).log()


@pytest.mark.parametrize("x", [1000.0, -1000.0, 745.0, -745.0, 1e300, -1e300])
def test_sigmoid_is_stable_for_large_inputs(x):
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        v = Value(x)
        s = v.sigmoid()
        s.backward()
    assert s.data == pytest.approx(1.0 if x > 0 else 0.0, abs=1e-300)
    assert v.grad == pytest.approx(0.0, abs=1e-300)


def test_sigmoid_matches_exact_formula_mid_range():
    for x in [-30.0, -3.0, 0.0, 3.0, 30.0]:
        assert Value(x).sigmoid().data == pytest.approx(
            1 / (1 + math.exp(-x)), rel=1e-15
        )


def test_exp_overflow_raises_clear_error():
    with pytest.raises(OverflowError, match="exp"):
        Value(1000.0).exp()


def test_division_by_zero_raises():
    with pytest.raises(ZeroDivisionError, match="division"):
        Value(1.0) / 0.0


def test_pow_rejects_value_exponent_and_bad_domains():
    with pytest.raises(TypeError, match="constant number exponent"):
        Value(2.0) ** Value(3.0)
    with pytest.raises(ValueError, match="negative base"):
        Value(-2.0) ** 0.5
    with pytest.raises(ValueError, match="negative exponent"):
        Value(0.0) ** -1


def test_pow_edge_cases_match_torch_convention():
    x = Value(0.0)
    (x**0.5).backward()
    assert x.grad == math.inf  # d/dx sqrt(x) at 0
    y = Value(0.0)
    (y**0).backward()
    assert y.grad == 0.0


def test_unsupported_operand_raises_type_error():
    with pytest.raises(TypeError, match="unsupported operand"):
        Value(1.0) + "2"  # type: ignore[operator]


def test_numpy_scalars_defer_to_value():
    x = Value(3.0)
    y = np.float64(2.0) * x + np.int64(1)
    assert isinstance(y, Value)
    y.backward()
    assert (y.data, x.grad) == (7.0, 2.0)


def test_repr_and_labels():
    v = Value(1.5, label="w")
    assert repr(v) == "Value(data=1.5, grad=0, label='w')"
    assert repr(Value(2.0) * 3) == "Value(data=6, grad=0)"
    assert (Value(2.0) * 3)._op == "*"
    assert (Value(2.0).tanh())._op == "tanh"
