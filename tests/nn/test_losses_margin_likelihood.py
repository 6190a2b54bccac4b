"""The margin, likelihood and CTC loss modules against torch: values, gradients, reprs, the input
forms torch accepts (unbatched, concatenated CTC targets, shared variances) and the errors."""

from __future__ import annotations

import numpy as np
import pytest

import glassgrad as gg
from glassgrad import nn
from glassgrad.nn import functional as F


def _both(torch, name, *args, **kwargs):
    return getattr(nn, name)(*args, **kwargs), getattr(torch.nn, name)(*args, **kwargs)


def _check(ours, theirs, torch, float_inputs, others=(), rtol=1e-10):
    """Both losses on the same inputs: the value and the gradient of every float input."""
    g_in = [gg.tensor(a, requires_grad=True) for a in float_inputs]
    t_in = [torch.tensor(a, requires_grad=True) for a in float_inputs]
    g_out = ours(*g_in, *[gg.tensor(o) for o in others])
    t_out = theirs(*t_in, *[torch.tensor(o) for o in others])
    np.testing.assert_allclose(g_out.numpy(), t_out.detach().numpy(), rtol=rtol, atol=1e-12)
    g_out.sum().backward()
    t_out.sum().backward()
    for g, t in zip(g_in, t_in):
        np.testing.assert_allclose(g.grad.numpy(), t.grad.numpy(), rtol=rtol, atol=1e-12)


CASES = [
    ("SoftMarginLoss", {}, "signs"), ("SoftMarginLoss", {"reduction": "sum"}, "signs"),
    ("HingeEmbeddingLoss", {"margin": 0.7}, "signs"), ("MultiMarginLoss", {}, "classes"),
    ("MultiMarginLoss", {"p": 2, "margin": 0.5, "weight": None}, "classes"),
    ("MultiLabelMarginLoss", {}, "labels"), ("MultiLabelMarginLoss", {"reduction": "none"}, "labels"),
    ("MultiLabelSoftMarginLoss", {}, "probabilities"), ("PoissonNLLLoss", {}, "counts"),
    ("PoissonNLLLoss", {"log_input": False, "full": True}, "counts"),
]


@pytest.mark.parametrize("name,kwargs,target", CASES, ids=lambda v: str(v))
def test_two_input_losses_match_torch(name, kwargs, target, torch, rng):
    ours, theirs = _both(torch, name, **kwargs)
    assert repr(ours) == repr(theirs)
    x = rng.normal(size=(3, 4)) + 0.01
    if name == "PoissonNLLLoss" and kwargs.get("log_input") is False:
        x = np.abs(x) + 0.1
    targets = {
        "signs": np.where(rng.normal(size=(3, 4)) > 0, 1.0, -1.0),
        "classes": np.array([0, 3, 1]),
        "labels": np.array([[3, 0, -1, 1], [1, 2, 3, 0], [-1, 2, 2, 2]]),
        "probabilities": rng.uniform(size=(3, 4)),
        "counts": rng.integers(0, 5, size=(3, 4)).astype(np.float64),
    }[target]
    _check(ours, theirs, torch, [x], [targets])


def test_weighted_losses_keep_the_weight_as_a_buffer(torch, rng):
    weight = rng.uniform(0.5, 2.0, size=4)
    for name in ("MultiMarginLoss", "MultiLabelSoftMarginLoss"):
        ours = getattr(nn, name)(weight=gg.tensor(weight))
        assert "weight" in dict(ours.named_buffers())
        theirs = getattr(torch.nn, name)(weight=torch.tensor(weight))
        x = rng.normal(size=(3, 4))
        target = np.array([0, 3, 1]) if name == "MultiMarginLoss" else rng.uniform(size=(3, 4))
        _check(ours, theirs, torch, [x], [target])


@pytest.mark.parametrize("kwargs", [{}, {"margin": 0.3, "p": 1.0, "swap": True}, {"reduction": "none"}])
def test_triplet_margin_loss_matches_torch(kwargs, torch, rng):
    ours, theirs = _both(torch, "TripletMarginLoss", **kwargs)
    assert repr(ours) == repr(theirs)
    _check(ours, theirs, torch, [rng.normal(size=(5, 3)) for _ in range(3)])


def test_triplet_with_a_custom_distance_matches_torch(torch, rng):
    ours = nn.TripletMarginWithDistanceLoss(distance_function=lambda a, b: 1 - F.cosine_similarity(a, b), swap=True)
    theirs = torch.nn.TripletMarginWithDistanceLoss(
        distance_function=lambda a, b: 1 - torch.nn.functional.cosine_similarity(a, b), swap=True)
    _check(ours, theirs, torch, [rng.normal(size=(4, 3)) for _ in range(3)])
    default_ours, default_theirs = _both(torch, "TripletMarginWithDistanceLoss")
    assert repr(default_ours) == repr(default_theirs)


