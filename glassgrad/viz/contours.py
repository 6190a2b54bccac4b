"""Decision contours of a 2-D classifier: the model's output over a square grid.

``decision_grid`` evaluates a model on every point of a grid (default the
unit square at step 0.01: 101 x 101 points) without recording a graph;
``plot_contours`` draws one or more such maps side by side as filled
contours, with the 0.5 level (the decision boundary of a probability output)
as a line and the training points on top, and writes a PNG.

matplotlib is imported only inside ``plot_contours`` and only its
object-oriented API is used (``matplotlib.figure.Figure``), so no global
pyplot state and no display are needed.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

__all__ = ["ContourPanel", "decision_grid", "plot_contours"]


def decision_grid(predict: Callable[[np.ndarray], Any], low: float = 0.0, high: float = 1.0,
                  step: float = 0.01) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Evaluate ``predict`` on a square grid.

    Args:
        predict: maps points of shape (P, 2) to P outputs (a Tensor, an array or a list).
        low, high: the square's corners; both ends are included.
        step: the grid spacing.

    Returns:
        ``(xs, ys, z)``: the axis coordinates, each (G,), and the outputs (G, G)
        with ``z[i, j] = predict([xs[j], ys[i]])`` (rows follow y, as contour plots expect).
    """
    if step <= 0 or high <= low:
        raise ValueError(f"decision_grid: need step > 0 and high > low, got step={step}, low={low}, high={high}")
    count = int(round((high - low) / step)) + 1
    xs = np.linspace(low, high, count)
    ys = np.linspace(low, high, count)
    gx, gy = np.meshgrid(xs, ys)  # (G, G) each
    points = np.stack([gx.ravel(), gy.ravel()], axis=1).astype(np.float32)  # (G*G, 2)
    from glassgrad.autograd import no_grad

    with no_grad():
        out = predict(points)
    z = np.asarray(out.numpy() if hasattr(out, "numpy") else out, dtype=np.float64)
    if z.size != points.shape[0]:
        raise ValueError(f"decision_grid: predict returned {z.size} values for {points.shape[0]} points")
    return xs, ys, z.reshape(count, count)


@dataclass
class ContourPanel:
    """One map to draw.

    Attributes:
        z: outputs on the grid, (G, G) as returned by ``decision_grid``.
        xs, ys: the grid's axis coordinates, (G,) each.
        title: text above the panel.
        points: training inputs to overlay, (N, 2), or None.
        labels: their 0/1 targets, (N,), used to colour them.
    """

    z: np.ndarray
    xs: np.ndarray
    ys: np.ndarray
    title: str = ""
    points: np.ndarray | None = None
    labels: np.ndarray | None = None


def plot_contours(panels: Sequence[ContourPanel], path: str | Path, ncols: int | None = None,
                  suptitle: str = "", vmin: float = 0.0, vmax: float = 1.0, dpi: int = 100) -> Path:
    """Draw the panels in a grid (``ncols`` per row, default all in one row) and save a PNG.

    Each panel shows the output as filled contours between ``vmin`` and
    ``vmax`` (0..1 for a probability), the 0.5 level as a black line, and the
    training points as circles coloured by target.

    Returns:
        The path written.
    """
    from matplotlib.figure import Figure

    if not panels:
        raise ValueError("plot_contours: no panels to draw")
    ncols = ncols or len(panels)
    nrows = -(-len(panels) // ncols)
    fig = Figure(figsize=(2.6 * ncols + 1.0, 2.8 * nrows + (0.4 if suptitle else 0.0)))
    axes = np.atleast_1d(fig.subplots(nrows, ncols, squeeze=False)).ravel()
    levels = np.linspace(vmin, vmax, 21)
    image = None
    for ax, panel in zip(axes, panels):
        z = np.clip(panel.z, vmin, vmax)
        image = ax.contourf(panel.xs, panel.ys, z, levels=levels, cmap="RdBu_r", vmin=vmin, vmax=vmax)
        if z.min() < 0.5 < z.max() and z.max() - z.min() > 0.05:  # skip the noise of a flat ~0.5 map
            ax.contour(panel.xs, panel.ys, z, levels=[0.5], colors="black", linewidths=1.5)
        if panel.points is not None:
            colours = ["white" if t < 0.5 else "black" for t in (panel.labels if panel.labels is not None
                                                                 else np.zeros(len(panel.points)))]
            ax.scatter(panel.points[:, 0], panel.points[:, 1], c=colours, edgecolors="black", s=60, zorder=3,
                       clip_on=False)
        ax.set_title(panel.title, fontsize=9)
        ax.set_aspect("equal")
        ax.set_xticks([panel.xs[0], panel.xs[-1]])
        ax.set_yticks([panel.ys[0], panel.ys[-1]])
    for ax in axes[len(panels):]:
        ax.set_visible(False)
    fig.subplots_adjust(left=0.04, right=0.9, bottom=0.06, top=0.86 if suptitle else 0.92, wspace=0.25,
                        hspace=0.35)
    if image is not None:
        fig.colorbar(image, cax=fig.add_axes((0.92, 0.15, 0.015, 0.7)), label="output")
    if suptitle:
        fig.suptitle(suptitle)
    out = Path(path)
    out.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(out, dpi=dpi)
    return out

