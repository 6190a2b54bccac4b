"""Optimizer: the base of every update rule (PyTorch's shape), and the template its ``step`` runs.

An optimizer holds

- ``param_groups``: a list of dicts, each with ``"params"`` (a list of
  Parameters) and that group's hyper-parameters (``"lr"``, ``"momentum"``, ...);
  a value missing from a group is taken from ``defaults``;
- ``state``: per-parameter slots (``"step"``, ``"momentum_buffer"``,
  ``"exp_avg"``, ...), keyed by the Parameter object itself and created
  lazily on the first ``step()``.

Writing an optimizer
--------------------
The loop every optimizer runs lives here, once, in ``Optimizer.step`` (after the step pre hooks and
before the post hooks, ``register_step_pre_hook``)::

    loss = closure()                          (with gradients enabled; the loop runs under no_grad)
    for each group, for each parameter p that has a gradient g:
        state = self.state[p]                 (made by init_state(p, group) on p's first step)
        t = state["step"] += 1                (when the state counts steps)
        g = -g                                (maximize)
        g = g + lambda p  or  p *= 1 - lr lambda   (weight_decay; decoupled_weight_decay)
        update(p, g, state, group)            (the update rule; its fused kernel in the "fast" mode;
                                               a complex p as its real and imaginary parts, as torch)
        p's version += 1                      (a graph that saved the old p now refuses a backward)
    return loss

so an optimizer writes only what is its own, on arrays (``p.array``, ``p.grad.array``):

- ``update(param, grad, state, group)``: the update rule, editing ``param`` and the state's arrays in
  place; ``group`` holds the group's hyper-parameters as numbers (a one-element tensor lr read as a
  float). Adam's is ``adam_update`` in ``adam.py``: the formulas of its docstring, line by line.
- ``init_state(param, group)``: the state of a parameter before its first step (``{}`` by default):
  ``{"step": 0, "exp_avg": zeros, "exp_avg_sq": zeros}`` for Adam.
- ``fused_update``, where one exists: the same step as a fast kernel from ``glassgrad.kernels``
  (``kernels/adam.py``), with the rule's arguments and one more, ``scratch``, a work array shaped like
  the parameter that the kernel may overwrite. The template picks it when ``glassgrad.kernels.fast()``
  and the rule otherwise (``GLASSGRAD_KERNELS=reference``); ``tests/kernels/test_twins.py`` checks the
  two equal.
- its constructor, with torch's signature and checks, passing the defaults to ``Optimizer.__init__``;
  and ``state_slots(group)``, the slots ``load_state_dict`` accepts.

A toy optimizer in full::

    class SignSGD(Optimizer):
        def __init__(self, params, lr=0.01):
            super().__init__(params, dict(lr=lr))

        def update(self, param, grad, state, group):
            param -= group["lr"] * np.sign(grad)

An optimizer that needs more than one gradient per step writes the loop itself, as LBFGS does (it
re-evaluates the closure along a line): it overrides ``_step(closure)``, the part of ``step`` between
the hooks. Torch-style code works too: a subclass whose ``step(self, closure=None)`` loops over
``self.param_groups`` and edits the parameters with in-place tensor ops under ``@torch.no_grad()`` runs
as in torch (those in-place ops count the versions); only step hooks, which torch runs by wrapping every
subclass's ``step``, are refused on it (glassgrad wraps nothing: its hooks run in ``Optimizer.step``).

Hyper-parameters keep torch's names and defaults. torch's implementation
switches ``foreach``, ``fused``, ``capturable`` and ``differentiable`` are
accepted and stored in the groups (so state_dicts have torch's keys) but
change nothing: the kernel mode (``glassgrad.kernels``) picks between the rule
and its fused kernel. A learning rate may be a float or a one-element tensor.

``state_dict()`` uses torch's format: ``{"state": {index: {slot: value}},
"param_groups": [{..., "params": [index, ...]}]}`` where a parameter's index
counts through all groups in order. Arrays are NumPy copies (so the dict can
be written by ``glassgrad.save``), Tensors (in a torch-style subclass's state)
Tensor copies; a torch optimizer's state_dict loads too.
"""

