"""The integer dtypes torch takes as an index, op by op, and its refusal of the others.

torch's index ops do not all take the same index dtypes (torch 2.13, checked by running it):

    int64 or int32   gather, scatter / scatter_add / scatter_reduce (any dtype when the index is empty),
                     index_select, index_add,
                     index_reduce, embedding, embedding_bag, repeat_interleave's repeats
    int64 only       index_copy, index_fill (an IndexError), take, take_along_dim, put, one_hot
    int64 or uint8   the class targets of nll_loss and cross_entropy

Any other dtype (int16, int8, uint8, float, bool) is refused with a RuntimeError (``OpDtypeError``
is one), as torch refuses it; glassgrad used to take every integer dtype. Indexing with ``t[idx]``
follows its own rule (int64, int32, a uint8 or bool mask) in glassgrad/ops/indexing.py.
"""

from __future__ import annotations

from typing import Any

from glassgrad.errors import OpDtypeError

LONG = ("int64",)
LONG_OR_INT = ("int64", "int32")
LONG_OR_BYTE = ("int64", "uint8")


def check_index_dtype(op: str, index: Any, allowed: tuple[str, ...], error: type[Exception] = OpDtypeError,
                      what: str = "index") -> None:
    """Raise torch's refusal when ``index`` (an array) is not of one of the ``allowed`` dtypes."""
    name = index.dtype.name
    if name not in allowed:
        raise error(f"{op}(): Expected dtype {' or '.join(allowed)} for {what}, but got {name}")
