"""torch.signal: its window functions (``glassgrad.signal.windows``)."""

from glassgrad.signal import windows as windows
