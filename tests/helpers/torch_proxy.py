"""A stand-in for the torch module that records what torch answers, and replays it without torch.

Tests use torch freely through the ``torch`` fixture: they build tensors and layers, call
functions, backpropagate, and finally bring results back to NumPy to compare with glassgrad.
Rather than rewriting each test around a fixture file, the fixture hands out a proxy:

* **recording** (torch installed): the proxy wraps the real module. Every interaction of the
  test with a torch object (an attribute, a call, an operator, ``len``, iteration, ``bool``,
  ``np.asarray`` ...) is one *event*, passed on to torch and logged with a fingerprint of its
  arguments and the answer. An answer that is plain data (numbers, strings, NumPy arrays, a
  ``torch.Size``, tuples/lists/dicts of them) is logged by value; anything else (a tensor, a
  module, a dtype) gets an id and is handed to the test wrapped in another proxy.
* **replay** (no torch): the proxy wraps nothing. Each event takes the next logged answer,
  after checking that the test asked the same thing with the same arguments; stand-ins take
  the place of torch objects. Since a test only ever *looks* at torch through plain data, it
  sees exactly what it saw while recording.

Work that torch does on the test's behalf (a layer's ``forward`` written in the test, an
optimizer's closure) runs inside a recorded event, unrecorded and on the raw objects; in a
replay it does not run at all. A test whose own state depends on such callbacks (or on files
that torch wrote) cannot be replayed: mark it ``@pytest.mark.torch_live``.
"""

from __future__ import annotations

import builtins
import copy
import importlib
import inspect
import operator
import warnings
from collections import OrderedDict
from collections.abc import Callable, Iterator, Mapping, MutableMapping, MutableSequence, Sequence
from typing import Any

from tests.helpers.oracle_codec import ArrayStore, decode, encode, same, summarize


class OracleMismatch(AssertionError):
    """The test no longer asks torch what its recording says it asked."""


