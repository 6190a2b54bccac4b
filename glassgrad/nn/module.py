"""Module: the base of every layer and model (PyTorch's shape).

Attributes assigned in ``__init__`` are sorted into three registries by
``__setattr__``: Parameters (learnable), buffers (state such as running
statistics, saved but not learned) and sub-Modules. Everything else —
``parameters()``, ``state_dict()``, ``train()``, ``to()`` — walks those
registries, and the dotted names they produce (``"0.weight"``,
``"encoder.fc.bias"``) are the same as PyTorch's, so a torch state_dict loads
as it is (``load_state_dict`` lives in ``glassgrad/nn/state_dict.py``).

Conversions (``to``, ``double``, ``cuda``, ...) and loading edit the existing
Parameter objects (their arrays change, the objects stay), so an optimiser
built before the conversion keeps working, as in torch.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable, Iterator, Mapping
from typing import Any

from glassgrad import backend, bfloat16_math, dtypes
from glassgrad.autograd.hooks import RemovableHandle, hook_ids
from glassgrad.device import device, device_of, move_array
from glassgrad.nn import state_dict as _state
from glassgrad.nn.parameter import Parameter
from glassgrad.tensor import Tensor, to_arguments


def _type_name(value: Any) -> str:
    return f"{type(value).__module__}.{type(value).__qualname__}"


def _check_name(kind: str, name: Any, module: Module, registry: Mapping[str, Any]) -> None:
    """torch's checks on a registered name: a non-empty string without '.', not already a plain attribute."""
    if not isinstance(name, str):
        raise TypeError(f"{kind} name should be a string. Got {_type_name(name)}")
    if "." in name:
        raise KeyError(f"{kind} name can't contain \".\", got: {name}")
    if name == "":
        raise KeyError(f"{kind} name can't be empty string \"\"")
    if hasattr(module, name) and name not in registry:
        raise KeyError(f"attribute '{name}' already exists")


