"""What the two MNIST GANs (gan, wgan-gp) share: the MLP and DCGAN-style convolutional networks,
the digits, and the judge.

The judge is a digit classifier that labels generated samples: the mnist-cnn experiment's weights
when ``judge_dir`` holds them, else a small MLP trained here. ``judge_samples`` reports the share of
samples it labels with confidence above 0.9 and how many of the ten classes appear;
``nearest_distance`` how far samples are from their nearest training image.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np

import glassgrad as gg
from glassgrad import nn
from glassgrad.optim import Adam
from glassgrad_experiments.common.data import ImageDataConfig, load_images
from glassgrad_experiments.common.training import load_cnn


@dataclass
class JudgedImageConfig(ImageDataConfig):
    """An image experiment whose samples a digit classifier judges."""

    judge_samples: int = 1000
    judge_dir: str = "runs/mnist-cnn"


def load_digits(cfg: ImageDataConfig) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """(x_train, y_train, x_test, y_test), images (N, 1, 28, 28) with pixels in [0, 1]."""
    data = load_images(cfg.dataset, cfg.data_dir, cfg.download, cfg.n_train, cfg.n_test, cfg.seed, standardize=False)
    return data.x_train, data.y_train, data.x_test, data.y_test


class MLPGenerator(nn.Module):
    def __init__(self, noise: int, out: int = 784, hidden: tuple[int, int] = (256, 512), rng=None) -> None:
        super().__init__()
        self.l1 = nn.Linear(noise, hidden[0], rng=rng)
        self.l2 = nn.Linear(hidden[0], hidden[1], rng=rng)
        self.l3 = nn.Linear(hidden[1], out, rng=rng)

    def forward(self, z: gg.Tensor) -> gg.Tensor:
        h = gg.ops.leaky_relu(self.l2(gg.ops.leaky_relu(self.l1(z), 0.2)), 0.2)
        return self.l3(h)


class MLPDiscriminator(nn.Module):
    def __init__(self, inp: int = 784, hidden: tuple[int, int] = (512, 256), rng=None) -> None:
        super().__init__()
        self.l1 = nn.Linear(inp, hidden[0], rng=rng)
        self.l2 = nn.Linear(hidden[0], hidden[1], rng=rng)
        self.l3 = nn.Linear(hidden[1], 1, rng=rng)

    def forward(self, x: gg.Tensor) -> gg.Tensor:
        h = gg.ops.leaky_relu(self.l2(gg.ops.leaky_relu(self.l1(x.reshape(x.shape[0], -1)), 0.2)), 0.2)
        return self.l3(h).reshape(-1)  # (N,) logits


class ImageMLPGenerator(MLPGenerator):
    """MLP generator whose output is an image in [-1, 1]: (N, noise) -> (N, 1, 28, 28)."""

    def forward(self, z: gg.Tensor) -> gg.Tensor:
        return super().forward(z).tanh().reshape(z.shape[0], 1, 28, 28)


class DCGenerator(nn.Module):
    """(N, noise) -> Linear -> (N, 2w, 7, 7) -> (N, w, 14, 14) -> (N, 1, 28, 28) in [-1, 1].

    Each doubling is a ConvTranspose2d(4, stride 2) (``upsample="transposed"``), or a nearest-neighbour
    doubling followed by a Conv2d(3) (``upsample="nearest"``: no checkerboard from overlapping strides).
    """

    def __init__(self, noise: int, width: int = 64, rng=None, upsample: str = "transposed") -> None:
        super().__init__()
        self.width = width
        self.project = nn.Linear(noise, 2 * width * 7 * 7, rng=rng)
        self.bn0 = nn.BatchNorm2d(2 * width)
        self.up1 = _doubling(2 * width, width, upsample, rng)  # 7 -> 14
        self.bn1 = nn.BatchNorm2d(width)
        self.up2 = _doubling(width, 1, upsample, rng)  # 14 -> 28

    def forward(self, z: gg.Tensor) -> gg.Tensor:
        h = self.bn0(self.project(z).reshape(z.shape[0], 2 * self.width, 7, 7)).relu()  # (N, 2w, 7, 7)
        h = self.bn1(self.up1(h)).relu()  # (N, w, 14, 14)
        return self.up2(h).tanh()  # (N, 1, 28, 28)


def _doubling(inp: int, out: int, upsample: str, rng) -> nn.Module:
    """A layer that doubles the height and width: (N, inp, H, W) -> (N, out, 2H, 2W)."""
    if upsample == "transposed":
        return nn.ConvTranspose2d(inp, out, 4, stride=2, padding=1, rng=rng)
    if upsample == "nearest":
        return nn.Sequential(nn.Upsample(scale_factor=2, mode="nearest"), nn.Conv2d(inp, out, 3, padding=1, rng=rng))
    raise ValueError(f"upsample must be 'transposed' or 'nearest', got {upsample!r}")


class DCDiscriminator(nn.Module):
    """(N, 1, 28, 28) -> (N, w, 14, 14) -> (N, 2w, 7, 7) -> (N,) logits.

    ``batch_norm=False`` leaves out the batch norm: a WGAN-GP critic's penalty is per sample, and
    batch norm would make each output depend on the whole batch (Gulrajani et al. 2017).
    """

    def __init__(self, width: int = 64, rng=None, batch_norm: bool = True) -> None:
        super().__init__()
        self.c1 = nn.Conv2d(1, width, 4, stride=2, padding=1, rng=rng)  # 28 -> 14
        self.c2 = nn.Conv2d(width, 2 * width, 4, stride=2, padding=1, rng=rng)  # 14 -> 7
        self.bn2 = nn.BatchNorm2d(2 * width) if batch_norm else nn.Identity()
        self.out = nn.Linear(2 * width * 7 * 7, 1, rng=rng)

    def forward(self, x: gg.Tensor) -> gg.Tensor:
        h = gg.ops.leaky_relu(self.c1(x), 0.2)  # (N, w, 14, 14)
        h = gg.ops.leaky_relu(self.bn2(self.c2(h)), 0.2)  # (N, 2w, 7, 7)
        return self.out(h.reshape(x.shape[0], -1)).reshape(-1)  # (N,) logits


class JudgeMLP(nn.Module):
    """784 -> 256 -> 10: the fallback judge, trained here when no mnist-cnn weights exist."""

    def __init__(self, rng=None) -> None:
        super().__init__()
        self.l1, self.l2 = nn.Linear(784, 256, rng=rng), nn.Linear(256, 10, rng=rng)

    def forward(self, x: gg.Tensor) -> gg.Tensor:
        return self.l2(self.l1(x.reshape(x.shape[0], -1)).relu())


def train_judge(cfg: ImageDataConfig, rng: np.random.Generator, epochs: int = 3) -> tuple[nn.Module, float]:
    """A small classifier on the training digits; returns it and its test accuracy."""
    x, y, x_test, y_test = load_digits(cfg)
    model = JudgeMLP(rng)
    opt = Adam(model.parameters(), lr=1e-3)
    for _ in range(epochs):
        order = rng.permutation(len(x))
        for i in range(0, len(order), 128):
            idx = order[i:i + 128]
            logp = gg.log_softmax(model(gg.tensor(x[idx])), axis=1)
            loss = -logp[np.arange(len(idx)), y[idx]].mean()
            opt.zero_grad()
            loss.backward()
            opt.step()
    with gg.no_grad():
        accuracy = float((model(gg.tensor(x_test)).numpy().argmax(1) == y_test).mean())
    return model, accuracy


class Standardized(nn.Module):
    """(x - mean) / std, then the wrapped classifier (mnist-cnn was trained on standardised pixels)."""

    def __init__(self, model: nn.Module, mean: float, std: float) -> None:
        super().__init__()
        self.model, self.mean, self.std = model, mean, std

    def forward(self, x: gg.Tensor) -> gg.Tensor:
        return self.model((x - self.mean) / self.std)


def load_judge(cfg: JudgedImageConfig, rng: np.random.Generator) -> tuple[nn.Module, str]:
    """The mnist-cnn classifier from ``cfg.judge_dir``/cnn.npz when present, else a freshly trained MLP."""
    path = Path(cfg.judge_dir) / "cnn.npz"
    if cfg.judge_dir and cfg.dataset == "mnist" and path.is_file():
        cnn, saved = load_cnn(path)
        if saved.get("dataset") == "mnist":
            model = Standardized(cnn, float(saved["mean"]), float(saved["std"]))
            return model, f"mnist-cnn weights from {path}"
        print(f"gan: {path} was not trained on MNIST; training a small MLP judge instead")
    elif cfg.judge_dir and cfg.dataset == "mnist":
        print(f"gan: no mnist-cnn weights at {path}; training a small MLP judge instead")
    model, accuracy = train_judge(cfg, rng)
    return model, f"MLP judge trained here (test accuracy {accuracy:.4f})"


def judge_samples(judge: nn.Module, images: np.ndarray, threshold: float = 0.9) -> dict:
    """Share of images the judge labels with confidence > threshold, and the spread of labels."""
    judge.eval()
    with gg.no_grad():
        probs = np.concatenate([gg.softmax(judge(gg.tensor(images[i:i + 500])), axis=1).numpy()
                                for i in range(0, len(images), 500)])
    labels = probs.argmax(1)
    confident = probs.max(1) > threshold
    counts = np.bincount(labels, minlength=10)
    return {"confident_share": float(confident.mean()), "classes_present": int((counts > 0).sum()),
            "confident_classes_present": int((np.bincount(labels[confident], minlength=10) > 0).sum()),
            "class_counts": counts.tolist()}


def nearest_distance(samples: np.ndarray, data: np.ndarray) -> float:
    """Mean Euclidean distance from each sample (S, ...) to its nearest row of ``data`` (N, ...)."""
    a, b = samples.reshape(len(samples), -1), data.reshape(len(data), -1)
    squared = (a * a).sum(1)[:, None] - 2 * a @ b.T + (b * b).sum(1)[None, :]  # (S, N)
    return float(np.sqrt(np.maximum(squared.min(axis=1), 0.0)).mean())


def sample_images(gen: nn.Module, n: int, noise: int, rng: np.random.Generator) -> np.ndarray:
    """n generated images (n, 1, 28, 28) with pixels in [0, 1], the generator in eval mode."""
    gen.eval()
    with gg.no_grad():
        z = gg.tensor(rng.standard_normal((n, noise)).astype(np.float32))
        return (gen(z).numpy() + 1) / 2
