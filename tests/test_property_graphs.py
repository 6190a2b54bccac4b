"""Property tests for the autograd engine: random composite graphs in float64.

Hypothesis draws a small program: two or three leaf tensors whose shapes broadcast
together, then a chain of steps, each applying one op to earlier values:

- smooth pointwise maps (no kinks, so finite differences are exact enough);
- broadcasting binary ops between two earlier values, and ``cat`` along a random dim;
- reductions (sum, mean, prod, var, logsumexp, softmax, cumsum) over random dims, with and without keepdim;
- indexing: an int, a slice with a step, an integer list with repeats and negative entries
  (its gradient must accumulate), two integer lists together, a boolean mask, ``gather``;
- shape moves: transpose, permute, flatten, unsqueeze + expand;
- matmul against a new leaf, 1-D, 2-D and batched (with batch broadcasting), on either side.

glassgrad's public API is torch's, so one lambda ``fn(m, ...)`` runs the step on
``m = glassgrad`` and on ``m = torch``. The output and every leaf's gradient under a
random upstream gradient must agree with torch; where torch is not installed, the
gradients are checked by central finite differences (``glassgrad.gradcheck``) instead.
A failing example prints the program step by step.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pytest
from hypothesis import given, note, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import mutually_broadcastable_shapes

import glassgrad as gg
from tests.helpers.torch_oracle import _real_torch

# a step: (text for the report, fn(m, leaves, values) -> tensor), m being glassgrad or torch
StepFn = Callable[[Any, list[Any], list[Any]], Any]

MAX_NUMEL = 48  # keep every intermediate small: the finite-difference check nudges each leaf element


@dataclass
class Program:
    """Leaf arrays and the steps computed from them; every step's value is an output."""

    leaves: list[np.ndarray] = field(default_factory=list)
    steps: list[tuple[str, StepFn]] = field(default_factory=list)

    def run(self, m: Any, leaves: list[Any]) -> list[Any]:
        values: list[Any] = []
        for _, fn in self.steps:
            values.append(fn(m, leaves, values))
        return values

    def describe(self) -> str:
        return "\n".join(f"v{i} = {text}" for i, (text, _) in enumerate(self.steps))


# ----- the step menus -----------------------------------------------------------------------------
POINTWISE: list[tuple[str, Callable[[Any, Any], Any]]] = [
    ("tanh({})", lambda m, x: m.tanh(x)),
    ("sigmoid({})", lambda m, x: m.sigmoid(x)),
    ("sin({})", lambda m, x: m.sin(x)),
    ("{0} * {0}", lambda m, x: x * x),
    ("exp(tanh({}))", lambda m, x: m.exp(m.tanh(x))),
    ("{0} / (1 + {0}**2)", lambda m, x: x / (1 + x**2)),
    ("log(1 + {0} * {0})", lambda m, x: m.log(1 + x * x)),
    ("softplus({})", lambda m, x: m.nn.functional.softplus(x)),
    ("2.5 - 0.5 * {}", lambda m, x: 2.5 - 0.5 * x),
    ("{} ** 3", lambda m, x: x**3),
]

BINARY: list[tuple[str, Callable[[Any, Any, Any], Any]]] = [
    ("{} + {}", lambda m, a, b: a + b),
    ("{} - {}", lambda m, a, b: a - b),
    ("{} * {}", lambda m, a, b: a * b),
    ("{} / (2 + tanh({}))", lambda m, a, b: a / (2 + m.tanh(b))),
]


def _value(i: int) -> StepFn:
    return lambda m, leaves, values: values[i]


