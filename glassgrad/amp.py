"""``glassgrad.amp``: torch's mixed-precision helpers, so training scripts that use them run unchanged.

torch's ``autocast`` runs chosen ops in float16/bfloat16 on a GPU, and
``GradScaler`` multiplies the loss so that float16 gradients do not underflow.
glassgrad computes every op in the dtype of its tensors (there is no autocast
dispatch and NumPy has no bfloat16), so here:

* ``autocast(...)`` is a context manager (and decorator) that changes nothing;
* ``GradScaler`` keeps a scale of 1.0: ``scale(loss)`` returns the loss,
  ``step(optimizer)`` calls ``optimizer.step()``, ``update()`` does nothing.

To train in lower precision, make the model's tensors float16 (``model.half()``).
"""

from __future__ import annotations

import functools
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
    """torch's loss scaler with the scale fixed at 1.0 (glassgrad keeps gradients in the tensors' dtype)."""

    def __init__(self, device: str = "cuda", init_scale: float = 2.0**16, growth_factor: float = 2.0,  # noqa: ARG002
                 backoff_factor: float = 0.5, growth_interval: int = 2000, enabled: bool = True) -> None:  # noqa: ARG002
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
        return {"scale": 1.0, "enabled": self._enabled}

    def load_state_dict(self, state_dict: dict[str, Any]) -> None:
        self._enabled = bool(state_dict.get("enabled", self._enabled))
