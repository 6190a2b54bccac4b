"""Op-table rows for the margin, likelihood and CTC losses (joined into ``OPS`` by op_table.py).

Class indices, +-1 targets, weights and lengths are parameters (no gradient); inputs keep away
from each hinge's kink. CTC is checked through a log_softmax of free logits, as torch's own
gradcheck does (its gradient is torch's logit-space one; see glassgrad/ops/ctc.py).
"""

from __future__ import annotations

from typing import Any

import hypothesis.extra.numpy as hnp
import numpy as np
from hypothesis import assume
from hypothesis import strategies as st

from glassgrad import Tensor, ops
from tests.ops.op_table import OpSpec
from tests.ops.strategies import POSITIVE, Case, Domain, array

REDUCTIONS = st.sampled_from(["mean", "sum", "none"])


def _gg(op: Any) -> Any:
    """op(*arrays, **params) with array parameters as glassgrad tensors (floats in the input's dtype)."""
    def call(*xs: Any, **params: Any) -> Any:
        def convert(value: Any) -> Any:
            if not isinstance(value, np.ndarray):
                return value
            return Tensor(value.astype(xs[0].dtype) if value.dtype.kind == "f" else value)
        return op(*xs, **{k: convert(v) for k, v in params.items()})
    return call


def _torch(name: str) -> Any:
    def call(t: Any, *xs: Any, **params: Any) -> Any:
        def convert(value: Any) -> Any:
            if not isinstance(value, np.ndarray):
                return value
            tensor = t.from_numpy(value)
            return tensor.to(xs[0].dtype) if value.dtype.kind == "f" else tensor
        return getattr(t.nn.functional, name)(*xs, **{k: convert(v) for k, v in params.items()})
    return call


def _signs(draw: st.DrawFn, shape: tuple[int, ...]) -> np.ndarray:
    return draw(hnp.arrays(np.int64, shape, elements=st.sampled_from([-1, 1]))).astype(np.float64)


@st.composite
def soft_margin_case(draw: st.DrawFn) -> Case:
    shape = draw(st.sampled_from([(3,), (2, 3)]))
    return Case((draw(array(shape)),), {"target": _signs(draw, shape), "reduction": draw(REDUCTIONS)})


@st.composite
def hinge_embedding_case(draw: st.DrawFn) -> Case:
    shape = draw(st.sampled_from([(3,), (2, 3)]))
    margin = draw(st.sampled_from([1.0, 0.5]))
    x = draw(array(shape, Domain(avoid=(margin,))))
    return Case((x,), {"target": _signs(draw, shape), "margin": margin, "reduction": draw(REDUCTIONS)})


def _scores(draw: st.DrawFn) -> tuple[np.ndarray, int, int]:
    n, c = draw(st.integers(1, 3)), draw(st.integers(2, 4))
    one_d = draw(st.booleans())
    x = draw(array((c,) if one_d else (n, c)))
    return x, (1 if one_d else n), c


@st.composite
def multi_margin_case(draw: st.DrawFn) -> Case:
    x, n, c = _scores(draw)
    target = draw(hnp.arrays(np.int64, (n,), elements=st.integers(0, c - 1)))
    margin = draw(st.sampled_from([1.0, 0.5]))
    rows = x.reshape(n, c)
    z = margin - rows[np.arange(n), target][:, None] + rows
    assume(bool(np.all(np.abs(z) >= 0.05)))
    params: dict[str, Any] = {"target": target.reshape(()) if x.ndim == 1 else target,
                              "p": draw(st.sampled_from([1, 2])), "margin": margin, "reduction": draw(REDUCTIONS)}
    if draw(st.booleans()):
        params["weight"] = draw(array((c,), Domain(0.2, 2.0)))
    return Case((x,), params)


@st.composite
def multilabel_margin_case(draw: st.DrawFn) -> Case:
    x, n, c = _scores(draw)
    target = draw(hnp.arrays(np.int64, (n, c), elements=st.integers(-1, c - 1)))
    rows = x.reshape(n, c)
    z = 1 - rows[:, :, None] + rows[:, None, :]
    assume(bool(np.all(np.abs(z) >= 0.05)))
    return Case((x,), {"target": target.reshape(x.shape), "reduction": draw(REDUCTIONS)})


@st.composite
def multilabel_soft_margin_case(draw: st.DrawFn) -> Case:
    shape = draw(st.sampled_from([(2, 3), (1, 4), (3,)]))
    params: dict[str, Any] = {"reduction": draw(REDUCTIONS)}
    if draw(st.booleans()):
        params["weight"] = draw(array(shape[-1:], Domain(0.2, 2.0)))
    return Case((draw(array(shape)), draw(array(shape, Domain(0.0, 1.0)))), params)