@st.composite
def programs(draw: Any) -> Program:
    """A random program; its steps are chosen knowing each value's shape (found by running glassgrad)."""
    program = Program()
    seed = draw(st.integers(0, 2**32 - 1))
    rng = np.random.default_rng(seed)
    shapes: list[tuple[int, ...]] = []

    def add(text: str, fn: StepFn) -> None:
        leaves = [gg.tensor(a) for a in program.leaves]
        values = [gg.tensor(np.zeros(s)) for s in shapes]
        shapes.append(tuple(fn(gg, leaves, values).shape))
        program.steps.append((text, fn))

    def add_leaf(shape: tuple[int, ...]) -> int:
        k = len(program.leaves)
        program.leaves.append(rng.uniform(-1.5, 1.5, size=shape))
        add(f"leaf{k} {shape}", lambda m, leaves, values: leaves[k])
        return len(shapes) - 1

    start = draw(mutually_broadcastable_shapes(num_shapes=draw(st.integers(2, 3)), max_dims=3, max_side=3))
    for shape in start.input_shapes:
        add_leaf(tuple(shape))

    for _ in range(draw(st.integers(1, 6))):
        i = draw(st.integers(0, len(shapes) - 1))
        shape, x = shapes[i], f"v{i}"
        ndim = len(shape)
        kind = draw(st.sampled_from(["pointwise", "binary", "reduce", "index", "shape", "matmul", "cat"]))
        if kind == "binary":
            partners = [j for j, s in enumerate(shapes) if _broadcasts(s, shape)]
            j = draw(st.sampled_from(partners))  # i itself always qualifies
            text, op = draw(st.sampled_from(BINARY))
            add(text.format(x, f"v{j}"), lambda m, leaves, values, op=op, i=i, j=j: op(m, values[i], values[j]))
            continue
        if kind in ("reduce", "index", "shape", "cat") and ndim == 0:
            kind = "pointwise"
        if kind == "matmul" and (ndim == 0 or ndim > 3):
            kind = "pointwise"
        if kind == "pointwise":
            text, op = draw(st.sampled_from(POINTWISE))
            add(text.format(x), lambda m, leaves, values, op=op, i=i: op(m, values[i]))
        elif kind == "reduce":
            _draw_reduction(draw, add, i, shape)
        elif kind == "index":
            _draw_index(draw, add, i, shape)
        elif kind == "shape":
            _draw_shape_move(draw, add, i, shape)
        elif kind == "cat":
            d = draw(st.integers(-ndim, ndim - 1))
            add(f"cat([{x}, sin({x})], dim={d})",
                lambda m, leaves, values, i=i, d=d: m.cat([values[i], m.sin(values[i])], dim=d))
        else:
            _draw_matmul(draw, add, add_leaf, i, shape)
    return program


def _broadcasts(a: tuple[int, ...], b: tuple[int, ...]) -> bool:
    try:
        out = np.broadcast_shapes(a, b)
    except ValueError:
        return False
    return int(np.prod(out)) <= MAX_NUMEL


def _draw_reduction(draw: Any, add: Callable[[str, StepFn], None], i: int, shape: tuple[int, ...]) -> None:
    ndim, x = len(shape), f"v{i}"
    d = draw(st.integers(-ndim, ndim - 1))
    keep = draw(st.booleans())
    dims = tuple(draw(st.lists(st.integers(0, ndim - 1), min_size=1, max_size=ndim, unique=True)))
    choice = draw(st.sampled_from(["sum_dims", "mean_dims", "sum_all", "prod", "logsumexp", "softmax",
                                   "log_softmax", "cumsum", "var"]))
    if choice == "var" and shape[d] < 2:  # one value has no variance (torch: NaN and a warning)
        choice = "sum_all"
    if choice == "sum_dims":
        add(f"{x}.sum(dim={dims}, keepdim={keep})",
            lambda m, leaves, values: values[i].sum(dim=dims, keepdim=keep))
    elif choice == "mean_dims":
        add(f"{x}.mean(dim={dims}, keepdim={keep})",
            lambda m, leaves, values: values[i].mean(dim=dims, keepdim=keep))
    elif choice == "sum_all":
        add(f"{x}.sum()", lambda m, leaves, values: values[i].sum())
    elif choice == "prod":  # of values kept in (1, 2): no zero, so the gradient has no 0/0
        add(f"(1.5 + 0.4 * tanh({x})).prod(dim={d}, keepdim={keep})",
            lambda m, leaves, values: (1.5 + 0.4 * m.tanh(values[i])).prod(dim=d, keepdim=keep))
    elif choice == "logsumexp":
        add(f"{x}.logsumexp(dim={d}, keepdim={keep})",
            lambda m, leaves, values: values[i].logsumexp(dim=d, keepdim=keep))
    elif choice == "softmax":
        add(f"softmax({x}, dim={d})", lambda m, leaves, values: m.softmax(values[i], dim=d))
    elif choice == "log_softmax":
        add(f"{x}.log_softmax({d})", lambda m, leaves, values: values[i].log_softmax(d))
    elif choice == "var":
        add(f"{x}.var(dim={d}, keepdim={keep})", lambda m, leaves, values: values[i].var(dim=d, keepdim=keep))
    else:
        add(f"{x}.cumsum({d})", lambda m, leaves, values: values[i].cumsum(d))


