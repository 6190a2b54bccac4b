"""Spectral methods on MNIST: PCA by SVD against an auto-encoder's 2-D code, and random Fourier features.

**PCA by the SVD.** Centre the images (rows of X, 784 pixels each) and factor X = U S Vᵀ
(``torch.linalg.svd``). The rows of Vᵀ are the principal directions, ordered by S; projecting on
the first two, z = (x - mean) V[:, :2], is the best 2-D *linear* code: no other rank-2 projection
keeps more of the variance (Eckart-Young), and the share it keeps is (s1² + s2²) / sum s².

**An auto-encoder's code.** A network 784 -> 256 -> 2 -> 256 -> 784 trained to reproduce its input
also makes a 2-D code, but a nonlinear one. A linear auto-encoder would find PCA's plane; the
nonlinear one can bend it, and both its reconstruction error and how well the digits separate
in its plane (the accuracy of a 5-nearest-neighbour vote there) beat PCA's. The figure puts the
two 2-D maps side by side with the spectrum of singular values.

**Random Fourier features** (Rahimi & Recht 2007). The RBF kernel k(x, y) = exp(-|x - y|² / 2σ²)
is the expectation of 2 cos(wᵀx + b) cos(wᵀy + b) over w ~ N(0, I/σ²), b ~ U[0, 2π] (Bochner's
theorem: it is the Fourier transform of a Gaussian). With D draws, z(x) = sqrt(2/D) cos(Wᵀx + b)
gives z(x)ᵀz(y) ≈ k(x, y): a kernel machine becomes a linear model on D features. The error of
the approximate kernel matrix falls as 1/sqrt(D) (a Monte-Carlo average); the second figure shows
the exact and approximate kernel matrices and that slope.

Data: ``--dataset mnist | fashion | synthetic`` and ``--data-dir``, as every image experiment
(``glassgrad_experiments/common/data.py``); the smoke run uses generated digits.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

import glassgrad as torch
from glassgrad import nn, optim
from glassgrad.nn import functional as F  # noqa: N812  (the PyTorch convention)
from glassgrad_experiments.common.data import ImageDataConfig, load_images

NAME = "spectral"
DESCRIPTION = "PCA of MNIST by linalg.svd vs an auto-encoder's 2-D code; random Fourier features for an RBF kernel"
HEADLINE = ("pca_variance_2", "pca_knn_accuracy", "autoencoder_knn_accuracy", "pca_reconstruction_mse",
            "autoencoder_reconstruction_mse", "rff_error_max_features", "rff_slope")


@dataclass
class Config(ImageDataConfig):
    n_train: int = 10000
    n_test: int = 2000
    hidden: int = 256
    epochs: int = 15  # auto-encoder training epochs
    batch_size: int = 128
    lr: float = 1e-3
    neighbours: int = 5  # k of the nearest-neighbour vote that scores a 2-D map
    kernel_points: int = 400  # images whose RBF kernel matrix is approximated
    features: list[int] = field(default_factory=lambda: [4, 16, 64, 256, 1024, 4096])
    feature_draws: int = 3  # random feature sets per D (the error is their mean)
    plot: bool = True


def smoke() -> Config:
    return Config(dataset="synthetic", n_train=400, n_test=100, hidden=32, epochs=3, kernel_points=50,
                  features=[4, 64, 1024], feature_draws=2, plot=False)


# ----- PCA ------------------------------------------------------------------------------------------
def pca(x: torch.Tensor, k: int) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
    """(mean, the first k principal directions (k, pixels), the singular values) of the rows of x."""
    mean = x.mean(dim=0)
    _, singular_values, vh = torch.linalg.svd(x - mean, full_matrices=False)
    return mean, vh[:k], singular_values


# ----- the auto-encoder ------------------------------------------------------------------------------
class AutoEncoder(nn.Module):
    """784 -> hidden -> 2 -> hidden -> 784 pixel logits."""

    def __init__(self, pixels: int, hidden: int, code: int = 2) -> None:
        super().__init__()
        self.encoder = nn.Sequential(nn.Linear(pixels, hidden), nn.ReLU(), nn.Linear(hidden, code))
        self.decoder = nn.Sequential(nn.Linear(code, hidden), nn.ReLU(), nn.Linear(hidden, pixels))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.decoder(self.encoder(x))


def train_autoencoder(x: torch.Tensor, cfg: Config) -> tuple[AutoEncoder, list[float]]:
    """Adam on the pixels' binary cross-entropy (targets in [0, 1]); the mean loss of each epoch."""
    model = AutoEncoder(x.shape[1], cfg.hidden)
    optimizer = optim.Adam(model.parameters(), lr=cfg.lr)
    loader = torch.utils.data.DataLoader(torch.utils.data.TensorDataset(x), batch_size=cfg.batch_size, shuffle=True)
    epoch_losses = []
    for epoch in range(cfg.epochs):
        total = 0.0
        for (batch,) in loader:
            loss = F.binary_cross_entropy_with_logits(model(batch), batch)
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
            total += loss.item() * len(batch)
        epoch_losses.append(total / len(x))
        print(f"auto-encoder epoch {epoch + 1}/{cfg.epochs}  BCE {epoch_losses[-1]:.4f}")
    return model, epoch_losses


