"""LBFGS: trajectories on the Rosenbrock function equal torch's, with and without the strong-Wolfe line
search; golden values; the two-loop recursion and the cubic step against their textbook forms."""

from __future__ import annotations

import numpy as np
import pytest

import glassgrad as gg
from glassgrad import optim
from glassgrad.nn import Parameter
from glassgrad.optim.line_search import cubic_interpolate, strong_wolfe
from tests.helpers.torch_proxy import torch_submodule

START = [-1.5, 2.0, 0.3, -0.4]


def rosenbrock(p):
    """sum over pairs (x, y) of (1 - x)^2 + 100 (y - x^2)^2; works for glassgrad and torch tensors alike."""
    x, y = p[0::2], p[1::2]
    return ((1 - x) ** 2 + 100 * (y - x**2) ** 2).sum()


def run_gg(kwargs: dict, steps: int) -> tuple[list, list, optim.LBFGS]:
    p = Parameter(np.array(START))
    opt = optim.LBFGS([p], **kwargs)

    def closure():
        opt.zero_grad()
        loss = rosenbrock(p)
        loss.backward()
        return loss

    losses, points = [], []
    for _ in range(steps):
        losses.append(float(opt.step(closure)))
        points.append(p.array.copy())
    return losses, points, opt


def run_torch(torch, kwargs: dict, steps: int) -> tuple[list, list, object]:
    p = torch.tensor(START, dtype=torch.float64, requires_grad=True)
    opt = torch.optim.LBFGS([p], **kwargs)

    def closure():
        opt.zero_grad()
        loss = rosenbrock(p)
        loss.backward()
        return loss

    losses, points = [], []
    for _ in range(steps):
        losses.append(opt.step(closure).item())
        points.append(p.detach().numpy().copy())
    return losses, points, opt.state[p]


# (settings, steps): L-BFGS on Rosenbrock's curved valley amplifies rounding differences (torch
# against itself started one ulp away drifts by 1e-4 within a few 20-iteration steps), so each
# setting is compared over the steps where the two runs still agree to 1e-9.
ROSENBROCK = [
    ({"lr": 1, "max_iter": 5, "line_search_fn": "strong_wolfe"}, 3),
    ({"lr": 0.8, "max_iter": 4, "history_size": 3, "line_search_fn": "strong_wolfe"}, 3),
    ({"lr": 1, "max_iter": 7, "max_eval": 9, "line_search_fn": "strong_wolfe"}, 2),
    ({"lr": 0.05, "max_iter": 5}, 6),
    ({"lr": 0.01, "history_size": 2}, 5),
    ({"lr": 0.02, "max_iter": 10, "tolerance_change": 1e-4}, 6),
]


@pytest.mark.parametrize("kwargs,steps", ROSENBROCK, ids=[str(i) for i in range(len(ROSENBROCK))])
def test_rosenbrock_trajectory_matches_torch(torch, kwargs, steps):
    losses, points, opt = run_gg(kwargs, steps)
    torch_losses, torch_points, torch_state = run_torch(torch, kwargs, steps)
    np.testing.assert_allclose(losses, torch_losses, rtol=1e-9, atol=1e-12)
    np.testing.assert_allclose(points, torch_points, rtol=1e-9, atol=1e-12)
    state = opt.state[opt.param_groups[0]["params"][0]]
    assert state["func_evals"] == torch_state["func_evals"]
    assert state["n_iter"] == torch_state["n_iter"]
    assert len(state["old_dirs"]) == len(torch_state["old_dirs"])


def test_rosenbrock_default_settings_reach_the_minimum_like_torch(torch):
    kwargs = {"lr": 1, "line_search_fn": "strong_wolfe"}
    losses, points, _ = run_gg(kwargs, 6)
    torch_losses, torch_points, _ = run_torch(torch, kwargs, 6)
    np.testing.assert_allclose(losses[:2], torch_losses[:2], rtol=1e-6)
    np.testing.assert_allclose(points[-1], torch_points[-1], atol=1e-5)
    np.testing.assert_allclose(points[-1], np.ones(4), atol=1e-5)


