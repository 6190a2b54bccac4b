"""Saliency by occlusion (Zeiler & Fergus 2014) for the trained ``mnist-cnn`` model.

Slide a k x k grey-out window (the background value) over a test digit with a given stride;
for each position record how much the network's probability of the TRUE class drops:

    drop(window) = p(true | image) - p(true | image with the window blanked).

A pixel's saliency is the mean drop over the windows that cover it. Large values mark the
strokes the classifier relies on. Outputs, for each window size k:
  ``heatmap_k{k}.png``   one mean saliency map per digit class (over n_per_class test images);
  ``overlay_k{k}.png``   per-image overlays (digit in grey, saliency in colour) for a few images.

Weights: ``--weights`` (default runs/mnist-cnn/cnn.npz, written by ``glassgrad run mnist-cnn``);
``--weights ''`` trains a CNN here first, for ``--train-epochs`` (what the smoke run does, on
generated digits), with one ``fit`` call: this experiment looks into a network and trains none
of its own (``mnist-cnn`` shows the training loop).
Data: ``--dataset mnist | fashion | synthetic`` and ``--data-dir`` as mnist-cnn.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

import glassgrad as gg
from glassgrad import nn
from glassgrad_experiments.common.data import load_images
from glassgrad_experiments.common.plots import panel_grid
from glassgrad_experiments.common.training import CNNAnalysisConfig, cnn_for_analysis

NAME = "occlusion"
DESCRIPTION = "occlusion saliency maps (2x2 / 3x3 windows) per digit class for the trained mnist-cnn"


@dataclass
class Config(CNNAnalysisConfig):
    windows: list[int] = field(default_factory=lambda: [2, 3])
    stride: int = 1
    n_per_class: int = 10           # test images averaged per class
    n_overlays: int = 2             # overlay images per class
    batch_size: int = 256


def smoke() -> Config:
    return Config(weights="", dataset="synthetic", windows=[3], stride=3, n_per_class=1, n_overlays=1)


SMOKE_TRAIN, SMOKE_TEST = 256, 64  # generated digits when training here


def occlusion_map(model: nn.Module, image: np.ndarray, label: int, k: int, stride: int, fill: float,
                  batch_size: int = 256) -> tuple[np.ndarray, float]:
    """(saliency (H, W), p(true class)) for one (1, H, W) image: mean probability drop per pixel."""
    _, h, w = image.shape
    positions = [(r, c) for r in range(0, h - k + 1, stride) for c in range(0, w - k + 1, stride)]
    occluded = np.repeat(image[None], len(positions), axis=0)  # (P, 1, H, W)
    for p, (r, c) in enumerate(positions):
        occluded[p, 0, r:r + k, c:c + k] = fill
    with gg.no_grad():
        p_clean = float(gg.softmax(model(gg.tensor(image[None])), axis=1).numpy()[0, label])
        probs = np.concatenate([gg.softmax(model(gg.tensor(occluded[s:s + batch_size])), axis=1).numpy()[:, label]
                                for s in range(0, len(positions), batch_size)])
    total, count = np.zeros((h, w)), np.zeros((h, w))
    for (r, c), prob in zip(positions, probs):
        total[r:r + k, c:c + k] += p_clean - prob
        count[r:r + k, c:c + k] += 1
    return total / np.maximum(count, 1), p_clean


def run(cfg: Config, out_dir: Path) -> dict:
    rng = np.random.default_rng(cfg.seed)
    sizes = (SMOKE_TRAIN, SMOKE_TEST) if cfg.dataset == "synthetic" else (0, 0)
    data = load_images(cfg.dataset, cfg.data_dir, cfg.download, *sizes, cfg.seed)
    model, trained = cnn_for_analysis(cfg.weights, data, rng, cfg.train_epochs)
    x_test, y_test, fill = data.x_test, data.y_test, data.background  # fill: a blank (background) pixel
    picks = {c: np.flatnonzero(y_test == c)[:cfg.n_per_class] for c in range(10)}
    results: dict = {"windows": list(cfg.windows), "stride": cfg.stride, "n_per_class": cfg.n_per_class,
                     **trained}
    for k in (int(v) for v in cfg.windows):
        class_maps, overlays, peak = [], [], {}
        for c, idx in picks.items():
            if len(idx) == 0:
                continue
            maps = []
            for n, i in enumerate(idx):
                heat, p_clean = occlusion_map(model, x_test[i], c, k, cfg.stride, fill, cfg.batch_size)
                maps.append(heat)
                if n < cfg.n_overlays:
                    overlays.append((x_test[i, 0], heat, f"{c}: p={p_clean:.2f}"))
            mean_map = np.mean(maps, axis=0)
            class_maps.append((x_test[idx].mean(axis=0)[0], mean_map, f"class {c}"))
            peak[str(c)] = round(float(mean_map.max()), 4)
        for panels, name, title in (
                (class_maps, "heatmap", f"mean occlusion saliency per class ({k}x{k} window, stride {cfg.stride}): "
                                        "p(true) drop, red = needed"),
                (overlays, "overlay", f"per-image occlusion saliency ({k}x{k} window)")):
            images, heats, labels = zip(*panels)
            panel_grid(images, out_dir / f"{name}_k{k}.png", title, labels=labels, overlays=heats)
        results[f"max_mean_drop_k{k}"] = peak
        print(f"k={k}: largest mean drop per class {peak}")
    return results
