"""MNIST / Fashion-MNIST with a 784-256-128-10 ReLU MLP trained by Adam.

Data (``glassgrad_experiments/common/data.py``): MNIST from the data root (``--data-dir``, else
``$GLASSGRAD_DATA``, else the cache, downloaded there when missing); ``--dataset fashion``
uses Fashion-MNIST; ``--dataset synthetic`` uses generated seven-segment digits (the smoke
run). The test set serves as the per-epoch validation curve; no tuning is done on it.
Targets: >= 97.5 % test accuracy on MNIST (the 24k-image training subset), >= 88 % on Fashion-MNIST.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np

import glassgrad as gg
from glassgrad.models import mnist_mlp
from glassgrad.viz import save_weight_images
from glassgrad_experiments.common.data import load_images
from glassgrad_experiments.common.training import ClassifierConfig, classifier_results, train_classifier

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
    trained = train_classifier(model, x_train, y_train, x_test, y_test, rng, epochs=cfg.epochs,
                               batch_size=cfg.batch_size, lr=cfg.lr, lr_decay=cfg.lr_decay)
    trained["history"].plot(out_dir / "curves.png", title=f"{cfg.dataset}: MLP 784-256-128-10, Adam")
    save_weight_images(model[0].weight, out_dir / "first_layer_weights.png", max_units=64,
                       title="first-layer units (64 of 256)")
    gg.save({"model": model.state_dict()}, out_dir / "model.npz")
    results = classifier_results(trained, TARGETS.get(cfg.dataset, 0.0))
    print(f"test accuracy {results['test_accuracy']:.4f} (target {results['target']:.3f}); "
          f"{results['train_seconds']:.1f} s training, {results['seconds_per_epoch']:.2f} s/epoch")
    return {**results, "n_train": len(x_train), "n_test": len(x_test)}
