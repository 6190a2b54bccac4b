"""LeNet-5 (LeCun et al. 1998) on MNIST, in its classic shape.

C1 conv 1->6 5x5 (the 28x28 digit padded by 2 to the paper's 32x32) - tanh - S2 avg-pool 2
- C3 conv 6->16 5x5 - tanh - S4 avg-pool 2 - C5 conv 16->120 5x5 (1x1 output) - tanh
- F6 fc 120->84 - tanh - output fc 84->10. 61,706 parameters.
Simplifications from the paper (as in most re-implementations): C3 connects every S2 map
(no sparse connection table), S2/S4 have no trainable coefficients, the output is a softmax
with cross-entropy instead of RBF units, and training uses Adam with random +-2 pixel shifts
(the paper also trained on distorted copies).

Data as ``mnist-cnn`` (MNIST-24k training subset, 10k test; ``--dataset fashion`` or ``synthetic``).
Target: >= 98.5 % test accuracy on MNIST-24k.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np

import glassgrad as gg
from experiments.mnist_cnn import load_images, train_classifier
from glassgrad import nn

NAME = "lenet5"
DESCRIPTION = "classic LeNet-5 (conv6-avgpool-conv16-avgpool-conv120-fc84-fc10, tanh) on MNIST-24k"

TARGETS = {"mnist": 0.985, "fashion": 0.88, "synthetic": 0.0}

HEADLINE = ("test_accuracy", "epochs", "seconds_per_epoch", "target_met")


@dataclass
class Config:
    dataset: str = "mnist"          # mnist | fashion | synthetic
    data_dir: str = "../shared/data/mnist"   # relative to the repository root
    epochs: int = 15
    batch_size: int = 64
    lr: float = 1e-3
    lr_decay: float = 0.85          # ExponentialLR gamma per epoch
    n_train: int = 0
    n_test: int = 0
    shift: int = 2                  # augmentation: random translation of up to this many pixels (0 = off)
    seed: int = 0


def smoke() -> Config:
    return Config(dataset="synthetic", epochs=1, n_train=256, n_test=128, batch_size=32, shift=1)


def make_lenet5(rng: np.random.Generator | None = None) -> nn.Sequential:
    """LeNet-5 for (N, 1, 28, 28) input; logits (N, 10)."""
    return nn.Sequential(
        nn.Conv2d(1, 6, 5, padding=2, rng=rng), nn.Tanh(), nn.AvgPool2d(2),     # C1, S2: (N, 6, 14, 14)
        nn.Conv2d(6, 16, 5, rng=rng), nn.Tanh(), nn.AvgPool2d(2),               # C3, S4: (N, 16, 5, 5)
        nn.Conv2d(16, 120, 5, rng=rng), nn.Tanh(), nn.Flatten(),               # C5: (N, 120)
        nn.Linear(120, 84, rng=rng), nn.Tanh(),                                  # F6
        nn.Linear(84, 10, rng=rng),                                              # output
    )


def run(cfg: Config, out_dir: Path) -> dict:
    gg.manual_seed(cfg.seed)
    rng = np.random.default_rng(cfg.seed)
    x_train, y_train, x_test, y_test = load_images(cfg.dataset, cfg.data_dir, cfg.n_train, cfg.n_test, cfg.seed)
    print(f"{cfg.dataset}: {len(x_train)} training and {len(x_test)} test images")
    model = make_lenet5(rng)
    n_params = sum(p.size for p in model.parameters())
    history, test, train_seconds = train_classifier(model, cfg, x_train, y_train, x_test, y_test, rng)
    history.plot(out_dir / "curves.png", title=f"{cfg.dataset}: LeNet-5, Adam")
    gg.save({"model": model.state_dict()}, out_dir / "lenet5.npz")
    target = TARGETS.get(cfg.dataset, 0.0)
    print(f"LeNet-5 ({n_params} parameters): test accuracy {test['accuracy']:.4f} (target {target:.3f}); "
          f"{train_seconds:.1f} s training, {train_seconds / cfg.epochs:.1f} s/epoch")
    return {"test_accuracy": test["accuracy"], "test_loss": test["loss"], "train_accuracy": history["accuracy"][-1],
            "val_accuracy_per_epoch": history["val_accuracy"], "epochs": cfg.epochs, "parameters": n_params,
            "train_seconds": round(train_seconds, 2), "seconds_per_epoch": round(train_seconds / cfg.epochs, 2),
            "target": target, "target_met": bool(test["accuracy"] >= target), "n_train": len(x_train)}