class Session:
    """One test's conversation with torch: ``mode`` is "record" (live torch) or "replay"."""

    def __init__(self, mode: str, nodeid: str, recorded: dict[str, Any] | None = None,
                 recorded_store: ArrayStore | None = None, real_torch: Any = None) -> None:
        self.mode = mode
        self.nodeid = nodeid
        self.events: list[list[Any]] = []
        self.values: dict[str, Any] = {}
        self.store = ArrayStore()
        self.recorded = recorded
        self.recorded_store = recorded_store
        self.position = 0
        self.depth = 0  # > 0 while torch runs test code on our behalf: no recording, raw objects
        self.broken = False
        self.check = False  # recording to compare with the stored recording, not to store it
        self.proxies: dict[int, Proxy] = {}
        self.targets: dict[int, Any] = {}
        self.ids_by_object: dict[int, int] = {}
        self.next_id = 1
        self.root = Proxy(self, 0)
        self.proxies[0] = self.root
        if real_torch is not None:
            self.targets[0] = real_torch
            self.ids_by_object[id(real_torch)] = 0

    # ----- the real objects behind the proxies --------------------------------------------------------
    def unwrap(self, value: Any) -> Any:
        if isinstance(value, Proxy):
            return self.targets[object.__getattribute__(value, "_oracle_id")]
        if type(value) in (list, tuple):
            return type(value)(self.unwrap(v) for v in value)
        if type(value) in (dict, OrderedDict):
            return type(value)((k, self.unwrap(v)) for k, v in value.items())
        return value

    def proxy_id(self, value: Any) -> int | None:
        return object.__getattribute__(value, "_oracle_id") if isinstance(value, Proxy) else None

    def _opaque(self, value: Any) -> dict[str, int]:
        if isinstance(value, Proxy):
            return {"ref": self.proxy_id(value)}
        known = self.ids_by_object.get(id(value))
        if known is not None:
            return {"ref": known}
        ident, self.next_id = self.next_id, self.next_id + 1
        self.targets[ident] = value
        self.ids_by_object[id(value)] = ident
        if isinstance(value, Mapping):
            return {"pm": ident}
        if isinstance(value, Sequence):
            return {"ps": ident}
        return {"p": ident}

    def _standin(self, tag: str, ident: int) -> Proxy:
        if ident not in self.proxies:
            kind = {"p": Proxy, "pm": MappingProxy, "ps": SequenceProxy}[tag]
            self.proxies[ident] = kind(self, ident)
        return self.proxies[ident]

    # ----- one event ---------------------------------------------------------------------------------
    def act(self, kind: str, name: str, action: Callable[..., Any], /, *args: Any, **kwargs: Any) -> Any:
        """Do ``action(*args, **kwargs)`` on the real objects (recording) or replay its answer."""
        if self.depth > 0:  # torch is running test code: raw objects in, raw objects out
            return action(*self.unwrap(args), **self.unwrap(kwargs))
        signature = summarize([list(args), kwargs], self.proxy_id)
        if self.mode == "replay":
            return self._replay(kind, name, signature)
        self.depth += 1
        try:
            with warnings.catch_warnings(record=True) as caught:  # torch's warnings are part of its answer
                warnings.simplefilter("always")
                result = action(*self.unwrap(args), **self.unwrap(kwargs))
        except Exception as error:
            self.events.append([kind, name, signature, {"raise": _describe(error)}])
            raise
        finally:
            self.depth -= 1
        encoded = encode(result, self.store, self._opaque, fresh=kind in ("call", "construct"))
        # torch's C++ warn-once messages ("Triggered internally") appear only the first time in a process,
        # so whether a test sees one depends on which tests ran before it: they are not part of the answer
        said = [_describe(w.message) for w in caught if "Triggered internally" not in str(w.message)]
        self.events.append([kind, name, signature, encoded, said] if said else [kind, name, signature, encoded])
        _warn(said)
        return decode(encoded, self.store, self._standin)

    def _replay(self, kind: str, name: str, signature: Any) -> Any:
        assert self.recorded is not None and self.recorded_store is not None
        events = self.recorded["events"]
        if self.broken:
            raise OracleMismatch(f"{self.nodeid}: replay stopped at an earlier mismatch")
        if self.position >= len(events):
            self._mismatch(f"the test asks torch more than was recorded ({kind} {name!r})")
        recorded_kind, recorded_name, recorded_signature, answer, *said = events[self.position]
        self.position += 1
        if (recorded_kind, recorded_name) != (kind, name):
            self._mismatch(f"event {self.position - 1}: the test does {kind} {name!r}, "
                           f"the recording {recorded_kind} {recorded_name!r}")
        if not same(recorded_signature, signature):
            self._mismatch(f"event {self.position - 1} ({kind} {name!r}) has other arguments: "
                           f"recorded {recorded_signature}, now {signature}")
        if isinstance(answer, dict) and "raise" in answer:
            raise _rebuild_error(answer["raise"])
        _warn(said[0] if said else [])
        return decode(answer, self.recorded_store, self._standin)

    def _mismatch(self, what: str) -> None:
        self.broken = True
        raise OracleMismatch(f"{self.nodeid}: the recorded torch oracle is stale: {what}. "
                             "Regenerate the fixtures with torch installed: `make fixtures`.")

    def value(self, name: str, produce: Callable[[], Any]) -> Any:
        """A value (e.g. drawn test cases) made by ``produce()`` when first recorded, then read back.

        A replay and a live check both use the stored value, so that they ask torch the same questions.
        """
        stored = None if self.recorded is None else self.recorded.get("values", {}).get(name)
        if stored is not None:
            result = decode(stored, self.recorded_store)
        elif self.mode == "replay":
            self._mismatch(f"no recorded value {name!r}")
        else:
            result = produce()
        encoded = encode(result, self.store)
        self.values[name] = encoded
        return decode(encoded, self.store)

    def unrecorded(self) -> _Unrecorded:
        """``with session.unrecorded():`` talk to the real torch without logging (recording only)."""
        return _Unrecorded(self)


class _Unrecorded:
    def __init__(self, session: Session) -> None:
        self.session = session

    def __enter__(self) -> None:
        if self.session.mode == "replay":
            raise RuntimeError("no live torch in a replay")
        self.session.depth += 1

    def __exit__(self, *exc: Any) -> None:
        self.session.depth -= 1


def _describe(error: BaseException) -> list[str]:
    base = next(c for c in type(error).__mro__ if c.__module__ == "builtins")
    return [base.__name__, str(error)]


def _warn(said: list[list[str]]) -> None:
    """Issue torch's warnings again, in the test's own warning filters (recording and replay alike)."""
    for category, message in said:
        cls = getattr(builtins, category, UserWarning)
        warnings.warn_explicit(message, cls if issubclass(cls, Warning) else UserWarning, "torch", 0, module="torch")


def _rebuild_error(description: list[str]) -> BaseException:
    cls = getattr(builtins, description[0], None)
    if not (isinstance(cls, type) and issubclass(cls, BaseException)):
        cls = RuntimeError
    return cls(description[1])


