"""A physics-informed network (Lagaris et al. 1998, Raissi et al. 2019) solving the damped oscillator.

    u'' + 2 d u' + w0^2 u = 0,   u(0) = 1, u'(0) = 0,   t in [0, 1]

Exact solution (underdamped, w = sqrt(w0^2 - d^2)):  u(t) = e^(-d t) (cos w t + (d / w) sin w t).

No solution values are given to the network: its only training signal is the equation itself. The
network N(t) (1-32-32-32-1, tanh) enters the trial solution u(t) = 1 + t^2 N(t), which meets both
initial conditions whatever N is (Lagaris's hard constraints), and the loss is the mean squared
residual of the equation at collocation points, divided by w0^2 to be of order 1:

    loss = mean_i ((u''(t_i) + 2 d u'(t_i) + w0^2 u(t_i)) / w0^2)^2

u' and u'' are derivatives of the network's output with respect to its input, taken with
``autograd.grad(..., create_graph=True)``; the loss's gradient with respect to the weights then
differentiates through them (second and third derivatives of the network). Adam, float64.
Reported: the relative L2 error against the exact solution on a fine grid (target: below 1e-2).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np

import glassgrad as gg
from glassgrad import nn, optim

NAME = "pinn"
DESCRIPTION = "physics-informed net for the damped oscillator u'' + 2d u' + w0^2 u = 0: relative L2 error vs exact"
HEADLINE = ("relative_l2_error", "target_met", "final_loss", "steps")


@dataclass
class Config:
    damping: float = 1.0  # d
    frequency: float = 8.0  # w0
    points: int = 64  # collocation points on [0, 1]
    hidden: int = 32
    steps: int = 3000
    lr: float = 1e-2
    seed: int = 0
    plot: bool = True


def smoke() -> Config:
    return Config(points=16, hidden=8, steps=20, plot=False)


def exact(t: np.ndarray, cfg: Config) -> np.ndarray:
    """The closed-form solution of the underdamped oscillator with u(0) = 1, u'(0) = 0."""
    d, w0 = cfg.damping, cfg.frequency
    w = np.sqrt(w0**2 - d**2)
    return np.exp(-d * t) * (np.cos(w * t) + d / w * np.sin(w * t))


class TrialSolution(nn.Module):
    """u(t) = 1 + t^2 N(t): u(0) = 1 and u'(0) = 0 for any network N."""

    def __init__(self, hidden: int) -> None:
        super().__init__()
        self.net = nn.Sequential(nn.Linear(1, hidden), nn.Tanh(), nn.Linear(hidden, hidden), nn.Tanh(),
                                 nn.Linear(hidden, hidden), nn.Tanh(), nn.Linear(hidden, 1))

    def forward(self, t: gg.Tensor) -> gg.Tensor:
        return 1 + t * t * self.net(t)


def residual_loss(model: TrialSolution, t: gg.Tensor, cfg: Config) -> gg.Tensor:
    """mean((u'' + 2 d u' + w0^2 u)^2) / w0^4, the derivatives by autograd with create_graph=True."""
    u = model(t)
    (du,) = gg.autograd.grad(u.sum(), t, create_graph=True)  # the points are independent: sum, then d/dt
    (d2u,) = gg.autograd.grad(du.sum(), t, create_graph=True)
    residual = (d2u + 2 * cfg.damping * du + cfg.frequency**2 * u) / cfg.frequency**2
    return (residual * residual).mean()


def relative_error(model: TrialSolution, t: np.ndarray, cfg: Config) -> tuple[float, np.ndarray]:
    with gg.no_grad():
        predicted = model(gg.tensor(t)).numpy()
    truth = exact(t, cfg)
    return float(np.linalg.norm(predicted - truth) / np.linalg.norm(truth)), predicted


def run(cfg: Config, out_dir: Path) -> dict:
    if cfg.damping >= cfg.frequency:
        raise ValueError(f"pinn: the exact solution here is the underdamped one: need damping < frequency, got "
                         f"{cfg.damping} and {cfg.frequency}")
    gg.manual_seed(cfg.seed)
    model = TrialSolution(cfg.hidden).double()
    optimizer = optim.Adam(model.parameters(), lr=cfg.lr)
    t = gg.tensor(np.linspace(0.0, 1.0, cfg.points)[:, None], requires_grad=True)
    grid = np.linspace(0.0, 1.0, 400)[:, None]
    losses, errors = [], []
    for step in range(cfg.steps):
        optimizer.zero_grad()
        loss = residual_loss(model, t, cfg)
        loss.backward()
        optimizer.step()
        losses.append(loss.item())
        if step % 100 == 0 or step == cfg.steps - 1:
            errors.append((step, relative_error(model, grid, cfg)[0]))
            print(f"step {step:5d}  residual loss {losses[-1]:.3e}  relative L2 error {errors[-1][1]:.3e}")
    error, predicted = relative_error(model, grid, cfg)
    results = {"relative_l2_error": error, "target_met": error < 1e-2, "first_loss": losses[0],
               "final_loss": losses[-1], "steps": cfg.steps}
    if cfg.plot:
        _plot(grid, predicted, t.detach().numpy(), losses, errors, cfg, out_dir)
        results["plot"] = str(out_dir / "pinn.png")
    return results


def _plot(grid: np.ndarray, predicted: np.ndarray, points: np.ndarray, losses: list[float],
          errors: list[tuple[int, float]], cfg: Config, out_dir: Path) -> None:
    from glassgrad_experiments.common.plots import _figure

    fig = _figure(11, 4)
    left, right = fig.subplots(1, 2)
    left.plot(grid[:, 0], exact(grid, cfg)[:, 0], "k-", lw=3, alpha=0.3, label="exact")
    left.plot(grid[:, 0], predicted[:, 0], "r--", label=f"PINN (relative L2 error {errors[-1][1]:.1e})")
    left.plot(points[:, 0], np.zeros(len(points)), "b|", label="collocation points")
    left.set_xlabel("t")
    left.set_title(f"u'' + {2 * cfg.damping:g} u' + {cfg.frequency**2:g} u = 0, u(0) = 1, u'(0) = 0")
    left.legend(fontsize=8)
    right.semilogy(losses, label="residual loss")
    right.semilogy([s for s, _ in errors], [e for _, e in errors], "o-", ms=3, label="relative L2 error")
    right.set_xlabel("Adam step")
    right.legend(fontsize=8)
    fig.tight_layout()
    fig.savefig(out_dir / "pinn.png", dpi=100)