def knn_accuracy(train_codes: torch.Tensor, train_labels: torch.Tensor, test_codes: torch.Tensor,
                 test_labels: torch.Tensor, k: int) -> float:
    """How often the majority label of a test point's k nearest training codes is its own."""
    nearest = torch.cdist(test_codes, train_codes).topk(k, dim=1, largest=False).indices
    votes = torch.mode(train_labels[nearest], dim=1).values
    return (votes == test_labels).float().mean().item()


# ----- random Fourier features ---------------------------------------------------------------------------
def rbf_kernel(x: torch.Tensor, sigma: float) -> torch.Tensor:
    return torch.exp(-torch.cdist(x, x) ** 2 / (2 * sigma**2))


def random_fourier_features(x: torch.Tensor, n_features: int, sigma: float, generator: torch.Generator) -> torch.Tensor:
    """z(x) = sqrt(2/D) cos(x W + b), W ~ N(0, 1/sigma²) (pixels, D), b ~ U[0, 2 pi): z(x)ᵀz(y) ≈ k(x, y)."""
    w = torch.randn(x.shape[1], n_features, generator=generator, dtype=x.dtype) / sigma
    b = torch.rand(n_features, generator=generator, dtype=x.dtype) * 2 * np.pi
    return np.sqrt(2.0 / n_features) * torch.cos(x @ w + b)


def kernel_errors(x: torch.Tensor, cfg: Config) -> tuple[dict[int, float], torch.Tensor, dict, float]:
    """({D: relative Frobenius error |K - Z Zᵀ| / |K|, averaged over draws}, K, {D: one Z Zᵀ}, sigma)."""
    distances = torch.cdist(x, x)
    sigma = float(distances[distances > 0].median())  # the median heuristic for the bandwidth
    exact = rbf_kernel(x, sigma)
    generator = torch.Generator().manual_seed(cfg.seed)
    errors, examples = {}, {}
    for n_features in cfg.features:
        draws = []
        for _ in range(cfg.feature_draws):
            z = random_fourier_features(x, n_features, sigma, generator)
            approximate = z @ z.T
            draws.append((torch.linalg.norm(exact - approximate) / torch.linalg.norm(exact)).item())
        errors[n_features], examples[n_features] = float(np.mean(draws)), approximate
        print(f"random Fourier features: D = {n_features:5d}  relative kernel error {errors[n_features]:.4f}")
    return errors, exact, examples, sigma


