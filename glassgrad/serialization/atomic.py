"""Atomic file writes: a temporary file in the same folder, renamed into place.

``atomic_write(path, write)`` calls ``write(handle)`` on a fresh temporary file
``.<name>.<random>.tmp`` next to ``path``, flushes it to disk and renames it
onto ``path`` (``os.replace`` is atomic on one file system), so a reader sees
either the old file or the new one, never half of one. On any error, even
KeyboardInterrupt, the temporary file is removed and the old file stays. The
new file gets the old file's permission bits, or, for a new file, the usual
``0o666 & ~umask`` (``mkstemp`` alone would give 0600). Temporary files that a
killed process left behind (older than ``STALE_SECONDS``) are removed by the
next save to the same path.
"""

from __future__ import annotations

import os
import stat
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import IO

STALE_SECONDS = 60.0


def _current_umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def _target_mode(path: Path) -> int:
    try:
        return stat.S_IMODE(path.stat().st_mode)
    except FileNotFoundError:
        return 0o666 & ~_current_umask()


def remove_stale_temporaries(path: Path, older_than: float = STALE_SECONDS) -> list[Path]:
    """Delete ``.<name>.*.tmp`` files beside ``path`` last modified more than ``older_than`` seconds ago."""
    removed = []
    now = time.time()
    for candidate in path.parent.glob(f".{path.name}.*.tmp"):
        try:
            if now - candidate.stat().st_mtime > older_than:
                candidate.unlink()
                removed.append(candidate)
        except OSError:
            continue  # another process got there first, or it is not ours to remove
    return removed


def atomic_write(path: str | os.PathLike, write: Callable[[IO[bytes]], None]) -> Path:
    """Write ``path`` through ``write(handle)`` atomically (see the module docstring); returns the path."""
    path = Path(path)
    if path.is_dir():
        raise IsADirectoryError(f"save: {path} is a folder, not a file name")
    blocking_file = next((folder for folder in path.parents if folder.is_file()), None)
    if blocking_file is not None:
        raise NotADirectoryError(f"save: cannot write {path}: {blocking_file} is a file, not a folder")
    path.parent.mkdir(parents=True, exist_ok=True)
    mode = _target_mode(path)
    fd, tmp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            write(handle)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(tmp_name, mode)
        os.replace(tmp_name, path)
    finally:
        if os.path.exists(tmp_name):
            os.unlink(tmp_name)
    remove_stale_temporaries(path)
    return path
