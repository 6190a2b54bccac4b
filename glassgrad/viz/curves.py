"""Training curves: loss and metrics per epoch, train and validation, as a PNG.

matplotlib is imported only when a figure is drawn, through its
object-oriented API (``matplotlib.figure.Figure`` + the Agg canvas), so no
display and no global pyplot state are involved.
"""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any


def _figure(n_panels: int, width: float = 4.5, height: float = 3.4) -> tuple[Any, list[Any]]:
    from matplotlib.figure import Figure

    fig = Figure(figsize=(width * n_panels, height), layout="constrained")
    axes = fig.subplots(1, n_panels, squeeze=False)[0]
    return fig, list(axes)


def _series(history: Any) -> tuple[list[int], dict[str, list[float]]]:
    if hasattr(history, "history"):
        return list(history.epoch), dict(history.history)
    data = dict(history)
    epochs = data.pop("epoch", None) or list(range(len(next(iter(data.values()), []))))
    return list(epochs), data


def plot_history(history: Any, path: str | os.PathLike, title: str | None = None,
                 names: Sequence[str] | None = None) -> Path:
    """One panel per quantity (loss first, then metrics), train and ``val_`` curves together.

    Args:
        history: a ``History`` or a dict ``{"loss": [...], "val_loss": [...], ...}``.
        path: PNG file to write.
        names: the base quantities to draw (default: every non-``val_`` key but ``lr``).
    """
    epochs, series = _series(history)
    if names is None:
        names = [k for k in series if not k.startswith("val_") and k != "lr"]
        names += [k[4:] for k in series if k.startswith("val_") and k[4:] not in names]
    if not names:
        raise ValueError("plot_history: nothing to plot")
    fig, axes = _figure(len(names))
    for ax, name in zip(axes, names):
        x = [e + 1 for e in epochs]
        if name in series:
            ax.plot(x, series[name], label="train", marker="o" if len(x) < 30 else None, ms=3)
        if f"val_{name}" in series:
            ax.plot(x, series[f"val_{name}"], label="validation", marker="o" if len(x) < 30 else None, ms=3)
        ax.set_xlabel("epoch")
        ax.set_ylabel(name)
        if name == "loss" and all(v > 0 for v in series.get("loss", [1.0]) if v == v):
            ax.set_yscale("log")
        ax.grid(True, alpha=0.3)
        ax.legend()
    if title:
        fig.suptitle(title)
    return _save(fig, path)


def plot_curves(curves: Mapping[str, Sequence[float]], path: str | os.PathLike, *, xlabel: str = "epoch",
                ylabel: str = "loss", title: str | None = None, log_y: bool = False) -> Path:
    """Several named curves on one axis (e.g. one loss curve per run of a grid)."""
    fig, (ax,) = _figure(1, width=6.0, height=4.0)
    for label, values in curves.items():
        ax.plot(range(1, len(values) + 1), values, label=label)
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    if log_y:
        ax.set_yscale("log")
    if title:
        ax.set_title(title)
    ax.grid(True, alpha=0.3)
    if len(curves) <= 12:
        ax.legend(fontsize="small")
    else:
        ax.legend(fontsize="xx-small", ncol=2)
    return _save(fig, path)


def _save(fig: Any, path: str | os.PathLike) -> Path:
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    FigureCanvasAgg(fig)
    fig.savefig(path, dpi=100)
    return path
