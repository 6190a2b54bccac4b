"""MNIST / Fashion-MNIST with a 784-256-128-10 ReLU MLP trained by Adam.

Data (``glassgrad_experiments/common/data.py``): MNIST from the data root (``--data-dir``, else
``$GLASSGRAD_DATA``, else the cache, downloaded there when missing); ``--dataset fashion``
uses Fashion-MNIST; ``--dataset synthetic`` uses generated seven-segment digits (the smoke
run). The test set serves as the per-epoch validation curve; no tuning is done on it.
Training (the loop in ``run``): Adam, lr 1e-3 decayed by 0.85 per epoch, cross-entropy, batches of 64.
Targets: >= 97.5 % test accuracy on MNIST (the 24k-image training subset), >= 88 % on Fashion-MNIST.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np

import glassgrad as gg
from glassgrad import optim
from glassgrad.models import mnist_mlp
from glassgrad.nn import functional as F
from glassgrad.train import evaluate
from glassgrad.utils.data import DataLoader, TensorDataset
from glassgrad.viz import save_weight_images
from glassgrad_experiments.common.data import load_images
from glassgrad_experiments.common.training import ClassifierConfig, EpochLog, classifier_results

NAME = "mnist-mlp"
DESCRIPTION = "784-256-128-10 ReLU MLP + Adam on MNIST-24k (--dataset fashion for Fashion-MNIST)"

TARGETS = {"mnist": 0.975, "fashion": 0.88, "synthetic": 0.0}


@dataclass
class Config(ClassifierConfig):
    epochs: int = 15
    lr_decay: float = 0.85


def smoke() -> Config:
    return Config(dataset="synthetic", epochs=2, n_train=512, n_test=256)


WEIGHTS = "model.npz"  # what run() saves: {"model": state_dict}


def build_model(cfg: Config, results: dict) -> gg.nn.Module:
    """The network run() trains, untrained (``glassgrad export`` loads the saved weights into it)."""
    return mnist_mlp()


def example_input(cfg: Config, results: dict) -> gg.Tensor:
    return gg.zeros(1, 784)  # (N, 784) standardised pixels


def run(cfg: Config, out_dir: Path) -> dict:
    gg.manual_seed(cfg.seed)
    rng = np.random.default_rng(cfg.seed)
    data = load_images(cfg.dataset, cfg.data_dir, cfg.download, cfg.n_train, cfg.n_test, cfg.seed)
    x_train, y_train, x_test, y_test = data.flat()
    print(data.description)
    model = mnist_mlp(rng)
    opt = optim.Adam(model.parameters(), lr=cfg.lr)
    scheduler = optim.lr_scheduler.ExponentialLR(opt, gamma=cfg.lr_decay)
    loader = DataLoader(TensorDataset(x_train, y_train), batch_size=cfg.batch_size, shuffle=True, rng=rng)

    first_loss = evaluate(model, x_test, y_test, loss_fn=F.cross_entropy)["loss"]
    log = EpochLog(cfg.epochs, len(loader))
    start = time.perf_counter()
    for epoch in range(cfg.epochs):
        model.train()
        for xb, yb in loader:
            logits = model(xb)
            loss = F.cross_entropy(logits, yb)
            opt.zero_grad()
            loss.backward()
            opt.step()
            log.batch(loss, logits, yb)
        test = evaluate(model, x_test, y_test, loss_fn=F.cross_entropy)  # the validation curve: nothing is tuned on it
        log.end_epoch(epoch, test, lr=scheduler.get_last_lr()[0])
        scheduler.step()
    seconds = time.perf_counter() - start

    log.history.plot(out_dir / "curves.png", title=f"{cfg.dataset}: MLP 784-256-128-10, Adam")
    save_weight_images(model[0].weight, out_dir / "first_layer_weights.png", max_units=64,
                       title="first-layer units (64 of 256)")
    gg.save({"model": model.state_dict()}, out_dir / "model.npz")
    results = classifier_results(log.history, first_loss, test, seconds, classes=len(np.unique(y_train)),
                                 target=TARGETS.get(cfg.dataset, 0.0))
    print(f"test accuracy {results['test_accuracy']:.4f} (target {results['target']:.3f}); "
          f"{results['train_seconds']:.1f} s training, {results['seconds_per_epoch']:.2f} s/epoch")
    return {**results, "n_train": len(x_train), "n_test": len(x_test)}
