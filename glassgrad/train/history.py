"""History: what ``fit`` returns — per-epoch loss and metrics, train and validation."""

from __future__ import annotations

import csv
import math
import os
from pathlib import Path
from typing import Any


class History:
    """Per-epoch logs.

    Attributes:
        epoch: the epoch indices recorded (0-based).
        history: name -> list of per-epoch values, e.g. ``history["loss"]``,
            ``history["val_accuracy"]``, ``history["lr"]`` (Keras's layout).
    """

    def __init__(self) -> None:
        self.epoch: list[int] = []
        self.history: dict[str, list[float]] = {}

    def append(self, epoch: int, logs: dict[str, float]) -> None:
        """Record one epoch's logs; a name missing in earlier epochs is padded with NaN."""
        self.epoch.append(epoch)
        for name, value in logs.items():
            column = self.history.setdefault(name, [math.nan] * (len(self.epoch) - 1))
            column.append(float(value))
        for column in self.history.values():
            if len(column) < len(self.epoch):
                column.append(math.nan)

    def __getitem__(self, name: str) -> list[float]:
        return self.history[name]

    def __contains__(self, name: str) -> bool:
        return name in self.history

    def __len__(self) -> int:
        return len(self.epoch)

    def last(self, name: str) -> float:
        """The most recent value of ``name``."""
        return self.history[name][-1]

    def best(self, name: str, mode: str = "auto") -> tuple[int, float]:
        """(epoch, value) of the best value; mode 'min', 'max' or 'auto' (max for accuracy-like names)."""
        values = self.history[name]
        if mode == "auto":
            mode = "max" if "acc" in name else "min"
        candidates = [(v, e) for e, v in zip(self.epoch, values) if not math.isnan(v)]
        if not candidates:
            raise ValueError(f"History.best: no finite values of {name!r}")
        sign = -1.0 if mode == "max" else 1.0
        value, epoch = min(candidates, key=lambda ve: (sign * ve[0], ve[1]))  # first epoch among ties
        return epoch, value

    def to_dict(self) -> dict[str, Any]:
        return {"epoch": list(self.epoch), **{k: list(v) for k, v in self.history.items()}}

    def to_csv(self, path: str | os.PathLike) -> Path:
        path = Path(path)
        names = list(self.history)
        with path.open("w", newline="") as handle:
            writer = csv.writer(handle)
            writer.writerow(["epoch", *names])
            for i, epoch in enumerate(self.epoch):
                writer.writerow([epoch, *(self.history[n][i] for n in names)])
        return path

    def plot(self, path: str | os.PathLike, title: str | None = None) -> Path:
        """Loss (and each metric) per epoch, train and validation, as a PNG (needs matplotlib)."""
        from glassgrad.viz.curves import plot_history

        return plot_history(self, path, title=title)

    def __repr__(self) -> str:
        last = ", ".join(f"{k}={v[-1]:.4g}" for k, v in self.history.items() if v)
        return f"History({len(self)} epochs; {last})"