def run(cfg: Config, out_dir: Path) -> dict:
    torch.manual_seed(cfg.seed)
    data = load_images(cfg.dataset, cfg.data_dir, cfg.download, cfg.n_train, cfg.n_test, cfg.seed, standardize=False)
    x_np, y_np, x_test_np, y_test_np = data.flat()  # pixels in [0, 1], one row per image
    x, y, x_test, y_test = (torch.tensor(a) for a in (x_np, y_np, x_test_np, y_test_np))
    print(f"{data.description}")

    mean, directions, singular_values = pca(x, 2)
    variance = (singular_values**2 / (singular_values**2).sum()).numpy()
    pca_train, pca_test = (x - mean) @ directions.T, (x_test - mean) @ directions.T
    pca_mse = ((pca_test @ directions + mean - x_test) ** 2).mean().item()

    model, losses = train_autoencoder(x, cfg)
    model.eval()
    with torch.no_grad():
        ae_train, ae_test = model.encoder(x), model.encoder(x_test)
        ae_mse = ((torch.sigmoid(model.decoder(ae_test)) - x_test) ** 2).mean().item()

    pca_knn = knn_accuracy(pca_train, y, pca_test, y_test, cfg.neighbours)
    ae_knn = knn_accuracy(ae_train, y, ae_test, y_test, cfg.neighbours)
    print(f"2-D codes: PCA keeps {variance[:2].sum():.1%} of the variance; test reconstruction MSE PCA "
          f"{pca_mse:.4f}, auto-encoder {ae_mse:.4f}; {cfg.neighbours}-NN accuracy PCA {pca_knn:.3f}, "
          f"auto-encoder {ae_knn:.3f}")

    by_digit = np.argsort(y_test_np[:cfg.kernel_points], kind="stable")  # sorted: the kernel shows blocks
    errors, exact, examples, sigma = kernel_errors(x_test[torch.tensor(by_digit)].double(), cfg)
    slope = float(np.polyfit(np.log(list(errors)), np.log(list(errors.values())), 1)[0])
    print(f"kernel error falls as D^{slope:.2f} (Monte Carlo: D^-0.5)")

    results = {
        "pca_variance_2": float(variance[:2].sum()), "pca_knn_accuracy": pca_knn, "autoencoder_knn_accuracy": ae_knn,
        "pca_reconstruction_mse": pca_mse, "autoencoder_reconstruction_mse": ae_mse,
        "accuracy": ae_knn, "chance": float(np.bincount(y_test_np).max() / len(y_test_np)),
        "first_loss": losses[0], "final_loss": losses[-1],
        "rff_sigma": sigma, "rff_errors": {str(d): e for d, e in errors.items()},
        "rff_error_max_features": errors[max(errors)], "rff_slope": slope,
        "n_train": len(x_np), "n_test": len(x_test_np),
    }
    if cfg.plot:
        codes = {"PCA (linalg.svd)": (pca_test.numpy(), pca_knn), "auto-encoder": (ae_test.numpy(), ae_knn)}
        _plot_codes(codes, y_test_np, variance, out_dir / "spectral_codes.png")
        _plot_kernels(exact.numpy(), {d: k.numpy() for d, k in examples.items()}, errors, out_dir / "spectral_rff.png")
        results["plots"] = [str(out_dir / "spectral_codes.png"), str(out_dir / "spectral_rff.png")]
    return results


def _plot_codes(codes: dict, labels: np.ndarray, variance: np.ndarray, path: Path) -> None:
    """The two 2-D codes of the test images, coloured by digit, and the cumulative explained variance."""
    from glassgrad_experiments.common.plots import _figure

    fig = _figure(15, 4.6)
    axes = fig.subplots(1, 3)
    for ax, (title, (points, knn)) in zip(axes, codes.items(), strict=False):
        scatter = ax.scatter(points[:, 0], points[:, 1], c=labels, cmap="tab10", s=3, alpha=0.7)
        ax.set_title(f"{title}: 2-D code (5-NN accuracy {knn:.2f})")
    fig.colorbar(scatter, ax=axes[1], ticks=range(10), label="digit")
    k = np.arange(1, len(variance) + 1)
    axes[2].plot(k, np.cumsum(variance), "k-")
    axes[2].axhline(variance[:2].sum(), color="b", ls=":", label=f"2 components: {variance[:2].sum():.1%}")
    axes[2].set_xscale("log")
    axes[2].set_xlabel("principal components kept")
    axes[2].set_ylabel("share of the variance")
    axes[2].set_title("singular value spectrum (cumulative)")
    axes[2].legend(loc="lower right")
    fig.tight_layout()
    fig.savefig(path, dpi=100)


def _plot_kernels(exact: np.ndarray, examples: dict[int, np.ndarray], errors: dict[int, float], path: Path) -> None:
    """The exact RBF kernel matrix (images sorted by digit), its approximation with the fewest and the most
    features, and the error vs D."""
    from glassgrad_experiments.common.plots import _figure

    fig = _figure(16, 4)
    axes = fig.subplots(1, 4)
    fewest, most = min(examples), max(examples)
    for ax, (title, matrix) in zip(axes, (("exact RBF kernel", exact), (f"D = {fewest} features", examples[fewest]),
                                          (f"D = {most} features", examples[most])), strict=False):
        ax.imshow(matrix, cmap="viridis", vmin=0, vmax=1)
        ax.set_title(title)
        ax.set_axis_off()
    d = np.array(list(errors))
    axes[3].loglog(d, list(errors.values()), "bo-", label="|K - Z Zᵀ| / |K|")
    axes[3].loglog(d, errors[fewest] * np.sqrt(fewest / d), "k:", label="1/sqrt(D)")
    axes[3].set_xlabel("random features D")
    axes[3].set_title("kernel approximation error")
    axes[3].legend()
    fig.tight_layout()
    fig.savefig(path, dpi=70)  # noisy matrices compress badly: a small image