def smooth(p, a, b):
    """0.5 p.Ap + 0.25 sum p^4 + b.p: well conditioned, so trajectories can be compared to the last bit."""
    return 0.5 * (p * (a @ p)).sum() + 0.25 * (p**4).sum() + (b * p).sum()


SMOOTH = [
    {"line_search_fn": "strong_wolfe"},
    {"lr": 0.1},
    {"lr": 1, "history_size": 2, "line_search_fn": "strong_wolfe"},
    {"lr": 0.3, "max_iter": 7},
    {"lr": 0.001, "tolerance_change": 1e-2},  # stops on a tiny step
    {"lr": 0.3, "tolerance_change": 1e-3},  # stops when the loss barely changes
    {"lr": 1, "line_search_fn": "strong_wolfe", "tolerance_grad": 1e-3},  # stops on a small gradient
]


@pytest.mark.parametrize("kwargs", SMOOTH, ids=[str(i) for i in range(len(SMOOTH))])
def test_smooth_problem_trajectory_matches_torch(torch, kwargs):
    r = np.random.default_rng(0)
    m = r.normal(size=(6, 6))
    a, b, start = m @ m.T / 6 + np.eye(6), r.normal(size=6), 2 * r.normal(size=6)
    p, q = Parameter(start.copy()), torch.tensor(start.copy(), requires_grad=True)
    opt, topt = optim.LBFGS([p], **kwargs), torch.optim.LBFGS([q], **kwargs)
    for _ in range(4):
        def closure():
            opt.zero_grad()
            loss = smooth(p, gg.tensor(a), gg.tensor(b))
            loss.backward()
            return loss

        def torch_closure():
            topt.zero_grad()
            loss = smooth(q, torch.tensor(a), torch.tensor(b))
            loss.backward()
            return loss

        assert float(opt.step(closure)) == pytest.approx(topt.step(torch_closure).item(), rel=1e-12)
        np.testing.assert_allclose(p.array, q.detach().numpy(), rtol=1e-12, atol=1e-14)
    assert opt.state[p]["func_evals"] == topt.state[q]["func_evals"]


def test_strong_wolfe_converges_to_the_minimum():
    losses, points, _ = run_gg({"lr": 1, "line_search_fn": "strong_wolfe", "max_iter": 100}, 3)
    np.testing.assert_allclose(points[-1], [1.0, 1.0, 1.0, 1.0], atol=1e-5)
    assert losses[-1] < 1e-8


# Recorded once from torch 2.13: (parameters, returned loss) after each of three steps.
GOLDEN = [
    ({"lr": 1, "max_iter": 5, "line_search_fn": "strong_wolfe"}, [
        ([-1.4148008734402608, 2.008314088272067, 0.1436068731965971, 0.01661886210749932], 37.0),
        ([-1.2511348404705447, 1.5672076632681884, 0.5268061095892923, 0.23405081866918007], 6.570701382987144),
        ([-0.7904100333687679, 0.6009274303877041, 0.9015680145861263, 0.8260524607351072], 5.480867583208223),
    ]),
    ({"lr": 0.05, "max_iter": 5}, [
        ([-1.464168249374619, 2.0113666617385757, 0.2725150547048638, -0.3435112250541129], 37.0),
        ([-1.4531310604638863, 2.0129810661757763, 0.2575781233668663, -0.2612684970980497], 25.808570022683078),
        ([-1.4441941968620065, 2.0113151724283136, 0.25565702718627953, -0.18845699743106925], 18.274569990459973),
    ]),
    ({"lr": 0.8, "max_iter": 4, "history_size": 3, "line_search_fn": "strong_wolfe"}, [
        ([-1.4121368272923778, 2.017101342822699, 0.16646473205657789, -0.07088265582237673], 37.0),
        ([-1.4132885480562336, 2.0004535302801236, 0.1580272538652278, 0.02421498330411741], 7.53801262653377),
        ([-1.2683574374736541, 1.6208391844771426, 0.5289713914741553, 0.24582099810170266], 6.5338790040521655),
    ]),
]


