"""Per-sample routing: dispatch/combine are exact adjoints, and a routed batch equals the
one-sample-at-a-time loop in outputs, parameter gradients and training trajectory."""

from __future__ import annotations

import numpy as np
import pytest

import glassgrad as gg
from glassgrad import nn
from glassgrad.nn.routing import Switch
from glassgrad.ops.routing import combine, dispatch, make_routing, route


def test_make_routing_groups_rows_in_batch_order():
    routing = make_routing([2, 0, 2, 1, 0], 4)
    assert [idx.tolist() for idx in routing.indices] == [[1, 4], [3], [0, 2], []]
    assert routing.counts == [2, 1, 2, 0]
    assert routing.batch_size == 5


def test_dispatch_then_combine_is_identity_and_gradchecks(rng):
    x = gg.tensor(rng.standard_normal((7, 3)), requires_grad=True)
    decisions = np.array([1, 0, 1, 2, 2, 0, 1])
    parts, routing = route(x, decisions, 3)
    for b, part in enumerate(parts):
        np.testing.assert_array_equal(part.numpy(), x.numpy()[decisions == b])
    np.testing.assert_array_equal(combine(parts, routing).numpy(), x.numpy())
    # branch-specific scaling so the gradient is not the identity
    scales = [gg.tensor(rng.standard_normal(3), requires_grad=True) for _ in range(3)]

    def fn(x, s0, s1, s2):
        ps = dispatch(x, routing)
        return combine([p * s for p, s in zip(ps, (s0, s1, s2))], routing).tanh()

    assert gg.gradcheck(fn, [x, *scales])


def test_routing_matches_torch(rng, torch):
    x = rng.standard_normal((6, 4))
    w = [rng.standard_normal((4, 2)) for _ in range(3)]
    decisions = np.array([2, 2, 0, 1, 0, 2])
    dout = rng.standard_normal((6, 2))
    gx = gg.tensor(x, requires_grad=True)
    gw = [gg.tensor(a, requires_grad=True) for a in w]
    parts, routing = route(gx, decisions, 3)
    out = combine([p @ wi for p, wi in zip(parts, gw)], routing)
    (out * gg.tensor(dout)).sum().backward()
    tx = torch.tensor(x, requires_grad=True)
    tw = [torch.tensor(a, requires_grad=True) for a in w]
    tout = torch.zeros(6, 2, dtype=torch.float64)
    for b in range(3):
        rows = torch.from_numpy(np.flatnonzero(decisions == b))
        tout = tout.index_copy(0, rows, tx[rows] @ tw[b])
    (tout * torch.tensor(dout)).sum().backward()
    np.testing.assert_allclose(out.numpy(), tout.detach().numpy(), atol=1e-12)
    np.testing.assert_allclose(gx.grad, tx.grad.numpy(), atol=1e-12)
    for a, t in zip(gw, tw):
        np.testing.assert_allclose(a.grad, t.grad.numpy(), atol=1e-12)


class BranchingNet(nn.Module):
    """Trunk -> (coarse logits, features); the argmax of the coarse logits picks a head."""

    def __init__(self, n_in: int, hidden: int, n_branches: int, n_out: int, rng) -> None:
        super().__init__()
        self.trunk = nn.Linear(n_in, hidden, dtype=np.float64, rng=rng)
        self.gate = nn.Linear(hidden, n_branches, dtype=np.float64, rng=rng)
        self.switch = Switch([nn.Sequential(nn.Linear(hidden, hidden, dtype=np.float64, rng=rng),
                                            nn.Linear(hidden, n_out, dtype=np.float64, rng=rng))
                              for _ in range(n_branches)])

    def forward(self, x, per_sample: bool = False):
        h = self.trunk(x).tanh()
        coarse = self.gate(h)
        decisions = coarse.argmax(axis=1)
        head = self.switch.forward_per_sample if per_sample else self.switch
        return coarse, head(h, decisions)


def _loss(coarse, fine, y):
    """Summed cross-entropy of both heads (sum, so per-sample losses add up to the batch loss)."""
    logp_c = gg.log_softmax(coarse, axis=1)
    logp_f = gg.log_softmax(fine, axis=1)
    return -(logp_c[np.arange(len(y)), y % 3].sum() + logp_f[np.arange(len(y)), y].sum())


