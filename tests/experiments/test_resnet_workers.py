"""The resnet experiment reads its batches through DataLoader worker processes when asked (--workers)."""

from __future__ import annotations

import multiprocessing

import numpy as np

import glassgrad as gg
from glassgrad_experiments import resnet


def _train(workers: int) -> dict:
    cfg = resnet.smoke()
    cfg.workers = workers
    gg.manual_seed(0)
    data = resnet.load(cfg)
    model = gg.nn.ResNet(cfg.blocks, cfg.widths, rng=np.random.default_rng(0))
    return resnet.train(model, data, cfg, steps=6, lr=0.05, augment_data=True)


def test_workers_train_the_same_steps_and_repeat():
    others = {p.pid for p in multiprocessing.active_children()}
    two = _train(2)
    assert two["steps"] == 6 and len(two["epoch_seconds"]) == 3 and np.all(np.isfinite(two["losses"]))
    assert _train(2)["losses"] == two["losses"]  # seeded workers: the same crops and flips again
    assert _train(0)["steps"] == 6
    # the persistent workers went with their loader
    assert not {p.pid for p in multiprocessing.active_children()} - others


def test_augment_batch_without_augmentation_only_stacks():
    samples = [(np.full((1, 4, 4), float(i), np.float32), np.int64(i)) for i in range(3)]
    x, y = resnet.AugmentBatch(pad=1, flip=True, enabled=False)(samples)
    assert x.shape == (3, 1, 4, 4) and y.tolist() == [0, 1, 2] and x[2, 0, 0, 0] == 2.0
