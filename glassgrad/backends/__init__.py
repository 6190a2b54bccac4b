"""``glassgrad.backends``: torch.backends' switches, so scripts that set them run unchanged.

(Not to be confused with ``glassgrad.backend``, the NumPy/CuPy array-module seam.)

* ``backends.cudnn``: ``deterministic``, ``benchmark``, ``enabled``, ``allow_tf32``
  are plain attributes a script may set; glassgrad has no cuDNN, so they change nothing.
* ``backends.mps.is_available()`` is False: glassgrad has no Apple-GPU backend.
* ``backends.cuda.matmul.allow_tf32`` is a settable attribute too.
"""

from glassgrad.backends import cuda as cuda
from glassgrad.backends import cudnn as cudnn
from glassgrad.backends import mps as mps

__all__ = ["cuda", "cudnn", "mps"]
