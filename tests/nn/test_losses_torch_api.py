"""The loss family against torch: new losses (L1, SmoothL1, Huber, KLDiv, CosineEmbedding, MarginRanking),
-inf logits with ignore_index / label_smoothing / weight, torch's size warning, the legacy reduction flags,
modules' signatures and reprs, and finite-difference checks of every hand-written backward."""

from __future__ import annotations

import warnings

import numpy as np
import pytest

import glassgrad as gg
from glassgrad import nn
from glassgrad.nn import functional as F
from tests.helpers.oracle import compare_with_torch

REDUCTIONS = ["mean", "sum", "none"]
NEG_INF = -np.inf


# ----- regression losses ------------------------------------------------------------------
def _regression_cases(torch):
    tf = torch.nn.functional
    return [
        (lambda a, b, r: F.l1_loss(a, b, reduction=r), lambda a, b, r: tf.l1_loss(a, b, reduction=r)),
        (lambda a, b, r: F.mse_loss(a, b, reduction=r), lambda a, b, r: tf.mse_loss(a, b, reduction=r)),
        (lambda a, b, r: F.smooth_l1_loss(a, b, reduction=r, beta=0.7),
         lambda a, b, r: tf.smooth_l1_loss(a, b, reduction=r, beta=0.7)),
        (lambda a, b, r: F.smooth_l1_loss(a, b, reduction=r, beta=0.0),
         lambda a, b, r: tf.smooth_l1_loss(a, b, reduction=r, beta=0.0)),
        (lambda a, b, r: F.huber_loss(a, b, reduction=r, delta=0.6),
         lambda a, b, r: tf.huber_loss(a, b, reduction=r, delta=0.6)),
    ]


@pytest.mark.parametrize("reduction", REDUCTIONS)
def test_regression_losses_match_torch(rng, torch, reduction):
    x, y = rng.normal(size=(4, 3)), rng.normal(size=(4, 3))
    for ours, theirs in _regression_cases(torch):
        compare_with_torch(lambda a, b, f=ours: f(a, b, reduction), lambda a, b, f=theirs: f(a, b, reduction),
                           [x, y], torch)
        compare_with_torch(lambda a, b, f=ours: f(a, b, reduction), lambda a, b, f=theirs: f(a, b, reduction),
                           [x, y], torch, dtype=np.float32)


@pytest.mark.parametrize("name", ["mse_loss", "l1_loss", "huber_loss"])
def test_elementwise_weight_matches_torch(rng, torch, name):
    x, y, w = rng.normal(size=(3, 4)), rng.normal(size=(3, 4)), rng.uniform(0.5, 2, size=(3, 4))
    for reduction in REDUCTIONS:
        compare_with_torch(lambda a, b, r=reduction: getattr(F, name)(a, b, reduction=r, weight=gg.tensor(w)),
                           lambda a, b, r=reduction: getattr(torch.nn.functional, name)(a, b, reduction=r,
                                                                                        weight=torch.tensor(w)),
                           [x, y], torch)
    with pytest.raises(ValueError, match="Weights and input must have the same size"):
        getattr(F, name)(gg.tensor(x), gg.tensor(y), weight=gg.tensor(w[0]))


@pytest.mark.parametrize("name", ["mse_loss", "l1_loss", "smooth_l1_loss", "huber_loss"])
def test_size_mismatch_warns_like_torch_and_broadcasts(rng, torch, name):
    x, y = rng.normal(size=(4, 1)), rng.normal(size=4)
    with pytest.warns(UserWarning, match=r"Using a target size \(glassgrad.Size\(\[4\]\)\) that is different to the "
                                         r"input size \(glassgrad.Size\(\[4, 1\]\)\)"):
        ours = getattr(F, name)(gg.tensor(x), gg.tensor(y))
    with pytest.warns(UserWarning, match="Using a target size"):
        theirs = getattr(torch.nn.functional, name)(torch.tensor(x), torch.tensor(y))
    np.testing.assert_allclose(ours.item(), theirs.item(), rtol=1e-12)
    with warnings.catch_warnings():  # same shapes: silent
        warnings.simplefilter("error")
        getattr(F, name)(gg.tensor(x), gg.tensor(x * 2))


