"""MAML on sine-wave regression (Finn, Abbeel & Levine 2017, section 5.1), against joint pre-training.

Each task is a sine y = A sin(x - phi), A ~ U[0.1, 5], phi ~ U[0, pi], x ~ U[-5, 5]. A learner sees
K = 10 points of a new task and takes one (or a few) gradient steps of size alpha = 0.01 on their
mean squared error. MAML trains the initial weights theta so that this adaptation works:

    theta' = theta - alpha grad L_support(theta)           (one inner step per task)
    theta <- theta - beta grad_theta sum_tasks L_query(theta')

The outer gradient goes through the inner step, so it contains second derivatives (the Hessian of
L_support); glassgrad takes them with ``autograd.grad(..., create_graph=True)``. All the tasks of a
meta-batch are one batched computation: each layer's weights are expanded to one copy per task, so
the inner gradient with respect to the copies is every task's own gradient in a single backward.

The baseline is the same network (1-40-40-1, ReLU) pre-trained on all tasks jointly (it learns the
average function, about 0), then adapted the same way. After one step on 10 points MAML's network
fits the new sine far better; the figure redraws the paper's Figure 2 (pre-update, 1 and 10 steps).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np

import glassgrad as gg
from glassgrad import optim

NAME = "maml-sine"
DESCRIPTION = "MAML on sine regression (Finn et al. 2017): MSE after 1 and 10 steps on 10 points vs pre-training"
HEADLINE = ("maml_mse_1_steps", "pretrained_mse_1_steps", "maml_mse_10_steps", "pretrained_mse_10_steps",
            "iterations")


@dataclass
class Config:
    iterations: int = 8000  # meta-updates (the paper: 70,000)
    meta_batch: int = 25  # tasks per meta-update
    shots: int = 10  # K points per task, for the inner step and for the query
    hidden: int = 40
    inner_lr: float = 0.01  # alpha
    meta_lr: float = 1e-3  # beta (Adam)
    test_tasks: int = 100
    seed: int = 0
    plot: bool = True


def smoke() -> Config:
    return Config(iterations=60, meta_batch=10, hidden=16, meta_lr=1e-2, test_tasks=10, plot=False)


class SineTasks:
    """Draws batches of sine tasks and points from them."""

    def __init__(self, rng: np.random.Generator, n: int) -> None:
        self.rng = rng
        self.amplitude = rng.uniform(0.1, 5.0, (n, 1, 1))
        self.phase = rng.uniform(0.0, np.pi, (n, 1, 1))

    def points(self, k: int) -> tuple[gg.Tensor, gg.Tensor]:
        """x (n, k, 1) uniform in [-5, 5] and y = A sin(x - phi) for each task."""
        x = self.rng.uniform(-5.0, 5.0, (len(self.amplitude), k, 1))
        return gg.tensor(x), gg.tensor(self.values(x))

    def values(self, x: np.ndarray) -> np.ndarray:
        return self.amplitude * np.sin(x - self.phase)


def init_params(hidden: int, rng: np.random.Generator) -> list[gg.Tensor]:
    """(W, b) for 1 -> hidden -> hidden -> 1, uniform(+-1/sqrt(fan_in)) as torch's Linear."""
    params = []
    for n_in, n_out in ((1, hidden), (hidden, hidden), (hidden, 1)):
        bound = 1.0 / np.sqrt(n_in)
        params += [gg.tensor(rng.uniform(-bound, bound, (n_in, n_out)), requires_grad=True),
                   gg.tensor(rng.uniform(-bound, bound, (1, n_out)), requires_grad=True)]
    return params


def net(params: list[gg.Tensor], x: gg.Tensor) -> gg.Tensor:
    """The 1-40-40-1 ReLU network on x (tasks, points, 1); weights (tasks, ...) or shared."""
    w1, b1, w2, b2, w3, b3 = params
    h = gg.relu(x @ w1 + b1)
    h = gg.relu(h @ w2 + b2)
    return h @ w3 + b3


def per_task(params: list[gg.Tensor], n_tasks: int) -> list[gg.Tensor]:
    """One copy of each weight per task (an expand: gradients flow back to the shared weights)."""
    return [p.expand(n_tasks, *p.shape) for p in params]


def task_losses(params: list[gg.Tensor], x: gg.Tensor, y: gg.Tensor) -> gg.Tensor:
    """Each task's mean squared error, shape (tasks,)."""
    return ((net(params, x) - y) ** 2).mean(axis=(1, 2))


def adapt(params: list[gg.Tensor], x: gg.Tensor, y: gg.Tensor, lr: float, steps: int,
          create_graph: bool) -> list[gg.Tensor]:
    """``steps`` gradient steps of size ``lr`` on each task's support loss, all tasks at once."""
    for _ in range(steps):
        grads = gg.autograd.grad(task_losses(params, x, y).sum(), params, create_graph=create_graph)
        params = [p - lr * g for p, g in zip(params, grads)]
        if not create_graph:  # plain fine-tuning: each step starts from new leaves
            params = [p.detach().requires_grad_(True) for p in params]
    return params