# ----- the proxy ---------------------------------------------------------------------------------------
def _session(proxy: Proxy) -> Session:
    return object.__getattribute__(proxy, "_oracle_session")


def _event(kind: str, name: str, action: Callable[..., Any]) -> Callable[..., Any]:
    """A proxy method: event ``kind``/``name`` performing ``action(target, *args)``."""

    def method(self: Proxy, /, *args: Any, **kwargs: Any) -> Any:
        return _session(self).act(kind, name, action, self, *args, **kwargs)

    method.__name__ = name
    return method


def _call(target: Any, /, *args: Any, **kwargs: Any) -> Any:
    return target(*args, **kwargs)


def _iterate(target: Any) -> tuple[Any, ...]:
    return tuple(iter(target))  # a tuple: always stored item by item (a list may be kept opaque)


def _swap(fn: Callable[[Any, Any], Any]) -> Callable[[Any, Any], Any]:
    return lambda target, other: fn(other, target)


_READABLE_DUNDERS = {"__name__", "__qualname__"}


class Proxy:
    """A torch object seen through a :class:`Session` (the real one, or a recorded stand-in)."""

    __slots__ = ("_oracle_session", "_oracle_id", "__weakref__")
    __array_ufunc__ = None  # numpy defers to our reflected operators, as it does for torch tensors

    def __init__(self, session: Session, ident: int) -> None:
        object.__setattr__(self, "_oracle_session", session)
        object.__setattr__(self, "_oracle_id", ident)

    def __getattr__(self, name: str) -> Any:
        if name.startswith("__") and name.endswith("__") and name not in _READABLE_DUNDERS:  # protocol probes
            raise AttributeError(name)
        return _session(self).act("getattr", name, getattr, self, name)

    def __setattr__(self, name: str, value: Any) -> None:
        _session(self).act("setattr", name, setattr, self, name, value)

    def __delattr__(self, name: str) -> None:
        _session(self).act("delattr", name, delattr, self, name)

    def __repr__(self) -> str:
        session = _session(self)
        if session.broken:
            return f"<torch stand-in #{object.__getattribute__(self, '_oracle_id')}>"
        return session.act("op", "__repr__", repr, self)

    def __str__(self) -> str:
        session = _session(self)
        if session.broken:
            return repr(self)
        return session.act("op", "__str__", str, self)

    def __hash__(self) -> int:
        return _session(self).act("hash", "__hash__", hash, self)

    def __iter__(self) -> Iterator[Any]:
        return iter(_session(self).act("op", "__iter__", _iterate, self))

    def __array__(self, dtype: Any = None, copy: Any = None) -> Any:
        import numpy as np

        array = _session(self).act("op", "__array__", np.asarray, self)
        return array if dtype is None else array.astype(dtype)

    @classmethod
    def __torch_function__(cls, func: Any, types: Any, args: Any = (), kwargs: Any = None) -> Any:
        """torch code that the test runs on torch's behalf met a proxy from the test: use the real object."""
        session = next(_session(v) for v in [*args, *(kwargs or {}).values()] if isinstance(v, Proxy))
        return func(*session.unwrap(tuple(args)), **session.unwrap(dict(kwargs or {})))

    def __mro_entries__(self, bases: tuple[Any, ...]) -> tuple[type, ...]:
        """``class TorchNet(torch.nn.Module)`` in a test: a class whose instances are proxies."""
        return (_subclassable(_session(self), self),)

    __call__ = _event("call", "__call__", _call)
    __len__ = _event("op", "__len__", len)
    __bool__ = _event("op", "__bool__", bool)
    __int__ = _event("op", "__int__", int)
    __float__ = _event("op", "__float__", float)
    __complex__ = _event("op", "__complex__", complex)
    __index__ = _event("op", "__index__", operator.index)
    __format__ = _event("op", "__format__", format)
    __round__ = _event("op", "__round__", round)
    __next__ = _event("op", "__next__", next)
    __contains__ = _event("op", "__contains__", operator.contains)
    __getitem__ = _event("op", "__getitem__", operator.getitem)
    __setitem__ = _event("op", "__setitem__", operator.setitem)
    __delitem__ = _event("op", "__delitem__", operator.delitem)
    __enter__ = _event("op", "__enter__", lambda target: target.__enter__())
    __exit__ = _event("op", "__exit__", lambda target, *exc: target.__exit__(*exc))
    __instancecheck__ = _event("op", "__instancecheck__", lambda target, obj: isinstance(obj, target))
    __subclasscheck__ = _event("op", "__subclasscheck__", lambda target, cls: issubclass(cls, target))
    __copy__ = _event("op", "__copy__", copy.copy)
    __deepcopy__ = _event("op", "__deepcopy__", lambda target, memo: copy.deepcopy(target))
    __neg__ = _event("op", "__neg__", operator.neg)
    __pos__ = _event("op", "__pos__", operator.pos)
    __abs__ = _event("op", "__abs__", operator.abs)
    __invert__ = _event("op", "__invert__", operator.invert)
    __eq__ = _event("op", "__eq__", operator.eq)  # type: ignore[assignment]
    __ne__ = _event("op", "__ne__", operator.ne)  # type: ignore[assignment]
    __lt__ = _event("op", "__lt__", operator.lt)
    __le__ = _event("op", "__le__", operator.le)
    __gt__ = _event("op", "__gt__", operator.gt)
    __ge__ = _event("op", "__ge__", operator.ge)