from __future__ import annotations

import copy
import math
from collections import defaultdict
from collections.abc import Callable, Iterable
from typing import Any

import numpy as np

from glassgrad import autograd, backend, kernels
from glassgrad.autograd.hooks import RemovableHandle, hook_ids
from glassgrad.optim.state_slots import check_slot_names
from glassgrad.tensor import Tensor


class Optimizer:
    """Base class: param groups, per-parameter state, zero_grad, state_dict, and the ``step`` template.

    Args:
        params: an iterable of Parameters, of ``(name, Parameter)`` pairs (as
            ``model.named_parameters()`` gives; the names go to the group's
            ``"param_names"``), or of dicts ``{"params": [...], "lr": ...}``
            giving groups their own hyper-parameters.
        defaults: the hyper-parameters a group gets when it does not set them.

    A subclass writes its update rule (``update``), the state it starts from (``init_state``) and,
    where one exists, its fused kernel (``fused_update``); ``step`` runs them (see the module's
    docstring, "Writing an optimizer").
    """

    fused_update: Callable[..., None] | None = None  # the rule's fast twin in glassgrad.kernels, if any

    def __init__(self, params: Iterable[Any], defaults: dict[str, Any]) -> None:
        self.defaults = dict(defaults)
        self.param_groups: list[dict[str, Any]] = []
        self.state: defaultdict[Tensor, dict[str, Any]] = defaultdict(dict)
        self._scratch: dict[Any, Any] = {}  # the fused kernels' work arrays, one flat buffer per dtype (never saved)
        self._step_pre_hooks: dict[int, Callable[..., Any]] = {}
        self._step_post_hooks: dict[int, Callable[..., Any]] = {}
        if isinstance(params, Tensor):
            raise TypeError(f"{type(self).__name__}: params must be an iterable of tensors or of dicts, "
                            "got a single tensor (wrap it in a list)")
        try:
            groups = list(params)
        except TypeError:
            hint = "; pass model.parameters()" if hasattr(params, "parameters") else ""
            raise TypeError(f"{type(self).__name__}: params must be an iterable of tensors or of dicts, got "
                            f"{type(params).__name__}{hint}") from None
        if not groups:
            raise ValueError("optimizer got an empty parameter list")
        if not isinstance(groups[0], dict):
            groups = [{"params": groups}]
        for group in groups:
            self.add_param_group(group)

    def add_param_group(self, param_group: dict[str, Any]) -> None:
        """Add a group of parameters with its own hyper-parameters (missing ones from ``defaults``)."""
        if not isinstance(param_group, dict):
            raise TypeError(f"add_param_group: expected a dict, got {type(param_group).__name__}")
        if "params" not in param_group:
            raise ValueError(f"{type(self).__name__}: a param group must have a 'params' key, got keys "
                             f"{sorted(param_group)}")
        if "lr" in param_group:
            check_lr(param_group["lr"])
        params = param_group["params"]
        params = [params] if isinstance(params, Tensor) else list(params)
        names = None
        if params and all(isinstance(p, tuple) and len(p) == 2 and isinstance(p[0], str) for p in params):
            names, params = [name for name, _ in params], [p for _, p in params]
        for p in params:
            if not isinstance(p, Tensor):
                raise TypeError(f"{type(self).__name__} can only optimize Tensors, got {type(p).__name__}")
            if not p.is_leaf:
                raise ValueError(f"{type(self).__name__} can't optimize a non-leaf Tensor (shape {p.shape})")
            if getattr(p, "is_sparse", False):  # its values have no parameter-shaped array for a rule to edit
                raise NotImplementedError(f"{type(self).__name__} can't optimize a sparse tensor in glassgrad "
                                          f"(shape {tuple(p.shape)}; torch's SGD and Adagrad can): make the "
                                          "parameter dense")
            flags = getattr(p.array, "flags", None)
            if flags is not None and not flags.writeable:
                raise ValueError(f"{type(self).__name__} can't optimize a read-only tensor (shape "
                                 f"{tuple(p.shape)}; e.g. from_numpy of a read-only array): clone() it, or wrap it in "
                                 "nn.Parameter")
        group = {**self.defaults, **param_group, "params": params}
        if names is not None:
            group["param_names"] = names
        existing = {id(p) for g in self.param_groups for p in g["params"]}
        if any(id(p) in existing for p in params) or len({id(p) for p in params}) != len(params):
            raise ValueError("some parameters appear in more than one parameter group")
        self.param_groups.append(group)

    def zero_grad(self, set_to_none: bool = True) -> None:
        """Forget every gradient: set ``p.grad`` to None (default) or fill it with zeros."""
        for group in self.param_groups:
            for p in group["params"]:
                if set_to_none:
                    p.grad = None
                elif p.grad is not None:
                    p.grad.array[...] = 0

    # ----- the step template ----------------------------------------------------
    def step(self, closure: Callable[[], Any] | None = None) -> Any:
        """Update every parameter that has a gradient; return the closure's loss (None without one).

        The step pre hooks run first (``register_step_pre_hook``; one may replace the closure), then
        ``_step``, the template, under no_grad, then the step post hooks.
        """
        args, kwargs = self._run_step_pre_hooks(closure)
        loss = self._step(*args[1:], **kwargs)
        for hook in list(self._step_post_hooks.values()):
            hook(self, args, kwargs)
        return loss

    @autograd.no_grad()
    def _step(self, closure: Callable[[], Any] | None = None) -> Any:
        """The template: one update of every parameter that has a gradient.

        ``closure``, when given, is called first, with gradients enabled: it re-evaluates the loss
        (zero_grad, forward, backward) and returns it. Then each parameter with a gradient gets its
        state (``init_state`` on its first step), its step count, maximize and weight decay, the
        update rule (or the fused kernel in the "fast" kernel mode), and a version bump.
        """
        loss = evaluate_closure(closure)
        update = self._fused_step if self.fused_update is not None and kernels.fast() else self._rule_step
        for group in self.param_groups:
            numbers = hyperparameters(group)
            decay = dict(weight_decay=numbers.get("weight_decay", 0), maximize=numbers.get("maximize", False),
                         decoupled=numbers.get("decoupled_weight_decay", False), lr=numbers.get("lr", 0.0))
            for p in group["params"]:
                if p.grad is None:  # not used by this loss: no gradient, no step, no state
                    continue
                param, grad = p.array, p.grad.array
                state = self.state.get(p)
                first = not state  # p's first step (or a state saved before any step)
                if first:
                    state = self.init_state(param, numbers)
                if "step" in state:
                    state["step"] += 1
                if param.dtype.kind == "c":  # as torch: a complex number steps as two real ones
                    _update_as_real(update, param, grad, state, numbers, decay)
                else:
                    update(param, grad, state, numbers, decay)
                if first and state:  # a rule that keeps nothing (SGD without momentum) leaves no state, as torch
                    self.state[p] = state
                p._version_counter[0] += 1
        return loss

    def _rule_step(self, param: Any, grad: Any, state: dict[str, Any], group: dict[str, Any],
                   decay: dict[str, Any]) -> None:
        """Maximize and weight decay, then the update rule."""
        self.update(param, decayed_grad(param, grad, **decay), state, group)

    def _fused_step(self, param: Any, grad: Any, state: dict[str, Any], group: dict[str, Any],
                    decay: dict[str, Any]) -> None:
        """Maximize and weight decay, then the fused kernel, with a work array."""
        self.fused_update(param, decayed_grad(param, grad, **decay), state, group, self._scratch_for(param))

    def update(self, param: Any, grad: Any, state: dict[str, Any], group: dict[str, Any]) -> None:
        """The update rule: one step of ``param`` (an array, edited in place) along ``grad``.

        ``grad`` has maximize and weight decay applied; ``state`` is the parameter's state (its arrays
        edited in place, new slots added as needed); ``group`` the hyper-parameters as numbers.
        Every optimizer that runs the template defines it.
        """
        raise NotImplementedError(f"{type(self).__name__} must define its update rule, "
                                  "update(param, grad, state, group), or a step() of its own")

    def init_state(self, param: Any, group: dict[str, Any]) -> dict[str, Any]:
        """A parameter's state before its first step: none by default.

        Return a dict of slots (zero arrays shaped like ``param``, a ``"step"`` counter at 0 for a
        rule that counts its steps); the template stores it in ``self.state``.
        """
        return {}

    # ----- step hooks (torch's) --------------------------------------------------
    def register_step_pre_hook(self, hook: Callable[..., Any]) -> RemovableHandle:
        """``hook(optimizer, args, kwargs)`` runs before every ``step()``.

        As torch passes them, ``args`` is ``(optimizer,)`` or ``(optimizer, closure)`` and ``kwargs``
        is ``{}``; a hook may return ``(new_args, new_kwargs)`` to replace them. ``handle.remove()``
        unregisters it.
        """
        return self._add_step_hook(self._step_pre_hooks, hook)

    def register_step_post_hook(self, hook: Callable[..., Any]) -> RemovableHandle:
        """``hook(optimizer, args, kwargs)`` runs after every ``step()`` (its result is ignored)."""
        return self._add_step_hook(self._step_post_hooks, hook)

    def _add_step_hook(self, hooks: dict[int, Callable[..., Any]], hook: Callable[..., Any]) -> RemovableHandle:
        if type(self).step is not Optimizer.step:  # torch wraps every subclass's step; glassgrad does not
            raise NotImplementedError(f"{type(self).__name__} has a step() of its own, which runs no step hooks: "
                                      "call them in it, or write the optimizer's update rule on the base's "
                                      "template (see glassgrad.optim.optimizer)")
        key = next(hook_ids)
        hooks[key] = hook
        return RemovableHandle(hooks, key)

    def _run_step_pre_hooks(self, closure: Callable[[], Any] | None) -> tuple[tuple[Any, ...], dict[str, Any]]:
        """The step's ``(args, kwargs)`` as torch's hooks see them, after each pre hook had its say."""
        args: tuple[Any, ...] = (self,) if closure is None else (self, closure)
        kwargs: dict[str, Any] = {}
        for hook in list(self._step_pre_hooks.values()):
            result = hook(self, args, kwargs)
            if result is not None:
                if not (isinstance(result, tuple) and len(result) == 2):
                    raise RuntimeError(f"{type(self).__name__}.step: a step pre hook must return None or a tuple "
                                       f"of (new_args, new_kwargs), but got {result!r}.")
                args, kwargs = result
        return args, kwargs

    def _scratch_for(self, param: Any) -> Any:
        """A work array of param's shape for a fused kernel: a view on one flat buffer per dtype."""
        buf = self._scratch.get(param.dtype)
        if buf is None or buf.size < param.size:
            buf = self._scratch[param.dtype] = backend.xp.empty(param.size, dtype=param.dtype)
        return buf[: param.size].reshape(param.shape)

    # ----- saving and loading -------------------------------------------------
    def state_dict(self) -> dict[str, Any]:
        """A copy of the state and hyper-parameters, keyed by parameter index (torch's format)."""
        index: dict[int, int] = {}
        groups = []
        for group in self.param_groups:
            for p in group["params"]:
                index.setdefault(id(p), len(index))
            saved = {k: copy.deepcopy(v) for k, v in group.items() if k != "params"}
            saved["params"] = [index[id(p)] for p in group["params"]]
            groups.append(saved)
        state = {}
        for group in self.param_groups:
            for p in group["params"]:
                if p in self.state:
                    state[index[id(p)]] = {k: _export(v) for k, v in self.state[p].items()}
        return {"state": state, "param_groups": groups}

    def load_state_dict(self, state_dict: dict[str, Any]) -> None:
        """Restore state and hyper-parameters saved by ``state_dict()`` (ours or torch's).

        The optimizer must have been built over the same parameters, in the
        same groups and order; array slots are copied onto the backend in each
        parameter's dtype.
        """
        name = f"{type(self).__name__}.load_state_dict"
        if not isinstance(state_dict, dict):
            raise TypeError(f"{name}: expected a dict from state_dict(), got {type(state_dict).__name__}")
        missing = [key for key in ("state", "param_groups") if key not in state_dict]
        if missing:
            raise ValueError(f"{name}: not an optimizer state_dict: no {', '.join(map(repr, missing))} "
                             f"(keys: {sorted(map(str, state_dict))})")
        saved_groups = state_dict["param_groups"]
        for i, saved in enumerate(saved_groups):
            if not isinstance(saved, dict) or "params" not in saved:
                raise ValueError(f"load_state_dict: saved group {i} has no 'params' list")
            if "lr" in saved:
                check_lr(saved["lr"])
        if len(saved_groups) != len(self.param_groups):
            raise ValueError(f"load_state_dict: the saved state has {len(saved_groups)} parameter groups, "
                             f"this optimizer has {len(self.param_groups)}")
        by_index: dict[int, tuple[Tensor, dict[str, Any], dict[str, Any]]] = {}
        for i, (group, saved) in enumerate(zip(self.param_groups, saved_groups)):
            if len(group["params"]) != len(saved["params"]):
                raise ValueError(f"load_state_dict: group {i} has {len(saved['params'])} parameters in the saved "
                                 f"state but {len(group['params'])} here")
            for idx, p in zip(saved["params"], group["params"]):
                by_index[int(idx)] = p, {**group, **saved}, saved
        own = self._is_glassgrads()
        state: defaultdict[Tensor, dict[str, Any]] = defaultdict(dict)
        for idx, slots in state_dict["state"].items():
            if int(idx) not in by_index:
                raise ValueError(f"load_state_dict: state for parameter index {idx}, which no group holds")
            p, group_after, saved_group = by_index[int(idx)]
            check_slot_names(self, idx, slots, group_after, saved_group)
            state[p] = {k: _import(k, v, p, not own) for k, v in slots.items()}
            if own and getattr(self, "param_shaped_state", True):
                _check_slot_shapes(name, idx, state[p], p)
        self.state = state  # only now: a refused state_dict leaves the optimizer as it was
        for group, saved in zip(self.param_groups, saved_groups):
            for key, value in saved.items():
                if key != "params":
                    group[key] = copy.deepcopy(value)

    @classmethod
    def state_slots(cls, group: dict[str, Any]) -> frozenset[str] | None:
        """The slots of a parameter's state after a step with ``group``'s hyper-parameters.

        ``load_state_dict`` refuses a saved state with other slots (see ``glassgrad.optim.state_slots``).
        None (this base, a user's own subclass, LBFGS): not checked.
        """
        return None

    def _is_glassgrads(self) -> bool:
        """True for glassgrad's own optimizers: their state holds arrays, shaped like their parameter.

        ``load_state_dict`` checks those shapes (except LBFGS's flat vectors: ``param_shaped_state =
        False``) and restores arrays; a user's own Optimizer subclass is not checked (its state may hold
        anything) and gets its saved tensors back as Tensors.
        """
        return any(cls.__module__.startswith("glassgrad.optim.") and cls is not Optimizer for cls in type(self).__mro__)

    def __repr__(self) -> str:
        lines = [f"{type(self).__name__} ("]
        for i, group in enumerate(self.param_groups):
            lines.append(f"Parameter Group {i}")
            lines.extend(f"    {k}: {v}" for k, v in sorted(group.items()) if k != "params")
        return "\n".join(lines + [")"])