def meta_train(cfg: Config, rng: np.random.Generator) -> tuple[list[gg.Tensor], list[float]]:
    params = init_params(cfg.hidden, rng)
    optimizer = optim.Adam(params, lr=cfg.meta_lr)
    losses = []
    for it in range(cfg.iterations):
        tasks = SineTasks(rng, cfg.meta_batch)
        (xs, ys), (xq, yq) = tasks.points(cfg.shots), tasks.points(cfg.shots)
        adapted = adapt(per_task(params, cfg.meta_batch), xs, ys, cfg.inner_lr, 1, create_graph=True)
        meta_loss = task_losses(adapted, xq, yq).mean()  # through the inner step: second derivatives
        optimizer.zero_grad()
        meta_loss.backward()
        optimizer.step()
        losses.append(meta_loss.item())
        if it % 500 == 0:
            print(f"MAML iteration {it:5d}  meta loss {np.mean(losses[-500:]):.3f}")
    return params, losses


def pretrain(cfg: Config, rng: np.random.Generator) -> tuple[list[gg.Tensor], list[float]]:
    """The baseline: the same network fitted to points of all tasks at once (same updates, same data)."""
    params = init_params(cfg.hidden, rng)
    optimizer = optim.Adam(params, lr=cfg.meta_lr)
    losses = []
    for _ in range(cfg.iterations):
        x, y = SineTasks(rng, cfg.meta_batch).points(2 * cfg.shots)
        loss = task_losses(params, x, y).mean()
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        losses.append(loss.item())
    return params, losses


def evaluate(params: list[gg.Tensor], tasks: SineTasks, support: tuple[gg.Tensor, gg.Tensor], grid: np.ndarray,
             cfg: Config, steps: tuple[int, ...]) -> dict[int, tuple[float, np.ndarray]]:
    """{steps: (mean MSE over the test tasks on the grid, predictions (tasks, grid))} after adapting."""
    n = len(tasks.amplitude)
    x_grid = gg.tensor(np.broadcast_to(grid[None, :, None], (n, len(grid), 1)).copy())
    truth = tasks.values(x_grid.numpy())
    out = {}
    for k in steps:
        copies = [p.detach().clone().requires_grad_(True) for p in per_task(params, n)]  # leaves, one per task
        adapted = adapt(copies, *support, cfg.inner_lr, k, create_graph=False)
        with gg.no_grad():
            predicted = net(adapted, x_grid).numpy()
        out[k] = (float(((predicted - truth) ** 2).mean()), predicted[..., 0])
    return out


def run(cfg: Config, out_dir: Path) -> dict:
    rng = np.random.default_rng(cfg.seed)
    maml_params, maml_losses = meta_train(cfg, rng)
    pre_params, pre_losses = pretrain(cfg, rng)
    test_rng = np.random.default_rng(cfg.seed + 1)
    tasks = SineTasks(test_rng, cfg.test_tasks)
    support = tasks.points(cfg.shots)
    grid = np.linspace(-5.0, 5.0, 100)
    steps = (0, 1, 10)
    maml = evaluate(maml_params, tasks, support, grid, cfg, steps)
    pre = evaluate(pre_params, tasks, support, grid, cfg, steps)
    window = max(1, min(500, cfg.iterations // 3))  # the meta loss is noisy: means over windows
    results = {
        "first_loss": float(np.mean(maml_losses[:window])), "final_loss": float(np.mean(maml_losses[-window:])),
        **{f"maml_mse_{k}_steps": maml[k][0] for k in steps},
        **{f"pretrained_mse_{k}_steps": pre[k][0] for k in steps},
        "maml_better_after_1_step": maml[1][0] < pre[1][0],
        "iterations": cfg.iterations,
    }
    print(f"MSE after 1 step on {cfg.shots} points: MAML {maml[1][0]:.3f}, pre-trained {pre[1][0]:.3f}; after 10: "
          f"MAML {maml[10][0]:.3f}, pre-trained {pre[10][0]:.3f}")
    if cfg.plot:
        _plot(tasks, support, grid, maml, pre, out_dir)
        results["plot"] = str(out_dir / "maml_sine.png")
    return results


def _plot(tasks: SineTasks, support: tuple[gg.Tensor, gg.Tensor], grid: np.ndarray, maml: dict, pre: dict,
          out_dir: Path) -> None:
    """Finn et al.'s Figure 2: one test task, both methods, before and after 1 and 10 gradient steps."""
    from glassgrad_experiments.common.plots import _figure

    task = 0
    fig = _figure(11, 4)
    for ax, (title, curves) in zip(fig.subplots(1, 2), (("MAML", maml), ("pre-trained", pre))):
        ax.plot(grid, tasks.values(grid[None, :, None])[task, :, 0], "r-", lw=2, label="ground truth")
        for k, style in ((0, "g:"), (1, "b--"), (10, "c-.")):
            label = "pre-update" if k == 0 else f"{k} grad step" + "s" * (k > 1)
            ax.plot(grid, curves[k][1][task], style, label=label)
        ax.plot(support[0].numpy()[task, :, 0], support[1].numpy()[task, :, 0], "k^", label="points used for grad")
        ax.set_title(f"{title}, K={support[0].shape[1]}")
        ax.set_ylim(-6, 6)
        ax.legend(fontsize=7, loc="lower right")
    fig.tight_layout()
    fig.savefig(out_dir / "maml_sine.png", dpi=100)