_BINARY = {
    "add": operator.add, "sub": operator.sub, "mul": operator.mul, "truediv": operator.truediv,
    "floordiv": operator.floordiv, "mod": operator.mod, "pow": operator.pow, "matmul": operator.matmul,
    "and": operator.and_, "or": operator.or_, "xor": operator.xor, "lshift": operator.lshift,
    "rshift": operator.rshift,
}
_INPLACE = {
    "add": operator.iadd, "sub": operator.isub, "mul": operator.imul, "truediv": operator.itruediv,
    "floordiv": operator.ifloordiv, "mod": operator.imod, "pow": operator.ipow, "matmul": operator.imatmul,
    "and": operator.iand, "or": operator.ior, "xor": operator.ixor, "lshift": operator.ilshift,
    "rshift": operator.irshift,
}
for _name, _fn in _BINARY.items():
    setattr(Proxy, f"__{_name}__", _event("op", f"__{_name}__", _fn))
    setattr(Proxy, f"__r{_name}__", _event("op", f"__r{_name}__", _swap(_fn)))
    setattr(Proxy, f"__i{_name}__", _event("op", f"__i{_name}__", _INPLACE[_name]))


class MappingProxy(Proxy):
    """A torch-side dict (a state_dict, an optimizer's param group): ``isinstance(x, Mapping)`` holds."""

    __slots__ = ()


class SequenceProxy(Proxy):
    """A torch-side list (an optimizer's param_groups) that the test may edit in place."""

    __slots__ = ()


MutableMapping.register(MappingProxy)
MutableSequence.register(SequenceProxy)


def _described(name: str, read: Callable[[Any], Any]) -> property:
    """An attribute that the class itself defines (``__doc__``), read from the torch object instead."""
    return property(lambda self: _session(self).act("getattr", name, read, self))


for _cls in (Proxy, MappingProxy, SequenceProxy):  # what ``inspect`` and docstring tests read
    _cls.__doc__ = _described("__doc__", lambda target: target.__doc__)  # type: ignore[assignment]
    _cls.__signature__ = _described("__signature__", inspect.signature)  # type: ignore[attr-defined]


def _subclassable(session: Session, proxy: Proxy) -> type:
    """A base class for a test's subclass of a torch class: calling the subclass is one event.

    Recording, the base is the real torch class under a metaclass whose ``__call__`` builds the
    instance unrecorded (the test's ``__init__`` and ``forward`` run as torch code) and hands
    back a proxy. Replaying, the base is an empty class whose call replays that event.
    """
    if session.mode == "replay":
        meta: type = type
        bases: tuple[type, ...] = ()
    else:
        real = session.unwrap(proxy)
        meta, bases = type(real), (real,)

    class Constructed(meta):  # type: ignore[misc, valid-type]
        def __call__(cls, /, *args: Any, **kwargs: Any) -> Any:
            construct = lambda *a, **k: meta.__call__(cls, *a, **k)  # noqa: E731
            return session.act("construct", cls.__qualname__, construct, *args, **kwargs)

    return Constructed("Recorded", bases, {"__module__": __name__})


def session_of(torch: Any) -> Session | None:
    """The session behind the ``torch`` fixture's module, or None when it is the real torch."""
    return _session(torch) if isinstance(torch, Proxy) else None


def torch_submodule(torch: Any, name: str) -> Any:
    """``import torch.optim.lbfgs`` for a test: the module through the ``torch`` fixture's session."""
    session = session_of(torch)
    if session is None:
        return importlib.import_module(name)
    return session.act("import", name, importlib.import_module, name)
