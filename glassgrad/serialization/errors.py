"""The two errors a checkpoint can raise: it is unreadable, or it names something not allowed."""

from __future__ import annotations


class CheckpointError(ValueError):
    """A file that is not a readable checkpoint: the message names the file and the problem."""


class UnsafeGlobalError(CheckpointError):
    """A checkpoint names a class or function that is not on the allow-list; nothing was imported or called."""

    def __init__(self, source: str, name: str) -> None:
        short = name.rsplit(".", 1)[-1]
        super().__init__(
            f"load: {source} names {name}, which is not on the allow-list of classes and functions a "
            f"checkpoint may rebuild; nothing was imported or called. If you trust this file, allow it with "
            f"glassgrad.serialization.add_safe_globals([{short}]) or "
            f"`with glassgrad.serialization.safe_globals([{short}]):` around load, "
            f"or pass weights_only=False when {short} is already imported."
        )
        self.global_name = name
