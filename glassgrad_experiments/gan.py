"""MNIST GAN: DCGAN-like (default) or MLP generator and discriminator, judged by a classifier.

Non-saturating GAN loss with logits (BCE = binary cross-entropy with logits)::

    D loss = BCE(D(x), 1) + BCE(D(G(z)), 0)
    G loss = BCE(D(G(z)), 1)          (maximise log D(G(z)) rather than minimise log(1 - D(G(z))))

Adam(lr 2e-4, betas (0.5, 0.999)) for both, as in the DCGAN paper. Images are
scaled to [-1, 1] and the generator ends in tanh.

- ``--arch dcgan``: G = Linear -> (2w, 7, 7) -> BN, ReLU -> ConvTranspose2d(4, s2) -> (w, 14, 14)
  -> BN, ReLU -> ConvTranspose2d(4, s2) -> (1, 28, 28), tanh;
  D = Conv2d(4, s2) -> (w, 14, 14), LeakyReLU(0.2) -> Conv2d(4, s2) -> (2w, 7, 7), BN, LeakyReLU(0.2)
  -> Linear -> logit. ``--width`` w (default 32; the DCGAN paper's MNIST nets are wider).
- ``--arch mlp``: G = 64 -> 256 -> 512 -> 784, D = 784 -> 512 -> 256 -> 1 with LeakyReLU(0.2).

Judged with a number: a digit classifier (weights from runs/mnist-cnn when
present, else a small classifier trained here) labels 1,000 generated
samples; reported are the share it labels with confidence > 0.9 and how many
of the 10 classes appear among the samples (and their counts).

How far the samples are from the data: ``first_sample_distance`` / ``final_sample_distance``,
the mean distance from 200 generated images to their nearest training image (pixels in [0, 1])
before and after training.

``toy_gan`` trains the MLP GAN on a ring of 8 Gaussians in 2-D (the test uses it).
Data: ``--dataset mnist | fashion | synthetic`` and ``--data-dir`` (see ``glassgrad_experiments/common/data.py``).
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np

import glassgrad as gg
from glassgrad import nn
from glassgrad.io import save as save_checkpoint
from glassgrad.nn.functional import binary_cross_entropy_with_logits as bce_with_logits
from glassgrad.optim import Adam
from glassgrad_experiments.common.data import ImageDataConfig, load_images
from glassgrad_experiments.common.plots import image_rows
from glassgrad_experiments.common.training import load_cnn

NAME = "gan"
DESCRIPTION = "MNIST GAN (DCGAN or --arch mlp): sample grids, loss curves, classifier-confident share"


@dataclass
class Config(ImageDataConfig):
    arch: str = "dcgan"
    n_train: int = 24000
    n_test: int = 10000
    epochs: int = 5
    batch_size: int = 64
    noise: int = 64
    width: int = 32
    lr: float = 2e-4
    beta1: float = 0.5
    judge_samples: int = 1000
    judge_dir: str = "runs/mnist-cnn"


def smoke() -> Config:
    return Config(arch="mlp", dataset="synthetic", n_train=256, n_test=256, epochs=2, batch_size=32,
                  judge_samples=100, judge_dir="")


def load_digits(cfg: Config) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
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
    """(N, noise) -> Linear -> (N, 2w, 7, 7) -> (N, w, 14, 14) -> (N, 1, 28, 28) in [-1, 1]."""

    def __init__(self, noise: int, width: int = 64, rng=None) -> None:
        super().__init__()
        self.width = width
        self.project = nn.Linear(noise, 2 * width * 7 * 7, rng=rng)
        self.bn0 = nn.BatchNorm2d(2 * width)
        self.up1 = nn.ConvTranspose2d(2 * width, width, 4, stride=2, padding=1, rng=rng)  # 7 -> 14
        self.bn1 = nn.BatchNorm2d(width)
        self.up2 = nn.ConvTranspose2d(width, 1, 4, stride=2, padding=1, rng=rng)  # 14 -> 28

    def forward(self, z: gg.Tensor) -> gg.Tensor:
        h = self.bn0(self.project(z).reshape(z.shape[0], 2 * self.width, 7, 7)).relu()  # (N, 2w, 7, 7)
        h = self.bn1(self.up1(h)).relu()  # (N, w, 14, 14)
        return self.up2(h).tanh()  # (N, 1, 28, 28)


class DCDiscriminator(nn.Module):
    """(N, 1, 28, 28) -> (N, w, 14, 14) -> (N, 2w, 7, 7) -> (N,) logits."""

    def __init__(self, width: int = 64, rng=None) -> None:
        super().__init__()
        self.c1 = nn.Conv2d(1, width, 4, stride=2, padding=1, rng=rng)  # 28 -> 14
        self.c2 = nn.Conv2d(width, 2 * width, 4, stride=2, padding=1, rng=rng)  # 14 -> 7
        self.bn2 = nn.BatchNorm2d(2 * width)
        self.out = nn.Linear(2 * width * 7 * 7, 1, rng=rng)

    def forward(self, x: gg.Tensor) -> gg.Tensor:
        h = gg.ops.leaky_relu(self.c1(x), 0.2)  # (N, w, 14, 14)
        h = gg.ops.leaky_relu(self.bn2(self.c2(h)), 0.2)  # (N, 2w, 7, 7)
        return self.out(h.reshape(x.shape[0], -1)).reshape(-1)  # (N,) logits


def gan_step(gen: nn.Module, disc: nn.Module, opt_g: Adam, opt_d: Adam, real: gg.Tensor, noise: int,
             rng: np.random.Generator) -> tuple[float, float]:
    """One discriminator step then one generator step; returns (D loss, G loss)."""
    n = real.shape[0]
    ones, zeros = gg.ones(n), gg.zeros(n)
    fake = gen(gg.tensor(rng.standard_normal((n, noise)).astype(np.float32)))
    d_loss = bce_with_logits(disc(real), ones) + bce_with_logits(disc(fake.detach()), zeros)
    opt_d.zero_grad()
    d_loss.backward()
    opt_d.step()
    g_loss = bce_with_logits(disc(fake), ones)  # non-saturating: label the fakes "real"
    opt_g.zero_grad()
    g_loss.backward()  # also fills disc's grads; they are cleared before its next step
    opt_g.step()
    return d_loss.item(), g_loss.item()


def ring_of_gaussians(n: int, rng: np.random.Generator, modes: int = 8, radius: float = 2.0,
                      std: float = 0.05) -> np.ndarray:
    """(n, 2) points around a circle of ``modes`` Gaussian blobs."""
    angle = 2 * np.pi * rng.integers(0, modes, n) / modes
    centres = radius * np.stack([np.cos(angle), np.sin(angle)], axis=1)
    return (centres + std * rng.standard_normal((n, 2))).astype(np.float32)


def toy_gan(steps: int = 300, batch: int = 64, seed: int = 0, lr: float = 1e-3) -> dict:
    """MLP GAN on the 8-Gaussian ring; distances of generated points to the ring before and after."""
    gg.manual_seed(seed)
    rng = np.random.default_rng(seed)
    gen = MLPGenerator(8, out=2, hidden=(64, 64), rng=rng)
    disc = MLPDiscriminator(2, hidden=(64, 64), rng=rng)
    opt_g = Adam(gen.parameters(), lr=lr, betas=(0.5, 0.999))
    opt_d = Adam(disc.parameters(), lr=lr, betas=(0.5, 0.999))
    probe = gg.tensor(rng.standard_normal((512, 8)).astype(np.float32))

    def ring_distance() -> float:
        with gg.no_grad():
            pts = gen(probe).numpy()
        return float(np.abs(np.linalg.norm(pts, axis=1) - 2.0).mean())

    before = ring_distance()
    d_losses, g_losses = [], []
    for _ in range(steps):
        d, g = gan_step(gen, disc, opt_g, opt_d, gg.tensor(ring_of_gaussians(batch, rng)), 8, rng)
        d_losses.append(d)
        g_losses.append(g)
    return {"ring_distance_before": before, "ring_distance_after": ring_distance(),
            "d_losses": d_losses, "g_losses": g_losses}


def plot_losses(d_losses: list[float], g_losses: list[float], path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib.figure import Figure

    fig = Figure(figsize=(7, 4))
    ax = fig.add_subplot()
    k = max(1, len(d_losses) // 200)  # smooth over k steps
    for values, label in ((d_losses, "discriminator"), (g_losses, "generator")):
        v = np.asarray(values[: len(values) // k * k]).reshape(-1, k).mean(axis=1)
        ax.plot(np.arange(len(v)) * k, v, label=label)
    ax.set_xlabel("step")
    ax.set_ylabel("BCE loss")
    ax.legend()
    fig.tight_layout()
    fig.savefig(path, dpi=100)


class JudgeMLP(nn.Module):
    """784 -> 256 -> 10: the fallback judge, trained here when no mnist-cnn weights exist."""

    def __init__(self, rng=None) -> None:
        super().__init__()
        self.l1, self.l2 = nn.Linear(784, 256, rng=rng), nn.Linear(256, 10, rng=rng)

    def forward(self, x: gg.Tensor) -> gg.Tensor:
        return self.l2(self.l1(x.reshape(x.shape[0], -1)).relu())


def train_judge(cfg: Config, rng: np.random.Generator, epochs: int = 3) -> tuple[nn.Module, float]:
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


def load_judge(cfg: Config, rng: np.random.Generator) -> tuple[nn.Module, str]:
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


def judge_checkpoint(cfg: Config, out_dir: Path) -> dict:
    """Judge the generator saved by ``run`` in ``out_dir`` again (e.g. once mnist-cnn weights exist)."""
    rng = np.random.default_rng(cfg.seed + 1)
    gen, _, _ = build(cfg, rng)
    gen.load_state_dict(gg.load(out_dir / "generator.npz"))
    judge, source = load_judge(cfg, rng)
    return {"judge": source, **judge_samples(judge, sample_images(gen, cfg.judge_samples, cfg.noise, rng))}


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


def build(cfg: Config, rng: np.random.Generator) -> tuple[nn.Module, nn.Module, str]:
    arch = cfg.arch
    if arch == "dcgan" and not all(hasattr(nn, n) for n in ("Conv2d", "ConvTranspose2d", "BatchNorm2d")):
        print("gan: conv/batch-norm layers are not available, falling back to --arch mlp")
        arch = "mlp"
    if arch == "dcgan":
        return DCGenerator(cfg.noise, cfg.width, rng), DCDiscriminator(cfg.width, rng), arch
    if arch == "mlp":
        return ImageMLPGenerator(cfg.noise, rng=rng), MLPDiscriminator(rng=rng), arch
    raise ValueError(f"gan: unknown arch {cfg.arch!r}; choose 'dcgan' or 'mlp'")


def run(cfg: Config, out_dir: Path) -> dict:
    gg.manual_seed(cfg.seed)
    rng = np.random.default_rng(cfg.seed)
    pixels, _, _, _ = load_digits(cfg)
    x_train = pixels * 2.0 - 1.0  # [-1, 1] to match tanh
    gen, disc, arch = build(cfg, rng)
    reference = pixels[:1000]
    first_distance = nearest_distance(sample_images(gen, 200, cfg.noise, rng), reference)
    opt_g = Adam(gen.parameters(), lr=cfg.lr, betas=(cfg.beta1, 0.999))
    opt_d = Adam(disc.parameters(), lr=cfg.lr, betas=(cfg.beta1, 0.999))
    fixed = gg.tensor(rng.standard_normal((16, cfg.noise)).astype(np.float32))
    d_losses, g_losses, grids = [], [], []
    start = time.perf_counter()
    for epoch in range(1, cfg.epochs + 1):
        gen.train()
        disc.train()
        order = rng.permutation(len(x_train))
        for i in range(0, len(order) - cfg.batch_size + 1, cfg.batch_size):
            d, g = gan_step(gen, disc, opt_g, opt_d, gg.tensor(x_train[order[i:i + cfg.batch_size]]), cfg.noise, rng)
            d_losses.append(d)
            g_losses.append(g)
        gen.eval()
        with gg.no_grad():
            samples = (gen(fixed).numpy()[:, 0] + 1) / 2
        grids.append(samples)
        image_rows([samples], out_dir / f"samples_epoch{epoch:02d}.png", [f"epoch {epoch}"])
        print(f"epoch {epoch}/{cfg.epochs}  D {np.mean(d_losses[-50:]):.3f}  G {np.mean(g_losses[-50:]):.3f}  "
              f"({time.perf_counter() - start:.0f} s)")
    seconds = time.perf_counter() - start
    image_rows(grids, out_dir / "samples_by_epoch.png", [f"epoch {e + 1}" for e in range(len(grids))])
    plot_losses(d_losses, g_losses, out_dir / "losses.png")
    save_checkpoint(gen.state_dict(), out_dir / "generator.npz")
    judge, judge_source = load_judge(cfg, rng)
    verdict = judge_samples(judge, sample_images(gen, cfg.judge_samples, cfg.noise, rng))
    final_distance = nearest_distance(sample_images(gen, 200, cfg.noise, rng), reference)
    result = {"arch": arch, "steps": len(d_losses), "train_seconds": round(seconds, 1),
              "first_sample_distance": first_distance, "final_sample_distance": final_distance,
              "final_d_loss": float(np.mean(d_losses[-50:])), "final_g_loss": float(np.mean(g_losses[-50:])),
              "judge": judge_source, **verdict,
              "pictures": [str(out_dir / "samples_by_epoch.png"), str(out_dir / "losses.png")]}
    print(result)
    return result
