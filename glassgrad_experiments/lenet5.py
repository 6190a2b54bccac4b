"""LeNet-5 (LeCun et al. 1998) on MNIST, in its classic shape (``glassgrad.models.lenet5``).

C1 conv 1->6 5x5 (the 28x28 digit padded by 2 to the paper's 32x32) - tanh - S2 avg-pool 2
- C3 conv 6->16 5x5 - tanh - S4 avg-pool 2 - C5 conv 16->120 5x5 (1x1 output) - tanh
- F6 fc 120->84 - tanh - output fc 84->10. 61,706 parameters.
Simplifications from the paper (as in most re-implementations): C3 connects every S2 map
(no sparse connection table), S2/S4 have no trainable coefficients, the output is a softmax
with cross-entropy instead of RBF units, and training uses Adam with random +-2 pixel shifts
(the paper also trained on distorted copies).

Data as ``mnist-cnn`` (``--dataset mnist | fashion | synthetic``, ``--data-dir``).
Target: >= 98.5 % test accuracy on MNIST-24k.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np

import glassgrad as gg
from glassgrad.models import lenet5
from glassgrad_experiments.common.data import load_images
from glassgrad_experiments.common.training import ClassifierConfig, classifier_results, train_classifier

NAME = "lenet5"
DESCRIPTION = "classic LeNet-5 (conv6-avgpool-conv16-avgpool-conv120-fc84-fc10, tanh) on MNIST-24k"

TARGETS = {"mnist": 0.985, "fashion": 0.88, "synthetic": 0.0}

HEADLINE = ("test_accuracy", "epochs", "seconds_per_epoch", "target_met")


@dataclass
class Config(ClassifierConfig):
    epochs: int = 15
    lr_decay: float = 0.85
    shift: int = 2                  # augmentation: random translation of up to this many pixels (0 = off)


def smoke() -> Config:
    return Config(dataset="synthetic", epochs=1, n_train=256, n_test=128, batch_size=32, shift=1)


def run(cfg: Config, out_dir: Path) -> dict:
    gg.manual_seed(cfg.seed)
    rng = np.random.default_rng(cfg.seed)
    data = load_images(cfg.dataset, cfg.data_dir, cfg.download, cfg.n_train, cfg.n_test, cfg.seed)
    print(data.description)
    model = lenet5(rng)
    n_params = sum(p.numel() for p in model.parameters())
    trained = train_classifier(model, data.x_train, data.y_train, data.x_test, data.y_test, rng, epochs=cfg.epochs,
                               batch_size=cfg.batch_size, lr=cfg.lr, lr_decay=cfg.lr_decay, shift=cfg.shift)
    trained["history"].plot(out_dir / "curves.png", title=f"{cfg.dataset}: LeNet-5, Adam")
    gg.save({"model": model.state_dict()}, out_dir / "lenet5.npz")
    results = classifier_results(trained, TARGETS.get(cfg.dataset, 0.0))
    print(f"LeNet-5 ({n_params} parameters): test accuracy {results['test_accuracy']:.4f} "
          f"(target {results['target']:.3f}); {results['train_seconds']:.1f} s training")
    return {**results, "parameters": n_params, "n_train": len(data.x_train)}