@pytest.mark.parametrize("kwargs,expected", GOLDEN, ids=["wolfe", "fixed", "wolfe-short-history"])
def test_golden_values(kwargs, expected):
    losses, points, _ = run_gg(kwargs, 3)
    np.testing.assert_allclose(points, [point for point, _ in expected], rtol=1e-9, atol=1e-12)
    np.testing.assert_allclose(losses, [loss for _, loss in expected], rtol=1e-12)


def test_two_loop_recursion_equals_the_bfgs_inverse_hessian():
    # H_{k+1} = (I - rho s y^T) H_k (I - rho y s^T) + rho s s^T, from H_0 = gamma I (Nocedal & Wright 7.19)
    r = np.random.default_rng(0)
    n, pairs = 5, 3
    steps = [r.normal(size=n) for _ in range(pairs)]
    changes = [s + 0.1 * r.normal(size=n) for s in steps]  # y . s > 0
    ro = [1.0 / float(y @ s) for y, s in zip(changes, steps)]
    gamma = float(steps[-1] @ changes[-1] / (changes[-1] @ changes[-1]))
    inverse_hessian = gamma * np.eye(n)
    for s, y, rho in zip(steps, changes, ro):
        left = np.eye(n) - rho * np.outer(s, y)
        inverse_hessian = left @ inverse_hessian @ left.T + rho * np.outer(s, s)
    grad = r.normal(size=n)
    direction = optim.lbfgs_direction(grad, changes, steps, ro, gamma)
    np.testing.assert_allclose(direction, -inverse_hessian @ grad, rtol=1e-10)


def test_cubic_interpolate_finds_the_minimum_of_a_cubic():
    def f(x):
        return x**3 - 3 * x  # minimum at x = 1

    def df(x):
        return 3 * x**2 - 3

    assert cubic_interpolate(0.0, f(0.0), df(0.0), 2.0, f(2.0), df(2.0)) == pytest.approx(1.0)
    assert cubic_interpolate(2.0, f(2.0), df(2.0), 0.0, f(0.0), df(0.0)) == pytest.approx(1.0)
    assert cubic_interpolate(0.0, f(0.0), df(0.0), 2.0, f(2.0), df(2.0), bounds=(1.5, 3.0)) == 1.5
    # no real minimiser (d1^2 < g1 g2; here d1 = 0): bisect the bounds
    assert cubic_interpolate(0.0, 0.0, 1.0, 1.0, 2.0 / 3.0, 1.0) == 0.5


def test_strong_wolfe_conditions_hold_for_the_returned_step():
    a, start = np.array([1.0, 10.0]), np.array([1.0, 1.0])
    grad = a * start
    direction = -grad

    def evaluate(t):
        point = start + t * direction
        return float(0.5 * (a * point**2).sum()), a * point

    loss0, gtd = 0.5 * float(a.sum()), float(grad @ direction)
    loss, new_grad, t, evaluations = strong_wolfe(evaluate, direction, 1.0, loss0, grad, gtd)
    assert loss <= loss0 + 1e-4 * t * gtd
    assert abs(float(new_grad @ direction)) <= 0.9 * abs(gtd)
    assert evaluations >= 1


def test_state_dict_round_trip_resumes_identically():
    kwargs = {"lr": 1, "max_iter": 4, "history_size": 5, "line_search_fn": "strong_wolfe"}
    _, straight, _ = run_gg(kwargs, 4)
    _, half, opt = run_gg(kwargs, 2)
    saved = opt.state_dict()
    assert set(saved["state"][0]) >= {"d", "t", "old_dirs", "old_stps", "ro", "H_diag", "prev_flat_grad"}
    p = Parameter(half[-1].copy())
    opt2 = optim.LBFGS([p], **kwargs)
    opt2.load_state_dict(saved)

    def closure():
        opt2.zero_grad()
        loss = rosenbrock(p)
        loss.backward()
        return loss

    for _ in range(2):
        opt2.step(closure)
    np.testing.assert_array_equal(p.array, straight[-1])


