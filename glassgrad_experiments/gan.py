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
from glassgrad_experiments.common.gan import (
    DCDiscriminator,
    DCGenerator,
    ImageMLPGenerator,
    JudgedImageConfig,
    MLPDiscriminator,
    MLPGenerator,
    judge_samples,
    load_digits,
    load_judge,
    nearest_distance,
    sample_images,
)
from glassgrad_experiments.common.plots import image_rows

NAME = "gan"
DESCRIPTION = "MNIST GAN (DCGAN or --arch mlp): sample grids, loss curves, classifier-confident share"


@dataclass
class Config(JudgedImageConfig):
    arch: str = "dcgan"
    n_train: int = 24000
    n_test: int = 10000
    epochs: int = 5
    batch_size: int = 64
    noise: int = 64
    width: int = 32
    lr: float = 2e-4
    beta1: float = 0.5


def smoke() -> Config:
    return Config(arch="mlp", dataset="synthetic", n_train=256, n_test=256, epochs=2, batch_size=32,
                  judge_samples=100, judge_dir="")


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


def judge_checkpoint(cfg: Config, out_dir: Path) -> dict:
    """Judge the generator saved by ``run`` in ``out_dir`` again (e.g. once mnist-cnn weights exist)."""
    rng = np.random.default_rng(cfg.seed + 1)
    gen, _, _ = build(cfg, rng)
    gen.load_state_dict(gg.load(out_dir / "generator.npz"))
    judge, source = load_judge(cfg, rng)
    return {"judge": source, **judge_samples(judge, sample_images(gen, cfg.judge_samples, cfg.noise, rng))}


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
