"""``torch.autograd.profiler``: the older front end of ``glassgrad.profiler`` (``profile(enabled=...)``
with its own ``table``), and the same ``record_function``."""

from glassgrad.profiler.profile import autograd_profile as profile
from glassgrad.profiler.record_function import record_function

__all__ = ["profile", "record_function"]
