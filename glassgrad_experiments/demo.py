"""The README demo: an MLP learns three interleaved spirals, generated on the spot.

No network, no files: the data set comes from ``glassgrad.data.synthetic``.
Keras-style: the training is one ``glassgrad.train.fit`` call (the loop it runs, batch by
batch ``zero_grad`` / ``backward`` / ``step``, is ``glassgrad/train/loop.py``'s; a progress bar
in a terminal). ``mnist-mlp`` writes the same kind of loop out. It writes the
loss/accuracy curves to ``curves.png`` and the decision regions to
``regions.png``, and checks that the loss fell at least tenfold (a run that
misses it still records its numbers, with ``target_met: false``).
"""

from __future__ import annotations

import importlib.util
from dataclasses import dataclass
from pathlib import Path

import numpy as np

import glassgrad as gg
from glassgrad import nn, optim
from glassgrad.data import synthetic
from glassgrad.train import evaluate, fit
from glassgrad_experiments.common import TargetMissed

NAME = "demo"
DESCRIPTION = "MLP on generated spirals (embedded data, no downloads): fit loop, curves PNG"


@dataclass
class Config:
    epochs: int = 80
    hidden: int = 64
    lr: float = 0.01
    batch_size: int = 32
    points_per_class: int = 200
    seed: int = 0
    target_ratio: float = 10.0     # the run fails unless the loss falls by at least this factor


def smoke() -> Config:
    return Config(epochs=30, points_per_class=60, target_ratio=3.0)


def _regions_png(model: nn.Module, x: np.ndarray, y: np.ndarray, path: Path) -> None:
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    grid = np.linspace(-1.1, 1.1, 200, dtype=np.float32)
    gx, gy = np.meshgrid(grid, grid)
    with gg.no_grad():
        classes = model(gg.tensor(np.stack([gx.ravel(), gy.ravel()], 1))).data.argmax(1).reshape(gx.shape)
    fig = Figure(figsize=(4.5, 4.5), layout="constrained")
    ax = fig.add_subplot()
    ax.contourf(gx, gy, classes, levels=[-0.5, 0.5, 1.5, 2.5], cmap="Pastel1", alpha=0.9)
    ax.scatter(x[:, 0], x[:, 1], c=y, cmap="Set1", s=8, edgecolors="none")
    ax.set_title("decision regions")
    ax.set_aspect("equal")
    FigureCanvasAgg(fig)
    fig.savefig(path, dpi=100)


def run(cfg: Config, out_dir: Path) -> dict:
    gg.manual_seed(cfg.seed)
    rng = np.random.default_rng(cfg.seed)
    x, y = synthetic.spirals(cfg.points_per_class, classes=3, rng=rng)
    model = nn.Sequential(nn.Linear(2, cfg.hidden), nn.ReLU(), nn.Linear(cfg.hidden, cfg.hidden), nn.ReLU(),
                          nn.Linear(cfg.hidden, 3))
    loss_fn = nn.CrossEntropyLoss()
    start = evaluate(model, x, y, loss_fn=loss_fn)
    history = fit(model, x, y, loss_fn=loss_fn, optimizer=optim.Adam(model.parameters(), lr=cfg.lr),
                  epochs=cfg.epochs, batch_size=cfg.batch_size, rng=rng, verbose=True)
    end = evaluate(model, x, y, loss_fn=loss_fn)
    if importlib.util.find_spec("matplotlib") is None:  # a bare `pip install glassgrad`: train, report, no pictures
        print("matplotlib is not installed: no figures (pip install 'glassgrad[plot]' draws them)")
    else:
        history.plot(out_dir / "curves.png", title="spirals: MLP 2-64-64-3, Adam")
        _regions_png(model, x, y, out_dir / "regions.png")
    ratio = start["loss"] / end["loss"]
    print(f"loss fell from {start['loss']:.4f} to {end['loss']:.4f} ({ratio:.1f}x); "
          f"accuracy {start['accuracy']:.3f} -> {end['accuracy']:.3f}")
    results = {"first_loss": start["loss"], "final_loss": end["loss"], "loss_ratio": ratio,
               "final_accuracy": end["accuracy"], "accuracy": end["accuracy"], "chance": 1.0 / 3, "epochs": cfg.epochs,
               "target_ratio": cfg.target_ratio, "target_met": ratio >= cfg.target_ratio}
    if not results["target_met"]:  # a result all the same: results.json keeps it, a sweep counts the run finished
        raise TargetMissed(f"demo: the loss fell only {ratio:.1f}x (target {cfg.target_ratio}x)", results)
    return results
