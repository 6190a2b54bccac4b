"""The training routine the image classifiers share (mnist-mlp, mnist-cnn, lenet5, ...).

``train_classifier``: Adam, an exponential learning-rate decay per epoch, optional random
pixel shifts of the training images (``RandomShift``), the test set as the per-epoch
validation curve (nothing is tuned on it), and the final test metrics. ``save_cnn`` /
``load_cnn`` keep the trained ``mnist_cnn`` that the analysis experiments (occlusion,
conv-filters, the GAN's judge) look into.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

import glassgrad as gg
from glassgrad import nn, optim
from glassgrad.data import Dataset
from glassgrad.models import mnist_cnn
from glassgrad.train import LRSchedulerCallback, evaluate, fit
from glassgrad_experiments.common.data import DataConfig, ImageDataConfig


@dataclass
class ClassifierConfig(ImageDataConfig):
    """The settings of an image-classifier experiment trained by :func:`train_classifier`."""

    epochs: int = 10
    batch_size: int = 64
    lr: float = 1e-3
    lr_decay: float = field(default=1.0, metadata={"help": "ExponentialLR gamma per epoch (1 = constant)"})


@dataclass
class CNNAnalysisConfig(DataConfig):
    """The settings of an experiment that looks into a trained ``mnist_cnn`` (see :func:`cnn_for_analysis`)."""

    weights: str = field(default="runs/mnist-cnn/cnn.npz", metadata={"help": "'' = train a CNN here first"})
    train_epochs: int = field(default=1, metadata={"help": "without --weights: epochs of training here first"})


class RandomShift(Dataset):
    """Training images moved by a random whole-pixel offset in [-max_shift, max_shift]^2 each
    time they are drawn (a classic MNIST augmentation); ``fill`` (the background) comes in."""

    def __init__(self, images: np.ndarray, labels: np.ndarray, max_shift: int, fill: float,
                 rng: np.random.Generator) -> None:
        self.images, self.labels, self.max_shift, self.fill, self.rng = images, labels, max_shift, fill, rng

    def __len__(self) -> int:
        return len(self.images)

    def __getitem__(self, index: int) -> tuple[np.ndarray, np.ndarray]:
        x, y = self.batch(np.array([index]))
        return x[0], y[0]

    def batch(self, indices: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        src = self.images[indices]  # (B, 1, H, W)
        out = np.full_like(src, self.fill)
        h, w = src.shape[2:]
        s = self.max_shift
        for b, (dy, dx) in enumerate(self.rng.integers(-s, s + 1, size=(len(src), 2))):
            out[b, :, max(dy, 0):h + min(dy, 0), max(dx, 0):w + min(dx, 0)] = \
                src[b, :, max(-dy, 0):h + min(-dy, 0), max(-dx, 0):w + min(-dx, 0)]
        return out, self.labels[indices]


def train_classifier(model: nn.Module, x_train: np.ndarray, y_train: np.ndarray, x_test: np.ndarray,
                     y_test: np.ndarray, rng: np.random.Generator, *, epochs: int, batch_size: int, lr: float,
                     lr_decay: float = 1.0, shift: int = 0, verbose: bool = True) -> dict[str, Any]:
    """Train ``model`` with cross-entropy and report the numbers every classifier experiment gives.

    Adam (``lr``), the learning rate multiplied by ``lr_decay`` after each epoch (1 = constant),
    random shifts of up to ``shift`` pixels for (N, 1, H, W) images (0 = none).

    Returns a dict: ``history`` (the fit History), ``first_loss`` (test loss before training),
    ``final_loss`` / ``accuracy`` (on the test set after training), ``chance`` (1 / classes),
    ``train_seconds`` and ``seconds_per_epoch``.
    """
    opt = optim.Adam(model.parameters(), lr=lr)
    callbacks = []
    if lr_decay != 1.0:
        callbacks.append(LRSchedulerCallback(optim.lr_scheduler.ExponentialLR(opt, gamma=lr_decay)))
    loss_fn = nn.CrossEntropyLoss()
    before = evaluate(model, x_test, y_test, loss_fn=loss_fn)
    train_data = (x_train, y_train)
    if shift:
        train_data = (RandomShift(x_train, y_train, shift, float(x_train.min()), rng), None)
    start = time.perf_counter()
    history = fit(model, *train_data, loss_fn=loss_fn, optimizer=opt, epochs=epochs, batch_size=batch_size,
                  validation_data=(x_test, y_test), callbacks=callbacks, rng=rng, verbose=verbose)
    seconds = time.perf_counter() - start
    after = evaluate(model, x_test, y_test, loss_fn=loss_fn)
    return {"history": history, "first_loss": before["loss"], "final_loss": after["loss"],
            "accuracy": after["accuracy"], "chance": 1.0 / len(np.unique(y_train)),
            "train_seconds": round(seconds, 2), "seconds_per_epoch": round(seconds / epochs, 3)}


def classifier_results(trained: dict[str, Any], target: float) -> dict[str, Any]:
    """The results dict of a classifier experiment from ``train_classifier``'s output and its target."""
    history = trained["history"]
    return {"test_accuracy": trained["accuracy"], "test_loss": trained["final_loss"],
            "first_loss": trained["first_loss"], "final_loss": trained["final_loss"],
            "accuracy": trained["accuracy"], "chance": trained["chance"],
            "train_accuracy": history["accuracy"][-1], "train_loss": history["loss"][-1],
            "val_accuracy_per_epoch": history["val_accuracy"], "epochs": len(history["loss"]),
            "train_seconds": trained["train_seconds"], "seconds_per_epoch": trained["seconds_per_epoch"],
            "target": target, "target_met": bool(trained["accuracy"] >= target)}