def _check_slot_shapes(name: str, index: Any, slots: dict[str, Any], param: Tensor) -> None:
    """Every array slot (``exp_avg``, ``momentum_buffer``, ...) of a parameter must have its shape."""
    for key, value in slots.items():
        shape = tuple(getattr(value, "shape", ()))
        if shape and shape != tuple(param.shape):
            raise ValueError(f"{name}: state '{key}' of parameter {index} has shape {shape}, but the parameter "
                             f"has shape {tuple(param.shape)}; was the state saved from another model?")


def _export(value: Any) -> Any:
    """A state slot as saved: arrays become NumPy copies, Tensors (a user's own optimizer keeps them, as
    torch's do) Tensor copies, also inside lists; numbers stay numbers."""
    if isinstance(value, list | tuple):
        return type(value)(_export(v) for v in value)
    if isinstance(value, Tensor):
        return value.detach().clone()
    if hasattr(value, "shape") and hasattr(value, "dtype"):
        return backend.to_numpy(value).copy()
    return copy.deepcopy(value)


def _import(key: str, value: Any, param: Tensor, as_tensors: bool) -> Any:
    """A saved slot as used: ``step`` becomes an int, arrays move to the backend in the param's dtype.

    ``as_tensors`` (a user's own Optimizer subclass, whose step does tensor arithmetic on its state):
    a saved tensor, glassgrad's or torch's, comes back as a Tensor, 0-d ones included; glassgrad's
    update rules work on arrays and numbers, so for them it comes back as those.
    """
    if isinstance(value, list | tuple):
        return type(value)(_import(key, v, param, as_tensors) for v in value)
    was_tensor = isinstance(value, Tensor)
    if was_tensor:
        value = backend.to_numpy(value.array)
    elif hasattr(value, "detach") and hasattr(value, "numpy"):  # a torch tensor
        value = value.detach().cpu().numpy()
        was_tensor = True
    if was_tensor and as_tensors:
        dtype = param.dtype if backend.is_float(value.dtype) else value.dtype
        return Tensor(backend.xp.asarray(value, dtype=dtype).copy())
    if isinstance(value, np.ndarray) and value.ndim == 0:
        value = value.item()
    if isinstance(value, np.ndarray):
        dtype = param.dtype if backend.is_float(value.dtype) else value.dtype
        return backend.xp.asarray(value, dtype=dtype).copy()
    if key == "step" and isinstance(value, float) and value.is_integer():
        return int(value)  # torch keeps ``step`` as a float tensor
    return value


