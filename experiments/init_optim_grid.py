"""Initialiser x optimiser grid on MNIST: which starts and which update rules train.

Every initialiser (zeros; normal N(0, 0.01^2); very-large N(0, 10^2); Xavier
(Glorot) normal; He (Kaiming) normal) is crossed with every optimiser (SGD,
SGD+momentum, RMSprop, Adam, Adagrad, and Adam at lr 0.1 and 0.001) on the
784-256-128-10 ReLU MLP of ``mnist-mlp``. Biases start at zero in all runs.

Outputs: ``summary.md`` / ``summary.csv`` (final test accuracy and loss of
each run), ``history.csv`` (every epoch of every run), ``curves_grid.png``
(train/test loss per run), ``accuracy_by_optimizer.png``, and first-layer
weight pictures per run in ``weights/``. ``--jobs N`` runs N worker processes
(each pinned to one BLAS thread). A quick version::

    glassgrad run init-optim-grid --epochs 3 --n-train 6000 --n-test 2000 --jobs 2
"""

from __future__ import annotations

import contextlib
import csv
import math
import os
import time
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

import glassgrad as gg
from glassgrad import nn, optim
from glassgrad.nn import init
from glassgrad.train import TerminateOnNaN, evaluate, fit

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


@dataclass
class Config:
    dataset: str = "mnist"
    data_dir: str = "../shared/data/mnist"
    epochs: int = 10
    batch_size: int = 128
    n_train: int = 0                 # 0 = all training images
    n_test: int = 0
    inits: str = ",".join(INITS)     # comma-separated subset
    optimizers: str = ",".join(OPTIMIZERS)
    jobs: int = 1
    seed: int = 0


def smoke() -> Config:
    return Config(dataset="synthetic", epochs=1, n_train=256, n_test=128, inits="zeros,he", optimizers="sgd,adam")


_DATA: dict[str, Any] = {}


def _load(cfg_dict: dict[str, Any]) -> None:
    from experiments.mnist_mlp import load_data

    if _DATA.get("key") != cfg_dict:
        data = load_data(cfg_dict["dataset"], cfg_dict["data_dir"], cfg_dict["n_train"], cfg_dict["n_test"],
                         cfg_dict["seed"])
        _DATA.update(key=cfg_dict, data=data)


def run_one(cfg_dict: dict[str, Any], init_name: str, opt_name: str) -> dict[str, Any]:
    """Train one (initialiser, optimiser) pair; returns its curves and final numbers."""
    from experiments.mnist_mlp import make_mlp

    _load(cfg_dict)
    x_train, y_train, x_test, y_test = _DATA["data"]
    rng = np.random.default_rng(cfg_dict["seed"])
    model = make_mlp(rng)
    for layer in model:
        if isinstance(layer, nn.Linear):
            INITS[init_name](layer.weight, rng)
            init.zeros_(layer.bias)
    loss_fn = nn.CrossEntropyLoss()
    start = time.perf_counter()
    with np.errstate(over="ignore", invalid="ignore", divide="ignore"):  # diverging runs are part of the story
        history = fit(model, x_train, y_train, loss_fn=loss_fn, optimizer=OPTIMIZERS[opt_name](model.parameters()),
                      epochs=cfg_dict["epochs"], batch_size=cfg_dict["batch_size"], validation_data=(x_test, y_test),
                      callbacks=[TerminateOnNaN()], rng=rng, verbose=False)
        test = evaluate(model, x_test, y_test, loss_fn=loss_fn)
    return {"init": init_name, "optimizer": opt_name, "history": history.to_dict(),
            "test_accuracy": test["accuracy"], "test_loss": test["loss"],
            "diverged": not math.isfinite(test["loss"]) or not all(map(math.isfinite, history["loss"])),
            "seconds": time.perf_counter() - start, "weights": model[0].weight.data[:36].copy()}


@contextlib.contextmanager
def _pool(jobs: int) -> Iterator[ProcessPoolExecutor]:
    """Worker processes with one BLAS thread each (set in the environment the workers inherit:
    they start lazily, at the first submit, so the variables stay set while the pool lives)."""
    import multiprocessing

    saved = {k: os.environ.get(k) for k in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS")}
    os.environ.update({k: "1" for k in saved})
    try:
        with ProcessPoolExecutor(jobs, mp_context=multiprocessing.get_context("spawn")) as pool:
            yield pool
    finally:
        for k, v in saved.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v


def _write_outputs(results: list[dict[str, Any]], inits: list[str], opts: list[str], out_dir: Path) -> str:
    from glassgrad.viz import save_weight_images

    by_key = {(r["init"], r["optimizer"]): r for r in results}
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
                writer.writerow([r["init"], r["optimizer"], epoch, *(h.get(n, [math.nan] * (i + 1))[i] for n in names)])
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
    for r in results:
        save_weight_images(r["weights"], out_dir / "weights" / f"{r['init']}_{r['optimizer']}.png", max_units=36,
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


def run(cfg: Config, out_dir: Path) -> dict:
    inits = [s for s in cfg.inits.split(",") if s]
    opts = [s for s in cfg.optimizers.split(",") if s]
    unknown = [s for s in inits if s not in INITS] + [s for s in opts if s not in OPTIMIZERS]
    if unknown:
        raise ValueError(f"unknown initialisers/optimisers {unknown}; known: {list(INITS)} and {list(OPTIMIZERS)}")
    gg.manual_seed(cfg.seed)
    cfg_dict = {k: getattr(cfg, k) for k in ("dataset", "data_dir", "epochs", "batch_size", "n_train", "n_test",
                                               "seed")}
    pairs = [(i, o) for i in inits for o in opts]
    start = time.perf_counter()
    if cfg.jobs > 1:
        with _pool(cfg.jobs) as pool:
            futures = [pool.submit(run_one, cfg_dict, i, o) for i, o in pairs]
            results = []
            for f in futures:
                results.append(f.result())
                r = results[-1]
                print(f"{r['init']:>10s} / {r['optimizer']:<12s} test accuracy {r['test_accuracy']:.4f} "
                      f"({r['seconds']:.1f} s)", flush=True)
    else:
        results = []
        for i, o in pairs:
            results.append(run_one(cfg_dict, i, o))
            r = results[-1]
            print(f"{i:>10s} / {o:<12s} test accuracy {r['test_accuracy']:.4f} ({r['seconds']:.1f} s)", flush=True)
    table = _write_outputs(results, inits, opts, out_dir)
    print(table)
    best = max(results, key=lambda r: -1 if r["diverged"] else r["test_accuracy"])
    summary: dict[str, Any] = {"runs": len(results), "wall_seconds": round(time.perf_counter() - start, 1),
                               "best": f"{best['init']}/{best['optimizer']}",
                               "best_test_accuracy": best["test_accuracy"]}
    for r in results:
        summary[f"{r['init']}/{r['optimizer']}"] = None if r["diverged"] else round(r["test_accuracy"], 4)
    return summary