@pytest.mark.parametrize("var_shape", [(4, 3), (4,), (4, 1)], ids=str)
def test_gaussian_nll_loss_takes_torchs_variance_shapes(var_shape, torch, rng):
    ours, theirs = _both(torch, "GaussianNLLLoss", full=True)
    x, t = rng.normal(size=(4, 3)), rng.normal(size=(4, 3))
    var = rng.uniform(0.5, 2.0, size=var_shape)
    var.reshape(-1)[0] = 1e-9  # clamped to eps, and still given a gradient, as torch
    _check(ours, theirs, torch, [x, t, var], rtol=1e-8)


def test_gaussian_nll_loss_rejects_bad_variances():
    x = gg.zeros(4, 3)
    with pytest.raises(ValueError, match="negative"):
        F.gaussian_nll_loss(x, x, -gg.ones(4, 3))
    with pytest.raises(ValueError, match="incorrect size"):
        F.gaussian_nll_loss(x, x, gg.ones(2, 3))


@pytest.mark.parametrize("reduction", ["mean", "sum", "none"])
def test_ctc_loss_matches_torch_batched_padded_and_concatenated(reduction, torch, rng):
    logits = rng.normal(size=(8, 3, 5))
    targets = np.array([[1, 2, 2, 4], [3, 3, 0, 0], [4, 1, 2, 0]])
    input_lengths, target_lengths = np.array([8, 6, 5]), np.array([4, 2, 3])
    concatenated = np.concatenate([row[:n] for row, n in zip(targets, target_lengths)])
    for labels in (targets, concatenated):
        z_ours, z_theirs = gg.tensor(logits, requires_grad=True), torch.tensor(logits, requires_grad=True)
        ours = F.ctc_loss(z_ours.log_softmax(2), gg.tensor(labels), gg.tensor(input_lengths),
                          gg.tensor(target_lengths), reduction=reduction)
        theirs = torch.nn.functional.ctc_loss(z_theirs.log_softmax(2), torch.tensor(labels),
                                              torch.tensor(input_lengths), torch.tensor(target_lengths),
                                              reduction=reduction)
        np.testing.assert_allclose(ours.numpy(), theirs.detach().numpy(), rtol=1e-10)
        ours.sum().backward()
        theirs.sum().backward()
        np.testing.assert_allclose(z_ours.grad.numpy(), z_theirs.grad.numpy(), atol=1e-10)


def test_ctc_gradient_on_log_probs_is_torchs(torch, rng):
    """torch's gradient with respect to log_probs itself (exp(lp) - gamma; see glassgrad/ops/ctc.py)."""
    lp = torch.tensor(rng.normal(size=(6, 2, 4))).log_softmax(2).detach().numpy()
    ours, theirs = gg.tensor(lp, requires_grad=True), torch.tensor(lp, requires_grad=True)
    args = ([[1, 2, 3], [2, 2, 0]], [6, 4], [3, 2])
    F.ctc_loss(ours, gg.tensor(args[0]), *args[1:]).backward()
    torch.nn.functional.ctc_loss(theirs, torch.tensor(args[0]), torch.tensor(args[1]), torch.tensor(args[2])).backward()
    np.testing.assert_allclose(ours.grad.numpy(), theirs.grad.numpy(), atol=1e-10)


def test_ctc_unbatched_and_impossible_alignments(torch, rng):
    lp = torch.tensor(rng.normal(size=(3, 4))).log_softmax(1).detach().numpy()
    module, theirs = _both(torch, "CTCLoss", blank=0, reduction="none", zero_infinity=True)
    assert repr(module) == repr(theirs)
    ours = module(gg.tensor(lp), gg.tensor([1, 1, 1]), gg.tensor(3), gg.tensor(3))  # needs 5 frames: impossible
    expected = theirs(torch.tensor(lp), torch.tensor([1, 1, 1]), torch.tensor(3), torch.tensor(3))
    assert ours.shape == () and float(ours) == float(expected) == 0.0
    plain = F.ctc_loss(gg.tensor(lp), gg.tensor([1, 1, 1]), [3], [3], reduction="none")
    assert np.isinf(float(plain))


def test_bad_arguments_raise():
    with pytest.raises(ValueError, match="p == 1"):
        F.multi_margin_loss(gg.zeros(2, 3), gg.tensor([0, 1]), p=3)
    with pytest.raises(RuntimeError, match="target"):
        F.multilabel_margin_loss(gg.zeros(2, 3), gg.tensor([0, 1]))
    with pytest.raises(ValueError, match="margin"):
        F.triplet_margin_with_distance_loss(gg.zeros(2), gg.zeros(2), gg.zeros(2), margin=0)
    with pytest.raises(RuntimeError, match="blank"):
        F.ctc_loss(gg.zeros(3, 1, 4), gg.tensor([[0, 1]]), [3], [2])
    with pytest.raises(NotImplementedError):
        F.soft_margin_loss(gg.tensor([1, 2]), gg.tensor([1, -1]))
