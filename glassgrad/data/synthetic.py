"""Small data sets generated on the spot: no files, no network.

- ``spirals``: interleaved 2-D spirals (the README demo's problem);
- ``blobs``: Gaussian clusters, linearly separable-ish;
- ``digits``: 28x28 seven-segment style digits rendered with random position,
  size, slant, stroke width and noise — an offline stand-in for MNIST in
  smoke runs (same shapes and dtypes: (N, 28, 28) float32 in [0, 1], labels int64).
"""

from __future__ import annotations

import numpy as np

from glassgrad.random import resolve_rng


def spirals(points_per_class: int = 100, classes: int = 3, noise: float = 0.2,
            rng: np.random.Generator | None = None) -> tuple[np.ndarray, np.ndarray]:
    """``classes`` spiral arms in the unit disc.

    Returns:
        x (classes * points_per_class, 2) float32, y (same N,) int64.
    """
    rng = resolve_rng(rng)
    xs, ys = [], []
    for c in range(classes):
        r = np.linspace(0.0, 1.0, points_per_class)
        t = np.linspace(c * 4, (c + 1) * 4, points_per_class) + rng.normal(0, noise, points_per_class)
        xs.append(np.stack([r * np.sin(t), r * np.cos(t)], axis=1))
        ys.append(np.full(points_per_class, c, dtype=np.int64))
    return np.concatenate(xs).astype(np.float32), np.concatenate(ys)


def blobs(n: int = 300, classes: int = 3, dim: int = 2, spread: float = 0.5,
          rng: np.random.Generator | None = None) -> tuple[np.ndarray, np.ndarray]:
    """Gaussian clusters around random centres in [-2, 2]^dim; x (n, dim) float32, y (n,) int64."""
    rng = resolve_rng(rng)
    centres = rng.uniform(-2, 2, size=(classes, dim))
    y = rng.integers(0, classes, size=n)
    x = centres[y] + spread * rng.normal(size=(n, dim))
    return x.astype(np.float32), y.astype(np.int64)


# Segment end points in a unit box (x right, y down): top, upper-left, upper-right,
# middle, lower-left, lower-right, bottom.
_SEGMENTS = np.array([
    [[0, 0], [1, 0]], [[0, 0], [0, 1]], [[1, 0], [1, 1]], [[0, 1], [1, 1]],
    [[0, 1], [0, 2]], [[1, 1], [1, 2]], [[0, 2], [1, 2]],
], dtype=np.float64) / np.array([1.0, 2.0])        # box 1 wide, 1 tall
_DIGIT_SEGMENTS = (
    (0, 1, 2, 4, 5, 6), (2, 5), (0, 2, 3, 4, 6), (0, 2, 3, 5, 6), (1, 2, 3, 5),
    (0, 1, 3, 5, 6), (0, 1, 3, 4, 5, 6), (0, 2, 5), (0, 1, 2, 3, 4, 5, 6), (0, 1, 2, 3, 5, 6),
)


def _segment_distance(points: np.ndarray, a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Distance from each point to segment a-b. points (P, 2); a, b (N, 2) -> (N, P)."""
    ab = b - a                                                   # (N, 2)
    ap = points[None, :, :] - a[:, None, :]                      # (N, P, 2)
    t = np.clip((ap @ ab[:, :, None])[..., 0] / np.maximum((ab * ab).sum(1), 1e-12)[:, None], 0.0, 1.0)
    closest = a[:, None, :] + t[..., None] * ab[:, None, :]      # (N, P, 2)
    return np.sqrt(((points[None] - closest) ** 2).sum(-1))      # (N, P)


def digits(n: int = 1000, size: int = 28, noise: float = 0.05,
           rng: np.random.Generator | None = None) -> tuple[np.ndarray, np.ndarray]:
    """Seven-segment digits 0-9 drawn with random affine jitter and pixel noise.

    Returns:
        images (n, size, size) float32 in [0, 1] (ink = high), labels (n,) int64.
    """
    rng = resolve_rng(rng)
    labels = rng.integers(0, 10, size=n).astype(np.int64)
    scale = rng.uniform(0.45, 0.6, n) * size                     # glyph height in pixels
    width = scale * rng.uniform(0.45, 0.6, n)
    slant = rng.uniform(-0.25, 0.25, n)
    centre = size / 2 + rng.uniform(-2.0, 2.0, (n, 2))
    stroke = rng.uniform(1.0, 1.8, n)
    ys, xs = np.mgrid[0:size, 0:size]
    pixels = np.stack([xs.ravel(), ys.ravel()], axis=1).astype(np.float64) + 0.5  # (P, 2)
    dist = np.full((n, size * size), np.inf)
    for seg_id, (p0, p1) in enumerate(_SEGMENTS):
        members = np.array([seg_id in _DIGIT_SEGMENTS[d] for d in labels])
        if not members.any():
            continue
        ends = []
        for p in (p0, p1):
            u, v = p[0] - 0.5, p[1] - 0.5                        # centred unit coordinates
            x = centre[members, 0] + u * width[members] + slant[members] * (-v) * scale[members]
            y = centre[members, 1] + v * scale[members]
            ends.append(np.stack([x, y], axis=1))
        d = _segment_distance(pixels, ends[0], ends[1])
        dist[members] = np.minimum(dist[members], d)
    ink = np.clip(stroke[:, None] + 0.5 - dist, 0.0, 1.0)
    ink += noise * rng.normal(size=ink.shape)
    images = np.clip(ink, 0.0, 1.0).reshape(n, size, size)
    return images.astype(np.float32), labels
