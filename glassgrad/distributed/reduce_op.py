"""``ReduceOp``: how a reduction combines the tensors of the processes, element by element.

``SUM`` adds, ``AVG`` adds and divides by the number of processes (floating tensors only), ``PRODUCT``
multiplies, ``MIN``/``MAX`` keep the smallest/largest, ``BAND``/``BOR``/``BXOR`` combine the bits of
integer (or bool) tensors. MPI has every one of these but AVG, which is a SUM followed by a division.
"""

from __future__ import annotations

import enum
from typing import Any


class ReduceOp(enum.Enum):
    """torch.distributed.ReduceOp."""

    SUM = "sum"
    AVG = "avg"
    PRODUCT = "product"
    MIN = "min"
    MAX = "max"
    BAND = "band"
    BOR = "bor"
    BXOR = "bxor"

    def __repr__(self) -> str:
        return f"<RedOpType.{self.name}>"


def mpi_op(MPI: Any, op: ReduceOp) -> Any:  # noqa: N803 (the module's own name)
    """The MPI operation that carries out ``op`` (AVG: MPI.SUM; the division comes after)."""
    if not isinstance(op, ReduceOp):
        raise ValueError(f"op must be a ReduceOp (e.g. dist.ReduceOp.SUM), got {op!r}")
    return {ReduceOp.SUM: MPI.SUM, ReduceOp.AVG: MPI.SUM, ReduceOp.PRODUCT: MPI.PROD, ReduceOp.MIN: MPI.MIN,
            ReduceOp.MAX: MPI.MAX, ReduceOp.BAND: MPI.BAND, ReduceOp.BOR: MPI.BOR, ReduceOp.BXOR: MPI.BXOR}[op]
