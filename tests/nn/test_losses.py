"""Losses: torch-identical values and gradients (all reductions, index and probability targets,
label smoothing, class weights, ignore_index), finite-difference gradchecks, stability, errors."""

from __future__ import annotations

import numpy as np
import pytest

import glassgrad as gg
from glassgrad import nn
from glassgrad.nn import functional as F
from tests.helpers.oracle import compare_with_torch

REDUCTIONS = ["mean", "sum", "none"]
R = np.random.default_rng(7)  # for the parameters made at import only: a test's own data comes from the
# per-test `rng` fixture, so its inputs (and the torch answers recorded for them) do not depend on which
# tests ran before it in the same process (one test id, -k)
W5 = R.uniform(0.5, 2.0, size=5)


def _tt(torch, a):
    return None if a is None else torch.tensor(a)


# ----- cross-entropy and NLL ---------------------------------------------------------
CE_CASES = [  # (logits shape, weight, label_smoothing, ignore one target)
    ((6, 5), None, 0.0, False),
    ((6, 5), W5, 0.0, True),
    ((6, 5), None, 0.2, True),
    ((6, 5), W5, 0.3, False),
    ((4, 5, 3, 2), None, 0.0, True),
    ((4, 5, 3), W5, 0.1, True),
    ((5,), None, 0.1, False),
]


@pytest.mark.parametrize("reduction", REDUCTIONS)
@pytest.mark.parametrize("shape,weight,smoothing,ignore", CE_CASES)
def test_cross_entropy_index_targets_match_torch(rng, torch, shape, weight, smoothing, ignore, reduction):
    x = rng.normal(size=shape) * 2
    positions = shape[:1] + shape[2:] if len(shape) > 1 else ()
    t = rng.integers(0, 5, size=positions)
    if ignore:
        t.flat[1] = -100
    tf = torch.nn.functional
    compare_with_torch(
        lambda a: F.cross_entropy(a, t, weight=weight, reduction=reduction, label_smoothing=smoothing),
        lambda a: tf.cross_entropy(a, torch.tensor(t), weight=_tt(torch, weight), reduction=reduction,
                                   label_smoothing=smoothing),
        [x], torch)


@pytest.mark.parametrize("reduction", REDUCTIONS)
@pytest.mark.parametrize("shape,weight,smoothing", [((6, 5), None, 0.0), ((6, 5), W5, 0.25), ((3, 5, 2), None, 0.1)])
def test_cross_entropy_probability_targets_match_torch(rng, torch, shape, weight, smoothing, reduction):
    x = rng.normal(size=shape)
    p = rng.uniform(size=shape)
    p = p / p.sum(axis=1, keepdims=True)
    tf = torch.nn.functional
    compare_with_torch(  # the target's gradient is compared too
        lambda a, b: F.cross_entropy(a, b, weight=weight, reduction=reduction, label_smoothing=smoothing),
        lambda a, b: tf.cross_entropy(a, b, weight=_tt(torch, weight), reduction=reduction, label_smoothing=smoothing),
        [x, p], torch)


@pytest.mark.parametrize("reduction", REDUCTIONS)
@pytest.mark.parametrize("shape,weight,ignore", [((6, 5), None, False), ((6, 5), W5, True), ((3, 5, 4), W5, True)])
def test_nll_loss_matches_torch(rng, torch, shape, weight, ignore, reduction):
    x = rng.normal(size=shape)
    t = rng.integers(0, 5, size=shape[:1] + shape[2:])
    if ignore:
        t.flat[0] = 3
        t.flat[2] = 3
    tf = torch.nn.functional
    compare_with_torch(
        lambda a: F.nll_loss(F.log_softmax(a, dim=1), t, weight=weight, ignore_index=3, reduction=reduction),
        lambda a: tf.nll_loss(tf.log_softmax(a, dim=1), torch.tensor(t), weight=_tt(torch, weight), ignore_index=3,
                              reduction=reduction),
        [x], torch)


def test_cross_entropy_huge_logits_no_nan(torch):
    x = np.array([[1e4, -1e4, 0.0], [-1e4, 1e4, 5.0], [0.0, 0.0, -1e4]])
    t = np.array([1, 1, 2])
    for smoothing in (0.0, 0.1):
        outs, grads = compare_with_torch(
            lambda a, s=smoothing: F.cross_entropy(a, t, label_smoothing=s),
            lambda a, s=smoothing: torch.nn.functional.cross_entropy(a, torch.tensor(t), label_smoothing=s),
            [x], torch)
        assert np.isfinite(outs[0]).all() and np.isfinite(grads[0]).all()
    x32 = gg.Tensor(x.astype(np.float32), requires_grad=True)
    loss = F.cross_entropy(x32, t)
    loss.backward()
    assert loss.dtype == np.float32 and x32.grad.dtype == np.float32 and np.isfinite(x32.grad.numpy()).all()


