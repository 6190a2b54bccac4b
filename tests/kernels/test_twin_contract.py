"""The twin contract (docs/kernels.md), op by op, in both kernel modes.

Every op with a fast kernel (conv2d and conv1d through it, max_pool2d, exact GELU, the LSTM and
GRU layers):

1. decides its path at forward and records it in ``ctx.fast`` (True in the "fast" mode where the
   kernel serves the input, False in "reference");
2. saves the same inputs on both paths, so an in-place edit of an input (or of the output) after
   the forward is refused at backward in both modes alike, never in one only;
3. gives the same values and gradients on both paths (float64, 1e-10; GELU's kernel serves float32
   only, checked there at its float32 accuracy).

The ops that only call the sums kernel (``kernels/sums.py``: softmax, LayerNorm, a Linear's bias
gradient, sums and means over leading or trailing axes, cross-entropy) keep nothing that depends on
the mode; they are checked for equal values and gradients.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import pytest

import glassgrad as gg
from glassgrad import kernels, ops
from glassgrad.nn import functional as F

IN_PLACE = "modified by an inplace operation"


@pytest.fixture(autouse=True)
def _conv_kernel_on(monkeypatch):
    """The whole-row conv kernel is off by default (the plain path measured as fast); switch it on so
    that the "fast" mode runs it here."""
    from glassgrad.kernels import conv as conv_kernel

    monkeypatch.setattr(conv_kernel, "ENABLED", True)


@dataclass(frozen=True)
class Case:
    fn: Callable  # Tensors -> the op's output Tensor
    shapes: tuple[tuple[int, ...], ...]  # one random input of each shape
    saved: tuple[int, ...]  # the inputs the op saves: an in-place edit of them after the forward must raise
    op: str  # the name of the op class whose node records ctx.fast
    dtype: type = np.float64
    tol: float = 1e-10


def _lstm(*ts):
    out, h_n, c_n = ops.lstm_layer(*ts)
    return out


def _gru(*ts):
    out, _ = ops.gru_layer(*ts)
    return out


# every shape below is one the fast kernel serves (conv, once switched on: stride 1, windows of at
# least 64 values, rows at least 3/4 used)
CASES = {
    "conv2d": Case(lambda x, w, b: ops.conv2d(x, w, b, padding=1), ((2, 8, 6, 9), (4, 8, 3, 3), (4,)), (0, 1),
                   "Conv2d"),
    # windows of fewer than 64 values, with a bias: the bias-folded kernel (kernels/conv_bias.py)
    "conv2d bias folded": Case(lambda x, w, b: ops.conv2d(x, w, b, stride=2, padding=1),
                               ((2, 3, 7, 6), (4, 3, 3, 3), (4,)), (0, 1), "Conv2d"),
    "conv2d groups+dilation": Case(lambda x, w: ops.conv2d(x, w, padding=2, dilation=2, groups=2),
                                   ((2, 16, 7, 14), (6, 8, 3, 3)), (0, 1), "Conv2d"),
    # conv1d reaches Conv2d through reshapes, whose results keep version counters of their own: the
    # edits are judged alike in both modes (see below) but not refused, so no input is listed as saved
    "conv1d": Case(lambda x, w: ops.conv1d(x, w, padding=1), ((2, 32, 9), (3, 32, 3)), (), "Conv2d"),
    "max_pool2d": Case(lambda x: ops.max_pool2d(x, 2), ((2, 3, 8, 8),), (0,), "MaxPool2d"),
    "max_pool2d padded": Case(lambda x: ops.max_pool2d(x, 3, 2, 1), ((2, 3, 7, 8),), (0,), "MaxPool2d"),
    "gelu float32": Case(ops.gelu, ((64, 33),), (0,), "GELU", np.float32, 2e-6),
    "lstm_layer": Case(_lstm, ((4, 3, 5), (3, 6), (3, 6), (24, 5), (24, 6), (24,), (24,)), (0, 3, 4),
                       "LSTMLayer"),
    "gru_layer": Case(_gru, ((4, 3, 5), (3, 6), (18, 5), (18, 6), (18,), (18,)), (0, 2, 3), "GRULayer"),
}


def _arrays(case: Case, seed: int = 0) -> list[np.ndarray]:
    rng = np.random.default_rng(seed)
    return [(rng.standard_normal(shape) * 0.5).astype(case.dtype) for shape in case.shapes]


def _op_node(out: gg.Tensor, op: str):
    """The graph node of the op named ``op`` that ``out`` comes from (it may sit behind a reshape or slice)."""
    stack, seen = [out], set()
    while stack:
        t = stack.pop()
        node = t._node
        if node is None or id(node) in seen:
            continue
        seen.add(id(node))
        if node.op.__name__ == op:
            return node
        stack.extend(node.inputs)
    raise AssertionError(f"no {op} node behind the output")


def _backward_after_edit(case: Case, mode: str, edit: int | str) -> bool:
    """Forward in ``mode``, an in-place edit of input ``edit`` (or of the output), backward:
    True when the backward refused it as an in-place modification, False when it ran."""
    with kernels.use(mode):
        inputs = [gg.Tensor(a, requires_grad=True) for a in _arrays(case)]
        out = case.fn(*inputs)
        with gg.no_grad():
            (out if edit == "output" else inputs[edit]).add_(1.0)
        try:
            out.backward(gg.ones_like(out))
        except RuntimeError as err:
            assert IN_PLACE in str(err)
            return True
        return False


@pytest.mark.parametrize("name", CASES)
@pytest.mark.parametrize("mode", kernels.MODES)
def test_forward_records_its_path_in_ctx(name, mode):
    case = CASES[name]
    with kernels.use(mode):
        out = case.fn(*[gg.Tensor(a, requires_grad=True) for a in _arrays(case)])
    assert _op_node(out, case.op).ctx.fast is (mode == "fast")


@pytest.mark.parametrize("name", CASES)
@pytest.mark.parametrize("mode", kernels.MODES)
def test_in_place_edit_of_a_saved_input_raises_at_backward(name, mode):
    case = CASES[name]
    for position in case.saved:
        assert _backward_after_edit(case, mode, position), f"input {position} edited in place went unnoticed"


@pytest.mark.parametrize("name", CASES)
def test_in_place_edits_after_forward_are_judged_alike_in_both_modes(name):
    """Every input and the output: refused in both modes or in neither (both paths save the same inputs)."""
    case = CASES[name]
    for edit in [*range(len(case.shapes)), "output"]:
        outcomes = {mode: _backward_after_edit(case, mode, edit) for mode in kernels.MODES}
        assert outcomes["fast"] == outcomes["reference"], f"edit of {edit}: {outcomes}"


def _values_and_gradients(fn: Callable, arrays: list[np.ndarray], mode: str) -> list[np.ndarray]:
    with kernels.use(mode):
        inputs = [gg.Tensor(a, requires_grad=True) for a in arrays]
        out = fn(*inputs)
        upstream = np.random.default_rng(1).standard_normal(out.shape).astype(arrays[0].dtype)
        out.backward(gg.tensor(upstream))
        return [out.numpy()] + [t.grad.numpy() for t in inputs]


def _assert_equal_in_both_modes(fn: Callable, arrays: list[np.ndarray], tol: float) -> None:
    fast, reference = (_values_and_gradients(fn, arrays, mode) for mode in kernels.MODES)
    for a, b in zip(fast, reference):
        np.testing.assert_allclose(a, b, rtol=tol, atol=tol)


@pytest.mark.parametrize("name", CASES)
def test_both_modes_give_equal_values_and_gradients(name):
    case = CASES[name]
    _assert_equal_in_both_modes(case.fn, _arrays(case), case.tol)


# ops that call the sums kernel (arrays of at least kernels.sums.SMALLEST elements, so it serves them)
SUMS_USERS = {
    "softmax": (lambda x: F.softmax(x, dim=-1), ((64, 128),)),
    "log_softmax dim 0": (lambda x: F.log_softmax(x, dim=0), ((64, 128),)),
    "layer_norm": (lambda x, w, b: F.layer_norm(x, (128,), w, b), ((8, 64, 128), (128,), (128,))),
    "linear": (lambda x, w, b: F.linear(x, w, b), ((256, 32), (16, 32), (16,))),
    "sum over leading axes": (lambda x: x.sum(dim=(0, 1)), ((16, 32, 64),)),
    "mean over the last axis": (lambda x: x.mean(dim=-1), ((64, 128),)),
    "broadcast add": (lambda x, b: x + b, ((64, 128), (128,))),
    "cross_entropy": (lambda x: F.cross_entropy(x, gg.tensor(np.arange(64) % 128)), ((64, 128),)),
}


@pytest.mark.parametrize("name", SUMS_USERS)
def test_sums_kernel_users_give_equal_values_and_gradients(name):
    fn, shapes = SUMS_USERS[name]
    rng = np.random.default_rng(0)
    _assert_equal_in_both_modes(fn, [rng.standard_normal(s) for s in shapes], 1e-10)


@pytest.mark.parametrize("mode", kernels.MODES)
def test_max_pool2d_input_edited_through_its_base_raises_in_both_modes(mode):
    """A view shares its base's version counter (as torch's), so an edit of the base after
    max_pool2d(view) is refused at backward on both paths, as torch refuses it."""
    x = np.random.default_rng(0).standard_normal((2, 3, 4, 4))
    with kernels.use(mode):
        leaf = gg.Tensor(x, requires_grad=True)
        base = leaf * 1
        out = ops.max_pool2d(base.view(2, 3, 4, 4), 2)
        with gg.no_grad():
            base.mul_(-1)  # every maximum changes
        with pytest.raises(RuntimeError, match=IN_PLACE):
            out.backward(gg.ones_like(out))
