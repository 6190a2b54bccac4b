"""MNIST / Fashion-MNIST with a 784-256-128-10 ReLU MLP trained by Adam.

Data: MNIST from ``--data-dir`` (default ``../shared/data/mnist`` relative to the
repository, the 24k-image training subset ``train24k-*`` and the 10k test set);
``--dataset fashion`` uses Fashion-MNIST (searched in ``--data-dir`` if given,
then ``$GLASSGRAD_DATA``, the cache and ``/usr/share/datasets/fashion-mnist``);
``--dataset synthetic`` uses generated seven-segment digits (the smoke run).
The test set serves as the per-epoch validation curve; no tuning is done on it.
Targets: >= 97.5 % test accuracy on MNIST-24k, >= 88 % on Fashion-MNIST.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np

import glassgrad as gg
from glassgrad import nn, optim
from glassgrad.data import load_mnist, synthetic, transforms
from glassgrad.train import evaluate, fit
from glassgrad.viz import save_weight_images

NAME = "mnist-mlp"
DESCRIPTION = "784-256-128-10 ReLU MLP + Adam on MNIST-24k (--dataset fashion for Fashion-MNIST)"

REPO = Path(__file__).resolve().parent.parent
TARGETS = {"mnist": 0.975, "fashion": 0.88, "synthetic": 0.0}


@dataclass
class Config:
    dataset: str = "mnist"          # mnist | fashion | synthetic
    data_dir: str = "../shared/data/mnist"   # relative to the repository root (mnist only by default)
    epochs: int = 15
    batch_size: int = 64
    lr: float = 1e-3
    lr_decay: float = 0.85          # ExponentialLR gamma per epoch (1 = constant)
    n_train: int = 0                # 0 = all training images
    n_test: int = 0                 # 0 = all test images
    seed: int = 0


def smoke() -> Config:
    return Config(dataset="synthetic", epochs=2, n_train=512, n_test=256)


def load_data(dataset: str, data_dir: str = "", n_train: int = 0, n_test: int = 0,
              seed: int = 0) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """(x_train, y_train, x_test, y_test), images flattened to (N, 784) and standardised.

    Shared with the other MNIST experiments.
    """
    if dataset == "synthetic":
        rng = np.random.default_rng(seed)
        x_train, y_train = synthetic.digits(n_train or 2000, rng=rng)
        x_test, y_test = synthetic.digits(n_test or 500, rng=rng)
        mean, std = float(x_train.mean()), float(x_train.std())
    elif dataset in ("mnist", "fashion"):
        name = "mnist" if dataset == "mnist" else "fashion-mnist"
        root = None
        if data_dir and (dataset == "mnist" or "fashion" in data_dir):
            root = Path(data_dir) if Path(data_dir).is_absolute() else REPO / data_dir
        x_train, y_train = load_mnist(root, train=True, name=name, limit=n_train or None)
        x_test, y_test = load_mnist(root, train=False, name=name, limit=n_test or None)
        if dataset == "mnist":
            mean, std = transforms.MNIST_MEAN, transforms.MNIST_STD
        else:
            mean, std = transforms.FASHION_MNIST_MEAN, transforms.FASHION_MNIST_STD
    else:
        raise ValueError(f"unknown dataset {dataset!r}; use mnist, fashion or synthetic")
    prep = [transforms.normalize(transforms.flatten(a), mean, std) for a in (x_train, x_test)]
    return prep[0], y_train, prep[1], y_test


def make_mlp(rng: np.random.Generator | None = None) -> nn.Module:
    """784-256-128-10 with ReLU; torch's default initialisation."""
    return nn.Sequential(nn.Linear(784, 256, rng=rng), nn.ReLU(), nn.Linear(256, 128, rng=rng), nn.ReLU(),
                         nn.Linear(128, 10, rng=rng))


def run(cfg: Config, out_dir: Path) -> dict:
    gg.manual_seed(cfg.seed)
    rng = np.random.default_rng(cfg.seed)
    x_train, y_train, x_test, y_test = load_data(cfg.dataset, cfg.data_dir, cfg.n_train, cfg.n_test, cfg.seed)
    print(f"{cfg.dataset}: {len(x_train)} training and {len(x_test)} test images")
    model = make_mlp(rng)
    opt = optim.Adam(model.parameters(), lr=cfg.lr)
    callbacks = []
    if cfg.lr_decay != 1.0:
        from glassgrad.train import LRSchedulerCallback

        callbacks.append(LRSchedulerCallback(optim.lr_scheduler.ExponentialLR(opt, gamma=cfg.lr_decay)))
    loss_fn = nn.CrossEntropyLoss()
    start = time.perf_counter()
    history = fit(model, x_train, y_train, loss_fn=loss_fn, optimizer=opt, epochs=cfg.epochs,
                  batch_size=cfg.batch_size, validation_data=(x_test, y_test), callbacks=callbacks, rng=rng)
    train_seconds = time.perf_counter() - start
    test = evaluate(model, x_test, y_test, loss_fn=loss_fn)
    history.plot(out_dir / "curves.png", title=f"{cfg.dataset}: MLP 784-256-128-10, Adam")
    save_weight_images(model[0].weight, out_dir / "first_layer_weights.png", max_units=64,
                       title="first-layer units (64 of 256)")
    gg.save({"model": model.state_dict(), "optimizer": opt.state_dict()}, out_dir / "model.npz")
    target = TARGETS.get(cfg.dataset, 0.0)
    print(f"test accuracy {test['accuracy']:.4f} (target {target:.3f}); {train_seconds:.1f} s training, "
          f"{train_seconds / cfg.epochs:.2f} s/epoch")
    return {"test_accuracy": test["accuracy"], "test_loss": test["loss"], "train_accuracy": history["accuracy"][-1],
            "train_loss": history["loss"][-1], "epochs": cfg.epochs, "train_seconds": round(train_seconds, 2),
            "seconds_per_epoch": round(train_seconds / cfg.epochs, 3), "target": target,
            "target_met": bool(test["accuracy"] >= target), "n_train": len(x_train), "n_test": len(x_test)}
