"""Op-table rows for the losses (joined into ``OPS`` by op_table.py).

Class indices, binary targets, signs and class weights are parameters, not differentiable
inputs (torch gives them no gradient either); float parameters take the input's dtype on both
sides. Inputs keep away from the kinks of |d| and max(0, .).
"""

from __future__ import annotations

from typing import Any

import hypothesis.extra.numpy as hnp
import numpy as np
from hypothesis import assume
from hypothesis import strategies as st

from glassgrad import Tensor, ops
from glassgrad.ops.losses_pairwise import cosine_embedding_loss, kl_div, margin_ranking_loss
from glassgrad.ops.losses_regression import huber_loss, l1_loss, smooth_l1_loss
from tests.ops.op_table import OpSpec
from tests.ops.strategies import POSITIVE, Case, Domain, array

REDUCTIONS = st.sampled_from(["mean", "sum", "none"])
PROBABILITY = Domain(0.05, 0.95)


def _gg_param(x: Any, value: Any) -> Any:
    """A float parameter as a glassgrad tensor in x's dtype (an int array or None as it is)."""
    if isinstance(value, np.ndarray) and value.dtype.kind == "f":
        return Tensor(value.astype(x.dtype))
    return Tensor(value) if isinstance(value, np.ndarray) else value


def _torch_param(t: Any, x: Any, value: Any) -> Any:
    if isinstance(value, np.ndarray):
        tensor = t.from_numpy(value)
        return tensor.to(x.dtype) if value.dtype.kind == "f" else tensor
    return value


def _with_params(gg_fn: Any, *names: str) -> Any:
    """gg_fn(*arrays, **params) with the parameters ``names`` turned into tensors."""
    def call(*xs: Any, **params: Any) -> Any:
        return gg_fn(*xs, **{k: _gg_param(xs[0], v) if k in names else v for k, v in params.items()})
    return call


def _torch_with_params(name: str, *names: str) -> Any:
    def call(t: Any, *xs: Any, **params: Any) -> Any:
        return getattr(t.nn.functional, name)(
            *xs, **{k: _torch_param(t, xs[0], v) if k in names else v for k, v in params.items()})
    return call


@st.composite
def class_case(draw: st.DrawFn, smoothing: bool = False) -> Case:
    """Scores (N, C) or (N, C, d) or (C,), class targets (some ignored), optional class weights."""
    classes = draw(st.integers(2, 4))
    lead = draw(st.sampled_from([(), (3,), (2,)]))
    extra = draw(st.sampled_from([(), (2,)])) if lead else ()
    scores = draw(array((*lead[:1], classes, *extra)))
    target = draw(hnp.arrays(np.int64, (*lead[:1], *extra), elements=st.integers(0, classes - 1)))
    params: dict[str, Any] = {"target": target, "weight": None, "reduction": draw(REDUCTIONS)}
    if draw(st.booleans()):
        params["weight"] = draw(array((classes,), Domain(0.2, 2.0)))
    if lead and draw(st.booleans()):
        params["ignore_index"] = int(target.reshape(-1)[0])  # at least one target ignored
        assume(np.any(target != params["ignore_index"]) or params["reduction"] != "mean")
    if smoothing:
        params["label_smoothing"] = draw(st.sampled_from([0.0, 0.1]))
    return Case((scores,), params)


def _gg_class_loss(op: Any) -> Any:
    return lambda x, target, weight, **params: op(x, Tensor(target), _gg_param(x, weight), **params)


def _torch_class_loss(name: str) -> Any:
    return lambda t, x, target, weight, **params: getattr(t.nn.functional, name)(
        x, t.from_numpy(target), _torch_param(t, x, weight), **params)


@st.composite
def binary_case(draw: st.DrawFn, logits: bool) -> Case:
    shape = draw(st.sampled_from([(3,), (2, 3), (2, 2, 2)]))
    x = draw(array(shape) if logits else array(shape, PROBABILITY))
    params: dict[str, Any] = {"target": draw(array(shape, Domain(0.0, 1.0))), "reduction": draw(REDUCTIONS)}
    if draw(st.booleans()):
        params["weight"] = draw(array(shape[-1:], Domain(0.2, 2.0)))
    if logits and draw(st.booleans()):
        params["pos_weight"] = draw(array(shape[-1:], Domain(0.2, 2.0)))
    return Case((x,), params)


