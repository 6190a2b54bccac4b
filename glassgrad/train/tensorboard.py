"""The TensorBoard callback: what ``fit`` logs, written for TensorBoard as Keras's callback writes it.

    fit(model, x, y, ..., validation_data=(xv, yv), callbacks=[TensorBoard("logs/run1")])
    # then: tensorboard --logdir logs

Layout (Keras's): two runs under ``log_dir``, ``train`` and ``validation``. Each epoch's ``loss`` and
metrics go to ``train`` as ``epoch_loss``, ``epoch_accuracy``...; their ``val_*`` twins go to
``validation`` under the same tags, so TensorBoard draws the training and validation curves of a
metric in one chart. The learning rate (``lr`` in the logs) is ``epoch_learning_rate``. The step is
the epoch (0-based). Written through ``glassgrad.utils.tensorboard.SummaryWriter`` (needs the
``tensorboard`` package: ``pip install glassgrad[tensorboard]``).
"""

from __future__ import annotations

import os
from typing import Any

from glassgrad.train.callbacks import Callback

KERAS_NAMES = {"lr": "learning_rate"}  # logs key -> the name Keras gives it in TensorBoard


class TensorBoard(Callback):
    """Log each epoch's logs (the History's metrics) to TensorBoard event files.

    Args:
        log_dir: the root folder; ``train`` and ``validation`` runs go inside (default ``"logs"``, Keras's).
        histogram_freq: every this many epochs, also a histogram of each parameter, tagged by its
            name in ``model.named_parameters()`` (0: never).
        update_freq: ``"epoch"`` (the default), or N: also log the batch logs every N batches as
            ``batch_loss``..., stepped by the number of batches trained so far.
    """

    def __init__(self, log_dir: str | os.PathLike = "logs", histogram_freq: int = 0,
                 update_freq: str | int = "epoch") -> None:
        from glassgrad.utils import tensorboard  # the clear ImportError naming the extra, at once

        self._writer_class = tensorboard.SummaryWriter
        if update_freq != "epoch" and (isinstance(update_freq, bool) or not isinstance(update_freq, int)
                                       or update_freq <= 0):
            raise ValueError(f"TensorBoard: update_freq must be 'epoch' or a positive int, got {update_freq!r}")
        if isinstance(histogram_freq, bool) or not isinstance(histogram_freq, int) or histogram_freq < 0:
            raise ValueError(f"TensorBoard: histogram_freq must be a non-negative int, got {histogram_freq!r}")
        self.log_dir, self.histogram_freq, self.update_freq = os.fspath(log_dir), histogram_freq, update_freq
        self._writers: dict[str, Any] = {}
        self._batches = 0

    def _writer(self, run: str) -> Any:
        if run not in self._writers:
            self._writers[run] = self._writer_class(os.path.join(self.log_dir, run))
        return self._writers[run]

    def on_train_begin(self, logs: dict[str, float]) -> None:
        self._batches = 0

    def on_batch_end(self, batch: int, logs: dict[str, float]) -> None:
        self._batches += 1
        if self.update_freq != "epoch" and self._batches % self.update_freq == 0:
            for name, value in logs.items():
                self._writer("train").add_scalar(f"batch_{name}", value, self._batches)

    def on_epoch_end(self, epoch: int, logs: dict[str, float]) -> None:
        for key, value in logs.items():
            run, name = ("validation", key[len("val_"):]) if key.startswith("val_") else ("train", key)
            self._writer(run).add_scalar(f"epoch_{KERAS_NAMES.get(name, name)}", value, epoch)
        if self.histogram_freq and epoch % self.histogram_freq == 0:
            for name, parameter in self.model.named_parameters():
                self._writer("train").add_histogram(name, parameter, epoch)
        for writer in self._writers.values():
            writer.flush()  # TensorBoard shows the epoch now, not at the next timed flush

    def on_train_end(self, logs: dict[str, float]) -> None:
        for writer in self._writers.values():
            writer.close()
        self._writers = {}