def decayed_grad(param: Any, grad: Any, *, weight_decay: float, maximize: bool = False, decoupled: bool = False,
                 lr: float = 0.0) -> Any:
    """The gradient an update rule follows, after ``maximize`` and weight decay (lambda)::

        g <- -g                      (maximize: ascend instead of descend)
        g <- g + lambda p            (L2 weight decay, the default)
        p <- p (1 - lr lambda)       (decoupled weight decay, as AdamW: ``param`` shrinks in place, g is kept)

    Returns g as a new array (``grad`` itself when neither applies); ``grad`` is never edited.
    """
    if maximize:
        grad = -grad
    if weight_decay != 0:
        if decoupled:
            param *= 1 - lr * weight_decay
        else:
            grad = grad + weight_decay * param
    return grad


def check_adam_family(lr: float | Tensor, betas: tuple[float, float], eps: float, weight_decay: float) -> None:
    """The checks every Adam-style optimizer makes on its arguments (torch's messages)."""
    check_lr(lr)
    check_non_negative("epsilon value", eps)
    check_betas(betas)
    check_non_negative("weight_decay value", weight_decay)


def check_non_negative(name: str, value: float) -> None:
    """Raise ``ValueError("Invalid <name>: <value>")`` for a negative or NaN hyper-parameter (torch's wording)."""
    number = to_scalar(value)
    if not isinstance(number, int | float | np.number):
        raise TypeError(f"Invalid {name}: expected a number, got {value!r}")
    if not number >= 0.0:
        raise ValueError(f"Invalid {name}: {value}")


