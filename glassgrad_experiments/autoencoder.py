"""Convolutional auto-encoder on MNIST: reconstructions and (with --latent 2) the latent map.

Encoder: two stride-2 3x3 convolutions (28 -> 14 -> 7) and a Linear to the
code z; decoder: a Linear back to (32, 7, 7) and two stride-2 transposed
convolutions (7 -> 14 -> 28) giving pixel logits. Loss: binary cross-entropy
between the sigmoid of the logits and the pixel intensities in [0, 1]:

    BCE(z, t) = max(z, 0) - z t + log(1 + e^{-|z|})      (stable in z)

Reported: the test-set BCE and MSE of the reconstructions; a PNG grid of
originals (top rows) and reconstructions (bottom rows); with a 2-D code, a
scatter of the test codes coloured by digit. Data: ``--dataset mnist | fashion | synthetic``
and ``--data-dir`` (see ``glassgrad_experiments/common/data.py``).
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np

import glassgrad as gg
from glassgrad import nn
from glassgrad.nn.functional import binary_cross_entropy_with_logits as bce_with_logits
from glassgrad.optim import Adam
from glassgrad_experiments.common.data import ImageDataConfig, load_images
from glassgrad_experiments.common.plots import image_rows

NAME = "autoencoder"
DESCRIPTION = "Convolutional auto-encoder on MNIST: test reconstruction loss, reconstructions, 2-D latent map"


@dataclass
class Config(ImageDataConfig):
    n_train: int = 24000
    n_test: int = 10000
    latent: int = 16
    arch: str = "conv"
    epochs: int = 3
    batch_size: int = 64
    lr: float = 2e-3


def smoke() -> Config:
    return Config(dataset="synthetic", n_train=256, n_test=64, epochs=2, batch_size=32)


class ConvAutoencoder(nn.Module):
    """(N, 1, 28, 28) -> code (N, latent) -> logits (N, 1, 28, 28)."""

    def __init__(self, latent: int, rng: np.random.Generator | None = None) -> None:
        super().__init__()
        self.enc1 = nn.Conv2d(1, 16, 3, stride=2, padding=1, rng=rng)  # 28 -> 14
        self.enc2 = nn.Conv2d(16, 32, 3, stride=2, padding=1, rng=rng)  # 14 -> 7
        self.to_code = nn.Linear(32 * 7 * 7, latent, rng=rng)
        self.from_code = nn.Linear(latent, 32 * 7 * 7, rng=rng)
        self.dec1 = nn.ConvTranspose2d(32, 16, 4, stride=2, padding=1, rng=rng)  # 7 -> 14
        self.dec2 = nn.ConvTranspose2d(16, 1, 4, stride=2, padding=1, rng=rng)  # 14 -> 28

    def encode(self, x: gg.Tensor) -> gg.Tensor:
        h = self.enc2(self.enc1(x).relu()).relu()  # (N, 32, 7, 7)
        return self.to_code(h.reshape(x.shape[0], -1))  # (N, latent)

    def decode(self, z: gg.Tensor) -> gg.Tensor:
        h = self.from_code(z).relu().reshape(z.shape[0], 32, 7, 7)  # (N, 32, 7, 7)
        return self.dec2(self.dec1(h).relu())  # (N, 1, 28, 28) logits

    def forward(self, x: gg.Tensor) -> gg.Tensor:
        return self.decode(self.encode(x))


class MLPAutoencoder(nn.Module):
    """784 -> 256 -> latent -> 256 -> 784 (the fallback when conv layers are absent)."""

    def __init__(self, latent: int, rng: np.random.Generator | None = None) -> None:
        super().__init__()
        self.e1, self.e2 = nn.Linear(784, 256, rng=rng), nn.Linear(256, latent, rng=rng)
        self.d1, self.d2 = nn.Linear(latent, 256, rng=rng), nn.Linear(256, 784, rng=rng)

    def encode(self, x: gg.Tensor) -> gg.Tensor:
        return self.e2(self.e1(x.reshape(x.shape[0], -1)).relu())

    def decode(self, z: gg.Tensor) -> gg.Tensor:
        return self.d2(self.d1(z).relu()).reshape(z.shape[0], 1, 28, 28)

    def forward(self, x: gg.Tensor) -> gg.Tensor:
        return self.decode(self.encode(x))


def plot_latent(codes: np.ndarray, labels: np.ndarray, path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib.figure import Figure

    fig = Figure(figsize=(6, 5))
    ax = fig.add_subplot()
    sc = ax.scatter(codes[:, 0], codes[:, 1], c=labels, cmap="tab10", s=3, alpha=0.7)
    fig.colorbar(sc, ax=ax, ticks=range(10), label="digit")
    ax.set_title("2-D codes of the test digits")
    fig.tight_layout()
    fig.savefig(path, dpi=110)


def evaluate(model: nn.Module, x: np.ndarray, batch: int = 500) -> tuple[float, float, np.ndarray]:
    """(mean BCE, mean MSE, codes) over a data set, without a graph."""
    bce = mse = 0.0
    codes = []
    with gg.no_grad():
        for i in range(0, len(x), batch):
            xb = gg.tensor(x[i:i + batch])
            z = model.encode(xb)
            logits = model.decode(z)
            bce += bce_with_logits(logits, xb).item() * len(xb)
            mse += float(((gg.sigmoid(logits) - xb) ** 2).mean().item()) * len(xb)
            codes.append(z.numpy())
    return bce / len(x), mse / len(x), np.concatenate(codes)


def run(cfg: Config, out_dir: Path) -> dict:
    gg.manual_seed(cfg.seed)
    rng = np.random.default_rng(cfg.seed)
    data = load_images(cfg.dataset, cfg.data_dir, cfg.download, cfg.n_train, cfg.n_test, cfg.seed, standardize=False)
    x_train, x_test, y_test = data.x_train, data.x_test, data.y_test  # pixels in [0, 1]: the BCE targets
    arch = cfg.arch
    if arch == "conv" and not hasattr(nn, "ConvTranspose2d"):
        print("autoencoder: nn.Conv2d/ConvTranspose2d not available, falling back to --arch mlp")
        arch = "mlp"
    model = ConvAutoencoder(cfg.latent, rng) if arch == "conv" else MLPAutoencoder(cfg.latent, rng)
    opt = Adam(model.parameters(), lr=cfg.lr)
    first_test_bce, _, _ = evaluate(model, x_test)
    start = time.perf_counter()
    first_loss = None
    losses = []
    for epoch in range(cfg.epochs):
        order = rng.permutation(len(x_train))
        total = 0.0
        for i in range(0, len(order), cfg.batch_size):
            xb = gg.tensor(x_train[order[i:i + cfg.batch_size]])
            loss = bce_with_logits(model(xb), xb)
            opt.zero_grad()
            loss.backward()
            opt.step()
            first_loss = first_loss if first_loss is not None else loss.item()
            total += loss.item() * len(xb)
        losses.append(total / len(x_train))
        print(f"epoch {epoch + 1}/{cfg.epochs}  train BCE {losses[-1]:.4f}  ({time.perf_counter() - start:.0f} s)")
    seconds = time.perf_counter() - start
    test_bce, test_mse, codes = evaluate(model, x_test)
    shown = x_test[:12]
    with gg.no_grad():
        recon = gg.sigmoid(model(gg.tensor(shown))).numpy()
    image_rows([shown[:, 0], recon[:, 0]], out_dir / "reconstructions.png", ["original", "reconstruction"])
    result = {"arch": arch, "latent": cfg.latent, "first_batch_bce": first_loss, "train_bce_per_epoch": losses,
              "first_loss": first_test_bce, "final_loss": test_bce, "test_bce": test_bce, "test_mse": test_mse,
              "train_seconds": round(seconds, 1),
              "reconstructions": str(out_dir / "reconstructions.png")}
    if cfg.latent == 2:
        plot_latent(codes, y_test, out_dir / "latent2d.png")
        result["latent_plot"] = str(out_dir / "latent2d.png")
    print(result)
    return result
