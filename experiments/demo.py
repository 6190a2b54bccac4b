"""The README demo: an MLP learns three interleaved spirals, generated on the spot.

No network, no files: the data set is made by the code below.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np

import glassgrad as gg
from glassgrad import nn

NAME = "demo"
DESCRIPTION = "MLP on generated spirals (embedded data, no downloads)"


@dataclass
class Config:
    epochs: int = 300
    hidden: int = 64
    lr: float = 0.5
    points_per_class: int = 200
    seed: int = 0


def smoke() -> Config:
    return Config(epochs=30, points_per_class=50)


def spirals(points_per_class: int, classes: int = 3, rng: np.random.Generator | None = None):
    rng = rng or np.random.default_rng(0)
    xs, ys = [], []
    for c in range(classes):
        r = np.linspace(0.0, 1.0, points_per_class)
        t = np.linspace(c * 4, (c + 1) * 4, points_per_class) + rng.normal(0, 0.2, points_per_class)
        xs.append(np.stack([r * np.sin(t), r * np.cos(t)], axis=1))
        ys.append(np.full(points_per_class, c))
    return np.concatenate(xs).astype(np.float32), np.concatenate(ys)


def run(cfg: Config, out_dir: Path) -> dict:
    gg.manual_seed(cfg.seed)
    x, y = spirals(cfg.points_per_class, rng=np.random.default_rng(cfg.seed))
    model = nn.Sequential(nn.Linear(2, cfg.hidden), nn.Linear(cfg.hidden, 3))
    target = gg.one_hot(y, 3)
    first = last = 0.0
    for epoch in range(cfg.epochs):
        hidden = model[0](gg.tensor(x)).relu()
        logits = model[1](hidden)
        loss = -(gg.log_softmax(logits, axis=1) * target).sum(axis=1).mean()
        model.zero_grad()
        loss.backward()
        for p in model.parameters():
            p.data -= cfg.lr * p.grad
        last = loss.item()
        first = first or last
        if epoch % max(1, cfg.epochs // 10) == 0:
            print(f"epoch {epoch:4d}  loss {last:.4f}")
    print(f"loss fell from {first:.4f} to {last:.4f} ({first / last:.1f}x)")
    return {"first_loss": first, "final_loss": last}