def test_legacy_size_average_and_reduce_map_like_torch(rng, torch):
    x, y = rng.normal(size=(3, 2)), rng.normal(size=(3, 2))
    for size_average, reduce in [(False, None), (None, False), (True, True)]:
        with pytest.warns(UserWarning, match="size_average and reduce args will be deprecated"):
            ours = F.mse_loss(gg.tensor(x), gg.tensor(y), size_average=size_average, reduce=reduce)
        with pytest.warns(UserWarning):
            theirs = torch.nn.functional.mse_loss(torch.tensor(x), torch.tensor(y), size_average=size_average,
                                                  reduce=reduce)
        np.testing.assert_allclose(ours.numpy(), theirs.numpy(), rtol=1e-12)


# ----- KL divergence, cosine embedding, margin ranking ---------------------------------------
@pytest.mark.parametrize("reduction", ["batchmean", "sum", "none"])
@pytest.mark.parametrize("log_target", [False, True])
def test_kl_div_matches_torch(rng, torch, reduction, log_target):
    log_q = np.log(rng.dirichlet(np.ones(5), size=3))
    p = rng.dirichlet(np.ones(5), size=3)
    target = np.log(p) if log_target else p
    compare_with_torch(lambda a, b: F.kl_div(a, b, reduction=reduction, log_target=log_target),
                       lambda a, b: torch.nn.functional.kl_div(a, b, reduction=reduction, log_target=log_target),
                       [log_q, target], torch)


def test_kl_div_mean_warns_like_torch_and_zero_target_is_finite(torch):
    x, t = np.log(np.full((2, 3), 1 / 3)), np.array([[0.0, 0.5, 0.5], [1.0, 0.0, 0.0]])
    with pytest.warns(UserWarning, match="'batchmean' divides only by the batch size"):
        ours = F.kl_div(gg.tensor(x), gg.tensor(t))
    with pytest.warns(UserWarning):
        theirs = torch.nn.functional.kl_div(torch.tensor(x), torch.tensor(t))
    np.testing.assert_allclose(ours.item(), theirs.item(), rtol=1e-12)
    loss = nn.KLDivLoss(reduction="batchmean")(gg.tensor(x), gg.tensor(t))
    assert np.isfinite(loss.item())


@pytest.mark.parametrize("reduction", REDUCTIONS)
def test_cosine_embedding_and_margin_ranking_match_torch(rng, torch, reduction):
    x1, x2 = rng.normal(size=(6, 4)), rng.normal(size=(6, 4))
    y = np.array([1, -1, 1, -1, -1, 1])
    compare_with_torch(lambda a, b: F.cosine_embedding_loss(a, b, gg.tensor(y), margin=-0.2, reduction=reduction),
                       lambda a, b: torch.nn.functional.cosine_embedding_loss(a, b, torch.tensor(y), margin=-0.2,
                                                                              reduction=reduction),
                       [x1, x2], torch)
    s1, s2 = rng.normal(size=6), rng.normal(size=6)
    yf = y.astype(np.float64)
    compare_with_torch(lambda a, b: F.margin_ranking_loss(a, b, gg.tensor(yf), margin=0.3, reduction=reduction),
                       lambda a, b: torch.nn.functional.margin_ranking_loss(a, b, torch.tensor(yf), margin=0.3,
                                                                            reduction=reduction),
                       [s1, s2], torch)


# ----- -inf logits (masked classes) -------------------------------------------------------------
def _masked_logits(rng):
    x = rng.normal(size=(4, 5))
    x[0, 3] = x[1, 0] = x[2, 4] = x[3, 0] = NEG_INF
    return x


@pytest.mark.parametrize("kwargs", [{}, {"ignore_index": 1}, {"weight": np.array([1.0, 2, 0.5, 1, 3])},
                                    {"label_smoothing": 0.1}, {"reduction": "none"}, {"reduction": "sum"}],
                         ids=["plain", "ignore", "weight", "smoothing", "none", "sum"])
