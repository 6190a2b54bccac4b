"""``glassgrad.amp``: torch's mixed-precision helpers, so training scripts that use them run unchanged.

torch's ``autocast`` runs chosen ops in float16/bfloat16 on a GPU, and
``GradScaler`` multiplies the loss so that float16 gradients do not underflow.
glassgrad computes every op in the dtype of its tensors (there is no autocast
dispatch and NumPy has no bfloat16), so here:

* ``autocast(...)`` is a context manager (and decorator) that changes nothing;
* ``GradScaler("cpu")`` scales the loss, unscales the gradients, skips a step whose gradients hold
  an inf or NaN and grows or backs off its scale exactly as torch's CPU scaler; as torch's, a scaler
  for CUDA on a machine without a GPU disables itself with a warning (``is_enabled()`` is False) and
  then passes losses and steps through unchanged.

To train in lower precision, make the model's tensors float16 (``model.half()``).
"""

from __future__ import annotations

import functools
import math
import warnings
from collections.abc import Callable
from typing import Any

import numpy


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
    """torch's loss scaler: ``scale(loss)`` multiplies the loss by S, so every gradient is S times its
    value; ``step(optimizer)`` divides the gradients by S again (``unscale_``) and steps, unless one of
    them is inf or NaN, when the step is skipped; ``update()`` then halves S (``backoff_factor``) after
    a skipped step, and doubles it (``growth_factor``) after ``growth_interval`` steps in a row without one.

    S is kept as a float32 number, as torch keeps it in a float32 tensor: ``scale(loss)`` is
    ``loss * tensor(S, float32)``. As torch's, a scaler for ``"cuda"`` (the default device) without a
    GPU disables itself with a warning; a disabled scaler passes losses and steps through unchanged,
    its scale is 1.0 and its ``state_dict()`` empty.
    """

    def __init__(self, device: Any = "cuda", init_scale: float = 2.0**16, growth_factor: float = 2.0,
                 backoff_factor: float = 0.5, growth_interval: int = 2000, enabled: bool = True) -> None:
        from glassgrad import cuda  # here: glassgrad.cuda imports this module

        self._device = str(device)
        if enabled and self._device.startswith("cuda") and not cuda.is_available():
            warnings.warn("torch.cuda.amp.GradScaler is enabled, but CUDA is not available.  Disabling.",
                          UserWarning, stacklevel=2)
            enabled = False
        self._enabled = enabled
        if enabled:
            if growth_factor <= 1.0:
                raise AssertionError("The growth factor must be > 1.0.")
            if backoff_factor >= 1.0:
                raise AssertionError("The backoff factor must be < 1.0.")
        self._scale = _float32(init_scale)
        self._growth_factor, self._backoff_factor = growth_factor, backoff_factor
        self._growth_interval, self._growth_tracker = growth_interval, 0
        self._optimizers: dict[int, _OptimizerState] = {}  # by id(optimizer), since the last update()

    # ----- the loss ----------------------------------------------------------------------------
    def scale(self, outputs: Any) -> Any:
        """``outputs * S`` for a Tensor, a list or a tuple of them (nested); unchanged when disabled."""
        if not self._enabled:
            return outputs
        from glassgrad.tensor import Tensor

        if isinstance(outputs, Tensor):
            return outputs * _scale_tensor(self._scale)
        if isinstance(outputs, (list, tuple)):
            return type(outputs)(self.scale(output) for output in outputs)
        raise ValueError("outputs must be a Tensor or an iterable of Tensors")

    # ----- the gradients and the step ------------------------------------------------------------
    def unscale_(self, optimizer: Any) -> None:
        """Divide ``optimizer``'s gradients by S (in place) and note whether one is inf or NaN; at most
        once per optimizer between two ``update()`` calls, and before ``step``."""
        if not self._enabled:
            return
        state = self._optimizers.setdefault(id(optimizer), _OptimizerState())
        if state.stage == "unscaled":
            raise RuntimeError("unscale_() has already been called on this optimizer since the last update().")
        if state.stage == "stepped":
            raise RuntimeError("unscale_() is being called after step().")
        state.found_inf = _unscale_gradients(optimizer, 1.0 / self._scale)
        state.stage = "unscaled"

    def step(self, optimizer: Any, *args: Any, **kwargs: Any) -> Any:
        """``optimizer.step(*args, **kwargs)`` on the unscaled gradients, skipped (None) if one is inf or NaN."""
        if not self._enabled:
            return optimizer.step(*args, **kwargs)
        if "closure" in kwargs:
            raise RuntimeError("Closure use is not currently supported if GradScaler is enabled.")
        state = self._optimizers.setdefault(id(optimizer), _OptimizerState())
        if state.stage == "stepped":
            raise RuntimeError("step() has already been called since the last update().")
        if state.stage == "ready":
            self.unscale_(optimizer)
        result = None if state.found_inf else optimizer.step(*args, **kwargs)
        state.stage = "stepped"
        return result

    def update(self, new_scale: Any = None) -> None:
        """The next S: ``new_scale`` if given, else S * backoff_factor after a skipped step, S * growth_factor
        after growth_interval good steps in a row, S otherwise."""
        if not self._enabled:
            return
        if new_scale is not None:
            self._scale = _new_scale_value(new_scale)
        else:
            if not any(state.stage != "ready" for state in self._optimizers.values()):
                raise AssertionError("No inf checks were recorded prior to update.")
            if any(state.found_inf for state in self._optimizers.values()):
                self._scale, self._growth_tracker = _float32(self._scale * self._backoff_factor), 0
            elif self._growth_tracker + 1 == self._growth_interval:
                grown = _float32(self._scale * self._growth_factor)
                self._scale = grown if math.isfinite(grown) else self._scale
                self._growth_tracker = 0
            else:
                self._growth_tracker += 1
        self._optimizers = {}

    # ----- queries and settings ------------------------------------------------------------------
    def get_scale(self) -> float:
        return self._scale if self._enabled else 1.0

    def get_growth_factor(self) -> float:
        return self._growth_factor

    def set_growth_factor(self, new_factor: float) -> None:
        self._growth_factor = new_factor

    def get_backoff_factor(self) -> float:
        return self._backoff_factor

    def set_backoff_factor(self, new_factor: float) -> None:
        self._backoff_factor = new_factor

    def get_growth_interval(self) -> int:
        return self._growth_interval

    def set_growth_interval(self, new_interval: int) -> None:
        self._growth_interval = new_interval

    def _get_growth_tracker(self) -> int:
        return self._growth_tracker if self._enabled else 0

    def is_enabled(self) -> bool:
        return self._enabled

    def state_dict(self) -> dict[str, Any]:
        """The scaler's state (torch's keys); empty when disabled, as torch's."""
        if not self._enabled:
            return {}
        return {"scale": self._scale, "growth_factor": self._growth_factor, "backoff_factor": self._backoff_factor,
                "growth_interval": self._growth_interval, "_growth_tracker": self._growth_tracker}

    def load_state_dict(self, state_dict: dict[str, Any]) -> None:
        """Restore a ``state_dict()``; a disabled scaler ignores the call, as torch's."""
        if not self._enabled:
            return
        if not state_dict:
            raise RuntimeError("The source state dict is empty, possibly because it was saved from a disabled "
                               "instance of GradScaler.")
        self._scale = _float32(state_dict["scale"])
        self._growth_factor, self._backoff_factor = state_dict["growth_factor"], state_dict["backoff_factor"]
        self._growth_interval, self._growth_tracker = state_dict["growth_interval"], state_dict["_growth_tracker"]