def test_lbfgs_needs_a_closure_and_one_group():
    a, b = Parameter(np.ones(2)), Parameter(np.ones(2))
    with pytest.raises(TypeError, match="closure"):
        optim.LBFGS([a]).step()
    with pytest.raises(ValueError, match="doesn't support per-parameter options"):
        optim.LBFGS([{"params": [a]}, {"params": [b]}])
    with pytest.raises(ValueError, match="strong_wolfe"):
        optim.LBFGS([a], line_search_fn="armijo")
    assert optim.LBFGS([a], max_iter=8).param_groups[0]["max_eval"] == 10


def test_already_optimal_returns_at_once():
    p = Parameter(np.ones(4))  # the minimum of rosenbrock
    opt = optim.LBFGS([p])
    calls = []

    def closure():
        calls.append(1)
        opt.zero_grad()
        loss = rosenbrock(p)
        loss.backward()
        return loss

    assert float(opt.step(closure)) == 0.0
    assert len(calls) == 1
    np.testing.assert_array_equal(p.array, np.ones(4))


def make_sequence(T, hidden=5):  # noqa: N803  (T is torch or glassgrad)
    """pytorch/examples time_sequence_prediction's model (smaller), written once for both libraries."""

    class Sequence(T.nn.Module):
        def __init__(self):
            super().__init__()
            self.lstm1 = T.nn.LSTMCell(1, hidden)
            self.lstm2 = T.nn.LSTMCell(hidden, hidden)
            self.linear = T.nn.Linear(hidden, 1)

        def forward(self, input):
            outputs = []
            h_t = T.zeros(input.size(0), hidden, dtype=T.double)
            c_t = T.zeros(input.size(0), hidden, dtype=T.double)
            h_t2 = T.zeros(input.size(0), hidden, dtype=T.double)
            c_t2 = T.zeros(input.size(0), hidden, dtype=T.double)
            for input_t in input.split(1, dim=1):
                h_t, c_t = self.lstm1(input_t, (h_t, c_t))
                h_t2, c_t2 = self.lstm2(h_t, (h_t2, c_t2))
                outputs += [self.linear(h_t2)]
            return T.cat(outputs, dim=1)

    return Sequence().double()


def test_time_sequence_prediction_shape_matches_torch(torch):
    """``optim.LBFGS(seq.parameters(), lr=0.8)`` stepped with a closure, as in the example."""
    r = np.random.default_rng(0)
    wave = np.sin((np.arange(12) + r.integers(-4, 4, size=(3, 1))) / 3.0)
    inputs, targets = wave[:, :-1], wave[:, 1:]
    torch.manual_seed(2)  # torch's random initial weights, copied into ours; this draw trains smoothly at lr=0.8
    seq, tseq = make_sequence(gg), make_sequence(torch)
    for (name, p), (torch_name, q) in zip(seq.named_parameters(), tseq.named_parameters()):
        assert name == torch_name
        p.data = q.detach().numpy().copy()
    criterion, torch_criterion = gg.nn.MSELoss(), torch.nn.MSELoss()
    optimizer = optim.LBFGS(seq.parameters(), lr=0.8)
    torch_optimizer = torch.optim.LBFGS(tseq.parameters(), lr=0.8)
    for i in range(3):
        def closure():
            optimizer.zero_grad()
            out = seq(gg.tensor(inputs))
            loss = criterion(out, gg.tensor(targets))
            loss.backward()
            return loss

        def torch_closure():
            torch_optimizer.zero_grad()
            loss = torch_criterion(tseq(torch.tensor(inputs)), torch.tensor(targets))
            loss.backward()
            return loss

        loss, torch_loss = optimizer.step(closure), torch_optimizer.step(torch_closure)
        assert isinstance(loss, gg.Tensor)
        # fixed steps amplify rounding differences (and the LSTM's own): later steps are compared loosely
        assert float(loss) == pytest.approx(torch_loss.item(), rel=1e-12 if i == 0 else 1e-6)
        if i == 0:
            for p, q in zip(seq.parameters(), tseq.parameters()):
                np.testing.assert_allclose(p.array, q.detach().numpy(), rtol=1e-8, atol=1e-9)