def check_lr(lr: float | Tensor) -> None:
    """A learning rate must be a non-negative float or a one-element tensor (torch's messages)."""
    if isinstance(lr, Tensor) and lr.numel() != 1:
        raise ValueError("Tensor lr must be 1-element")
    check_non_negative("learning rate", lr)


def check_betas(betas: tuple[float, float]) -> None:
    """Each beta must lie in [0, 1) (torch's message names the index)."""
    if not isinstance(betas, tuple | list) or len(betas) != 2:
        raise ValueError(f"Invalid betas: expected two numbers (beta1, beta2), got {betas!r}")
    for i, beta in enumerate(betas):
        if not 0.0 <= to_scalar(beta) < 1.0:
            raise ValueError(f"Invalid beta parameter at index {i}: {beta}")


def to_scalar(value: Any) -> Any:
    """A one-element tensor or array as a Python number; anything else unchanged."""
    if isinstance(value, Tensor):
        return value.item()
    if isinstance(value, np.ndarray) or (hasattr(value, "shape") and hasattr(value, "item")):
        return value.item()
    return value


def _update_as_real(update: Callable[..., None], param: Any, grad: Any, state: dict[str, Any],
                    *args: Any) -> None:
    """Step a complex parameter as torch does (``view_as_real``): each number as its real and imaginary parts.

    ``update`` sees the parameter, its gradient and its complex state arrays as real views of twice the
    length, sharing their memory, so that every elementwise rule (g^2, sqrt(v), max) acts on the two
    parts apart. A slot the rule adds (SGD's first momentum buffer) is kept as a complex array.
    """
    complex_slots = {key for key, value in state.items() if getattr(value, "dtype", None) == param.dtype}
    real_state = {key: _real_view(value) if key in complex_slots else value for key, value in state.items()}
    update(_real_view(param), _real_view(backend.xp.ascontiguousarray(grad)), real_state, *args)
    for key, value in real_state.items():
        if key not in complex_slots:
            added_array = getattr(value, "shape", None) == (2 * param.size,)
            state[key] = value.view(param.dtype).reshape(param.shape) if added_array else value