def test_cross_entropy_with_minus_inf_logits_matches_torch(rng, torch, kwargs):
    """Masked-out classes give torch's finite loss and gradient (inf loss with label smoothing, as torch)."""
    x, t = _masked_logits(rng), np.array([0, 1, 2, 3])
    t[1] = 1  # row 1 has -inf at class 0 (its ignored target when ignore_index=1 reads nothing)
    theirs_kwargs = {k: torch.tensor(v) if isinstance(v, np.ndarray) else v for k, v in kwargs.items()}
    ours_kwargs = {k: gg.tensor(v) if isinstance(v, np.ndarray) else v for k, v in kwargs.items()}
    xg, xt = gg.tensor(x, requires_grad=True), torch.tensor(x, requires_grad=True)
    lg = F.cross_entropy(xg, gg.tensor(t), **ours_kwargs)
    lt = torch.nn.functional.cross_entropy(xt, torch.tensor(t), **theirs_kwargs)
    np.testing.assert_allclose(lg.numpy(), lt.detach().numpy(), rtol=1e-10)
    if "label_smoothing" not in kwargs:
        assert np.isfinite(lg.numpy()).all()
    dout = rng.normal(size=lg.shape)
    (lg * gg.tensor(dout)).sum().backward()
    (lt * torch.tensor(dout)).sum().backward()
    np.testing.assert_allclose(xg.grad.numpy(), xt.grad.numpy(), rtol=1e-10, atol=1e-14)
    assert np.isfinite(xg.grad.numpy()).all()


def test_nll_loss_with_minus_inf_at_ignored_positions_matches_torch(rng, torch):
    log_p = np.log(rng.dirichlet(np.ones(4), size=3))
    log_p[1, 0] = NEG_INF  # row 1 is ignored; its safe index 0 must never be read
    t = np.array([2, -100, 1])
    compare_with_torch(lambda a: F.nll_loss(a, gg.tensor(t)),
                       lambda a: torch.nn.functional.nll_loss(a, torch.tensor(t)), [log_p], torch)


def test_cross_entropy_spatial_and_legacy_signature_match_torch(rng, torch):
    x, t = rng.normal(size=(2, 3, 2, 2)), rng.integers(0, 3, size=(2, 2, 2))
    t[0, 0, 0] = -100
    compare_with_torch(lambda a: F.cross_entropy(a, gg.tensor(t), None, None, -100, None, "sum", 0.05),
                       lambda a: torch.nn.functional.cross_entropy(a, torch.tensor(t), None, None, -100, None, "sum",
                                                                   0.05),
                       [x], torch)


# ----- modules ---------------------------------------------------------------------------------
def test_new_loss_modules_match_torch_and_print_like_torch(rng, torch):
    x, y = rng.normal(size=(4, 3)), rng.normal(size=(4, 3))
    pairs = [(nn.L1Loss(), torch.nn.L1Loss()), (nn.SmoothL1Loss(beta=0.5), torch.nn.SmoothL1Loss(beta=0.5)),
             (nn.HuberLoss(delta=2.0, reduction="sum"), torch.nn.HuberLoss(delta=2.0, reduction="sum")),
             (nn.MSELoss(reduction="none"), torch.nn.MSELoss(reduction="none"))]
    for ours, theirs in pairs:
        np.testing.assert_allclose(ours(gg.tensor(x), gg.tensor(y)).numpy(),
                                   theirs(torch.tensor(x), torch.tensor(y)).numpy(), rtol=1e-12)
        assert repr(ours) == repr(theirs)
    log_q, p = np.log(rng.dirichlet(np.ones(3), size=2)), rng.dirichlet(np.ones(3), size=2)
    kl = nn.KLDivLoss(reduction="batchmean")(gg.tensor(log_q), gg.tensor(p))
    tkl = torch.nn.KLDivLoss(reduction="batchmean")(torch.tensor(log_q), torch.tensor(p))
    np.testing.assert_allclose(kl.item(), tkl.item(), rtol=1e-12)
    y_pm = gg.tensor(np.array([1.0, -1.0]))
    cos = nn.CosineEmbeddingLoss(margin=0.1)(gg.tensor(x[:2]), gg.tensor(y[:2]), y_pm)
    tcos = torch.nn.CosineEmbeddingLoss(margin=0.1)(torch.tensor(x[:2]), torch.tensor(y[:2]), torch.tensor([1.0, -1]))
    np.testing.assert_allclose(cos.item(), tcos.item(), rtol=1e-12)
    rank = nn.MarginRankingLoss(margin=0.2)(gg.tensor(x[:, 0]), gg.tensor(y[:, 0]), gg.tensor(np.ones(4)))
    trank = torch.nn.MarginRankingLoss(margin=0.2)(torch.tensor(x[:, 0]), torch.tensor(y[:, 0]),
                                                    torch.ones(4, dtype=torch.float64))
    np.testing.assert_allclose(rank.item(), trank.item(), rtol=1e-12)
    ce = nn.CrossEntropyLoss(None, None, 2, None, "sum", 0.1)  # torch's positional order
    assert (ce.ignore_index, ce.reduction, ce.label_smoothing) == (2, "sum", 0.1)