def test_cross_entropy_gradient_is_softmax_minus_onehot(rng):
    x = gg.Tensor(rng.normal(size=(4, 3)), requires_grad=True)
    t = np.array([0, 2, 1, 2])
    F.cross_entropy(x, t).backward()
    expected = (F.softmax(x, dim=1).numpy() - np.eye(3)[t]) / 4
    np.testing.assert_allclose(x.grad, expected, rtol=1e-12, atol=1e-15)


def test_all_ignored_mean_is_nan_without_warning(rng, torch):
    x = gg.Tensor(rng.normal(size=(2, 3)), requires_grad=True)
    t = np.array([-100, -100])
    loss = F.cross_entropy(x, t)
    loss.backward()
    xt = torch.tensor(x.numpy(), requires_grad=True)
    expected = torch.nn.functional.cross_entropy(xt, torch.tensor(t))
    expected.backward()
    assert np.isnan(loss.item()) and np.isnan(expected.item())
    np.testing.assert_array_equal(x.grad, xt.grad.numpy())


# ----- regression and binary losses ------------------------------------------------------
@pytest.mark.parametrize("reduction", REDUCTIONS)
def test_mse_loss_matches_torch(rng, torch, reduction):
    x, y = rng.normal(size=(4, 3)), rng.normal(size=(4, 3))
    compare_with_torch(lambda a, b: F.mse_loss(a, b, reduction=reduction),
                       lambda a, b: torch.nn.functional.mse_loss(a, b, reduction=reduction), [x, y], torch)


@pytest.mark.parametrize("reduction", REDUCTIONS)
@pytest.mark.parametrize("weight", [None, R.uniform(0.5, 2, size=3)])
def test_binary_cross_entropy_matches_torch(rng, torch, weight, reduction):
    p, y = rng.uniform(0.05, 0.95, size=(4, 3)), rng.uniform(size=(4, 3))
    compare_with_torch(
        lambda a, b: F.binary_cross_entropy(a, b, weight=weight, reduction=reduction),
        lambda a, b: torch.nn.functional.binary_cross_entropy(a, b, weight=_tt(torch, weight), reduction=reduction),
        [p, y], torch)


@pytest.mark.parametrize("reduction", REDUCTIONS)
@pytest.mark.parametrize("weight,pos_weight", [(None, None), (R.uniform(0.5, 2, size=3), None),
                                               (None, R.uniform(0.5, 3, size=3)),
                                               (R.uniform(0.5, 2, size=(4, 1)), R.uniform(0.5, 3, size=3))])
def test_bce_with_logits_matches_torch(rng, torch, weight, pos_weight, reduction):
    x, y = rng.normal(size=(4, 3)) * 3, rng.uniform(size=(4, 3))
    tf = torch.nn.functional
    compare_with_torch(
        lambda a, b: F.binary_cross_entropy_with_logits(a, b, weight=weight, reduction=reduction,
                                                        pos_weight=pos_weight),
        lambda a, b: tf.binary_cross_entropy_with_logits(a, b, weight=_tt(torch, weight), reduction=reduction,
                                                         pos_weight=_tt(torch, pos_weight)),
        [x, y], torch)


def test_binary_losses_at_extremes_match_torch(torch):
    x = np.array([1e4, -1e4, 0.0, 50.0, -50.0])
    y = np.array([0.0, 1.0, 0.5, 1.0, 0.0])
    outs, grads = compare_with_torch(
        lambda a: F.binary_cross_entropy_with_logits(a, y, reduction="none", pos_weight=np.full(5, 2.0)),
        lambda a: torch.nn.functional.binary_cross_entropy_with_logits(a, torch.tensor(y), reduction="none",
                                                                       pos_weight=torch.full((5,), 2.0).double()),
        [x], torch)
    assert np.isfinite(outs[0]).all() and np.isfinite(grads[0]).all()
    p = np.array([0.0, 1.0, 0.5, 1e-30])  # log clamped at -100 as torch
    y = np.array([1.0, 0.0, 1.0, 1.0])
    compare_with_torch(lambda a: F.binary_cross_entropy(a, y, reduction="none"),
                       lambda a: torch.nn.functional.binary_cross_entropy(a, torch.tensor(y), reduction="none"),
                       [p], torch)


