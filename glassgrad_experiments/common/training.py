"""What the image-classifier experiments share (mnist-mlp, mnist-cnn, lenet5, and the analyses of the CNN).

Each classifier experiment writes its own training loop; this module holds the plumbing around it:
``ClassifierConfig`` (its settings), ``RandomShift`` (random pixel shifts of the training images),
``EpochLog`` (running means of the batch loss and accuracy, the progress bar, the History the
curves are drawn from) and ``classifier_results`` (the numbers every classifier reports).
``save_cnn`` / ``load_cnn`` keep the trained ``mnist_cnn`` that the analysis experiments
(occlusion, conv-filters, the GAN's judge) look into; ``cnn_for_analysis`` trains one with a
single ``fit`` call when no saved weights are given (what their smoke runs do).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

import glassgrad as gg
from glassgrad import nn, optim
from glassgrad.data import Dataset
from glassgrad.models import mnist_cnn
from glassgrad.train import History, evaluate, fit
from glassgrad.train.metrics import RunningMean, accuracy
from glassgrad.train.progress import EpochProgress
from glassgrad_experiments.common.data import DataConfig, ImageDataConfig


@dataclass
class ClassifierConfig(ImageDataConfig):
    """The settings of an image-classifier experiment (Adam with an exponential learning-rate decay)."""

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


class EpochLog:
    """The numbers of a training loop, epoch by epoch: what ``fit`` would log, for a loop written out.

    Call ``batch(loss, logits, targets)`` after each optimiser step and ``end_epoch(epoch, test, lr)`` after
    each epoch's evaluation. It keeps the running (sample-weighted) means of the batch loss and
    accuracy, shows a progress bar (one line per epoch when stderr is not a terminal; nothing when
    ``verbose`` is False) and appends each epoch to ``history`` (``loss``, ``accuracy``, ``val_loss``,
    ``val_accuracy``, ``lr``), from which ``history.plot`` draws the curves.
    """

    def __init__(self, epochs: int, batches: int, verbose: bool = True) -> None:
        self.epochs, self.batches, self.verbose = epochs, batches, verbose
        self.history = History()
        self.progress: EpochProgress | None = None

    def batch(self, loss: gg.Tensor, logits: gg.Tensor, targets: gg.Tensor) -> None:
        if self.progress is None:  # the first batch of an epoch
            self.progress = EpochProgress(len(self.history), self.epochs, self.batches, self.verbose)
            self.loss, self.accuracy = RunningMean(), RunningMean()
        n = len(targets)
        self.loss.update(loss.item(), n)
        self.accuracy.update(accuracy(logits.detach().numpy(), targets.numpy()), n)
        self.progress.update(1, {"loss": self.loss.value, "accuracy": self.accuracy.value})

    def end_epoch(self, epoch: int, test: dict[str, float], lr: float) -> None:
        """Record ``epoch``: its training means, ``test`` (``evaluate``'s loss and accuracy) and the lr it used."""
        logs = {"loss": self.loss.value, "accuracy": self.accuracy.value, "val_loss": test["loss"],
                "val_accuracy": test["accuracy"], "lr": lr}
        self.progress.close(logs)
        self.history.append(epoch, logs)
        self.progress = None


def classifier_results(history: History, first_loss: float, test: dict[str, float], seconds: float,
                       classes: int, target: float) -> dict[str, Any]:
    """The results dict of a classifier experiment: ``first_loss`` (test loss before training), ``test``
    (``evaluate`` on the test set after it), the training ``seconds`` and the accuracy ``target``."""
    epochs = len(history)
    return {"test_accuracy": test["accuracy"], "test_loss": test["loss"], "first_loss": first_loss,
            "final_loss": test["loss"], "accuracy": test["accuracy"], "chance": 1.0 / classes,
            "train_accuracy": history["accuracy"][-1], "train_loss": history["loss"][-1],
            "val_accuracy_per_epoch": history["val_accuracy"], "epochs": epochs,
            "train_seconds": round(seconds, 2), "seconds_per_epoch": round(seconds / epochs, 3),
            "target": target, "target_met": bool(test["accuracy"] >= target)}


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
    fit(model, data.x_train, data.y_train, loss_fn=nn.CrossEntropyLoss(), optimizer=optim.Adam(model.parameters(),
        lr=2e-3), epochs=epochs, batch_size=32, rng=rng, verbose=False)
    test = evaluate(model, data.x_test, data.y_test)
    return model.eval(), {"weights": "trained here", "accuracy": test["accuracy"],
                          "chance": 1.0 / len(np.unique(data.y_train))}