class Module:
    """Base class for layers and models; subclasses define ``forward``."""

    training: bool

    def __init__(self) -> None:
        object.__setattr__(self, "training", True)
        object.__setattr__(self, "_parameters", OrderedDict())
        object.__setattr__(self, "_buffers", OrderedDict())
        object.__setattr__(self, "_non_persistent", set())
        object.__setattr__(self, "_modules", OrderedDict())
        object.__setattr__(self, "_forward_pre_hooks", OrderedDict())
        object.__setattr__(self, "_forward_hooks", OrderedDict())

    # ----- registration -----------------------------------------------------
    def __setattr__(self, name: str, value: Any) -> None:
        """Sort the value: a Parameter, a Module, a tensor for an existing buffer, or a plain attribute."""
        registries = self.__dict__.get("_parameters"), self.__dict__.get("_buffers"), self.__dict__.get("_modules")
        params, buffers, modules = registries
        if isinstance(value, Parameter | Module):
            if params is None:
                kind = "parameters" if isinstance(value, Parameter) else "module"
                raise AttributeError(f"cannot assign {kind} before Module.__init__() call "
                                     f"(call super().__init__() first in {type(self).__name__}.__init__)")
            self.__dict__.pop(name, None)
            self._non_persistent.discard(name)
            # out of the other registries; in its own, an existing name keeps its place (a dict assignment),
            # as torch's ordered registries do: model.fc = Linear(...) stays the last child
            target = params if isinstance(value, Parameter) else modules
            for registry in registries:
                if registry is not target:
                    registry.pop(name, None)
            if isinstance(value, Parameter):
                self.register_parameter(name, value)  # refuses names such as a method's, as torch
            else:
                modules[name] = value
        elif params is not None and name in params:
            if value is not None:
                raise TypeError(f"cannot assign '{_type_name(value)}' as parameter '{name}' "
                                "(glassgrad.nn.Parameter or None expected)")
            params[name] = None
        elif modules is not None and name in modules:
            if value is not None:
                raise TypeError(f"cannot assign '{_type_name(value)}' as child module '{name}' "
                                "(glassgrad.nn.Module or None expected)")
            modules[name] = None
        elif buffers is not None and name in buffers:
            if value is not None and not isinstance(value, Tensor):
                raise TypeError(f"cannot assign '{_type_name(value)}' as buffer '{name}' "
                                "(glassgrad.Tensor or None expected)")
            buffers[name] = value
        else:
            object.__setattr__(self, name, value)

    def __getattr__(self, name: str) -> Any:
        for registry in ("_parameters", "_buffers", "_modules"):
            found = self.__dict__.get(registry)
            if found is not None and name in found:
                return found[name]
        raise AttributeError(f"'{type(self).__name__}' object has no attribute '{name}'")

    def __delattr__(self, name: str) -> None:
        for registry in (self._parameters, self._buffers, self._modules):
            if name in registry:
                del registry[name]
                self._non_persistent.discard(name)
                return
        object.__delattr__(self, name)

    def __dir__(self) -> list[str]:
        return sorted(set(super().__dir__()) | set(self._parameters) | set(self._buffers) | set(self._modules))

    def register_parameter(self, name: str, param: Parameter | None) -> None:
        """Add a parameter (or a None placeholder, e.g. ``bias=False``)."""
        if "_parameters" not in self.__dict__:
            raise AttributeError("cannot assign parameter before Module.__init__() call")
        _check_name("parameter", name, self, self._parameters)
        if param is not None and not isinstance(param, Parameter):
            raise TypeError(f"cannot assign '{_type_name(param)}' object to parameter '{name}' "
                            "(glassgrad.nn.Parameter or None required)")
        self._parameters[name] = param

    def register_buffer(self, name: str, tensor: Tensor | None, persistent: bool = True) -> None:
        """Add non-learned state (running statistics, masks): moved by ``to()``, saved by
        ``state_dict()`` unless ``persistent=False``, never returned by ``parameters()``."""
        if "_buffers" not in self.__dict__:
            raise AttributeError("cannot assign buffer before Module.__init__() call")
        _check_name("buffer", name, self, self._buffers)
        if tensor is not None and not isinstance(tensor, Tensor):
            raise TypeError(f"cannot assign '{_type_name(tensor)}' object to buffer '{name}' "
                            "(glassgrad Tensor or None required)")
        self._buffers[name] = tensor
        if persistent:
            self._non_persistent.discard(name)
        else:
            self._non_persistent.add(name)

    def add_module(self, name: str, module: Module | None) -> None:
        """Add a child module under ``name`` (what ``self.name = module`` does)."""
        if module is not None and not isinstance(module, Module):
            raise TypeError(f"{_type_name(module)} is not a Module subclass")
        _check_name("module", name, self, self._modules)
        self._modules[name] = module

    register_module = add_module

    def get_submodule(self, target: str) -> Module:
        """The descendant named by a dotted path (``"encoder.layers.0"``); ``""`` is this module."""
        module: Module = self
        if target == "":
            return module
        for item in target.split("."):
            if not hasattr(module, item):
                raise AttributeError(f"{type(module).__name__} has no attribute `{item}`")
            module = getattr(module, item)
            if not isinstance(module, Module):
                raise AttributeError(f"`{item}` is not an nn.Module")
        return module

    def get_parameter(self, target: str) -> Parameter:
        """The parameter at a dotted path (``"encoder.fc.weight"``)."""
        module_path, _, name = target.rpartition(".")
        module = self.get_submodule(module_path)
        if name not in module._parameters:
            raise AttributeError(f"{type(module).__name__} has no parameter `{name}`")
        return module._parameters[name]

    # ----- traversal --------------------------------------------------------
    def named_modules(self, memo: set[int] | None = None, prefix: str = "",
                      remove_duplicate: bool = True) -> Iterator[tuple[str, Module]]:
        """This module and every descendant, depth-first (parents before children), with dotted names.

        A module reachable twice (shared) is yielded once unless ``remove_duplicate=False``.
        """
        seen: set[int] = set() if memo is None else memo
        stack: list[tuple[str, Module]] = [(prefix, self)]
        while stack:
            name, module = stack.pop()
            if remove_duplicate:
                if id(module) in seen:
                    continue
                seen.add(id(module))
            yield name, module
            children = [(f"{name}.{k}" if name else k, m) for k, m in module._modules.items() if m is not None]
            stack.extend(reversed(children))

    def modules(self) -> Iterator[Module]:
        for _, module in self.named_modules():
            yield module

    def named_children(self) -> Iterator[tuple[str, Module]]:
        """The direct children (each distinct module once)."""
        seen: set[int] = set()
        for name, module in self._modules.items():
            if module is not None and id(module) not in seen:
                seen.add(id(module))
                yield name, module

    def children(self) -> Iterator[Module]:
        for _, module in self.named_children():
            yield module

    def _named_members(self, registry: str, prefix: str, recurse: bool,
                       remove_duplicate: bool) -> Iterator[tuple[str, Tensor]]:
        seen: set[int] = set()
        if recurse:
            modules = self.named_modules(prefix=prefix, remove_duplicate=remove_duplicate)
        else:
            modules = iter([(prefix, self)])
        for module_name, module in modules:
            for name, value in getattr(module, registry).items():
                if value is None or (remove_duplicate and id(value) in seen):
                    continue
                seen.add(id(value))
                yield (f"{module_name}.{name}" if module_name else name), value

    def named_parameters(self, prefix: str = "", recurse: bool = True,
                         remove_duplicate: bool = True) -> Iterator[tuple[str, Parameter]]:
        """(dotted name, Parameter) pairs; a parameter shared by two modules (weight tying) appears once."""
        yield from self._named_members("_parameters", prefix, recurse, remove_duplicate)  # type: ignore[misc]

    def parameters(self, recurse: bool = True) -> Iterator[Parameter]:
        for _, param in self.named_parameters(recurse=recurse):
            yield param

    def named_buffers(self, prefix: str = "", recurse: bool = True,
                      remove_duplicate: bool = True) -> Iterator[tuple[str, Tensor]]:
        """(dotted name, buffer) pairs, persistent or not."""
        yield from self._named_members("_buffers", prefix, recurse, remove_duplicate)

    def buffers(self, recurse: bool = True) -> Iterator[Tensor]:
        for _, buf in self.named_buffers(recurse=recurse):
            yield buf

    # ----- modes and grads --------------------------------------------------
    def train(self, mode: bool = True) -> Module:
        """Training mode (dropout active, batch statistics) for this module and, recursively, its children."""
        if not isinstance(mode, bool):
            raise ValueError("training mode is expected to be boolean")
        object.__setattr__(self, "training", mode)
        for module in self.children():
            module.train(mode)
        return self

    def eval(self) -> Module:
        """Evaluation mode: same as ``train(False)``."""
        return self.train(False)

    def zero_grad(self, set_to_none: bool = True) -> None:
        """Forget every parameter's gradient: set it to None (default) or fill it with zeros."""
        for param in self.parameters():
            if param.grad is None:
                continue
            if set_to_none:
                param.grad = None
            elif getattr(param.grad.array, "flags", None) is not None and param.grad.array.flags.writeable:
                param.grad.array[...] = 0
            else:
                param.grad = Tensor._make(backend.xp.zeros_like(param.grad.array), False)

    def requires_grad_(self, requires_grad: bool = True) -> Module:
        """Turn learning on or off for every parameter (freezing a sub-network); returns self."""
        for param in self.parameters():
            param.requires_grad_(requires_grad)
        return self

    def apply(self, fn: Callable[[Module], Any]) -> Module:
        """Call ``fn`` on every child (recursively) and then on this module; returns self.

        The usual use is initialisation: ``net.apply(init_weights)``.
        """
        for module in self.children():
            module.apply(fn)
        fn(self)
        return self

    # ----- device and dtype -------------------------------------------------
    def _apply(self, convert: Callable[[Any], Any], floating_only: bool) -> Module:
        """Replace the array of every parameter, buffer and gradient by ``convert(array)``, keeping the objects."""
        for module in self.modules():
            for tensor in list(module._parameters.values()) + list(module._buffers.values()):
                if tensor is None or (floating_only and not backend.is_float(tensor.dtype)):
                    continue
                tensor.array = convert(tensor.array)
                if tensor.grad is not None:
                    tensor.grad = Tensor._make(convert(tensor.grad.array), False)
        return self

    def share_memory(self) -> Module:
        """Move every parameter, buffer and gradient into shared memory (``Tensor.share_memory_``), so
        processes started afterwards update this very model (Hogwild training)."""
        for module in self.modules():
            for tensor in list(module._parameters.values()) + list(module._buffers.values()):
                if tensor is not None:
                    tensor.share_memory_()
                    if tensor.grad is not None:
                        tensor.grad.share_memory_()
        return self

    def to(self, *args: Any, **kwargs: Any) -> Module:
        """Move and/or cast in place: ``to(device)``, ``to(dtype)``, ``to(device, dtype)``, ``to(tensor)``.

        A dtype applies to floating parameters and buffers only (integer buffers such as
        ``num_batches_tracked`` keep theirs), and must be a floating dtype, as in torch.
        """
        target_device, target_dtype = to_arguments(args, kwargs, accepted=("non_blocking",))
        if target_dtype is not None:
            target_dtype = dtypes.to_dtype(target_dtype)
            if not backend.is_float(target_dtype):
                raise TypeError(f"nn.Module.to only accepts floating point dtypes, but got desired "
                                f"dtype={target_dtype}")
            self._apply(lambda a: a if a.dtype == target_dtype else bfloat16_math.cast(a, target_dtype),
                        floating_only=True)
        if target_device is not None:
            target_device = device(target_device)
            self._apply(lambda a: a if device_of(a) == target_device else move_array(a, target_device),
                        floating_only=False)
        return self

    def cpu(self) -> Module:
        return self.to("cpu")

    def cuda(self, device: Any = None) -> Module:  # noqa: ARG002  (one GPU: the index is not used)
        return self.to("cuda")

    def double(self) -> Module:
        return self.to(dtypes.float64)

    def float(self) -> Module:
        return self.to(dtypes.float32)

    def half(self) -> Module:
        return self.to(dtypes.float16)

    def bfloat16(self) -> Module:
        return self.to(dtypes.bfloat16)

    def type(self, dst_type: Any) -> Module:
        return self.to(dst_type)

    # ----- state ------------------------------------------------------------
    def state_dict(self, *, destination: dict[str, Any] | None = None, prefix: str = "",
                   keep_vars: bool = False) -> OrderedDict[str, Tensor]:
        """Every parameter and persistent buffer by dotted name, as torch: ``detach()``-ed
        tensors that SHARE memory with the model (``keep_vars=True``: the Parameters
        themselves). Take a snapshot with ``copy.deepcopy(model.state_dict())``."""
        return _state.state_dict(self, destination, prefix, keep_vars)

    def load_state_dict(self, state_dict: Mapping[str, Any], strict: bool = True,
                        assign: bool = False) -> _state.IncompatibleKeys:
        """Copy values into the parameters and buffers by name, in place.

        Values may be glassgrad tensors, NumPy arrays or torch tensors. With ``strict``
        (the default) a missing or unexpected key is an error; a shape mismatch always
        is (RuntimeError with torch's text). Returns ``(missing_keys, unexpected_keys)``.
        ``assign=True`` makes the loaded values the parameters' arrays instead of copying.
        """
        return _state.load_state_dict(self, state_dict, strict, assign)

    # ----- calling and printing ---------------------------------------------
    def forward(self, *args: Any, **kwargs: Any) -> Any:
        raise NotImplementedError(f'Module [{type(self).__name__}] is missing the required "forward" function')

    def register_forward_pre_hook(self, hook: Callable[..., Any]) -> RemovableHandle:
        """``hook(module, args)`` runs before ``forward``; a non-None result replaces the args."""
        key = next(hook_ids)
        self._forward_pre_hooks[key] = hook
        return RemovableHandle(self._forward_pre_hooks, key)

    def register_forward_hook(self, hook: Callable[..., Any]) -> RemovableHandle:
        """``hook(module, args, output)`` runs after ``forward``; a non-None result replaces the output."""
        key = next(hook_ids)
        self._forward_hooks[key] = hook
        return RemovableHandle(self._forward_hooks, key)

    def register_full_backward_hook(self, hook: Callable[..., Any]) -> RemovableHandle:
        """``hook(module, grad_input, grad_output)`` runs in backward; a tuple it returns replaces
        ``grad_input`` (see glassgrad/nn/backward_hooks.py)."""
        from glassgrad.nn.backward_hooks import register_full_backward_hook

        return register_full_backward_hook(self, hook)

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        for hook in list(self.__dict__.get("_forward_pre_hooks", {}).values()):
            result = hook(self, args)
            if result is not None:
                args = result if isinstance(result, tuple) else (result,)
        output = self.forward(*args, **kwargs)
        for hook in list(self.__dict__.get("_forward_hooks", {}).values()):
            result = hook(self, args, output)
            if result is not None:
                output = result
        return output

    def extra_repr(self) -> str:
        """The settings shown inside ``repr`` (layers override this), e.g. ``in_features=2, out_features=3``."""
        return ""

    def _get_name(self) -> str:
        return type(self).__name__

    def __repr__(self) -> str:
        """torch's layout: ``Name(extra)`` on one line, or one indented ``(child): repr`` line per child."""
        extra = self.extra_repr()
        extra_lines = extra.split("\n") if extra else []
        child_lines = [f"({name}): " + repr(module).replace("\n", "\n  ") for name, module in self._modules.items()]
        lines = extra_lines + child_lines
        if not lines:
            return f"{self._get_name()}()"
        if len(extra_lines) == 1 and not child_lines:
            return f"{self._get_name()}({extra_lines[0]})"
        return f"{self._get_name()}(\n  " + "\n  ".join(lines) + "\n)"
