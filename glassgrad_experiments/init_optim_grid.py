"""Initialiser x optimiser grid on MNIST: which starts and which update rules train.

Every initialiser (zeros; normal N(0, 0.01^2); very-large N(0, 10^2); Xavier
(Glorot) normal; He (Kaiming) normal) is crossed with every optimiser (SGD,
SGD+momentum, RMSprop, Adam, Adagrad, and Adam at lr 0.1 and 0.001) on the
784-256-128-10 ReLU MLP of ``mnist-mlp``. Biases start at zero in all runs. Keras-style, as
the classic study: each cell trains by one ``fit`` call (``train_cell``), which stops a run
whose loss or gradient turns NaN/inf (``TerminateOnNaN``) and records the per-epoch curves.

The grid is a sweep (``glassgrad_experiments/sweep``): each (initialiser, optimiser) pair is one run of
this experiment with a single ``--inits`` and a single ``--optimizers`` (a *cell*: it trains
that pair and saves its curves in results.json and its first-layer weights), in its own folder
``inits=NAME__optimizers=NAME/``. Either command runs the whole grid::

    glassgrad run init-optim-grid --jobs 2        # the grid from one run (--jobs N worker processes)
    glassgrad sweep init-optim-grid --jobs 2      # the same through the sweep command (or --ray [ADDRESS])

and both write, besides the sweep's results.csv / results.md / results.png: ``summary.md`` /
``summary.csv`` (final test accuracy and loss of each pair), ``history.csv`` (every epoch of
every pair), ``curves_grid.png`` (train/test loss per pair) and first-layer weight pictures per
pair in ``weights/``. Finished cells are reused when the grid runs again with the same settings.
A quick version::

    glassgrad run init-optim-grid --epochs 3 --n-train 6000 --n-test 2000 --jobs 2
"""

from __future__ import annotations

import csv
import math
import sys
import time
from dataclasses import dataclass, fields
from pathlib import Path
from typing import Any

import numpy as np

import glassgrad as gg
from glassgrad import nn, optim
from glassgrad.models import mnist_mlp
from glassgrad.nn import init
from glassgrad.train import TerminateOnNaN, evaluate, fit
from glassgrad_experiments.common.data import load_images
from glassgrad_experiments.sweep import RunOutcome, SweepSpec, run_sweep

NAME = "init-optim-grid"
DESCRIPTION = "initialiser x optimiser grid on MNIST: curves, summary table, first-layer weight images"

INITS = {
    "zeros": lambda w, rng: init.zeros_(w),
    "normal": lambda w, rng: init.normal_(w, 0.0, 0.01, rng=rng),
    "very-large": lambda w, rng: init.very_large_(w, 10.0, rng=rng),
    "xavier": lambda w, rng: init.xavier_normal_(w, rng=rng),
    "he": lambda w, rng: init.kaiming_normal_(w, nonlinearity="relu", rng=rng),
}
OPTIMIZERS = {
    "sgd": lambda p: optim.SGD(p, lr=0.1),
    "momentum": lambda p: optim.SGD(p, lr=0.01, momentum=0.9),
    "rmsprop": lambda p: optim.RMSprop(p, lr=1e-3),
    "adam": lambda p: optim.Adam(p, lr=1e-2),
    "adagrad": lambda p: optim.Adagrad(p, lr=1e-2),
    "adam-lr0.1": lambda p: optim.Adam(p, lr=0.1),
    "adam-lr0.001": lambda p: optim.Adam(p, lr=1e-3),
}
WEIGHTS_FILE = "first_layer_weights.npy"  # a cell's first 36 first-layer units, for the weight pictures


@dataclass
class Config:
    dataset: str = "mnist"
    data_dir: str = ""               # the data root (default: $GLASSGRAD_DATA, else ~/.cache/glassgrad)
    epochs: int = 10
    batch_size: int = 128
    n_train: int = 0                 # 0 = all training images
    n_test: int = 0
    inits: str = ",".join(INITS)     # comma-separated subset
    optimizers: str = ",".join(OPTIMIZERS)
    jobs: int = 1                    # worker processes for the grid (one BLAS thread each)
    seed: int = 0


def smoke() -> Config:
    return Config(dataset="synthetic", epochs=1, n_train=256, n_test=128, inits="zeros,he", optimizers="sgd,adam")


def _names(text: str) -> list[str]:
    return [name.strip() for name in text.split(",") if name.strip()]


