"""torch's ``nn.parallel``: DataParallel (one device: passes through) and DistributedDataParallel
(several processes, glassgrad.distributed), loaded on first use so importing nn does not load MPI code."""

from typing import Any

from glassgrad.nn.parallel.data_parallel import DataParallel as DataParallel


def __getattr__(name: str) -> Any:
    if name == "DistributedDataParallel":
        from glassgrad.nn.parallel.distributed import DistributedDataParallel

        return DistributedDataParallel
    raise AttributeError(f"module 'glassgrad.nn.parallel' has no attribute {name!r}")


__all__ = ["DataParallel", "DistributedDataParallel"]
