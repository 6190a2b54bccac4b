"""Saliency by occlusion (Zeiler & Fergus 2014) for the trained ``mnist-cnn`` model.

Slide a k x k grey-out window (the background value) over a test digit with a given stride;
for each position record how much the network's probability of the TRUE class drops:

    drop(window) = p(true | image) - p(true | image with the window blanked).

A pixel's saliency is the mean drop over the windows that cover it. Large values mark the
strokes the classifier relies on. Outputs, for each window size k:
  ``heatmap_k{k}.png``   one mean saliency map per digit class (over n_per_class test images);
  ``overlay_k{k}.png``   per-image overlays (digit in grey, saliency in colour) for a few images.

Weights: ``--weights`` (default runs/mnist-cnn/cnn.npz, written by ``glassgrad run mnist-cnn``).
The smoke run uses generated digits and an untrained network (it checks the pipeline only).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

import glassgrad as gg
from experiments.mnist_cnn import load_cnn, load_images, make_cnn
from glassgrad import nn
from glassgrad.data import transforms

NAME = "occlusion"
DESCRIPTION = "occlusion saliency maps (2x2 / 3x3 windows) per digit class for the trained mnist-cnn"


@dataclass
class Config:
    weights: str = "runs/mnist-cnn/cnn.npz"
    dataset: str = "mnist"          # mnist | fashion | synthetic
    data_dir: str = "../shared/data/mnist"
    windows: list[int] = field(default_factory=lambda: [2, 3])
    stride: int = 1
    n_per_class: int = 10           # test images averaged per class
    n_overlays: int = 2             # overlay images per class
    batch_size: int = 256
    seed: int = 0


def smoke() -> Config:
    return Config(weights="", dataset="synthetic", windows=[3], stride=3, n_per_class=1, n_overlays=1)


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


def _plot_grid(panels: list[tuple[np.ndarray, np.ndarray | None, str]], path: Path, title: str) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    ncols = min(5, len(panels))
    nrows = -(-len(panels) // ncols)
    fig, axes = plt.subplots(nrows, ncols, figsize=(2.2 * ncols, 2.4 * nrows), squeeze=False)
    for ax, (image, heat, label) in zip(axes.ravel(), panels):
        ax.imshow(image, cmap="gray")
        if heat is not None:  # each panel on its own scale (its largest drop is in the title)
            vmax = float(np.abs(heat).max()) or 1.0
            ax.imshow(heat, cmap="RdBu_r", vmin=-vmax, vmax=vmax, alpha=0.6)
            label = f"{label}, max {vmax:.2f}"
        ax.set_title(label, fontsize=8)
    for ax in axes.ravel():
        ax.axis("off")
    fig.suptitle(title, fontsize=10)
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)


def run(cfg: Config, out_dir: Path) -> dict:
    rng = np.random.default_rng(cfg.seed)
    _, _, x_test, y_test = load_images(cfg.dataset, cfg.data_dir, 64 if cfg.dataset == "synthetic" else 0,
                                       0, cfg.seed)
    if cfg.weights:
        model = load_cnn(cfg.weights)
    else:
        print("no --weights: using an untrained network (pipeline check only)")
        model = make_cnn(rng).eval()
    mean, std = ((transforms.MNIST_MEAN, transforms.MNIST_STD) if cfg.dataset == "mnist" else
                 (transforms.FASHION_MNIST_MEAN, transforms.FASHION_MNIST_STD) if cfg.dataset == "fashion" else
                 (float(x_test.mean()), 1.0))
    fill = float((0.0 - mean) / std) if cfg.dataset != "synthetic" else float(x_test.min())  # blank background
    picks = {c: np.flatnonzero(y_test == c)[:cfg.n_per_class] for c in range(10)}
    results: dict = {"windows": list(cfg.windows), "stride": cfg.stride, "n_per_class": cfg.n_per_class}
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
        _plot_grid(class_maps, out_dir / f"heatmap_k{k}.png",
                   f"mean occlusion saliency per class ({k}x{k} window, stride {cfg.stride}): "
                   "p(true) drop, red = needed")
        _plot_grid(overlays, out_dir / f"overlay_k{k}.png", f"per-image occlusion saliency ({k}x{k} window)")
        results[f"max_mean_drop_k{k}"] = peak
        print(f"k={k}: largest mean drop per class {peak}")
    return results
