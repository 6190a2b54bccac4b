"""``glassgrad.testing``: torch.testing's ``assert_close`` and ``make_tensor`` for test code that
compares tensors (``import glassgrad as torch; torch.testing.assert_close(out, expected)``)."""

from glassgrad.testing.comparison import assert_close as assert_close
from glassgrad.testing.creation import make_tensor as make_tensor

__all__ = ["assert_close", "make_tensor"]
