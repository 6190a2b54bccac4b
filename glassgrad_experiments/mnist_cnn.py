"""MNIST / Fashion-MNIST with a small CNN trained by Adam (``glassgrad.models.mnist_cnn``).

Model: conv(1->32, 3x3, pad 1) - ReLU - maxpool 2 - conv(32->64, 3x3, pad 1) - ReLU - maxpool 2
- fc(3136->128) - ReLU - fc(128->10).

Data (``glassgrad_experiments/common/data.py``): MNIST from the data root (``--data-dir``, else
``$GLASSGRAD_DATA``, else the cache, downloaded there when missing); ``--dataset fashion`` uses
Fashion-MNIST; ``--dataset synthetic`` generated seven-segment digits (the smoke run). The test
set is the per-epoch validation curve; nothing is tuned on it.
Training: Adam, lr 1e-3 decayed by 0.8 per epoch, random +-2 pixel shifts of the training
images and dropout (0.25 after the conv block, 0.5 after fc128); ``--shift 0 --dropout 0`` for
the plain network. Targets: >= 99.0 % test accuracy on MNIST-24k, >= 91 % on Fashion-MNIST.

The trained weights are saved to ``cnn.npz``; ``occlusion`` and ``conv-filters`` (and the GAN's
judge) load them (``experiments.common.training.load_cnn``).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np

import glassgrad as gg
from glassgrad.models import mnist_cnn
from glassgrad_experiments.common.data import load_images
from glassgrad_experiments.common.training import ClassifierConfig, classifier_results, save_cnn, train_classifier

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
    print(data.description)
    model = mnist_cnn(rng, dropout=cfg.dropout)
    trained = train_classifier(model, data.x_train, data.y_train, data.x_test, data.y_test, rng, epochs=cfg.epochs,
                               batch_size=cfg.batch_size, lr=cfg.lr, lr_decay=cfg.lr_decay, shift=cfg.shift)
    trained["history"].plot(out_dir / "curves.png", title=f"{cfg.dataset}: CNN conv32-conv64-fc128, Adam")
    save_cnn(model, cfg.dataset, cfg.dropout, data.mean, data.std, out_dir / "cnn.npz")
    results = classifier_results(trained, TARGETS.get(cfg.dataset, 0.0))
    print(f"test accuracy {results['test_accuracy']:.4f} (target {results['target']:.3f}); "
          f"{results['train_seconds']:.1f} s training (incl. per-epoch test evaluation)")
    return {**results, "n_train": len(data.x_train), "n_test": len(data.x_test), "weights": str(out_dir / "cnn.npz")}
