"""Progress display for the training loop.

With ``tqdm`` installed and stderr a terminal, a bar per epoch with the running
loss and metrics; otherwise one plain line per epoch on stdout; nothing when
``verbose=False``. The postfix is refreshed at most every 0.2 s so the display
costs nothing measurable per batch.
"""

from __future__ import annotations

import sys
import time
from typing import Any


def _format(logs: dict[str, float]) -> str:
    return "  ".join(f"{k} {v:.4f}" if isinstance(v, float) else f"{k} {v}" for k, v in logs.items())


def _tqdm_available() -> Any:
    try:
        from tqdm.auto import tqdm
    except ImportError:
        return None
    return tqdm


class EpochProgress:
    """Progress of one epoch: ``update(n_batches, logs)`` per batch, ``close(logs)`` at the end."""

    def __init__(self, epoch: int, epochs: int, total: int | None, verbose: bool | int = True,
                 use_bar: bool | None = None) -> None:
        self.epoch, self.epochs, self.verbose = epoch, epochs, bool(verbose)
        self.start = time.perf_counter()
        self._last_postfix = 0.0
        self.bar = None
        if not self.verbose:
            return
        if use_bar is None:
            use_bar = sys.stderr.isatty()
        tqdm = _tqdm_available() if use_bar else None
        if tqdm is not None:
            width = len(str(epochs))
            self.bar = tqdm(total=total, desc=f"epoch {epoch + 1:>{width}}/{epochs}", unit="batch",
                            leave=True, dynamic_ncols=True, file=sys.stderr)

    def update(self, n: int, logs: dict[str, float]) -> None:
        if self.bar is None:
            return
        self.bar.update(n)
        now = time.perf_counter()
        if now - self._last_postfix > 0.2:
            self._last_postfix = now
            self.bar.set_postfix_str(_format(logs), refresh=False)

    def close(self, logs: dict[str, float]) -> None:
        if not self.verbose:
            return
        seconds = time.perf_counter() - self.start
        if self.bar is not None:
            self.bar.set_postfix_str(_format(logs), refresh=False)
            self.bar.close()
            return
        width = len(str(self.epochs))
        print(f"epoch {self.epoch + 1:>{width}}/{self.epochs}  {_format(logs)}  ({seconds:.1f} s)", flush=True)