def validate(cfg: Config) -> None:
    unknown = [s for s in _names(cfg.inits) if s not in INITS] + [s for s in _names(cfg.optimizers)
                                                                   if s not in OPTIMIZERS]
    if unknown:
        raise ValueError(f"unknown initialisers/optimisers {unknown}; known: {list(INITS)} and {list(OPTIMIZERS)}")
    if not _names(cfg.inits) or not _names(cfg.optimizers):
        raise ValueError("--inits and --optimizers each need at least one name")
    if cfg.jobs < 1:
        raise ValueError(f"--jobs must be at least 1, got {cfg.jobs}")


def grid_of(cfg: Config) -> dict[str, list[str]]:
    """The sweep: one cell per (initialiser, optimiser) pair."""
    return {"inits": _names(cfg.inits), "optimizers": _names(cfg.optimizers)}


_DATA: dict[str, Any] = {}  # a worker that trains several cells loads the data once


def _data(cfg: Config) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    key = (cfg.dataset, cfg.data_dir, cfg.n_train, cfg.n_test, cfg.seed)
    if _DATA.get("key") != key:
        data = load_images(cfg.dataset, cfg.data_dir, True, cfg.n_train, cfg.n_test, cfg.seed).flat()
        _DATA.update(key=key, data=data)
    return _DATA["data"]


def train_cell(cfg: Config, init_name: str, opt_name: str, out_dir: Path) -> dict[str, Any]:
    """Train one (initialiser, optimiser) pair; returns its curves and final numbers."""
    gg.manual_seed(cfg.seed)
    x_train, y_train, x_test, y_test = _data(cfg)
    rng = np.random.default_rng(cfg.seed)
    model = mnist_mlp(rng)
    for layer in model:
        if isinstance(layer, nn.Linear):
            INITS[init_name](layer.weight, rng)
            init.zeros_(layer.bias)
    loss_fn = nn.CrossEntropyLoss()
    start = time.perf_counter()
    with np.errstate(over="ignore", invalid="ignore", divide="ignore"):  # diverging runs are part of the story
        history = fit(model, x_train, y_train, loss_fn=loss_fn, optimizer=OPTIMIZERS[opt_name](model.parameters()),
                      epochs=cfg.epochs, batch_size=cfg.batch_size, validation_data=(x_test, y_test),
                      callbacks=[TerminateOnNaN()], rng=rng, verbose=False)
        test = evaluate(model, x_test, y_test, loss_fn=loss_fn)
    seconds = time.perf_counter() - start
    np.save(out_dir / WEIGHTS_FILE, model[0].weight.array[:36])  # (36, 784)
    curves = {key: [float(v) for v in values] for key, values in history.to_dict().items()}
    accuracy, loss = float(test["accuracy"]), float(test["loss"])
    print(f"{init_name:>10s} / {opt_name:<12s} test accuracy {accuracy:.4f} ({seconds:.1f} s)", flush=True)
    return {"init": init_name, "optimizer": opt_name, "test_accuracy": accuracy, "test_loss": loss,
            "final_train_loss": curves["loss"][-1],
            "diverged": not math.isfinite(loss) or not all(map(math.isfinite, curves["loss"])),
            "seconds": seconds, "history": curves}


def _cell_arguments(cfg: Config) -> list[str]:
    """``--field value`` for every setting a cell shares with the grid (all but the grid's own fields)."""
    argv: list[str] = []
    for field in fields(cfg):
        if field.name not in ("inits", "optimizers", "jobs"):
            argv += [f"--{field.name.replace('_', '-')}", str(getattr(cfg, field.name))]
    return argv


def run(cfg: Config, out_dir: Path) -> dict:
    inits, opts = _names(cfg.inits), _names(cfg.optimizers)
    if len(inits) == 1 and len(opts) == 1:
        return train_cell(cfg, inits[0], opts[0], out_dir)
    start = time.perf_counter()
    outcomes = run_sweep(sys.modules[__name__], grid_of(cfg), None, _cell_arguments(cfg), out=out_dir,
                         jobs=cfg.jobs, summarize=False)
    failed = [outcome for outcome in outcomes if not outcome.ok]
    if failed:
        raise RuntimeError(f"{len(failed)} of {len(outcomes)} cells failed, first {failed[0].run.name}: "
                           f"{failed[0].error}")
    print(write_summary(outcomes, out_dir))
    results = [outcome.record["results"] for outcome in outcomes]
    best = max(results, key=lambda r: -1 if r["diverged"] else r["test_accuracy"])
    summary: dict[str, Any] = {"runs": len(results), "wall_seconds": round(time.perf_counter() - start, 1),
                               "best": f"{best['init']}/{best['optimizer']}",
                               "best_test_accuracy": best["test_accuracy"],
                               "accuracy": best["test_accuracy"], "chance": 0.1}  # the smoke test's direction check
    for r in results:
        summary[f"{r['init']}/{r['optimizer']}"] = None if r["diverged"] else round(r["test_accuracy"], 4)
    return summary


