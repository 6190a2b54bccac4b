"""MNIST / Fashion-MNIST with a small CNN trained by Adam (``glassgrad.models.mnist_cnn``).

Model: conv(1->32, 3x3, pad 1) - ReLU - maxpool 2 - conv(32->64, 3x3, pad 1) - ReLU - maxpool 2
- fc(3136->128) - ReLU - fc(128->10).

Data (``glassgrad_experiments/common/data.py``): MNIST from the data root (``--data-dir``, else
``$GLASSGRAD_DATA``, else the cache, downloaded there when missing); ``--dataset fashion`` uses
Fashion-MNIST; ``--dataset synthetic`` generated seven-segment digits (the smoke run). The test
set is the per-epoch validation curve; nothing is tuned on it.
Training (the loop in ``run``): Adam on the cross-entropy, lr 1e-3 decayed by 0.8 per epoch,
random +-2 pixel shifts of the training images and dropout (0.25 after the conv block, 0.5 after
fc128); ``--shift 0 --dropout 0`` for the plain network.
Targets: >= 99.0 % test accuracy on MNIST-24k, >= 91 % on Fashion-MNIST.

The trained weights are saved to ``cnn.npz``; ``occlusion`` and ``conv-filters`` (and the GAN's
judge) load them (``experiments.common.training.load_cnn``).
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np

import glassgrad as gg
from glassgrad import optim
from glassgrad.models import mnist_cnn
from glassgrad.nn import functional as F
from glassgrad.train import evaluate
from glassgrad.utils.data import DataLoader, TensorDataset
from glassgrad_experiments.common.data import load_images
from glassgrad_experiments.common.training import ClassifierConfig, EpochLog, RandomShift, classifier_results, save_cnn

NAME = "mnist-cnn"
DESCRIPTION = "conv32-pool-conv64-pool-fc128-fc10 CNN + Adam on MNIST-24k (>= 99 %; --dataset fashion >= 91 %)"

TARGETS = {"mnist": 0.99, "fashion": 0.91, "synthetic": 0.0}

HEADLINE = ("test_accuracy", "epochs", "seconds_per_epoch", "target_met")


@dataclass
class Config(ClassifierConfig):
    lr_decay: float = 0.8
    shift: int = 2                  # augmentation: random translation of up to this many pixels (0 = off)
    dropout: float = 0.5            # Dropout(p/2) after the conv block, Dropout(p) after fc128 (0 = off)


def smoke() -> Config:
    return Config(dataset="synthetic", epochs=1, n_train=256, n_test=128, batch_size=32)


WEIGHTS = "cnn.npz"  # what run() saves: {"model": state_dict, "dataset", "dropout", "mean", "std"}


def build_model(cfg: Config, results: dict) -> gg.nn.Module:
    """The network run() trains, untrained (``glassgrad export`` loads the saved weights into it)."""
    return mnist_cnn(dropout=cfg.dropout)


def example_input(cfg: Config, results: dict) -> gg.Tensor:
    return gg.zeros(1, 1, 28, 28)  # (N, 1, 28, 28) standardised images


def run(cfg: Config, out_dir: Path) -> dict:
    gg.manual_seed(cfg.seed)
    rng = np.random.default_rng(cfg.seed)
    data = load_images(cfg.dataset, cfg.data_dir, cfg.download, cfg.n_train, cfg.n_test, cfg.seed)
    x_train, y_train, x_test, y_test = data.x_train, data.y_train, data.x_test, data.y_test  # (N, 1, 28, 28), (N,)
    print(data.description)
    model = mnist_cnn(rng, dropout=cfg.dropout)
    opt = optim.Adam(model.parameters(), lr=cfg.lr)
    scheduler = optim.lr_scheduler.ExponentialLR(opt, gamma=cfg.lr_decay)
    train_set = TensorDataset(x_train, y_train)
    if cfg.shift:  # each image moved by up to cfg.shift pixels each time it is drawn; the background comes in
        train_set = RandomShift(x_train, y_train, cfg.shift, fill=float(x_train.min()), rng=rng)
    loader = DataLoader(train_set, batch_size=cfg.batch_size, shuffle=True, rng=rng)

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

    log.history.plot(out_dir / "curves.png", title=f"{cfg.dataset}: CNN conv32-conv64-fc128, Adam")
    save_cnn(model, cfg.dataset, cfg.dropout, data.mean, data.std, out_dir / "cnn.npz")
    results = classifier_results(log.history, first_loss, test, seconds, classes=len(np.unique(y_train)),
                                 target=TARGETS.get(cfg.dataset, 0.0))
    print(f"test accuracy {results['test_accuracy']:.4f} (target {results['target']:.3f}); "
          f"{results['train_seconds']:.1f} s training (incl. per-epoch test evaluation)")
    return {**results, "n_train": len(x_train), "n_test": len(x_test), "weights": str(out_dir / "cnn.npz")}