def _draw_index(draw: Any, add: Callable[[str, StepFn], None], i: int, shape: tuple[int, ...]) -> None:
    ndim, x = len(shape), f"v{i}"
    axis = draw(st.integers(0, ndim - 1))
    size = shape[axis]
    lead = (slice(None),) * axis
    choice = draw(st.sampled_from(["int", "slice", "list", "two_lists", "mask", "gather"]))
    if choice == "two_lists" and ndim < 2:
        choice = "list"
    if choice == "int":
        k = draw(st.integers(-size, size - 1))
        index: Any = lead + (k,)
        text = f"{x}[{':, ' * axis}{k}]"
    elif choice == "slice":
        start = draw(st.integers(0, size - 1))
        stop = draw(st.integers(start + 1, size))
        step = draw(st.integers(1, 2))
        index, text = lead + (slice(start, stop, step),), f"{x}[{':, ' * axis}{start}:{stop}:{step}]"
    elif choice == "list":  # repeats: the gradient must add up, not overwrite
        picks = draw(st.lists(st.integers(-size, size - 1), min_size=1, max_size=4))
        index, text = lead + (picks,), f"{x}[{':, ' * axis}{picks}]"
    elif choice == "two_lists":
        n = draw(st.integers(1, 3))
        rows = draw(st.lists(st.integers(-shape[0], shape[0] - 1), min_size=n, max_size=n))
        cols = draw(st.lists(st.integers(-shape[1], shape[1] - 1), min_size=n, max_size=n))
        index, text = (rows, cols), f"{x}[{rows}, {cols}]"
    elif choice == "gather":  # an index tensor of x's shape but a new length along axis, repeats allowed
        length = draw(st.integers(1, 3))
        gather_shape = shape[:axis] + (length,) + shape[axis + 1:]
        picks = np.array(draw(st.lists(st.integers(0, size - 1), min_size=int(np.prod(gather_shape)),
                                       max_size=int(np.prod(gather_shape))))).reshape(gather_shape)
        add(f"{x}.gather({axis}, {picks.tolist()})",
            lambda m, leaves, values: values[i].gather(axis, m.tensor(picks, dtype=m.int64)))
        return
    else:
        mask = draw(st.lists(st.booleans(), min_size=shape[0], max_size=shape[0]).filter(any))
        add(f"{x}[mask {mask}]", lambda m, leaves, values: values[i][m.tensor(mask)])
        return
    add(text, lambda m, leaves, values: values[i][index])


def _draw_shape_move(draw: Any, add: Callable[[str, StepFn], None], i: int, shape: tuple[int, ...]) -> None:
    ndim, x = len(shape), f"v{i}"
    choice = draw(st.sampled_from(["transpose", "permute", "flatten", "expand"]))
    if choice == "expand" and (ndim >= 4 or 2 * int(np.prod(shape)) > MAX_NUMEL):
        choice = "flatten"
    if choice == "transpose":
        d0, d1 = draw(st.integers(-ndim, ndim - 1)), draw(st.integers(-ndim, ndim - 1))
        add(f"{x}.transpose({d0}, {d1})", lambda m, leaves, values: values[i].transpose(d0, d1))
    elif choice == "permute":
        order = tuple(draw(st.permutations(range(ndim))))
        add(f"{x}.permute{order}", lambda m, leaves, values: values[i].permute(*order))
    elif choice == "flatten":
        add(f"{x}.flatten()", lambda m, leaves, values: values[i].flatten())
    else:  # a new axis of length 2 in front: the gradient sums over it
        d = draw(st.integers(0, ndim))
        target = shape[:d] + (2,) + shape[d:]
        add(f"{x}.unsqueeze({d}).expand{target}",
            lambda m, leaves, values: values[i].unsqueeze(d).expand(*target))


