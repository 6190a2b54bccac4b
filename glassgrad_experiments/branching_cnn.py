"""Branching CNN at batch size 1 on Fashion-MNIST: a trunk picks the coarse group, a branch the class.

The trunk (two conv blocks, 28 -> 14 -> 7) feeds a gate that predicts the
coarse group of the item; the features then go through the sub-network of
one group only, which classifies the fine class within that group:

    tops     = T-shirt/top, Pullover, Dress, Coat, Shirt
    footwear = Sandal, Sneaker, Ankle boot
    other    = Trouser, Bag

(With ``--dataset mnist`` or ``synthetic`` the digits are grouped instead: 0 6 8 9 / 1 4 7 / 2 3 5.)
Training routes each sample by its true group (the gate learns from its own
cross-entropy); testing routes by the gate's prediction, so a wrong group
means a wrong class. Per-sample routing (``nn.Switch``) sends each sample
through its branch only, so gradients reach only the branch taken.

Batch size 1 breaks BatchNorm (its statistics come from one image, and the
running averages it keeps for testing do not match them), so the network
uses weight-standardised convolutions + GroupNorm (``Conv2dWS`` +
``GroupNorm``), which normalise each sample on its own. Compared, on the same
training subset and budget:

- routed GN+WS, batch 1 (the model);
- the same network with plain Conv2d + BatchNorm2d, batch 1;
- a flat classifier: the same trunk and one 10-way head, batch 1;
- the routed GN+WS network trained with batch 64 (routing splits each batch
  per branch): its speed-up in training throughput over batch 1.

Output: ``table.md`` (test accuracy, coarse accuracy, training time).
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

import glassgrad as gg
from glassgrad import nn
from glassgrad.nn.functional import cross_entropy
from glassgrad.optim import Adam
from glassgrad_experiments.common.data import ImageDataConfig, load_images

NAME = "branching-cnn"
DESCRIPTION = "Batch-1 CNN (Conv2dWS + GroupNorm) with per-sample routing to sub-networks on Fashion-MNIST"

FASHION_GROUPS = (("tops", (0, 2, 3, 4, 6)), ("footwear", (5, 7, 9)), ("other", (1, 8)))
DIGIT_GROUPS = (("loops", (0, 6, 8, 9)), ("strokes", (1, 4, 7)), ("curves", (2, 3, 5)))


@dataclass
class Config(ImageDataConfig):
    dataset: str = field(default="fashion", metadata={"help": "fashion | mnist | synthetic"})
    n_train: int = 6000             # a random subset of the training images
    n_test: int = 2000
    epochs: int = 1
    lr: float = 5e-4
    lr_batch64: float = 2e-3
    epochs_batch64: int = 3
    width: int = 16
    models: str = "routed_gn,routed_bn,flat_gn,routed_gn_b64"


def smoke() -> Config:
    return Config(dataset="synthetic", n_train=96, n_test=64, epochs=1, epochs_batch64=2, width=4)


def norm_layer(kind: str, channels: int) -> nn.Module:
    return nn.GroupNorm(max(1, channels // 4), channels) if kind == "gn" else nn.BatchNorm2d(channels)


def conv_block(kind: str, cin: int, cout: int, rng: np.random.Generator) -> nn.Sequential:
    """conv 3x3 -> norm -> ReLU -> 2x2 max-pool (halves H and W)."""
    conv = nn.Conv2dWS if kind == "gn" else nn.Conv2d
    return nn.Sequential(conv(cin, cout, 3, padding=1, rng=rng), norm_layer(kind, cout), nn.ReLU(),
                         nn.MaxPool2d(2))


class GroupHead(nn.Module):
    """A branch: conv block (7 -> 3) and a Linear over the group's classes, written into 10 logits.

    The classes outside the group get a logit of -1e4, so that softmax over all
    10 classes equals softmax over the group and every branch's output has the
    same shape (the routing's ``combine`` needs that).
    """

    def __init__(self, kind: str, width: int, classes: tuple[int, ...], rng: np.random.Generator) -> None:
        super().__init__()
        self.block = conv_block(kind, 2 * width, 2 * width, rng)
        self.fc = nn.Linear(2 * width * 9, len(classes), rng=rng)
        embed = np.zeros((len(classes), 10), dtype=np.float32)
        embed[np.arange(len(classes)), list(classes)] = 1.0
        self.embed = gg.tensor(embed)  # (n_g, 10) constant, not a parameter
        self.outside = gg.tensor(np.where(embed.sum(0) > 0, 0.0, -1e4).astype(np.float32))  # (10,)

    def forward(self, h: gg.Tensor) -> gg.Tensor:
        h = self.block(h)  # (n, 2w, 3, 3)
        return self.fc(h.reshape(h.shape[0], -1)) @ self.embed + self.outside  # (n, 10)


class BranchingCNN(nn.Module):
    """Trunk -> gate (coarse logits) and Switch over one GroupHead per group (fine logits)."""

    def __init__(self, kind: str, width: int, groups: tuple, rng: np.random.Generator, flat: bool = False) -> None:
        super().__init__()
        self.trunk = nn.Sequential(conv_block(kind, 1, width, rng), conv_block(kind, width, 2 * width, rng))
        self.gate = nn.Linear(2 * width * 49, len(groups), rng=rng)
        heads = [GroupHead(kind, width, tuple(range(10)), rng)] if flat else [
            GroupHead(kind, width, classes, rng) for _, classes in groups]
        self.switch = nn.Switch(heads)
        self.flat = flat

    def forward(self, x: gg.Tensor, route: np.ndarray | None = None) -> tuple[gg.Tensor, gg.Tensor]:
        h = self.trunk(x)  # (N, 2w, 7, 7)
        coarse = self.gate(h.reshape(h.shape[0], -1))  # (N, G)
        if self.flat:
            route = np.zeros(x.shape[0], dtype=np.int64)
        elif route is None:
            route = coarse.numpy().argmax(axis=1)  # test time: the gate decides
        return coarse, self.switch(h, route)  # (N, G), (N, 10)


def load_data(cfg: Config) -> tuple[tuple, np.ndarray, np.ndarray, np.ndarray, np.ndarray, str]:
    """groups, x_train, y_train, x_test, y_test (images (N, 1, 28, 28) in [0, 1]) and what the data is."""
    if cfg.dataset == "synthetic":
        data = load_images("synthetic", n_train=cfg.n_train, n_test=cfg.n_test, seed=cfg.seed, standardize=False)
        return DIGIT_GROUPS, data.x_train, data.y_train, data.x_test, data.y_test, data.description
    data = load_images(cfg.dataset, cfg.data_dir, cfg.download, n_test=cfg.n_test, standardize=False)
    order = np.random.default_rng(cfg.seed).permutation(len(data.x_train))[:cfg.n_train]  # a random subset
    groups = FASHION_GROUPS if cfg.dataset == "fashion" else DIGIT_GROUPS
    return (groups, data.x_train[order], data.y_train[order], data.x_test, data.y_test,
            f"{cfg.dataset}: {len(order)} random train, {len(data.y_test)} test")


def coarse_labels(groups: tuple, y: np.ndarray) -> np.ndarray:
    lookup = np.zeros(10, dtype=np.int64)
    for g, (_, classes) in enumerate(groups):
        lookup[list(classes)] = g
    return lookup[y]


def train(model: BranchingCNN, x: np.ndarray, y: np.ndarray, yc: np.ndarray, batch: int, epochs: int,
          lr: float, rng: np.random.Generator) -> float:
    """Adam on coarse CE + fine CE, routing by the true group; returns seconds."""
    opt = Adam(model.parameters(), lr=lr)
    model.train()
    start = time.perf_counter()
    for _ in range(epochs):
        order = rng.permutation(len(x))
        for i in range(0, len(order), batch):
            idx = order[i:i + batch]
            coarse, fine = model(gg.tensor(x[idx]), route=yc[idx])
            loss = cross_entropy(coarse, yc[idx]) + cross_entropy(fine, y[idx])
            opt.zero_grad()
            loss.backward()
            opt.step()
    return time.perf_counter() - start


def evaluate(model: BranchingCNN, x: np.ndarray, y: np.ndarray, yc: np.ndarray) -> tuple[float, float]:
    """(fine accuracy, coarse accuracy) in eval mode, routed by the gate's own prediction."""
    model.eval()
    fine_hits = coarse_hits = 0
    with gg.no_grad():
        for i in range(0, len(x), 250):
            coarse, fine = model(gg.tensor(x[i:i + 250]))
            fine_hits += int((fine.numpy().argmax(1) == y[i:i + 250]).sum())
            coarse_hits += int((coarse.numpy().argmax(1) == yc[i:i + 250]).sum())
    return fine_hits / len(x), coarse_hits / len(x)


MODELS = {  # name: (norm kind, flat?, batch size, description)
    "routed_gn": ("gn", False, 1, "routed, Conv2dWS + GroupNorm, batch 1"),
    "routed_bn": ("bn", False, 1, "routed, Conv2d + BatchNorm2d, batch 1"),
    "flat_gn": ("gn", True, 1, "flat 10-way head, Conv2dWS + GroupNorm, batch 1"),
    "routed_gn_b64": ("gn", False, 64, "routed, Conv2dWS + GroupNorm, batch 64"),
}


def run(cfg: Config, out_dir: Path) -> dict:
    gg.manual_seed(cfg.seed)
    groups, x, y, xt, yt, data_note = load_data(cfg)
    yc, ytc = coarse_labels(groups, y), coarse_labels(groups, yt)
    results: dict = {"data": data_note, "groups": {name: list(c) for name, c in groups}}
    rows = []
    for name in [m for m in cfg.models.split(",") if m]:
        if name not in MODELS:
            raise ValueError(f"branching-cnn: unknown model {name!r}; known: {', '.join(MODELS)}")
        kind, flat, batch, note = MODELS[name]
        rng = np.random.default_rng(cfg.seed)
        model = BranchingCNN(kind, cfg.width, groups, rng, flat=flat)
        epochs = cfg.epochs_batch64 if batch > 1 else cfg.epochs
        seconds = train(model, x, y, yc, batch, epochs, cfg.lr_batch64 if batch > 1 else cfg.lr, rng)
        acc, coarse_acc = evaluate(model, xt, yt, ytc)
        per_epoch = seconds / epochs
        results[name] = {"test_accuracy": acc, "coarse_accuracy": coarse_acc, "epochs": epochs,
                         "train_seconds": round(seconds, 2), "seconds_per_epoch": round(per_epoch, 2)}
        rows.append((note, acc, coarse_acc, epochs, seconds, per_epoch))
        print(f"{name:14s} accuracy {acc:.4f}  coarse {coarse_acc:.4f}  {seconds:.1f} s ({epochs} epochs)")
    first = [m for m in cfg.models.split(",") if m][0]  # the headline model: routed_gn by default
    results["accuracy"], results["chance"] = results[first]["test_accuracy"], 1.0 / 10
    if "routed_gn" in results and "routed_gn_b64" in results:
        results["batch64_speedup_per_epoch"] = round(results["routed_gn"]["seconds_per_epoch"]
                                                     / results["routed_gn_b64"]["seconds_per_epoch"], 2)
    lines = [f"Data: {data_note}. Test routing: by the gate's prediction.", "",
             "| model | test accuracy | coarse accuracy | epochs | train time (s) | s / epoch |",
             "|---|---|---|---|---|---|"]
    lines += [f"| {n} | {a:.4f} | {c:.4f} | {e} | {s:.1f} | {p:.1f} |" for n, a, c, e, s, p in rows]
    if "batch64_speedup_per_epoch" in results:
        lines += ["", f"Routed batch 64 vs batch 1: {results['batch64_speedup_per_epoch']}x faster per epoch."]
    (out_dir / "table.md").write_text("\n".join(lines) + "\n")
    print("\n".join(lines))
    results["table"] = str(out_dir / "table.md")
    return results