# ----- the grid's own outputs, drawn from all its cells ----------------------------------------
def write_summary(outcomes: list[RunOutcome], out_dir: Path) -> str:
    """summary.md / summary.csv / history.csv / curves_grid.png / weights/ from the cells; returns the table."""
    from glassgrad.viz import save_weight_images

    results = [outcome.record["results"] for outcome in outcomes]
    inits = list(dict.fromkeys(r["init"] for r in results))
    opts = list(dict.fromkeys(r["optimizer"] for r in results))
    by_key = {(r["init"], r["optimizer"]): r for r in results}
    if len(by_key) != len(results):
        print("summary.md skipped: the grid has several runs per (initialiser, optimiser) pair; "
              "see results.md for their means", file=sys.stderr)
        return ""
    with (out_dir / "summary.csv").open("w", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["init", "optimizer", "test_accuracy", "test_loss", "final_train_loss", "diverged",
                         "seconds"])
        for r in results:
            writer.writerow([r["init"], r["optimizer"], f"{r['test_accuracy']:.4f}", f"{r['test_loss']:.4f}",
                             f"{r['history']['loss'][-1]:.4f}", r["diverged"], f"{r['seconds']:.1f}"])
    with (out_dir / "history.csv").open("w", newline="") as handle:
        writer = csv.writer(handle)
        names = ["loss", "accuracy", "val_loss", "val_accuracy"]
        writer.writerow(["init", "optimizer", "epoch", *names])
        for r in results:
            h = r["history"]
            for i, epoch in enumerate(h["epoch"]):
                writer.writerow([r["init"], r["optimizer"], int(epoch),
                                 *(h.get(n, [math.nan] * (i + 1))[i] for n in names)])
    lines = ["Final test accuracy (%) — rows: initialiser, columns: optimiser ('div' = diverged to NaN/inf)", "",
             "| init | " + " | ".join(opts) + " |", "|---|" + "---|" * len(opts)]
    for i in inits:
        cells = []
        for o in opts:
            r = by_key[(i, o)]
            cells.append("div" if r["diverged"] else f"{100 * r['test_accuracy']:.1f}")
        lines.append(f"| {i} | " + " | ".join(cells) + " |")
    table = "\n".join(lines) + "\n"
    (out_dir / "summary.md").write_text(table)
    _plot_grid(by_key, inits, opts, out_dir / "curves_grid.png")
    for outcome in outcomes:
        r = outcome.record["results"]
        picture = out_dir / "weights" / f"{r['init']}_{r['optimizer']}.png"
        save_weight_images(np.load(outcome.folder / WEIGHTS_FILE), picture, max_units=36,
                           title=f"{r['init']} / {r['optimizer']}")
    return table


def _plot_grid(by_key: dict, inits: list[str], opts: list[str], path: Path) -> None:
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure
    from matplotlib.ticker import MaxNLocator

    def finite(values: Any) -> np.ndarray:
        v = np.asarray(values, dtype=float)
        return np.where(np.isfinite(v) & (v > 0), v, np.nan)

    fig = Figure(figsize=(2.3 * len(opts), 1.8 * len(inits)), layout="constrained")
    axes = fig.subplots(len(inits), len(opts), squeeze=False, sharex=True, sharey="row")  # rows compare optimisers
    for a, i in enumerate(inits):
        for b, o in enumerate(opts):
            ax, r = axes[a][b], by_key[(i, o)]
            epochs = [e + 1 for e in r["history"]["epoch"]]
            for key, label in (("loss", "train"), ("val_loss", "test")):
                values = finite(r["history"].get(key, []))
                if np.isfinite(values).any():
                    ax.plot(epochs[: values.size], values, label=label, marker="o", ms=2)
            ax.set_yscale("log")
            ax.xaxis.set_major_locator(MaxNLocator(integer=True))
            score = "diverged" if r["diverged"] else f"{100 * r['test_accuracy']:.1f}%"
            ax.set_title(f"{i} / {o}: {score}", fontsize=8)
            ax.tick_params(labelsize=6)
    axes[0][0].legend(fontsize=6)
    fig.suptitle("cross-entropy per epoch (log scale), train and test; title: final test accuracy")
    FigureCanvasAgg(fig)
    fig.savefig(path, dpi=90)


SWEEP = SweepSpec(grid=grid_of, summarize=write_summary)
