"""torch's ``nn.utils.rnn.pad_sequence``: variable-length sequences in one padded batch.

Packed sequences (``pack_padded_sequence`` / ``pad_packed_sequence``) are not here: glassgrad's
recurrent layers take padded batches only.
"""

from __future__ import annotations

from collections.abc import Sequence

from glassgrad.creation import full
from glassgrad.errors import OpInputError
from glassgrad.ops import cat, stack
from glassgrad.tensor import Tensor


def pad_sequence(sequences: Sequence[Tensor], batch_first: bool = False, padding_value: float = 0.0,
                 padding_side: str = "right") -> Tensor:
    """Stack sequences of shapes (L_i, *) into (T, B, *) (or (B, T, *) with ``batch_first``), T = max L_i.

    Each sequence is extended to T steps with ``padding_value`` after it (``padding_side="right"``) or
    before it ("left"). Differentiable: each sequence's gradient is its slice of the batch's gradient.
    """
    sequences = list(sequences)
    if not sequences:
        raise RuntimeError("pad_sequence: received an empty list of sequences")
    if padding_side not in ("right", "left"):
        raise ValueError(f"pad_sequence: padding_side must be 'right' or 'left', got {padding_side!r}")
    trailing = tuple(sequences[0].shape[1:])
    for i, seq in enumerate(sequences):
        if seq.ndim < 1 or tuple(seq.shape[1:]) != trailing:
            raise OpInputError(f"pad_sequence: sequence {i} has shape {tuple(seq.shape)}; every sequence must be "
                               f"(L, *{trailing}) like sequence 0")
    longest = max(seq.shape[0] for seq in sequences)
    padded = []
    for seq in sequences:
        missing = longest - seq.shape[0]
        if missing == 0:
            padded.append(seq)
            continue
        filler = full((missing, *trailing), padding_value, dtype=seq.dtype, device=seq.device)  # (T - L_i, *)
        padded.append(cat([seq, filler] if padding_side == "right" else [filler, seq]))
    return stack(padded, dim=0 if batch_first else 1)  # (B, T, *) or (T, B, *)
