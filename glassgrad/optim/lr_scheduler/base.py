"""LRScheduler: the base of every learning-rate schedule (torch's step semantics).

A scheduler wraps an optimizer and rewrites each group's ``"lr"``. Making one
records ``initial_lr`` in every group (its ``base_lrs``) and sets epoch 0's
rate; each ``step()`` then advances ``last_epoch`` by one and sets that
epoch's rate. The usual loop is::

    for epoch in range(n):
        train_one_epoch(...)      # optimizer.step() inside
        scheduler.step()

Each schedule is written in two forms, as in torch:

- ``get_lr()``, the *chainable* form used by ``step()``: the next rate from
  the group's current ``"lr"`` (e.g. ``lr * gamma``). Because it starts from
  whatever the group holds, several schedulers can act on one optimizer
  (``ChainedScheduler`` multiplies their effects) and a hand-edited rate is
  respected.
- ``_get_closed_form_lr()``, lr_t = f(base_lr, t), used by ``step(epoch)``
  (and by ``SequentialLR`` at its milestones).

Unlike torch, no warning is raised for ``step(epoch)`` or for a scheduler
stepped before its optimizer.
"""

from __future__ import annotations

import math
from typing import Any

from glassgrad.optim.optimizer import Optimizer, to_scalar
from glassgrad.tensor import Tensor


def copy_value(value: Any) -> Any:
    """A tensor learning rate copied (so a returned list never aliases the groups); numbers as they are."""
    return Tensor._make(value.array.copy(), False) if isinstance(value, Tensor) else value


def group_values(optimizer: Optimizer, key: str) -> list[Any]:
    """``group[key]`` for every param group, tensors copied."""
    return [copy_value(group[key]) for group in optimizer.param_groups]


def set_group_value(group: dict[str, Any], key: str, value: Any) -> None:
    """Write ``value`` into ``group[key]``; a tensor held there is filled in place, never replaced."""
    if isinstance(group[key], Tensor):
        group[key].array[...] = to_scalar(value)
    else:
        group[key] = value


def per_group(name: str, optimizer: Optimizer, value: Any) -> list[Any]:
    """One value per param group: a list or tuple must have one entry per group, a scalar is repeated."""
    if isinstance(value, list | tuple):
        if len(value) != len(optimizer.param_groups):
            raise ValueError(f"{name} must have the same length as optimizer.param_groups. {name} has "
                             f"{len(value)} values, param_groups has {len(optimizer.param_groups)}.")
        return [copy_value(v) for v in value]
    return [copy_value(value)] * len(optimizer.param_groups)


class LRScheduler:
    """Base class: subclasses define ``get_lr()`` (and ``_get_closed_form_lr()`` where one exists).

    Args:
        optimizer: the optimizer whose groups' ``"lr"`` this scheduler sets.
        last_epoch: the last epoch already done; -1 (default) starts afresh.
            A value >= 0 resumes, and needs ``initial_lr`` in every group.

    Attributes:
        base_lrs: each group's ``initial_lr``.
        last_epoch: the number of ``step()`` calls so far (0 right after construction).
    """

    _is_initial: bool = False  # True during the step that the constructor takes

    def __init__(self, optimizer: Optimizer, last_epoch: int = -1) -> None:
        if not isinstance(optimizer, Optimizer):
            raise TypeError(f"{type(optimizer).__name__} is not an Optimizer")
        self.optimizer = optimizer
        if last_epoch == -1:
            for group in optimizer.param_groups:
                group.setdefault("initial_lr", copy_value(group["lr"]))
        else:
            for i, group in enumerate(optimizer.param_groups):
                if "initial_lr" not in group:
                    raise KeyError(f"param 'initial_lr' is not specified in param_groups[{i}] when resuming "
                                   "scheduler with last_epoch >= 0 (load the optimizer's state_dict first, or "
                                   "start with last_epoch=-1)")
        self.base_lrs: list[Any] = group_values(optimizer, "initial_lr")
        self.last_epoch = last_epoch
        self._initial_step()

    def _initial_step(self) -> None:
        """The step the constructor takes: epoch 0's rate (or the resumed epoch's)."""
        self._step_count = 0
        self._is_initial = True
        try:
            self.step()
        finally:
            self._is_initial = False

    def get_lr(self) -> list[Any]:
        """The rates for ``last_epoch`` (already advanced), computed from the groups' current rates."""
        raise NotImplementedError(f"{type(self).__name__} must define get_lr()")

    def step(self, epoch: int | None = None) -> None:
        """Advance one epoch and write the new rate into every group.

        ``epoch`` (deprecated in torch, accepted here) jumps to that epoch and
        uses the closed form where the schedule has one.
        """
        self._step_count += 1
        self._update_lr(epoch)

    def _update_lr(self, epoch: int | None = None) -> None:
        if epoch is None:
            self.last_epoch += 1
            values = self.get_lr()
        else:
            self.last_epoch = epoch
            closed_form = getattr(self, "_get_closed_form_lr", None)
            values = closed_form() if closed_form is not None else self.get_lr()
        for i, lr in enumerate(values):
            value = to_scalar(lr)
            if not (isinstance(value, int | float) and math.isfinite(value) and value >= -1e-12):
                raise ValueError(f"{type(self).__name__}: epoch {self.last_epoch} would set param group {i}'s learning "
                                 f"rate to {value!r}; check the scheduler's arguments (a NaN or negative factor?)")
        for group, lr in zip(self.optimizer.param_groups, values, strict=True):
            set_group_value(group, "lr", lr)
        self._last_lr = group_values(self.optimizer, "lr")

    def get_last_lr(self) -> list[Any]:
        """The rates the last ``step()`` set, one per group."""
        return list(self._last_lr)

    def state_dict(self) -> dict[str, Any]:
        """Everything in the scheduler but the optimizer."""
        return {key: value for key, value in self.__dict__.items() if key != "optimizer"}

    def load_state_dict(self, state_dict: dict[str, Any]) -> None:
        """Restore what ``state_dict()`` returned."""
        self.__dict__.update(state_dict)


_LRScheduler = LRScheduler  # torch's older name
