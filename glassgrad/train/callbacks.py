"""Callbacks: code the training loop calls at fixed points.

Hooks, in the order ``fit`` calls them::

    on_train_begin(logs)
      on_epoch_begin(epoch, logs)
        on_batch_begin(batch, logs)  ->  on_batch_end(batch, logs)    (per batch)
      on_epoch_end(epoch, logs)      (logs: loss, metrics, val_*, lr)
    on_train_end(logs)

Before training, ``fit`` binds each callback to the shared ``LoopState``
(``callback.state``: model, optimizer, history, ``stop_training`` flag).
"""

from __future__ import annotations

import copy
import csv
import math
import os
import string
import warnings
from pathlib import Path
from typing import Any

import numpy as np


class LoopState:
    """What the loop shares with callbacks."""

    def __init__(self, model: Any, optimizer: Any, history: Any, epochs: int) -> None:
        self.model, self.optimizer, self.history, self.epochs = model, optimizer, history, epochs
        self.stop_training = False
        self.epoch = 0
        self.initial_epoch = 0
        self.log_keys: set[str] | None = None  # the keys each epoch's logs will hold (None: unknown)

    def check_log_key(self, key: str, who: str) -> None:
        """Refuse, before training starts, a callback that will look for a quantity never logged."""
        if self.log_keys is not None and key not in self.log_keys and key != "epoch":
            hint = "; pass validation data for val_* quantities" if key.startswith("val_") else ""
            raise ValueError(f"{who}: {key!r} will not be in the logs, which hold {sorted(self.log_keys)}{hint}")


class Callback:
    """Base class: every hook does nothing."""

    state: LoopState

    def set_state(self, state: LoopState) -> None:
        self.state = state

    @property
    def model(self) -> Any:
        return self.state.model

    @property
    def optimizer(self) -> Any:
        return self.state.optimizer

    def on_train_begin(self, logs: dict[str, float]) -> None: ...
    def on_train_end(self, logs: dict[str, float]) -> None: ...
    def on_epoch_begin(self, epoch: int, logs: dict[str, float]) -> None: ...
    def on_epoch_end(self, epoch: int, logs: dict[str, float]) -> None: ...
    def on_batch_begin(self, batch: int, logs: dict[str, float]) -> None: ...
    def on_batch_end(self, batch: int, logs: dict[str, float]) -> None: ...


def _resolve_mode(mode: str, monitor: str) -> str:
    if mode not in ("auto", "min", "max"):
        raise ValueError(f"mode must be 'auto', 'min' or 'max', got {mode!r}")
    if mode == "auto":
        return "max" if "acc" in monitor else "min"
    return mode


class _Monitor:
    """Tracks the best value of a logged quantity."""

    def __init__(self, monitor: str, mode: str, min_delta: float) -> None:
        self.monitor, self.mode, self.min_delta = monitor, _resolve_mode(mode, monitor), abs(min_delta)
        self.best = math.inf if self.mode == "min" else -math.inf

    def value(self, logs: dict[str, float]) -> float:
        if self.monitor not in logs:
            raise KeyError(f"monitored quantity {self.monitor!r} is not in the logs {sorted(logs)}; "
                           "pass validation data for val_* quantities")
        return float(logs[self.monitor])

    def improved(self, value: float) -> bool:
        if math.isnan(value):
            return False
        if self.mode == "min":
            return value < self.best - self.min_delta
        return value > self.best + self.min_delta


class EarlyStopping(Callback):
    """Stop when ``monitor`` has not improved by ``min_delta`` for ``patience`` epochs.

    Args:
        monitor: a logs key, e.g. ``"val_loss"`` (default) or ``"val_accuracy"``.
        patience: epochs without improvement to tolerate.
        min_delta: smallest change that counts as an improvement.
        mode: 'min', 'max' or 'auto' (max for names containing 'acc').
        restore_best_weights: load the best epoch's weights back when stopping.
    """

    def __init__(self, monitor: str = "val_loss", patience: int = 5, min_delta: float = 0.0, mode: str = "auto",
                 restore_best_weights: bool = False) -> None:
        self.tracker = _Monitor(monitor, mode, min_delta)
        self.patience, self.restore_best_weights = patience, restore_best_weights
        self.wait = 0
        self.best_epoch: int | None = None
        self.stopped_epoch: int | None = None
        self._best_state: dict[str, np.ndarray] | None = None

    def on_train_begin(self, logs: dict[str, float]) -> None:
        self.state.check_log_key(self.tracker.monitor, "EarlyStopping(monitor=...)")
        self.tracker.best = math.inf if self.tracker.mode == "min" else -math.inf
        self.wait, self.best_epoch, self.stopped_epoch, self._best_state = 0, None, None, None

    def on_epoch_end(self, epoch: int, logs: dict[str, float]) -> None:
        value = self.tracker.value(logs)
        if self.tracker.improved(value):
            self.tracker.best, self.best_epoch, self.wait = value, epoch, 0
            if self.restore_best_weights:
                self._best_state = copy.deepcopy(self.model.state_dict())
            return
        self.wait += 1
        if self.wait >= self.patience:
            self.stopped_epoch = epoch
            self.state.stop_training = True
            if self.restore_best_weights and self._best_state is not None:
                self.model.load_state_dict(self._best_state)