@st.composite
def regression_case(draw: st.DrawFn, kink: bool = False) -> Case:
    """input and target (both differentiable, same shape); ``kink``: keep |input - target| >= 0.05."""
    shape = draw(st.sampled_from([(), (3,), (2, 3)]))
    x, y = draw(array(shape)), draw(array(shape))
    if kink:
        assume(bool(np.all(np.abs(x - y) >= 0.05)))
    return Case((x, y), {"reduction": draw(REDUCTIONS)})


@st.composite
def smooth_case(draw: st.DrawFn, name: str) -> Case:
    case = draw(regression_case())
    return Case(case.arrays, {**case.params, name: draw(st.sampled_from([0.5, 1.0, 2.0]))})


@st.composite
def kl_div_case(draw: st.DrawFn) -> Case:
    shape = draw(st.sampled_from([(3,), (2, 3)]))
    log_target = draw(st.booleans())
    target = draw(array(shape) if log_target else array(shape, POSITIVE))
    reduction = draw(st.sampled_from(["sum", "none", "batchmean"]))  # 'mean' warns, in torch and here
    return Case((draw(array(shape)), target), {"reduction": reduction, "log_target": log_target})


@st.composite
def cosine_embedding_case(draw: st.DrawFn) -> Case:
    """x1, x2 (N, D) and signs y; for y = -1 the cosine stays away from the margin (the hinge)."""
    n, d = draw(st.integers(1, 3)), draw(st.integers(2, 3))
    x1, x2 = draw(array((n, d))), draw(array((n, d)))
    norms = np.linalg.norm(x1, axis=1) * np.linalg.norm(x2, axis=1)
    assume(bool(np.all(norms > 0.1)))
    y = draw(hnp.arrays(np.int64, (n,), elements=st.sampled_from([-1, 1])))
    margin = draw(st.sampled_from([0.0, 0.3]))
    cosine = (x1 * x2).sum(axis=1) / norms
    assume(bool(np.all(np.abs(cosine - margin) >= 0.05)))
    return Case((x1, x2), {"target": y, "margin": margin, "reduction": draw(REDUCTIONS)})


@st.composite
def margin_ranking_case(draw: st.DrawFn) -> Case:
    n = draw(st.integers(1, 4))
    x1, x2 = draw(array((n,))), draw(array((n,)))
    y = draw(hnp.arrays(np.int64, (n,), elements=st.sampled_from([-1, 1])))
    margin = draw(st.sampled_from([0.0, 0.5]))
    assume(bool(np.all(np.abs(-y * (x1 - x2) + margin) >= 0.05)))
    return Case((x1, x2), {"target": y, "margin": margin, "reduction": draw(REDUCTIONS)})


def _gg_signed(op: Any) -> Any:
    return lambda a, b, target, **params: op(a, b, _gg_param(a, target.astype(np.float64)), **params)


def _torch_signed(name: str) -> Any:
    return lambda t, a, b, target, **params: getattr(t.nn.functional, name)(
        a, b, _torch_param(t, a, target.astype(np.float64)), **params)


ROWS: list[OpSpec] = [
    OpSpec("cross_entropy", _gg_class_loss(ops.cross_entropy), _torch_class_loss("cross_entropy"),
           class_case(smoothing=True)),
    OpSpec("nll_loss", _gg_class_loss(ops.nll_loss), _torch_class_loss("nll_loss"), class_case()),
    OpSpec("binary_cross_entropy", _with_params(ops.binary_cross_entropy, "target", "weight"),
           _torch_with_params("binary_cross_entropy", "target", "weight"), binary_case(logits=False)),
    OpSpec("binary_cross_entropy_with_logits",
           _with_params(ops.binary_cross_entropy_with_logits, "target", "weight", "pos_weight"),
           _torch_with_params("binary_cross_entropy_with_logits", "target", "weight", "pos_weight"),
           binary_case(logits=True)),
    OpSpec("mse_loss", ops.mse_loss, _torch_with_params("mse_loss"), regression_case()),
    OpSpec("l1_loss", l1_loss, _torch_with_params("l1_loss"), regression_case(kink=True)),
    OpSpec("smooth_l1_loss", smooth_l1_loss, _torch_with_params("smooth_l1_loss"), smooth_case("beta")),
    OpSpec("huber_loss", huber_loss, _torch_with_params("huber_loss"), smooth_case("delta")),
    OpSpec("kl_div", kl_div, _torch_with_params("kl_div"), kl_div_case()),
    OpSpec("cosine_embedding_loss", _gg_signed(cosine_embedding_loss), _torch_signed("cosine_embedding_loss"),
           cosine_embedding_case()),
    OpSpec("margin_ranking_loss", _gg_signed(margin_ranking_loss), _torch_signed("margin_ranking_loss"),
           margin_ranking_case()),
]