def _quadratic(x):
    a = np.diag(np.arange(1.0, x.size + 1))
    return 0.5 * float(x @ a @ x) + float(x.sum()), a @ x + 1.0


def _rosenbrock_numpy(x):
    value = float(((1 - x[0::2]) ** 2 + 100 * (x[1::2] - x[0::2] ** 2) ** 2).sum())
    grad = np.zeros_like(x)
    grad[0::2] = -2 * (1 - x[0::2]) - 400 * x[0::2] * (x[1::2] - x[0::2] ** 2)
    grad[1::2] = 200 * (x[1::2] - x[0::2] ** 2)
    return value, grad


def _wiggly(x):
    value = float((x**4 - x**2 + 0.1 * np.sin(5 * x)).sum())
    return value, 4 * x**3 - 2 * x + 0.5 * np.cos(5 * x)


def _steep(x):
    return float((x**8 / 8 - x + 0.05 * x**2).sum()), x**7 - 1 + 0.1 * x


DEFAULT_START = (-1.2, 1.0, 0.7, -0.3)
LINE_SEARCHES = [
    (fn, DEFAULT_START, t, {"max_ls": max_ls})
    for fn in (_quadratic, _rosenbrock_numpy, _wiggly, _steep)
    for t in (1e-4, 1e-2, 0.3, 0.775, 1.0, 3.0, 30.0)
    for max_ls in (25, 2)
] + [  # a strict curvature test: zoom steps pushed off the bracket's ends; a bracket that collapses
    (_wiggly, (-0.15, 0.02, 0.3, -0.81), 3.683, {"c2": 0.01, "tolerance_change": 0.1}),
    (_steep, (-1.1, -0.82, -0.47, 0.62), 0.13, {"c2": 0.01, "tolerance_change": 1.0}),
]


@pytest.mark.parametrize("fn,start,t,options", LINE_SEARCHES,
                         ids=[f"{fn.__name__}-{t}-{i}" for i, (fn, _, t, _) in enumerate(LINE_SEARCHES)])
def test_strong_wolfe_matches_torchs_line_search(torch, fn, start, t, options):
    """Every branch (extrapolate, bracket, zoom, out of evaluations) against torch's own line search."""
    _strong_wolfe = torch_submodule(torch, "torch.optim.lbfgs")._strong_wolfe

    start = np.array(start)
    loss, grad = fn(start)
    direction = -grad
    gtd = float(grad @ direction)

    def evaluate(step):
        return fn(start + step * direction)

    def torch_evaluate(x, step, d):
        value, g = fn(start + float(step) * d.numpy())
        return value, torch.tensor(g)

    ours = strong_wolfe(evaluate, direction, t, loss, grad, gtd, **options)
    theirs = _strong_wolfe(torch_evaluate, None, t, torch.tensor(direction), loss, torch.tensor(grad),
                           torch.tensor(gtd, dtype=torch.float64), **options)
    assert ours[0] == pytest.approx(float(theirs[0]), rel=1e-12)
    np.testing.assert_allclose(ours[1], theirs[1].numpy(), rtol=1e-12)
    assert ours[2] == pytest.approx(float(theirs[2]), rel=1e-12)
    assert ours[3] == theirs[3]


def test_float32_parameters_stay_float32():
    p = Parameter(np.array(START, dtype=np.float32))
    opt = optim.LBFGS([p], line_search_fn="strong_wolfe")

    def closure():
        opt.zero_grad()
        loss = rosenbrock(p)
        loss.backward()
        return loss

    first = float(opt.step(closure))
    assert p.dtype == np.float32 and opt.state[p]["d"].dtype == np.float32
    assert float(rosenbrock(p)) < first