def _real_view(array: Any) -> Any:
    """A complex array as a flat real one, (re, im) of each number side by side, sharing its memory."""
    if not array.flags.c_contiguous:  # a flat view would be a copy, and the rule's in-place edits lost
        raise RuntimeError(f"optimizer step: a complex parameter (or state) of shape {tuple(array.shape)} is not "
                           "contiguous; make it so first (p.data = p.data.contiguous())")
    return array.reshape(-1).view(array.real.dtype)


def hyperparameters(group: dict[str, Any]) -> dict[str, Any]:
    """A group's hyper-parameters as the update rules read them: one-element tensors (lr, betas) as numbers.

    A copy, without ``"params"`` and ``"param_names"``; it is made once per group and step.
    """
    return {key: _as_number(value) for key, value in group.items() if key not in ("params", "param_names")}


def _as_number(value: Any) -> Any:
    """A one-element tensor or array as a Python number (also inside a tuple); anything else unchanged."""
    if isinstance(value, tuple):
        return tuple(_as_number(v) for v in value)
    if isinstance(value, Tensor):
        return value.item() if value.numel() == 1 else value
    if hasattr(value, "shape") and hasattr(value, "item") and math.prod(value.shape) == 1:
        return value.item()
    return value


def evaluate_closure(closure: Callable[[], Any] | None) -> Any:
    """Call ``closure()`` with gradients enabled (``step`` runs under no_grad) and return its loss."""
    if closure is None:
        return None
    with autograd.enable_grad():
        return closure()
