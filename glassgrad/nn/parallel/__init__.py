"""torch's ``nn.parallel`` (one device: DataParallel passes through)."""

from glassgrad.nn.parallel.data_parallel import DataParallel as DataParallel

__all__ = ["DataParallel"]