@st.composite
def triplet_case(draw: st.DrawFn, with_norm: bool = True) -> Case:
    shape = draw(st.sampled_from([(2, 3), (3,), (1, 2)]))
    a, p, n = (draw(array(shape)) for _ in range(3))
    margin, swap = draw(st.sampled_from([1.0, 0.5])), draw(st.booleans())
    norm = draw(st.sampled_from([1, 2])) if with_norm else 2
    for u, v in ((a, p), (a, n), (p, n)):
        assume(bool(np.all(np.abs(u - v + 1e-6) >= 0.05)))  # the norm is smooth there

    def dist(u: np.ndarray, v: np.ndarray) -> np.ndarray:
        return np.linalg.norm(u - v + 1e-6, ord=norm, axis=-1)

    d_neg = np.minimum(dist(a, n), dist(p, n)) if swap else dist(a, n)
    assume(bool(np.all(np.abs(margin + dist(a, p) - d_neg) >= 0.05)))
    if swap:
        assume(bool(np.all(np.abs(dist(a, n) - dist(p, n)) >= 0.05)))
    params: dict[str, Any] = {"margin": margin, "swap": swap, "reduction": draw(REDUCTIONS)}
    if with_norm:
        params["p"] = norm
    return Case((a, p, n), params)


@st.composite
def gaussian_nll_case(draw: st.DrawFn) -> Case:
    shape = draw(st.sampled_from([(2, 3), (3,), (2, 2, 2)]))
    var_shape = draw(st.sampled_from([shape, shape[:-1], shape[:-1] + (1,)]))
    arrays = (draw(array(shape)), draw(array(shape)), draw(array(var_shape, POSITIVE)))
    return Case(arrays, {"full": draw(st.booleans()), "reduction": draw(REDUCTIONS)})


@st.composite
def poisson_nll_case(draw: st.DrawFn) -> Case:
    shape = draw(st.sampled_from([(2, 3), (4,)]))
    log_input = draw(st.booleans())
    x = draw(array(shape) if log_input else array(shape, POSITIVE))
    target = draw(array(shape, Domain(0.2, 3.0, avoid=(1.0,))))  # the Stirling term switches on at t = 1
    return Case((x, target), {"log_input": log_input, "full": draw(st.booleans()), "reduction": draw(REDUCTIONS)})


@st.composite
def ctc_case(draw: st.DrawFn) -> Case:
    """Free logits (T, N, C); padded targets without blanks; lengths that leave an alignment."""
    t_max, n, c = draw(st.integers(2, 5)), draw(st.integers(1, 2)), draw(st.integers(2, 4))
    s_max = draw(st.integers(1, 2))
    targets = draw(hnp.arrays(np.int64, (n, s_max), elements=st.integers(1, c - 1)))
    target_lengths = draw(hnp.arrays(np.int64, (n,), elements=st.integers(0, s_max)))
    input_lengths = draw(hnp.arrays(np.int64, (n,), elements=st.integers(1, t_max)))
    for i in range(n):  # room for the labels and a blank between each repeated pair
        labels = targets[i, :target_lengths[i]]
        assume(input_lengths[i] >= target_lengths[i] + int(np.sum(labels[1:] == labels[:-1])))
    return Case((draw(array((t_max, n, c))),), {
        "targets": targets, "input_lengths": input_lengths, "target_lengths": target_lengths,
        "reduction": draw(REDUCTIONS), "zero_infinity": draw(st.booleans())})


def _gg_ctc(z: Any, targets: Any, input_lengths: Any, target_lengths: Any, **params: Any) -> Any:
    return ops.ctc_loss(ops.log_softmax(z, 2), Tensor(targets), Tensor(input_lengths), Tensor(target_lengths),
                        **params)


def _torch_ctc(t: Any, z: Any, targets: Any, input_lengths: Any, target_lengths: Any, **params: Any) -> Any:
    return t.nn.functional.ctc_loss(z.log_softmax(2), t.from_numpy(targets), t.from_numpy(input_lengths),
                                    t.from_numpy(target_lengths), **params)


ROWS: list[OpSpec] = [
    OpSpec("soft_margin_loss", _gg(ops.soft_margin_loss), _torch("soft_margin_loss"), soft_margin_case()),
    OpSpec("hinge_embedding_loss", _gg(ops.hinge_embedding_loss), _torch("hinge_embedding_loss"),
           hinge_embedding_case()),
    OpSpec("multi_margin_loss", _gg(ops.multi_margin_loss), _torch("multi_margin_loss"), multi_margin_case()),
    OpSpec("multilabel_margin_loss", _gg(ops.multilabel_margin_loss), _torch("multilabel_margin_loss"),
           multilabel_margin_case()),
    OpSpec("multilabel_soft_margin_loss", _gg(ops.multilabel_soft_margin_loss),
           _torch("multilabel_soft_margin_loss"), multilabel_soft_margin_case()),
    OpSpec("triplet_margin_loss", ops.triplet_margin_loss, _torch("triplet_margin_loss"), triplet_case()),
    OpSpec("triplet_margin_with_distance_loss", ops.triplet_margin_with_distance_loss,
           _torch("triplet_margin_with_distance_loss"), triplet_case(with_norm=False)),
    OpSpec("gaussian_nll_loss", ops.gaussian_nll_loss, _torch("gaussian_nll_loss"), gaussian_nll_case()),
    OpSpec("poisson_nll_loss", ops.poisson_nll_loss, _torch("poisson_nll_loss"), poisson_nll_case()),
    OpSpec("ctc_loss", _gg_ctc, _torch_ctc, ctc_case()),
]