def _train(model, x, y, steps, per_sample):
    for _ in range(steps):
        model.zero_grad()
        if per_sample:  # batch size 1, one backward each: gradients accumulate to the sum
            for i in range(len(x)):
                _loss(*model(gg.tensor(x[i:i + 1])), y[i:i + 1]).backward()
        else:
            _loss(*model(gg.tensor(x)), y).backward()
        grads = {k: p.grad.numpy().copy() for k, p in model.named_parameters() if p.grad is not None}
        for p in model.parameters():
            if p.grad is not None:
                p.data -= 0.01 * p.grad
    return grads


def test_routed_batch_equals_per_sample_loop(rng):
    x = rng.standard_normal((64, 10))
    y = rng.integers(0, 6, 64)
    batched = BranchingNet(10, 16, 3, 6, np.random.default_rng(0))
    looped = BranchingNet(10, 16, 3, 6, np.random.default_rng(0))
    with gg.no_grad():
        coarse, out_b = batched(gg.tensor(x))
        _, out_l = looped(gg.tensor(x), per_sample=True)
    assert len(set(coarse.argmax(axis=1).tolist())) == 3  # every branch is used
    np.testing.assert_allclose(out_b.numpy(), out_l.numpy(), rtol=0, atol=1e-10)
    for _ in range(3):  # identical gradients at every step of a short training run
        grads_b = _train(batched, x, y, 1, per_sample=False)
        grads_l = _train(looped, x, y, 1, per_sample=True)
        assert grads_b.keys() == grads_l.keys()
        for k in grads_b:
            np.testing.assert_allclose(grads_b[k], grads_l[k], rtol=0, atol=1e-10, err_msg=k)
    for (k, a), (_, b) in zip(batched.named_parameters(), looped.named_parameters()):
        np.testing.assert_allclose(a.numpy(), b.numpy(), rtol=0, atol=1e-10, err_msg=k)


def test_unused_branch_gets_no_gradient(rng):
    switch = Switch([nn.Linear(3, 2, dtype=np.float64, rng=rng) for _ in range(3)])
    x = gg.tensor(rng.standard_normal((4, 3)), requires_grad=True)
    out = switch(x, [0, 2, 0, 2])
    (out * gg.tensor(rng.standard_normal((4, 2)))).sum().backward()
    assert switch.branches[1].weight.grad is None
    assert switch.branches[0].weight.grad is not None and switch.branches[2].weight.grad is not None


@pytest.mark.parametrize(("decisions", "error", "match"), [
    ([0, 3, 1], ValueError, "decision 3 is out of range for 3 branches"),
    ([0, -1, 1], ValueError, "decision -1 is out of range"),
    ([[0, 1, 2]], ValueError, "must be 1-D"),
    ([0.0, 1.0, 2.0], TypeError, "must be integers"),
])
def test_bad_decisions_are_refused(decisions, error, match):
    with pytest.raises(error, match=match):
        make_routing(decisions, 3)


def test_length_and_shape_mismatches_are_refused(rng):
    x = gg.tensor(rng.standard_normal((4, 2)))
    with pytest.raises(ValueError, match="3 decisions for an input of shape"):
        route(x, [0, 1, 0], 2)
    routing = make_routing([0, 1, 1], 2)
    with pytest.raises(ValueError, match="batch size 3"):
        dispatch(x, routing)
    with pytest.raises(ValueError, match="got 1 outputs for 2 branches"):
        combine([x[:1]], routing)
    with pytest.raises(ValueError, match="branch 1 output has shape"):
        combine([x[:1], x[:3]], routing)
    with pytest.raises(ValueError, match="branch 1 received 2 samples but its output is None"):
        combine([x[:1], None], routing)
    with pytest.raises(ValueError, match="trailing shape"):
        combine([x[:1], gg.tensor(np.zeros((2, 5), dtype=np.float32))], routing)
    with pytest.raises(ValueError, match="num_branches must be a positive int"):
        make_routing([0], 0)
    with pytest.raises(ValueError, match="at least one branch"):
        Switch([])
