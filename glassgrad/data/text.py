"""Text for character models: a character vocabulary and char-rnn style batching.

``CharVocab`` maps characters to integer ids and back. ``SequenceBatcher`` cuts
one long text into ``batch_size`` contiguous streams (row b of every batch
continues row b of the batch before, as in Karpathy's char-rnn), so the final
hidden state of one batch is the right initial state for the next: truncated
backpropagation through time.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import numpy as np


class CharVocab:
    """Characters <-> integer ids.

    Args:
        chars: the characters, in id order (duplicates are an error).
        unknown: what ``encode`` does with a character not in the vocabulary:
            None (default) raises ValueError naming it; a single character maps
            every unknown one to that character's id (it is added to the
            vocabulary if missing).

    >>> vocab = CharVocab.from_text("hello")
    >>> vocab.decode(vocab.encode("hole"))
    'hole'
    """

    def __init__(self, chars: str | list[str], unknown: str | None = None) -> None:
        chars = list(chars)
        if len(set(chars)) != len(chars):
            raise ValueError("CharVocab: characters must be distinct")
        if unknown is not None:
            if len(unknown) != 1:
                raise ValueError(f"CharVocab: unknown must be one character, got {unknown!r}")
            if unknown not in chars:
                chars.append(unknown)
        if not chars:
            raise ValueError("CharVocab: the vocabulary is empty")
        self.itos: list[str] = chars
        self.stoi: dict[str, int] = {c: i for i, c in enumerate(chars)}
        self.unknown = unknown
        codes = np.array([ord(c) for c in chars], dtype=np.int64)
        self._sorted_codes = np.sort(codes)
        self._ids_of_sorted = np.argsort(codes).astype(np.int64)

    @classmethod
    def from_text(cls, text: str, unknown: str | None = None) -> CharVocab:
        """The sorted set of characters of ``text``."""
        return cls(sorted(set(text)), unknown)

    def __len__(self) -> int:
        return len(self.itos)

    def __contains__(self, char: str) -> bool:
        return char in self.stoi

    def encode(self, text: str) -> np.ndarray:
        """ids (len(text),) int64; fast on long texts (a sorted lookup of code points, no Python loop)."""
        codes = np.frombuffer(text.encode("utf-32-le"), dtype=np.uint32).astype(np.int64)
        pos = np.searchsorted(self._sorted_codes, codes)
        pos_clipped = np.minimum(pos, len(self._sorted_codes) - 1)
        known = self._sorted_codes[pos_clipped] == codes
        ids = self._ids_of_sorted[pos_clipped]
        if not known.all():
            if self.unknown is None:
                missing = sorted({chr(c) for c in codes[~known]})
                raise ValueError(f"CharVocab.encode: characters not in the vocabulary: {missing!r} "
                                 f"(build the vocabulary from this text, or pass unknown=)")
            ids = np.where(known, ids, self.stoi[self.unknown])
        return ids

    def decode(self, ids: Any) -> str:
        """The text of a sequence of ids."""
        ids = np.asarray(ids).reshape(-1)
        if ids.size and (ids.min() < 0 or ids.max() >= len(self)):
            raise ValueError(f"CharVocab.decode: ids must lie in [0, {len(self)})")
        return "".join(self.itos[i] for i in ids.tolist())

    def __repr__(self) -> str:
        return f"CharVocab({len(self)} characters)"


def train_val_split(data: Any, val_fraction: float = 0.1) -> tuple[Any, Any]:
    """The first (1 - val_fraction) of a sequence for training, the rest for validation (no shuffling:
    neighbouring characters are not independent, so a contiguous tail is the honest held-out set)."""
    if not 0.0 < val_fraction < 1.0:
        raise ValueError(f"train_val_split: val_fraction must be in (0, 1), got {val_fraction}")
    cut = int(round(len(data) * (1.0 - val_fraction)))
    if cut < 2 or len(data) - cut < 2:
        raise ValueError(f"train_val_split: {len(data)} items are too few to split at {val_fraction}")
    return data[:cut], data[cut:]


class SequenceBatcher:
    """(x, y) windows over B contiguous streams of a long id sequence; y is x shifted by one.

    The sequence is cut into ``batch_size`` streams of equal length; batch k
    holds characters [k*S, (k+1)*S) of every stream, so row b of one batch is
    followed by row b of the next.

    Args:
        data: the ids, 1-D integers (e.g. ``CharVocab.encode(text)``).
        batch_size: number of streams B.
        seq_len: window length S.
        time_major: yield (S, B) arrays instead of (B, S).

    Shape:
        each item: x, y int64 (B, S) (or (S, B)); the last window may be shorter.
    """

    def __init__(self, data: Any, batch_size: int, seq_len: int, time_major: bool = False) -> None:
        data = np.asarray(data)
        if data.ndim != 1 or data.dtype.kind not in "iu":
            raise ValueError(f"SequenceBatcher: data must be a 1-D integer sequence, got {data.dtype} {data.shape}")
        if batch_size < 1 or seq_len < 1:
            raise ValueError(f"SequenceBatcher: batch_size and seq_len must be >= 1, got {batch_size}, {seq_len}")
        stream_len = (len(data) - 1) // batch_size
        if stream_len < 1:
            raise ValueError(f"SequenceBatcher: {len(data)} ids are too few for {batch_size} streams")
        n = stream_len * batch_size
        self.inputs = data[:n].reshape(batch_size, stream_len).astype(np.int64)  # (B, L)
        self.targets = data[1:n + 1].reshape(batch_size, stream_len).astype(np.int64)  # (B, L)
        self.batch_size, self.seq_len, self.time_major = batch_size, seq_len, time_major

    def __len__(self) -> int:
        return -(-self.inputs.shape[1] // self.seq_len)

    def __iter__(self) -> Iterator[tuple[np.ndarray, np.ndarray]]:
        for start in range(0, self.inputs.shape[1], self.seq_len):
            x = self.inputs[:, start:start + self.seq_len]
            y = self.targets[:, start:start + self.seq_len]
            if self.time_major:
                x, y = x.T, y.T
            yield np.ascontiguousarray(x), np.ascontiguousarray(y)