class _OptimizerState:
    """Where one optimizer is between two ``update()`` calls: "ready", "unscaled" or "stepped"."""

    def __init__(self) -> None:
        self.stage, self.found_inf = "ready", False


def _float32(value: float) -> float:
    """``value`` rounded to float32, as torch's scale tensor holds it."""
    return float(numpy.float32(value))


def _scale_tensor(scale: float) -> Any:
    """S as a 0-d float32 tensor, so a loss keeps torch's result dtype (float16 * S is float32 for a 0-d loss)."""
    from glassgrad.tensor import Tensor

    return Tensor._make(numpy.asarray(scale, dtype=numpy.float32), False)


def _new_scale_value(new_scale: Any) -> float:
    """``update(new_scale)``'s argument as a number: a float, or a one-element float32 tensor without grad."""
    from glassgrad.tensor import Tensor

    if not isinstance(new_scale, Tensor):
        return _float32(new_scale)
    if new_scale.numel() != 1 or new_scale.requires_grad or str(new_scale.dtype).rsplit(".", 1)[-1] != "float32":
        raise AssertionError("new_scale should be a float or a 1-element torch.cuda.FloatTensor or "
                             "torch.FloatTensor with requires_grad=False.")
    return _float32(new_scale.item())


def _unscale_gradients(optimizer: Any, inverse: float) -> bool:
    """Multiply every gradient of ``optimizer``'s parameters by ``inverse`` (float32, in place);
    whether any of them holds an inf or NaN. float16 gradients are refused, as torch's."""
    from glassgrad import backend

    found_inf = False
    for group in optimizer.param_groups:
        for param in group["params"]:
            grad = param.grad
            if grad is None:
                continue
            array = grad.array
            if array.dtype == numpy.float16:
                raise ValueError("Attempting to unscale FP16 gradients.")
            found_inf = found_inf or not bool(backend.xp.isfinite(array).all())
            factor = array.dtype.type(numpy.float32(inverse))
            if getattr(array, "flags", None) is not None and array.flags.writeable:
                array *= factor  # in place: a view of this gradient (a bucket's) sees it, as in torch
            else:
                grad.array = array * factor
    return found_inf
