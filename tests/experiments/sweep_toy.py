"""A tiny experiment for the sweep tests: least squares by gradient descent in glassgrad (milliseconds).

Not in the registry (it lives under tests/); the tests hand it to the sweep engine directly or
make ``experiments.find`` return it. Worker processes and Ray tasks import it by its module name.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

import numpy as np

import glassgrad as gg

NAME = "sweep-toy"
DESCRIPTION = "least squares by gradient descent (sweep tests)"
INTERRUPT_AT = "SWEEP_TOY_INTERRUPT_AT"  # environment: the run (lr,seed) that raises KeyboardInterrupt


@dataclass
class Config:
    lr: float = 0.1
    steps: int = 30
    features: int = 8
    fail_seeds: str = ""       # comma-separated seeds whose runs raise, to test failure reports
    seed: int = 0


def smoke() -> Config:
    return Config(steps=5)


def run(cfg: Config, out_dir: Path) -> dict:
    if str(cfg.seed) in cfg.fail_seeds.split(","):
        raise RuntimeError(f"toy failure for seed {cfg.seed}")
    if os.environ.get(INTERRUPT_AT) == f"{cfg.lr},{cfg.seed}":
        raise KeyboardInterrupt
    rng = np.random.default_rng(cfg.seed)
    x = gg.tensor(rng.standard_normal((64, cfg.features)).astype(np.float32))
    target = x @ gg.tensor(rng.standard_normal((cfg.features, 1)).astype(np.float32))
    weight = gg.zeros(cfg.features, 1, requires_grad=True)
    losses = []
    for _ in range(cfg.steps):
        loss = ((x @ weight - target) ** 2).mean()
        weight.grad = None
        loss.backward()
        with gg.no_grad():
            weight -= cfg.lr * weight.grad
        losses.append(loss.item())
    (out_dir / "weight.txt").write_text(" ".join(f"{v:.9g}" for v in weight.detach().numpy().ravel()) + "\n")
    print(f"final loss {losses[-1]:.6g}")
    return {"final_loss": losses[-1], "converged": losses[-1] < 1e-3, "losses": losses,
            "first": {"loss": losses[0], "step": 0}, "train_seconds": 0.001}