def test_loss_argument_errors(rng):
    x = gg.tensor(rng.normal(size=(2, 3)))
    with pytest.raises(ValueError, match="negative values for beta"):
        F.smooth_l1_loss(x, x, beta=-1.0)
    with pytest.raises(ValueError, match="reduction"):
        F.kl_div(x, x, reduction="average")
    with pytest.raises(ValueError, match="reduction"):
        nn.L1Loss(reduction="avg")
    with pytest.raises(ValueError, match="cosine_embedding_loss"):
        F.cosine_embedding_loss(x, x, gg.tensor([1, 1, 1]))
    with pytest.raises(ValueError, match="same dimension"):
        F.margin_ranking_loss(x, x[0], gg.tensor(np.ones((2, 3))))


# ----- finite differences of every new backward ---------------------------------------------
@pytest.mark.parametrize("reduction", REDUCTIONS)
def test_new_losses_gradcheck(reduction):
    r = np.random.default_rng(5)
    w = r.uniform(0.5, 2, size=(3, 2))
    y_pm = gg.tensor(np.array([1, -1, 1, -1]))
    kl_reduction = "batchmean" if reduction == "mean" else reduction
    masked = r.normal(size=(3, 4))
    masked[0, 2] = masked[2, 0] = NEG_INF
    checks = [
        (lambda a, b: F.l1_loss(a, b, reduction=reduction, weight=gg.tensor(w)), [r.normal(size=(3, 2)),
                                                                                  r.normal(size=(3, 2))]),
        (lambda a, b: F.smooth_l1_loss(a, b, reduction=reduction, beta=0.5), [r.normal(size=(3, 2)),
                                                                              r.normal(size=(3, 2))]),
        (lambda a, b: F.huber_loss(a, b, reduction=reduction, delta=0.5), [r.normal(size=(3, 2)),
                                                                           r.normal(size=(3, 2))]),
        (lambda a, b: F.kl_div(a, b, reduction=kl_reduction), [r.normal(size=(2, 3)), r.uniform(0.1, 1, (2, 3))]),
        (lambda a, b: F.kl_div(a, b, reduction=kl_reduction, log_target=True), [r.normal(size=(2, 3)),
                                                                                r.normal(size=(2, 3))]),
        (lambda a, b: F.cosine_embedding_loss(a, b, y_pm, margin=-0.5, reduction=reduction),
         [r.normal(size=(4, 3)), r.normal(size=(4, 3))]),
        (lambda a, b, c: F.margin_ranking_loss(a, b, c, margin=0.1, reduction=reduction),
         [r.normal(size=4), r.normal(size=4) + 2, r.choice([-1.0, 1.0], size=4)]),
    ]
    for fn, inputs in checks:
        assert gg.gradcheck(fn, inputs)
    t = np.array([0, 1, 3])
    finite_rows = np.where(np.isfinite(masked), masked, 0.0)
    # gradcheck perturbs every element; the -inf entries stay fixed through a mask
    assert gg.gradcheck(lambda a: F.cross_entropy(a + gg.tensor(np.where(np.isfinite(masked), 0.0, NEG_INF)),
                                                  gg.tensor(t), reduction=reduction, weight=gg.tensor(np.ones(4))),
                        [finite_rows])
