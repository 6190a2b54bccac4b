"""MNIST / Fashion-MNIST with a small CNN trained by Adam.

Model: conv(1->32, 3x3, pad 1) - ReLU - maxpool 2 - conv(32->64, 3x3, pad 1) - ReLU - maxpool 2
- fc(3136->128) - ReLU - fc(128->10).

Data: MNIST from ``--data-dir`` (default ``../shared/data/mnist`` relative to the repository:
the 24k-image training subset and the 10k test set); ``--dataset fashion`` uses the full
Fashion-MNIST (``/usr/share/datasets/fashion-mnist`` or ``$GLASSGRAD_DATA``);
``--dataset synthetic`` uses generated seven-segment digits (the smoke run). The test set is
the per-epoch validation curve; nothing is tuned on it.
Training: Adam, lr 1e-3 decayed by 0.8 per epoch, random +-2 pixel shifts of the training
images and dropout (0.25 after the conv block, 0.5 after fc128); ``--shift 0 --dropout 0`` for
the plain network. Targets: >= 99.0 % test accuracy on MNIST-24k, >= 91 % on Fashion-MNIST.

The trained weights are saved to ``cnn.npz`` (``glassgrad.save``: {"model": state_dict, ...});
``occlusion`` and ``conv-filters`` (and the GAN's judge) load them with ``load_cnn``.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

import glassgrad as gg
from experiments.mnist_mlp import load_data
from glassgrad import nn, optim
from glassgrad.data import Dataset
from glassgrad.train import LRSchedulerCallback, evaluate, fit

NAME = "mnist-cnn"
DESCRIPTION = "conv32-pool-conv64-pool-fc128-fc10 CNN + Adam on MNIST-24k (>= 99 %; --dataset fashion >= 91 %)"

TARGETS = {"mnist": 0.99, "fashion": 0.91, "synthetic": 0.0}

HEADLINE = ("test_accuracy", "epochs", "seconds_per_epoch", "target_met")


@dataclass
class Config:
    dataset: str = "mnist"          # mnist | fashion | synthetic
    data_dir: str = "../shared/data/mnist"   # relative to the repository root
    epochs: int = 10
    batch_size: int = 64
    lr: float = 1e-3
    lr_decay: float = 0.8           # ExponentialLR gamma per epoch (1 = constant)
    n_train: int = 0                # 0 = all training images
    n_test: int = 0                 # 0 = all test images
    shift: int = 2                  # augmentation: random translation of up to this many pixels (0 = off)
    dropout: float = 0.5            # Dropout(p/2) after the conv block, Dropout(p) after fc128 (0 = off)
    seed: int = 0


def smoke() -> Config:
    return Config(dataset="synthetic", epochs=1, n_train=256, n_test=128, batch_size=32)


def make_cnn(rng: np.random.Generator | None = None, dtype: object = None, dropout: float = 0.0) -> nn.Sequential:
    """The classic two-conv MNIST CNN (input (N, 1, 28, 28), output logits (N, 10)).

    With ``dropout`` > 0, Dropout(dropout / 2) follows the second pooling and Dropout(dropout)
    the 128-unit layer (the Keras MNIST-CNN recipe); they hold no parameters.
    """
    head = [nn.Dropout(dropout / 2, rng=rng)] if dropout else []
    mid = [nn.Dropout(dropout, rng=rng)] if dropout else []
    return nn.Sequential(
        nn.Conv2d(1, 32, 3, padding=1, dtype=dtype, rng=rng), nn.ReLU(), nn.MaxPool2d(2),   # (N, 32, 14, 14)
        nn.Conv2d(32, 64, 3, padding=1, dtype=dtype, rng=rng), nn.ReLU(), nn.MaxPool2d(2),  # (N, 64, 7, 7)
        *head, nn.Flatten(),                                                                  # (N, 3136)
        nn.Linear(64 * 7 * 7, 128, dtype=dtype, rng=rng), nn.ReLU(), *mid,
        nn.Linear(128, 10, dtype=dtype, rng=rng),
    )


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


def load_cnn(path: str | Path) -> nn.Sequential:
    """A ``make_cnn`` model with the weights saved by this experiment."""
    checkpoint = gg.load(path)
    model = make_cnn(dropout=float(checkpoint.get("dropout", 0.0)))
    model.load_state_dict(checkpoint["model"])
    return model.eval()


def load_images(dataset: str, data_dir: str, n_train: int, n_test: int, seed: int):
    """(x_train, y_train, x_test, y_test) with images (N, 1, 28, 28), standardised."""
    x_train, y_train, x_test, y_test = load_data(dataset, data_dir, n_train, n_test, seed)
    return x_train.reshape(-1, 1, 28, 28), y_train, x_test.reshape(-1, 1, 28, 28), y_test


def train_classifier(model: nn.Module, cfg: Any, x_train: np.ndarray, y_train: np.ndarray, x_test: np.ndarray,
                     y_test: np.ndarray, rng: np.random.Generator) -> tuple[Any, dict, float]:
    """Adam (cfg.lr) with an exponential lr decay (cfg.lr_decay per epoch), random shifts of up to
    cfg.shift pixels, cfg.epochs epochs of cfg.batch_size, the test set as validation.
    Shared by mnist-cnn and lenet5. Returns (History, test metrics, training seconds)."""
    opt = optim.Adam(model.parameters(), lr=cfg.lr)
    callbacks = []
    if cfg.lr_decay != 1.0:
        callbacks.append(LRSchedulerCallback(optim.lr_scheduler.ExponentialLR(opt, gamma=cfg.lr_decay)))
    loss_fn = nn.CrossEntropyLoss()
    start = time.perf_counter()
    train_data = (x_train, y_train)
    if cfg.shift:
        train_data = (RandomShift(x_train, y_train, cfg.shift, float(x_train.min()), rng), None)
    history = fit(model, *train_data, loss_fn=loss_fn, optimizer=opt, epochs=cfg.epochs,
                  batch_size=cfg.batch_size, validation_data=(x_test, y_test), callbacks=callbacks, rng=rng)
    train_seconds = time.perf_counter() - start
    return history, evaluate(model, x_test, y_test, loss_fn=loss_fn), train_seconds


def run(cfg: Config, out_dir: Path) -> dict:
    gg.manual_seed(cfg.seed)
    rng = np.random.default_rng(cfg.seed)
    x_train, y_train, x_test, y_test = load_images(cfg.dataset, cfg.data_dir, cfg.n_train, cfg.n_test, cfg.seed)
    print(f"{cfg.dataset}: {len(x_train)} training and {len(x_test)} test images")
    model = make_cnn(rng, dropout=cfg.dropout)
    history, test, train_seconds = train_classifier(model, cfg, x_train, y_train, x_test, y_test, rng)
    history.plot(out_dir / "curves.png", title=f"{cfg.dataset}: CNN conv32-conv64-fc128, Adam")
    gg.save({"model": model.state_dict(), "dataset": cfg.dataset, "dropout": cfg.dropout}, out_dir / "cnn.npz")
    target = TARGETS.get(cfg.dataset, 0.0)
    print(f"test accuracy {test['accuracy']:.4f} (target {target:.3f}); {train_seconds:.1f} s training "
          f"(incl. per-epoch test evaluation), {train_seconds / cfg.epochs:.1f} s/epoch")
    return {"test_accuracy": test["accuracy"], "test_loss": test["loss"], "train_accuracy": history["accuracy"][-1],
            "train_loss": history["loss"][-1], "val_accuracy_per_epoch": history["val_accuracy"],
            "epochs": cfg.epochs, "train_seconds": round(train_seconds, 2),
            "seconds_per_epoch": round(train_seconds / cfg.epochs, 2), "target": target,
            "target_met": bool(test["accuracy"] >= target), "n_train": len(x_train), "n_test": len(x_test),
            "weights": str(out_dir / "cnn.npz")}
