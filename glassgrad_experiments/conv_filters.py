"""What the trained ``mnist-cnn`` first layer learned: its 32 filters and the feature maps.

Outputs:
  ``filters.png``        the 32 first-layer 3x3 filters (blue negative, red positive, one shared scale);
  ``feature_maps.png``   for one test digit: the input, the 32 conv1 maps after ReLU, and the 64
                         conv2 maps after ReLU (each map scaled on its own).

Weights: ``--weights`` (default runs/mnist-cnn/cnn.npz); ``--weights ''`` trains a CNN here
first, for ``--train-epochs`` (what the smoke run does, on generated digits), with one ``fit``
call (``common.training.cnn_for_analysis``): this experiment looks into a network, it trains none
of its own (``mnist-cnn`` shows the training loop).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np

import glassgrad as gg
from glassgrad_experiments.common.data import load_images
from glassgrad_experiments.common.plots import panel_grid
from glassgrad_experiments.common.training import CNNAnalysisConfig, cnn_for_analysis

NAME = "conv-filters"
DESCRIPTION = "first-layer filters and conv feature maps of the trained mnist-cnn for one digit"

HEADLINE = ("label", "predicted", "p_label", "conv1_maps_all_zero")


@dataclass
class Config(CNNAnalysisConfig):
    image_index: int = 0            # which test image
    max_maps: int = 64              # feature maps drawn per layer


def smoke() -> Config:
    return Config(weights="", dataset="synthetic", max_maps=4)


def run(cfg: Config, out_dir: Path) -> dict:
    sizes = (256, 64) if cfg.dataset == "synthetic" else (0, 0)
    data = load_images(cfg.dataset, cfg.data_dir, cfg.download, *sizes, cfg.seed)
    model, trained = cnn_for_analysis(cfg.weights, data, np.random.default_rng(cfg.seed), cfg.train_epochs)
    x_test, y_test = data.x_test, data.y_test
    filters = model[0].weight.numpy()[:, 0]  # (32, 3, 3)
    panel_grid(filters, out_dir / "filters.png", "conv1 filters (3x3; red +, blue -)", ncols=8, cmap="RdBu_r",
               shared_scale=True, panel_size=(1.1, 1.15))
    image = x_test[cfg.image_index:cfg.image_index + 1]  # (1, 1, 28, 28)
    with gg.no_grad():
        x = gg.tensor(image)
        conv1 = model[1](model[0](x))                   # (1, 32, 28, 28) after ReLU
        conv2 = model[4](model[3](model[2](conv1)))     # (1, 64, 14, 14) after ReLU
        probs = gg.softmax(model(x), axis=1).numpy()[0]
    maps1, maps2 = conv1.numpy()[0], conv2.numpy()[0]
    shown1, shown2 = maps1[:cfg.max_maps], maps2[:cfg.max_maps]
    label = int(y_test[cfg.image_index])
    panel_grid(np.concatenate([image[0], shown1]), out_dir / "feature_maps.png",
               f"test image {cfg.image_index} (label {label}) and its conv1 maps after ReLU", ncols=11,
               cmap="viridis", labels=["input"] + [str(k) for k in range(len(shown1))], panel_size=(1.1, 1.15))
    panel_grid(shown2, out_dir / "feature_maps_conv2.png", "its conv2 maps after ReLU (14x14)", ncols=16,
               cmap="viridis", panel_size=(1.1, 1.15))
    dead1 = int((maps1.reshape(32, -1).max(axis=1) <= 0).sum())
    result = {**trained, "label": label, "predicted": int(probs.argmax()), "p_label": round(float(probs[label]), 4),
              "filter_norms": [round(float(v), 3) for v in np.linalg.norm(filters.reshape(32, -1), axis=1)],
              "conv1_maps_all_zero": dead1, "conv2_maps_all_zero": int((maps2.reshape(64, -1).max(axis=1) <= 0).sum())}
    print(f"image {cfg.image_index}: label {label}, predicted {result['predicted']} (p={result['p_label']}); "
          f"{dead1} of 32 conv1 maps are all zero for it")
    return result