def save_cnn(model: nn.Module, dataset: str, dropout: float, mean: float, std: float, path: Path) -> None:
    """Save an ``mnist_cnn`` with what rebuilding and feeding it needs (its dropout, data set, pixel scaling)."""
    gg.save({"model": model.state_dict(), "dataset": dataset, "dropout": dropout, "mean": mean, "std": std}, path)


def load_cnn(path: str | Path) -> tuple[nn.Sequential, dict[str, Any]]:
    """(model in eval mode, its checkpoint's other entries) from a file written by :func:`save_cnn`."""
    path = Path(path)
    if not path.is_file():
        raise FileNotFoundError(f"no weights at {path}: run `glassgrad run mnist-cnn` first (it writes "
                                "runs/mnist-cnn/cnn.npz), or pass --weights PATH")
    checkpoint = gg.load(path)
    model = mnist_cnn(dropout=float(checkpoint.get("dropout", 0.0)))
    model.load_state_dict(checkpoint["model"])
    return model.eval(), {k: v for k, v in checkpoint.items() if k != "model"}


def cnn_for_analysis(weights: str, data: Any, rng: np.random.Generator, epochs: int = 1) -> tuple[nn.Sequential, dict]:
    """The trained CNN an analysis experiment looks into: from ``weights`` when given, else an
    ``mnist_cnn`` trained here for ``epochs`` on ``data`` (an ImageData; what the smoke runs do).
    Returns (model in eval mode, numbers: ``accuracy`` and ``chance`` on the test images when trained here)."""
    if weights:
        model, _ = load_cnn(weights)
        return model, {"weights": weights}
    print(f"no --weights: training a CNN for {epochs} epoch(s) on {data.description} first")
    model = mnist_cnn(rng)
    trained = train_classifier(model, data.x_train, data.y_train, data.x_test, data.y_test, rng, epochs=epochs,
                               batch_size=32, lr=2e-3, verbose=False)
    return model.eval(), {"weights": "trained here", "accuracy": trained["accuracy"], "chance": trained["chance"]}
