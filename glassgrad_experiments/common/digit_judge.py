"""A digit judge with a reference: is a generator's sample as recognisable as a real digit?

A classifier trained on the real training digits labels the samples. Its confidence means little on
its own (a network can be confident on a blob), so the same numbers are reported for real digits it
never saw in training, the reference a perfect generator would reach:

    confident share   = fraction of images with max_k p(k | x) > 0.9
    mean confidence   = mean over images of max_k p(k | x)
    classes present   = how many of the ten labels the judge gives (mode collapse shows here)
    legibility ratio  = confident share of the samples / confident share of the real digits

The judge is a small CNN (conv 3x3 16 -> pool -> conv 3x3 32 -> pool -> linear 10) trained here for
one epoch with Adam: about 98 % test accuracy after a minute of one CPU thread at most.
"""

from __future__ import annotations

import numpy as np

import glassgrad as gg
from glassgrad import nn
from glassgrad.nn import functional as F
from glassgrad.optim import Adam


class JudgeCNN(nn.Module):
    """(N, 1, 28, 28) pixels in [0, 1] -> (N, 10) logits."""

    def __init__(self, rng: np.random.Generator | None = None) -> None:
        super().__init__()
        self.c1 = nn.Conv2d(1, 16, 3, padding=1, rng=rng)  # 28 x 28, then pooled to 14 x 14
        self.c2 = nn.Conv2d(16, 32, 3, padding=1, rng=rng)  # 14 x 14, then pooled to 7 x 7
        self.out = nn.Linear(32 * 7 * 7, 10, rng=rng)

    def forward(self, x: gg.Tensor) -> gg.Tensor:
        h = F.max_pool2d(self.c1(x * 2.0 - 1.0).relu(), 2)  # centred pixels
        h = F.max_pool2d(self.c2(h).relu(), 2)
        return self.out(h.reshape(x.shape[0], -1))


def train_judge_cnn(x: np.ndarray, y: np.ndarray, rng: np.random.Generator, epochs: int = 1,
                    batch_size: int = 64, lr: float = 2e-3) -> JudgeCNN:
    """A JudgeCNN fitted to images x (N, 1, 28, 28) in [0, 1] with labels y (N,)."""
    model = JudgeCNN(rng)
    opt = Adam(model.parameters(), lr=lr)
    model.train()
    for _ in range(epochs):
        order = rng.permutation(len(x))
        for i in range(0, len(order), batch_size):
            idx = order[i:i + batch_size]
            loss = F.cross_entropy(model(gg.tensor(x[idx])), gg.tensor(y[idx].astype(np.int64)))
            opt.zero_grad()
            loss.backward()
            opt.step()
    return model


def probabilities(judge: nn.Module, images: np.ndarray) -> np.ndarray:
    """p(k | x) for images (N, 1, 28, 28) in [0, 1]: (N, 10)."""
    judge.eval()
    with gg.no_grad():
        return np.concatenate([F.softmax(judge(gg.tensor(images[i:i + 500])), dim=1).numpy()
                               for i in range(0, len(images), 500)])


def verdict(judge: nn.Module, images: np.ndarray, threshold: float = 0.9) -> dict:
    """The judge's confident share, mean confidence and label spread on images in [0, 1]."""
    probs = probabilities(judge, images)
    confidence, labels = probs.max(1), probs.argmax(1)
    counts = np.bincount(labels, minlength=10)
    return {"confident_share": float((confidence > threshold).mean()),
            "mean_confidence": float(confidence.mean()),
            "classes_present": int((counts > 0).sum()),
            "class_counts": counts.tolist()}


def judge_against_real(judge: nn.Module, samples: np.ndarray, real: np.ndarray, real_labels: np.ndarray) -> dict:
    """The verdict on the samples and on held-out real digits, and the legibility ratio between them."""
    on_samples, on_real = verdict(judge, samples), verdict(judge, real)
    accuracy = float((probabilities(judge, real).argmax(1) == real_labels).mean())
    return {"confident_share": on_samples["confident_share"],
            "mean_confidence": on_samples["mean_confidence"],
            "classes_present": on_samples["classes_present"],
            "class_counts": on_samples["class_counts"],
            "real_confident_share": on_real["confident_share"],
            "real_mean_confidence": on_real["mean_confidence"],
            "real_classes_present": on_real["classes_present"],
            "judge_test_accuracy": accuracy,
            "legibility_ratio": on_samples["confident_share"] / max(on_real["confident_share"], 1e-12)}


def calibration(judge: nn.Module, real: np.ndarray, rng: np.random.Generator, noise: float = 0.3) -> dict:
    """Legibility ratios of two altered copies of real digits, to place a threshold between them:
    with Gaussian pixel noise (std ``noise``, clipped to [0, 1]: still legible to a person) and upside
    down (mostly not digits any more, though 0, 1 and 8 survive the flip)."""
    reference = verdict(judge, real)["confident_share"]
    noisy = np.clip(real + rng.normal(0.0, noise, size=real.shape), 0.0, 1.0).astype(np.float32)
    flipped = np.ascontiguousarray(real[:, :, ::-1])
    return {"noisy_real_ratio": verdict(judge, noisy)["confident_share"] / max(reference, 1e-12),
            "flipped_real_ratio": verdict(judge, flipped)["confident_share"] / max(reference, 1e-12)}
