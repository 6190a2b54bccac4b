"""LeNet-5 (LeCun et al. 1998) on MNIST, in its classic shape (``glassgrad.models.lenet5``).

C1 conv 1->6 5x5 (the 28x28 digit padded by 2 to the paper's 32x32) - tanh - S2 avg-pool 2
- C3 conv 6->16 5x5 - tanh - S4 avg-pool 2 - C5 conv 16->120 5x5 (1x1 output) - tanh
- F6 fc 120->84 - tanh - output fc 84->10. 61,706 parameters.
Simplifications from the paper (as in most re-implementations): C3 connects every S2 map
(no sparse connection table), S2/S4 have no trainable coefficients, the output is a softmax
with cross-entropy instead of RBF units, and training (the loop in ``run``) uses Adam with
random +-2 pixel shifts (the paper also trained on distorted copies).

Data as ``mnist-cnn`` (``--dataset mnist | fashion | synthetic``, ``--data-dir``).
Target: >= 98.5 % test accuracy on MNIST-24k.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np

import glassgrad as gg
from glassgrad import optim
from glassgrad.models import lenet5
from glassgrad.nn import functional as F
from glassgrad.train import evaluate
from glassgrad.utils.data import DataLoader, TensorDataset
from glassgrad_experiments.common.data import load_images
from glassgrad_experiments.common.training import ClassifierConfig, EpochLog, RandomShift, classifier_results

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
    x_train, y_train, x_test, y_test = data.x_train, data.y_train, data.x_test, data.y_test  # (N, 1, 28, 28), (N,)
    print(data.description)
    model = lenet5(rng)
    n_params = sum(p.numel() for p in model.parameters())
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

    log.history.plot(out_dir / "curves.png", title=f"{cfg.dataset}: LeNet-5, Adam")
    gg.save({"model": model.state_dict()}, out_dir / "lenet5.npz")
    results = classifier_results(log.history, first_loss, test, seconds, classes=len(np.unique(y_train)),
                                 target=TARGETS.get(cfg.dataset, 0.0))
    print(f"LeNet-5 ({n_params} parameters): test accuracy {results['test_accuracy']:.4f} "
          f"(target {results['target']:.3f}); {results['train_seconds']:.1f} s training")
    return {**results, "parameters": n_params, "n_train": len(x_train)}