def _draw_matmul(draw: Any, add: Callable[[str, StepFn], None], add_leaf: Callable[[tuple[int, ...]], int],
                 i: int, shape: tuple[int, ...]) -> None:
    """``x @ W`` or ``V @ x`` with a new leaf shaped to fit: vector, matrix or batched (batch dims broadcast)."""
    ndim, x = len(shape), f"v{i}"
    n = draw(st.integers(1, 3))
    kind = draw(st.sampled_from(["vector", "matrix", "batched"]))
    batch = (draw(st.sampled_from([1, 2])),) if ndim <= 2 else (1,)
    on_left = ndim >= 2 and draw(st.booleans())
    if on_left:
        inner = shape[-2]
        partner = {"vector": (inner,), "matrix": (n, inner), "batched": batch + (n, inner)}[kind]
        w = add_leaf(partner)
        add(f"v{w} @ {x}", lambda m, leaves, values: values[w] @ values[i])
    else:
        inner = shape[-1]
        partner = {"vector": (inner,), "matrix": (inner, n), "batched": batch + (inner, n)}[kind]
        w = add_leaf(partner)
        add(f"{x} @ v{w}", lambda m, leaves, values: values[i] @ values[w])


# ----- the properties -------------------------------------------------------------------------------
Results = tuple[list[np.ndarray], list[np.ndarray | None]]  # every value, every leaf's gradient


def _run(m: Any, program: Program, upstreams: list[np.ndarray]) -> Results:
    """Run on ``m`` (glassgrad or torch); backward from L = sum_k sum(value_k * upstream_k), so every
    step's gradient path is exercised, not only the last step's."""
    leaves = [m.tensor(a, dtype=m.float64, requires_grad=True) for a in program.leaves]
    values = program.run(m, leaves)
    loss = sum((v * m.tensor(u, dtype=m.float64)).sum() for v, u in zip(values, upstreams))
    loss.backward()
    return ([v.detach().numpy() for v in values],
            [None if t.grad is None else t.grad.detach().numpy() for t in leaves])


def _upstreams(program: Program) -> list[np.ndarray]:
    rng = np.random.default_rng(len(program.steps))
    return [rng.standard_normal(tuple(v.shape)) for v in program.run(gg, [gg.tensor(a) for a in program.leaves])]


def _check_with_finite_differences(program: Program) -> None:
    leaves = [gg.tensor(a.copy(), requires_grad=True) for a in program.leaves]
    gg.gradcheck(lambda *xs: tuple(program.run(gg, list(xs))), leaves, atol=1e-6, rtol=1e-5)


@given(programs())
def test_random_graphs_match_torch(program: Program) -> None:
    """Output and every leaf gradient equal torch's; without torch, finite differences check the gradients."""
    note(program.describe())
    torch = _real_torch()
    if torch is None:
        _check_with_finite_differences(program)
        return
    upstreams = _upstreams(program)
    values, grads = _run(gg, program, upstreams)
    expected_values, expected_grads = _run(torch, program, upstreams)
    for k, (got, expected) in enumerate(zip(values, expected_values)):
        assert got.dtype == np.float64 and got.shape == expected.shape, f"v{k}: {got.dtype} {got.shape}"
        np.testing.assert_allclose(got, expected, rtol=1e-9, atol=1e-12, err_msg=f"value v{k}")
    for k, (got, expected) in enumerate(zip(grads, expected_grads)):
        assert (got is None) == (expected is None), f"leaf{k}: grad {got} vs torch's {expected}"
        if got is not None:
            assert got.shape == program.leaves[k].shape
            np.testing.assert_allclose(got, expected, rtol=1e-9, atol=1e-12, err_msg=f"gradient of leaf{k}")


@settings(max_examples=10)
@given(programs())
def test_random_graphs_pass_finite_differences(program: Program) -> None:
    """The same programs' gradients against central differences, run whether or not torch is installed."""
    note(program.describe())
    _check_with_finite_differences(program)


