"""torch.utils.tensorboard: ``SummaryWriter`` writes TensorBoard event files.

The event files are written through the ``tensorboard`` package (its protocol
buffers and its ``EventFileWriter``), an optional extra of glassgrad::

    pip install glassgrad[tensorboard]

then ``tensorboard --logdir runs`` shows what a program logged. Without the
package, importing this module raises an ImportError that says so, as torch's.
"""

try:
    import tensorboard as _tensorboard  # noqa: F401  (only its presence is checked here)
except ImportError as error:  # tests/utils/test_tensorboard.py hides the package to check this message
    raise ImportError(
        "glassgrad.utils.tensorboard writes event files through the tensorboard package, which is not "
        "installed: pip install glassgrad[tensorboard] (or pip install tensorboard)"
    ) from error

from glassgrad.utils.tensorboard.writer import SummaryWriter as SummaryWriter

__all__ = ["SummaryWriter"]