class ModelCheckpoint(Callback):
    """Save the model (and optimizer) with ``glassgrad.save`` at epoch ends.

    Args:
        path: file to write; ``{epoch}`` and any logs key may appear in it as
            format fields, e.g. ``"ckpt-{epoch:02d}-{val_loss:.3f}.npz"``.
        monitor: quantity deciding "best" (default ``"val_loss"``).
        save_best_only: write only when ``monitor`` improves (default True).
        mode: 'min', 'max' or 'auto'.
        include_optimizer: also store ``optimizer.state_dict()``.

    The file holds ``{"model": ..., "optimizer": ..., "epoch": e, monitor: value}``. Weights
    holding a NaN or an infinity are never written (a warning says so), so a good checkpoint
    is never replaced by a broken one. The file name's fields and ``monitor`` are checked
    against what will be logged before training starts.
    """

    def __init__(self, path: str | os.PathLike, monitor: str = "val_loss", save_best_only: bool = True,
                 mode: str = "auto", include_optimizer: bool = True) -> None:
        self.path = str(path)
        self.tracker = _Monitor(monitor, mode, 0.0)
        self.save_best_only, self.include_optimizer = save_best_only, include_optimizer
        self.saved: list[Path] = []

    def on_train_begin(self, logs: dict[str, float]) -> None:
        fields = [name for _, name, _, _ in string.Formatter().parse(self.path) if name]
        for name in fields:
            self.state.check_log_key(name.split(".")[0].split("[")[0], f"ModelCheckpoint path {self.path!r}")
        if self.save_best_only:
            self.state.check_log_key(self.tracker.monitor, "ModelCheckpoint(monitor=...)")

    def on_epoch_end(self, epoch: int, logs: dict[str, float]) -> None:
        from glassgrad.io import save

        if not _weights_finite(self.model):
            warnings.warn(f"ModelCheckpoint: epoch {epoch}'s weights hold NaN or inf; not saved",
                          RuntimeWarning, stacklevel=2)
            return
        if self.save_best_only:
            value = self.tracker.value(logs)
            if not self.tracker.improved(value):
                return
            self.tracker.best = value
        content: dict[str, Any] = {"model": self.model.state_dict(), "epoch": epoch, **logs}
        if self.include_optimizer and hasattr(self.optimizer, "state_dict"):
            content["optimizer"] = self.optimizer.state_dict()
        path = Path(self.path.format(epoch=epoch, **logs))
        self.saved.append(save(content, path))


def _weights_finite(model: Any) -> bool:
    params = getattr(model, "parameters", None)
    return params is None or all(bool(np.isfinite(np.asarray(p.array)).all()) for p in params())


class LRSchedulerCallback(Callback):
    """Step a learning-rate scheduler each epoch (default) or each batch.

    A scheduler whose ``step`` takes a metric (reduce-on-plateau) gets
    ``logs[monitor]`` when ``monitor`` is given.
    """

    def __init__(self, scheduler: Any, per: str = "epoch", monitor: str | None = None) -> None:
        if per not in ("epoch", "batch"):
            raise ValueError(f"LRSchedulerCallback: per must be 'epoch' or 'batch', got {per!r}")
        self.scheduler, self.per, self.monitor = scheduler, per, monitor

    def _step(self, logs: dict[str, float]) -> None:
        if self.monitor is not None:
            self.scheduler.step(logs[self.monitor])
        else:
            self.scheduler.step()

    def on_batch_end(self, batch: int, logs: dict[str, float]) -> None:
        if self.per == "batch":
            self._step(logs)

    def on_epoch_end(self, epoch: int, logs: dict[str, float]) -> None:
        if self.per == "epoch":
            self._step(logs)


class CSVLogger(Callback):
    """Write each epoch's logs as a CSV row (a header first).

    Args:
        path: the CSV file.
        append: keep the rows already in the file and add to them. The default (None)
            appends when training resumes (``fit(initial_epoch > 0)``) and starts a new
            file otherwise, so resuming never loses the earlier epochs.
    """

    def __init__(self, path: str | os.PathLike, append: bool | None = None) -> None:
        self.path = Path(path)
        self.append = append
        self._columns: list[str] | None = None

    def on_train_begin(self, logs: dict[str, float]) -> None:
        self._columns = None
        self.path.parent.mkdir(parents=True, exist_ok=True)
        append = self.append if self.append is not None else getattr(self.state, "initial_epoch", 0) > 0
        if append and self.path.exists() and self.path.stat().st_size:
            with self.path.open(newline="") as handle:
                header = next(csv.reader(handle), None)
            self._columns = header[1:] if header else None
        elif not append or not self.path.exists():
            self.path.write_text("")

    def on_epoch_end(self, epoch: int, logs: dict[str, float]) -> None:
        with self.path.open("a", newline="") as handle:
            writer = csv.writer(handle)
            if self._columns is None:
                self._columns = list(logs)
                writer.writerow(["epoch", *self._columns])
            writer.writerow([epoch, *(logs.get(c, "") for c in self._columns)])


class TerminateOnNaN(Callback):
    """Stop as soon as a batch loss (or gradient) is NaN or infinite.

    ``fit`` checks every batch before the optimizer step; with this callback it ends
    training quietly at the first bad batch, and that batch's step is never applied.
    """

    def on_batch_end(self, batch: int, logs: dict[str, float]) -> None:
        loss = logs.get("loss")
        if loss is not None and not math.isfinite(loss):
            self.state.stop_training = True


class LambdaCallback(Callback):
    """A callback from functions: ``LambdaCallback(on_epoch_end=lambda epoch, logs: ...)``."""

    def __init__(self, **hooks: Any) -> None:
        names = {"on_train_begin", "on_train_end", "on_epoch_begin", "on_epoch_end", "on_batch_begin",
                 "on_batch_end"}
        unknown = set(hooks) - names
        if unknown:
            raise ValueError(f"LambdaCallback: unknown hooks {sorted(unknown)}")
        for name, fn in hooks.items():
            setattr(self, name, fn)