@pytest.mark.parametrize("seed", range(3))
def test_a_long_chain_reuses_values(seed: int) -> None:
    """One value used by many later steps: its gradient is the sum over every path (fan-out)."""
    rng = np.random.default_rng(seed)
    a = gg.tensor(rng.uniform(-1, 1, (3, 1)), requires_grad=True)
    b = gg.tensor(rng.uniform(-1, 1, (4,)), requires_grad=True)

    def graph(a: Any, b: Any) -> Any:
        s = a * b  # (3, 4)
        t = gg.tanh(s) + s.sum(dim=0) - s.mean(dim=1, keepdim=True)
        return (t[[0, 0, 2]] @ b) * s[:, -1] + t.logsumexp(dim=0)[:3]

    gg.gradcheck(graph, [a, b])


# ----- reductions of empty tensors: the op's identity, or torch's error -------------------------------
# what a reduction gives over an empty slice (torch's values); an exception type: torch refuses it
EMPTY_SLICE = {
    "sum": 0.0, "prod": 1.0, "mean": np.nan, "var": np.nan, "std": np.nan, "logsumexp": -np.inf, "norm": 0.0,
    "amax": IndexError, "amin": IndexError, "argmax": IndexError,
}
SAME_SHAPE = ("softmax", "log_softmax", "cumsum", "cumprod")  # an empty input gives an empty output


@st.composite
def empty_reductions(draw: Any) -> tuple[tuple[int, ...], str, tuple[int, ...], bool]:
    """(shape with a zero dim, op, dims it reduces, keepdim)."""
    shape = list(draw(st.lists(st.integers(0, 3), min_size=1, max_size=3)))
    shape[draw(st.integers(0, len(shape) - 1))] = 0
    op = draw(st.sampled_from([*EMPTY_SLICE, *SAME_SHAPE]))
    single = op in SAME_SHAPE or op in ("argmax",)
    dims = (draw(st.integers(0, len(shape) - 1)),) if single else tuple(
        draw(st.lists(st.integers(0, len(shape) - 1), min_size=1, max_size=len(shape), unique=True)))
    return tuple(shape), op, dims, draw(st.booleans())


def _reduce(m: Any, x: Any, op: str, dims: tuple[int, ...], keep: bool) -> Any:
    if op in SAME_SHAPE:
        return getattr(x, op)(dims[0])
    if op in ("argmax", "prod"):
        return getattr(x, op)(dims[0], keepdim=keep) if op == "argmax" or len(dims) == 1 else x.prod()
    return getattr(x, op)(dims, keepdim=keep) if op != "norm" else x.norm(dim=dims, keepdim=keep)


@pytest.mark.filterwarnings("ignore:.*degrees of freedom")
@given(empty_reductions())
def test_reductions_of_empty_tensors_give_the_identity_or_torchs_error(case: Any) -> None:
    """Over an empty slice: sum 0, prod 1, mean/var/std NaN, logsumexp -inf, norm 0, a max refused;
    an empty result where no reduced dim is empty; the gradient is an empty tensor; torch agrees."""
    shape, op, dims, keep = case
    note(f"{op} over dims {dims} of {shape}, keepdim={keep}")
    x = gg.zeros(shape, dtype=gg.float64, requires_grad=True)
    reduced_empty = any(shape[d] == 0 for d in dims)
    expected = EMPTY_SLICE.get(op)
    if isinstance(expected, type):
        if reduced_empty:
            with pytest.raises(expected):
                _reduce(gg, x, op, dims, keep)
            return
    y = _reduce(gg, x, op, dims, keep)
    if op in SAME_SHAPE:
        assert y.shape == shape
    elif not isinstance(expected, type):
        prod_all = op == "prod" and len(dims) > 1
        assert y.shape == np.zeros(shape).sum(axis=None if prod_all else dims, keepdims=keep and not prod_all).shape
        assert y.numel() == 0 or reduced_empty
        np.testing.assert_array_equal(y.detach().numpy(), np.full(y.shape, expected))
    if y.dtype == gg.float64:  # not argmax's indices
        y.sum().backward()
        assert x.grad.shape == shape and x.grad.numel() == 0
    torch = _real_torch()
    if torch is not None:
        answer = _reduce(torch, torch.zeros(shape, dtype=torch.float64), op, dims, keep)
        np.testing.assert_array_equal(y.detach().numpy(), answer.numpy())
