"""SummaryWriter: torch.utils.tensorboard's writer of TensorBoard event files.

    writer = SummaryWriter()                      # runs/Jan05_14-03-59_myhost/
    for step in range(100):
        writer.add_scalar("Loss/train", loss, step)
    writer.close()                                # then: tensorboard --logdir runs

Each ``add_*`` call builds a ``Summary`` (summaries.py, images.py, hparams.py) and hands it, as an
``Event`` with the step and the wall time, to tensorboard's ``EventFileWriter``, which queues events
and writes them from a background thread: when ``max_queue`` are pending, every ``flush_secs``
seconds, on ``flush()`` and on ``close()``. Writers are opened lazily and reopened after ``close()``.
"""

from __future__ import annotations

import os
import socket
import time
from datetime import datetime
from typing import Any

from tensorboard.compat.proto.event_pb2 import Event, SessionLog
from tensorboard.compat.proto.summary_pb2 import Summary
from tensorboard.summary.writer.event_file_writer import EventFileWriter

from glassgrad.utils.tensorboard import images, summaries
from glassgrad.utils.tensorboard.hparams import hparams_summaries


def default_log_dir(comment: str = "") -> str:
    """``runs/<Mon><DD>_<HH>-<MM>-<SS>_<hostname><comment>``, the folder torch picks when none is given."""
    stamp = datetime.now().strftime("%b%d_%H-%M-%S")
    return os.path.join("runs", f"{stamp}_{socket.gethostname()}{comment}")


