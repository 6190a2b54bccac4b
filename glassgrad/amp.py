"""``glassgrad.amp``: torch's mixed-precision helpers, so training scripts that use them run unchanged.

torch's ``autocast`` runs chosen ops in float16/bfloat16 on a GPU, and
``GradScaler`` multiplies the loss so that float16 gradients do not underflow.
glassgrad computes every op in the dtype of its tensors (there is no autocast
dispatch and NumPy has no bfloat16), so here:

* ``autocast(...)`` is a context manager (and decorator) that changes nothing;
* ``GradScaler`` keeps a scale of 1.0: ``scale(loss)`` returns the loss,
  ``step(optimizer)`` calls ``optimizer.step()``, ``update()`` does nothing; as torch's, a scaler
  for CUDA on a machine without a GPU disables itself with a warning (``is_enabled()`` is False).

To train in lower precision, make the model's tensors float16 (``model.half()``).
"""

from __future__ import annotations

import functools
import warnings
from collections.abc import Callable
from typing import Any


class autocast:  # noqa: N801  (torch's name)
    """``with autocast(device_type="cuda", dtype=torch.float16):`` runs the block as it is."""

    def __init__(self, device_type: str = "cuda", dtype: Any = None, enabled: bool = True,
                 cache_enabled: bool | None = None) -> None:  # noqa: ARG002
        self.device_type, self.fast_dtype, self.enabled = device_type, dtype, enabled

    def __enter__(self) -> autocast:
        return self

    def __exit__(self, *exc: object) -> None:
        return None

    def __call__(self, function: Callable[..., Any]) -> Callable[..., Any]:
        """As a decorator: the function runs unchanged."""
        @functools.wraps(function)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            with self:
                return function(*args, **kwargs)

        return wrapper


def is_autocast_available(device_type: str) -> bool:  # noqa: ARG001
    """False: glassgrad has no autocast dispatch (see the module text)."""
    return False


class GradScaler:
    """torch's loss scaler with the scale fixed at 1.0 (glassgrad keeps gradients in the tensors' dtype).

    As torch's, a scaler for ``"cuda"`` (the default device) without a GPU disables itself with a
    warning: ``is_enabled()`` is then False and ``state_dict()`` empty; everything else works the same.
    """

    def __init__(self, device: Any = "cuda", init_scale: float = 2.0**16, growth_factor: float = 2.0,  # noqa: ARG002
                 backoff_factor: float = 0.5, growth_interval: int = 2000, enabled: bool = True) -> None:  # noqa: ARG002
        from glassgrad import cuda  # here: glassgrad.cuda imports this module

        self._device = str(device)
        if enabled and self._device.startswith("cuda") and not cuda.is_available():
            warnings.warn("torch.cuda.amp.GradScaler is enabled, but CUDA is not available.  Disabling.",
                          UserWarning, stacklevel=2)
            enabled = False
        self._enabled = enabled

    def scale(self, outputs: Any) -> Any:
        """The loss (or losses) unchanged."""
        return outputs

    def unscale_(self, optimizer: Any) -> None:  # noqa: ARG002
        """Nothing to undo: the gradients were never scaled."""

    def step(self, optimizer: Any, *args: Any, **kwargs: Any) -> Any:
        """``optimizer.step(*args, **kwargs)``."""
        return optimizer.step(*args, **kwargs)

    def update(self, new_scale: Any = None) -> None:  # noqa: ARG002
        """Nothing to update: the scale stays 1.0."""

    def get_scale(self) -> float:
        return 1.0

    def is_enabled(self) -> bool:
        return self._enabled

    def state_dict(self) -> dict[str, Any]:
        """The scaler's state; empty when disabled, as torch's."""
        return {"scale": 1.0, "enabled": True} if self._enabled else {}

    def load_state_dict(self, state_dict: dict[str, Any]) -> None:
        """Nothing to restore (the scale is always 1.0); a disabled scaler ignores the call, as torch's."""
        if not self._enabled:
            return
        if not state_dict:
            raise RuntimeError("The source state dict is empty, possibly because it was saved from a disabled "
                               "instance of GradScaler.")
