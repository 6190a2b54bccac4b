"""A digit judge with a reference: is a generator's sample as recognisable as a real digit?

A classifier trained on the real training digits labels the samples. Its confidence means little on
its own (a network can be confident on a blob), so the same numbers are reported for real digits it
never saw in training, the reference a perfect generator would reach:

    confident share   = fraction of images with max_k p(k | x) > 0.9
    mean confidence   = mean over images of max_k p(k | x)
    classes present   = how many of the ten labels the judge gives (mode collapse shows here)
    legibility ratio  = confident share of the samples / confident share of the real digits

The judge is a small CNN (conv 3x3 16 -> pool -> conv 3x3 32 -> pool -> linear 11) trained here with
Adam for two epochs: about 97 % test accuracy in ~20 s of one CPU thread. Its eleventh label is
"not a digit", learnt from noise, shuffled pixels and overlaid pairs of digits (``not_digits``):
without it the network calls pixel noise an 8 with confidence (22 % of uniform noise images above
0.9), and an unfinished generator's noisy samples pass.
"""

from __future__ import annotations

import numpy as np

import glassgrad as gg
from glassgrad import nn
from glassgrad.nn import functional as F
from glassgrad.optim import Adam

NOT_A_DIGIT = 10  # the judge's eleventh label


class JudgeCNN(nn.Module):
    """(N, 1, 28, 28) pixels in [0, 1] -> (N, 11) logits: the ten digits and "not a digit"."""

    def __init__(self, rng: np.random.Generator | None = None) -> None:
        super().__init__()
        self.c1 = nn.Conv2d(1, 16, 3, padding=1, rng=rng)  # 28 x 28, then pooled to 14 x 14
        self.c2 = nn.Conv2d(16, 32, 3, padding=1, rng=rng)  # 14 x 14, then pooled to 7 x 7
        self.out = nn.Linear(32 * 7 * 7, 11, rng=rng)

    def forward(self, x: gg.Tensor) -> gg.Tensor:
        h = F.max_pool2d(self.c1(x * 2.0 - 1.0).relu(), 2)  # centred pixels
        h = F.max_pool2d(self.c2(h).relu(), 2)
        return self.out(h.reshape(x.shape[0], -1))


def not_digits(x: np.ndarray, n: int, rng: np.random.Generator) -> np.ndarray:
    """n images that are not digits, made from the digits x (N, 1, 28, 28): a third each of pixel noise
    (uniform, of random brightness), a digit's pixels shuffled (its ink, no strokes) and two digits
    overlaid (strokes, but no one digit). A classifier trained on digits alone gives noise and
    blends confident digit labels, which is how an unfinished generator's samples fool it."""
    third = n // 3
    noise = rng.uniform(size=(third, *x.shape[1:])) * rng.uniform(0.2, 1.0, size=(third, 1, 1, 1))
    picked = x[rng.integers(0, len(x), third)].reshape(third, -1)
    shuffled = np.take_along_axis(picked, rng.random(picked.shape).argsort(axis=1), axis=1).reshape(-1, *x.shape[1:])
    a, b = x[rng.integers(0, len(x), n - 2 * third)], x[rng.integers(0, len(x), n - 2 * third)]
    overlaid = np.maximum(a, b)
    return np.concatenate([noise, shuffled, overlaid]).astype(np.float32)


def with_speckle(x: np.ndarray, rng: np.random.Generator, share: float = 0.3, most: float = 0.4) -> np.ndarray:
    """x with Gaussian pixel noise (std up to ``most``, clipped to [0, 1]) on a random ``share`` of the
    images: a digit under noise is still a digit, so noise alone cannot be what says "not a digit"."""
    noisy = rng.random(len(x)) < share
    std = rng.uniform(0.0, most, size=(len(x), 1, 1, 1)) * noisy[:, None, None, None]
    return np.clip(x + std * rng.standard_normal(x.shape), 0.0, 1.0).astype(np.float32)


def train_judge_cnn(x: np.ndarray, y: np.ndarray, rng: np.random.Generator, epochs: int = 1,
                    batch_size: int = 64, lr: float = 2e-3) -> JudgeCNN:
    """A JudgeCNN fitted to images x (N, 1, 28, 28) in [0, 1] with labels y (N,), one "not a digit"
    image (``not_digits``) added for every ten digits, some digits under pixel noise (``with_speckle``)."""
    model = JudgeCNN(rng)
    opt = Adam(model.parameters(), lr=lr)
    model.train()
    extra = max(1, batch_size // 10)
    for _ in range(epochs):
        order = rng.permutation(len(x))
        for i in range(0, len(order), batch_size):
            idx = order[i:i + batch_size]
            digits = with_speckle(x[idx], rng)
            images = np.concatenate([digits, not_digits(x, extra, rng)])
            labels = np.concatenate([y[idx], np.full(extra, NOT_A_DIGIT)]).astype(np.int64)
            loss = F.cross_entropy(model(gg.tensor(images)), gg.tensor(labels))
            opt.zero_grad()
            loss.backward()
            opt.step()
    return model


def probabilities(judge: nn.Module, images: np.ndarray) -> np.ndarray:
    """p(k | x) for images (N, 1, 28, 28) in [0, 1]: (N, 11), the last column "not a digit"."""
    judge.eval()
    with gg.no_grad():
        return np.concatenate([F.softmax(judge(gg.tensor(images[i:i + 500])), dim=1).numpy()
                               for i in range(0, len(images), 500)])


def verdict(judge: nn.Module, images: np.ndarray, threshold: float = 0.9) -> dict:
    """The judge's confident share, mean confidence and label spread on images in [0, 1]."""
    probs = probabilities(judge, images)
    digits = probs[:, :NOT_A_DIGIT]
    confidence, labels = digits.max(1), digits.argmax(1)  # the most likely digit and its probability
    counts = np.bincount(labels, minlength=NOT_A_DIGIT)
    return {"confident_share": float((confidence > threshold).mean()),
            "mean_confidence": float(confidence.mean()),
            "not_a_digit_share": float((probs.argmax(1) == NOT_A_DIGIT).mean()),
            "classes_present": int((counts > 0).sum()),
            "class_counts": counts.tolist()}


def judge_against_real(judge: nn.Module, samples: np.ndarray, real: np.ndarray, real_labels: np.ndarray) -> dict:
    """The verdict on the samples and on held-out real digits, and the legibility ratio between them."""
    on_samples, on_real = verdict(judge, samples), verdict(judge, real)
    accuracy = float((probabilities(judge, real).argmax(1) == real_labels).mean())  # "not a digit" counts wrong
    return {"confident_share": on_samples["confident_share"],
            "mean_confidence": on_samples["mean_confidence"],
            "classes_present": on_samples["classes_present"],
            "class_counts": on_samples["class_counts"],
            "not_a_digit_share": on_samples["not_a_digit_share"],
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