# ----- finite differences -------------------------------------------------------------------
@pytest.mark.parametrize("reduction", REDUCTIONS)
def test_loss_ops_gradcheck(reduction):
    r = np.random.default_rng(3)
    t = np.array([0, 2, -100, 1])
    t3 = r.integers(0, 4, size=(2, 3))
    probs = r.dirichlet(np.ones(4), size=3)
    w = r.uniform(0.5, 2, size=4)
    checks = [
        (lambda a: F.cross_entropy(a, t, weight=w, label_smoothing=0.2, reduction=reduction), [r.normal(size=(4, 4))]),
        (lambda a: F.cross_entropy(a, t3, reduction=reduction), [r.normal(size=(2, 4, 3))]),
        (lambda a, b: F.cross_entropy(a, b, weight=w, label_smoothing=0.1, reduction=reduction),
         [r.normal(size=(3, 4)), probs]),
        (lambda a: F.nll_loss(a, t, weight=w, reduction=reduction), [r.normal(size=(4, 4))]),
        (lambda a, b: F.mse_loss(a, b, reduction=reduction), [r.normal(size=(3, 2)), r.normal(size=(3, 2))]),
        (lambda a, b: F.binary_cross_entropy(a, b, weight=w[:2], reduction=reduction),
         [r.uniform(0.1, 0.9, size=(3, 2)), r.uniform(size=(3, 2))]),
        (lambda a, b: F.binary_cross_entropy_with_logits(a, b, weight=w[:2], pos_weight=w[2:], reduction=reduction),
         [r.normal(size=(3, 2)) * 2, r.uniform(size=(3, 2))]),
    ]
    for fn, inputs in checks:
        assert gg.gradcheck(fn, inputs)


# ----- modules and errors ---------------------------------------------------------------------
def test_loss_modules_match_torch(rng, torch):
    x = rng.normal(size=(6, 5))
    t = rng.integers(0, 5, size=6)
    y = rng.uniform(size=(6, 5))
    pairs = [
        (nn.CrossEntropyLoss(weight=W5, label_smoothing=0.1, reduction="sum"),
         torch.nn.CrossEntropyLoss(weight=torch.tensor(W5), label_smoothing=0.1, reduction="sum"), t),
        (nn.NLLLoss(ignore_index=2), torch.nn.NLLLoss(ignore_index=2), t),
        (nn.MSELoss(reduction="none"), torch.nn.MSELoss(reduction="none"), y),
        (nn.BCEWithLogitsLoss(pos_weight=W5), torch.nn.BCEWithLogitsLoss(pos_weight=torch.tensor(W5)), y),
    ]
    for ours, theirs, target in pairs:
        tt = torch.tensor(target)
        compare_with_torch(lambda a, m=ours, tg=target: m(a, tg), lambda a, m=theirs, tg=tt: m(a, tg), [x], torch)
    compare_with_torch(lambda a: nn.BCELoss()(F.sigmoid(a), y),
                       lambda a: torch.nn.BCELoss()(torch.sigmoid(a), torch.tensor(y)), [x], torch)
    assert list(nn.CrossEntropyLoss(weight=W5).state_dict()) == list(torch.nn.CrossEntropyLoss(
        weight=torch.tensor(W5)).state_dict())


def test_loss_errors():
    x = gg.Tensor(np.zeros((3, 4)))
    with pytest.raises(ValueError, match="reduction"):
        F.cross_entropy(x, np.array([0, 1, 2]), reduction="avg")
    with pytest.raises(ValueError, match="out of range for 4 classes"):
        F.cross_entropy(x, np.array([0, 4, 1]))
    with pytest.raises(ValueError, match="does not fit input"):
        F.cross_entropy(x, np.array([0, 1]))
    with pytest.raises(ValueError, match="must match input"):
        F.cross_entropy(x, np.zeros((3, 3)))
    with pytest.raises(ValueError, match="label_smoothing"):
        F.cross_entropy(x, np.array([0, 1, 2]), label_smoothing=1.5)
    with pytest.raises(ValueError, match=r"weight must have shape \(4,\)"):
        F.cross_entropy(x, np.array([0, 1, 2]), weight=np.ones(3))
    with pytest.raises(ValueError, match="probabilities in"):
        F.binary_cross_entropy(gg.Tensor(np.array([0.5, 1.5])), np.array([1.0, 0.0]))
    with pytest.raises(ValueError, match="must equal input shape"):
        F.binary_cross_entropy_with_logits(x, np.zeros((3,)))
    with pytest.raises(ValueError, match="do not broadcast"):
        F.mse_loss(x, np.zeros((2, 4)))
    with pytest.raises(ValueError, match="reduction"):
        nn.MSELoss(reduction="avg")
