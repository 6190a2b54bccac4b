"""Figure grids the experiments draw (matplotlib's Agg canvas: no display needed)."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import numpy as np


def _figure(width: float, height: float):  # noqa: ANN202 (a matplotlib Figure)
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    fig = Figure(figsize=(width, height))
    FigureCanvasAgg(fig)
    return fig


def image_rows(rows: Sequence[np.ndarray], path: Path, titles: Sequence[str] | None = None,
               scale: float = 1.0) -> None:
    """Save rows of (n, 28, 28) images in [0, 1] as one PNG (one image row per array, a title on its left)."""
    n = max(len(r) for r in rows)
    fig = _figure(n * 0.6 * scale, len(rows) * 0.65 * scale)
    for i, row in enumerate(rows):
        for j, img in enumerate(row):
            ax = fig.add_subplot(len(rows), n, i * n + j + 1)
            ax.imshow(np.asarray(img).reshape(28, 28), cmap="gray", vmin=0, vmax=1)
            ax.set_axis_off()
            if titles and j == 0:
                ax.set_title(titles[i], fontsize=7, loc="left")
    fig.tight_layout(pad=0.2)
    fig.savefig(path, dpi=100)


def panel_grid(images: Sequence[np.ndarray], path: Path, title: str, *, ncols: int = 5,
               labels: Sequence[str] | None = None, overlays: Sequence[np.ndarray | None] | None = None,
               cmap: str = "gray", shared_scale: bool = False, panel_size: tuple[float, float] = (2.2, 2.4)) -> None:
    """One panel per image, in a grid of ``ncols`` columns, each titled by ``labels``.

    ``shared_scale``: one symmetric colour scale (-m, m) for all panels (m = the largest |value|),
    else each panel on its own. ``overlays``: a heat map drawn over each image (red +, blue -),
    each on its own symmetric scale, whose largest |value| is added to the panel's title.
    """
    ncols = min(ncols, len(images))
    nrows = -(-len(images) // ncols)
    fig = _figure(panel_size[0] * ncols, panel_size[1] * nrows + 0.4)
    axes = fig.subplots(nrows, ncols, squeeze=False)
    vmax_all = (float(np.abs(np.asarray(images)).max()) or 1.0) if shared_scale else 1.0
    for ax in axes.ravel():
        ax.axis("off")
    for k, (ax, image) in enumerate(zip(axes.ravel(), images)):
        label = labels[k] if labels else str(k)
        if shared_scale:
            ax.imshow(image, cmap=cmap, vmin=-vmax_all, vmax=vmax_all)
        else:
            ax.imshow(image, cmap=cmap)
        heat = overlays[k] if overlays is not None else None
        if heat is not None:
            vmax = float(np.abs(heat).max()) or 1.0
            ax.imshow(heat, cmap="RdBu_r", vmin=-vmax, vmax=vmax, alpha=0.6)
            label = f"{label}, max {vmax:.2f}"
        ax.set_title(label, fontsize=8 if overlays is not None else 7)
    fig.suptitle(title, fontsize=10)
    fig.subplots_adjust(left=0.02, right=0.98, bottom=0.02, top=1 - 0.5 / (panel_size[1] * nrows + 0.4),
                        wspace=0.1, hspace=0.35)
    fig.savefig(path, dpi=110)