class SummaryWriter:
    """Write scalars, histograms, images, text and hyperparameters for TensorBoard.

    Args:
        log_dir: the folder of the event files; default ``runs/<date>_<time>_<hostname><comment>``.
        comment: appended to the default folder's name (ignored when ``log_dir`` is given).
        purge_step: restarting a crashed run at step T: events of this folder at steps >= T
            written before are hidden by TensorBoard.
        max_queue: pending events that force a write to disk.
        flush_secs: seconds between background writes to disk.
        filename_suffix: appended to every event file's name.

    Steps are ``global_step`` (int, optional); ``walltime`` (seconds since the epoch) defaults to now.
    Use as a context manager to close it at the end.
    """

    def __init__(self, log_dir: str | os.PathLike | None = None, comment: str = "", purge_step: int | None = None,
                 max_queue: int = 10, flush_secs: int = 120, filename_suffix: str = "") -> None:
        self.log_dir = os.fspath(log_dir) if log_dir else default_log_dir(comment)
        self.purge_step, self.max_queue, self.flush_secs = purge_step, max_queue, flush_secs
        self.filename_suffix = filename_suffix
        self._writers: dict[str, EventFileWriter] = {}  # folder -> open writer; the main one first
        self._main_writer()

    def get_logdir(self) -> str:
        """The folder the event files go to."""
        return self.log_dir

    # ----- writers --------------------------------------------------------------------------------------
    def _open(self, folder: str) -> EventFileWriter:
        writer = self._writers.get(folder)
        if writer is None:
            writer = EventFileWriter(folder, self.max_queue, self.flush_secs, self.filename_suffix)
            self._writers[folder] = writer
        return writer

    def _main_writer(self) -> EventFileWriter:
        fresh = self.log_dir not in self._writers
        writer = self._open(self.log_dir)
        if fresh and self.purge_step is not None:
            # A START session log at step T tells TensorBoard to drop what this folder holds at steps >= T.
            writer.add_event(Event(step=self.purge_step, file_version="brain.Event:2"))
            writer.add_event(Event(step=self.purge_step, session_log=SessionLog(status=SessionLog.START)))
            self.purge_step = None
        return writer

    @staticmethod
    def _event(summary: Summary, global_step: Any, walltime: float | None) -> Event:
        event = Event(summary=summary, wall_time=time.time() if walltime is None else float(walltime))
        if global_step is not None:
            event.step = int(global_step)
        return event

    def _write(self, summary: Summary, global_step: Any = None, walltime: float | None = None) -> None:
        self._main_writer().add_event(self._event(summary, global_step, walltime))

    # ----- what can be logged -----------------------------------------------------------------------------
    def add_scalar(self, tag: str, scalar_value: Any, global_step: Any = None, walltime: float | None = None,
                   new_style: bool = False, double_precision: bool = False) -> None:
        """One number (a Python number or a one-element tensor) at ``global_step``."""
        self._write(summaries.scalar(tag, scalar_value, new_style, double_precision), global_step, walltime)

    def add_scalars(self, main_tag: str, tag_scalar_dict: dict[str, Any], global_step: Any = None,
                    walltime: float | None = None) -> None:
        """Several numbers drawn in one chart: each goes, tagged ``main_tag``, to its own run in the
        sub-folder ``<log_dir>/<main_tag with / as _>_<tag>``, as torch lays them out."""
        walltime = time.time() if walltime is None else walltime
        self._main_writer()
        for tag, value in tag_scalar_dict.items():
            folder = self.log_dir + "/" + main_tag.replace("/", "_") + "_" + tag
            self._open(folder).add_event(self._event(summaries.scalar(main_tag, value), global_step, walltime))

    def add_histogram(self, tag: str, values: Any, global_step: Any = None, bins: Any = "tensorflow",
                      walltime: float | None = None, max_bins: int | None = None) -> None:
        """A histogram of ``values``; ``bins='tensorflow'`` (TensorFlow's default geometric buckets),
        or anything ``numpy.histogram`` takes as bins ('auto', 'fd', a count, the edges)."""
        if isinstance(bins, str) and bins == "tensorflow":
            bins = summaries.default_bucket_edges()
        self._write(summaries.histogram(tag, values, bins, max_bins), global_step, walltime)

    def add_histogram_raw(self, tag: str, min: float, max: float, num: int, sum: float,  # noqa: A002
                          sum_squares: float, bucket_limits: Any, bucket_counts: Any, global_step: Any = None,
                          walltime: float | None = None) -> None:
        """A histogram already counted: its statistics and, per bucket, the right edge and the count."""
        summary = summaries.histogram_raw(tag, min, max, num, sum, sum_squares, bucket_limits, bucket_counts)
        self._write(summary, global_step, walltime)

    def add_image(self, tag: str, img_tensor: Any, global_step: Any = None, walltime: float | None = None,
                  dataformats: str = "CHW") -> None:
        """One image: (3, H, W) by default; ``dataformats`` 'HWC', 'HW', ... for other layouts.
        Floats are read as 0..1, uint8 as 0..255."""
        self._write(images.image(tag, img_tensor, dataformats), global_step, walltime)

    def add_images(self, tag: str, img_tensor: Any, global_step: Any = None, walltime: float | None = None,
                   dataformats: str = "NCHW") -> None:
        """A batch of images (N, 3, H, W) shown as one grid, 8 per row."""
        self._write(images.image(tag, img_tensor, dataformats), global_step, walltime)

    def add_figure(self, tag: str, figure: Any, global_step: Any = None, close: bool = True,
                   walltime: float | None = None) -> None:
        """A matplotlib figure (or a list of them, as a grid) rendered to an image; closed unless ``close=False``."""
        import numpy as np

        if isinstance(figure, list):
            self.add_image(tag, np.stack([images.figure_to_chw(f, close) for f in figure]), global_step, walltime,
                           dataformats="NCHW")
        else:
            self.add_image(tag, images.figure_to_chw(figure, close), global_step, walltime, dataformats="CHW")

    def add_text(self, tag: str, text_string: str, global_step: Any = None, walltime: float | None = None) -> None:
        """A string (rendered as markdown by TensorBoard's Text tab)."""
        self._write(summaries.text(tag, text_string), global_step, walltime)

    def add_hparams(self, hparam_dict: dict[str, Any], metric_dict: dict[str, Any],
                    hparam_domain_discrete: dict[str, list[Any]] | None = None, run_name: str | None = None,
                    global_step: Any = None) -> None:
        """One row of TensorBoard's HPARAMS table: these hyperparameters and the final metrics, written,
        as torch does, to the sub-run ``<log_dir>/<run_name>`` (default: the current time in seconds)."""
        parts = hparams_summaries(hparam_dict, metric_dict, hparam_domain_discrete)
        folder = os.path.join(self._main_writer().get_logdir(), run_name or str(time.time()))
        with SummaryWriter(log_dir=folder) as run:
            for summary in parts:
                run._write(summary, global_step)
            for name, value in metric_dict.items():
                run.add_scalar(name, value, global_step)

    # ----- lifetime ----------------------------------------------------------------------------------------
    def flush(self) -> None:
        """Write every pending event to disk."""
        for writer in self._writers.values():
            writer.flush()

    def close(self) -> None:
        """Write what is pending and close the files; a later ``add_*`` opens new ones."""
        for writer in self._writers.values():
            writer.flush()
            writer.close()
        self._writers = {}

    def __enter__(self) -> SummaryWriter:
        return self

    def __exit__(self, *exc_info: Any) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"SummaryWriter(log_dir={self.log_dir!r})"
