"""The array namespace of a backward that records a graph (``create_graph=True``).

Every op's backward is written once, against ``backend.xp``: ``grad * xp.exp(y)``,
``xp.where(mask, grad, 0)``, ``grad.sum(axis=0)``. On the ordinary path ``xp`` is NumPy and
those names compute with arrays. While ``glassgrad/autograd/higher_order.py`` runs a backward that must
record its own graph, the backward receives Tensors (the gradient, and the saved inputs and
outputs) and ``backend.xp`` is an instance of ``RecordingNamespace``: the same names, sorted
into three kinds.

* **differentiable twins**: ``exp``, ``where``, ``maximum``, ``moveaxis`` ... called with a
  Tensor run glassgrad's op of that meaning, which records a node (``TWINS`` below);
* **constants**: ``sign``, ``isnan``, ``zeros_like``, comparisons ... whose derivative is zero
  (or whose result does not depend on the values at all) run NumPy on the arrays and give an
  array;
* **anything else** called with a Tensor that requires grad raises: NumPy would drop the graph,
  and a second derivative computed through it would be silently wrong.

Called with arrays only, every name is NumPy's own, so the forwards of the ops a recording
backward calls (which receive arrays) run exactly as usual.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy

from glassgrad import ops
from glassgrad.ops.indexing import ArrayIndex, read_at
from glassgrad.tensor import Tensor, as_tensor


def _tensors_in(values: Any) -> list[Tensor]:
    """The Tensors among ``values``, looking one level into lists and tuples (``concatenate([a, b])``)."""
    found = []
    for v in values:
        if isinstance(v, Tensor):
            found.append(v)
        elif isinstance(v, list | tuple):
            found.extend(x for x in v if isinstance(x, Tensor))
    return found


def _arrays_of(value: Any) -> Any:
    """``value`` with every Tensor (one level into lists and tuples) replaced by its array."""
    if isinstance(value, Tensor):
        return value.array
    if isinstance(value, list | tuple):
        return type(value)(_arrays_of(v) for v in value)
    return value


def _pad(a: Tensor, widths: Any, mode: str = "constant", constant_values: float = 0.0) -> Tensor:
    """numpy.pad's (before, after) pairs, first axis first, as torch's flat list, last axis first."""
    if mode != "constant":
        raise NotImplementedError(f"create_graph: numpy.pad(mode={mode!r}) has no differentiable twin")
    pairs = numpy.broadcast_to(numpy.asarray(widths, dtype=numpy.int64), (a.ndim, 2))
    flat = tuple(int(w) for pair in reversed(pairs.tolist()) for w in pair)
    return ops.pad(a, flat, value=constant_values)


def _split(a: Tensor, bounds: Any, axis: int = 0) -> list[Tensor]:
    """numpy.split at the positions ``bounds`` (a list) as torch's split into sizes."""
    if isinstance(bounds, int):
        return list(ops.split(a, a.shape[axis] // bounds, axis))
    edges = [0, *bounds, a.shape[axis]]
    return list(ops.split(a, [stop - start for start, stop in zip(edges, edges[1:])], axis))


def _take(a: Tensor, indices: Any, axis: int | None = None) -> Tensor:
    """numpy.take: the elements (or, along ``axis``, the slices) at ``indices``, differentiable."""
    if axis is None:
        return read_at(ArrayIndex(indices), a.reshape(-1))
    return read_at(ArrayIndex((slice(None),) * (axis % a.ndim) + (indices,)), a)


def _expand_dims(a: Tensor, axis: Any) -> Tensor:
    axes = sorted(axis if isinstance(axis, tuple | list) else (axis,), key=lambda i: i % (a.ndim + 1))
    for i in axes:
        a = a.unsqueeze(i)
    return a


def _fft_twin(name: str, a: Tensor, **params: Any) -> Tensor:
    """numpy.fft.<name> as the glassgrad.fft transform op that computes it (the adjoints in the
    transforms' backward are themselves transforms: glassgrad/fft/transforms.py)."""
    from glassgrad.fft import transforms

    if name in ("fftn", "ifftn"):
        sizes = tuple(a.shape[axis] for axis in params["axes"])
        return transforms.C2C.apply(a, sizes=sizes, axes=params["axes"], norm=params["norm"],
                                    inverse=name == "ifftn")
    op = transforms.R2C if name == "rfft" else transforms.C2R
    return op.apply(a, n=params["n"], axis=params["axis"], norm=params["norm"])


def _prod(a: Tensor, axis: Any, keepdims: bool) -> Tensor:
    """numpy.prod over several axes: torch's prod takes one dim, so one axis at a time."""
    axes = range(a.ndim) if axis is None else (axis,) if isinstance(axis, int) else axis
    for i in sorted((i % a.ndim for i in axes), reverse=True):
        a = ops.prod(a, i, keepdim=keepdims)
    return a


# numpy name -> glassgrad op of the same meaning (signatures adapted where NumPy's differs)
TWINS: dict[str, Callable[..., Any]] = {
    "add": lambda a, b: a + b,
    "subtract": lambda a, b: a - b,
    "multiply": lambda a, b: a * b,
    "divide": lambda a, b: a / b,
    "true_divide": lambda a, b: a / b,
    "negative": lambda a: -a,
    "power": lambda a, b: ops.pow(a, b),
    "square": lambda a: a * a,
    "reciprocal": lambda a: 1 / a,
    "matmul": lambda a, b: ops.matmul(a, b),
    "dot": lambda a, b: ops.matmul(a, b),
    "exp": lambda a: ops.exp(a),
    "log": lambda a: ops.log(a),
    "sqrt": lambda a: ops.sqrt(a),
    "abs": lambda a: ops.abs(a),
    "absolute": lambda a: ops.abs(a),
    "tanh": lambda a: ops.tanh(a),
    "sin": lambda a: ops.sin(a),
    "cos": lambda a: ops.cos(a),
    "tan": lambda a: ops.tan(a),
    "sinh": lambda a: ops.sinh(a),
    "cosh": lambda a: ops.cosh(a),
    "arcsin": lambda a: ops.asin(a),
    "arccos": lambda a: ops.acos(a),
    "arctan": lambda a: ops.atan(a),
    "arcsinh": lambda a: ops.asinh(a),
    "arccosh": lambda a: ops.acosh(a),
    "arctanh": lambda a: ops.atanh(a),
    "arctan2": lambda a, b: ops.atan2(a, b),
    "hypot": lambda a, b: ops.hypot(a, b),
    "log1p": lambda a: ops.log1p(a),
    "expm1": lambda a: ops.expm1(a),
    "log2": lambda a: ops.log2(a),
    "log10": lambda a: ops.log10(a),
    "exp2": lambda a: ops.exp2(a),
    "logaddexp": lambda a, b: ops.logaddexp(a, b),
    "maximum": lambda a, b: ops.maximum(a, b),
    "minimum": lambda a, b: ops.minimum(a, b),
    "fmax": lambda a, b: ops.fmax(a, b),
    "fmin": lambda a, b: ops.fmin(a, b),
    "clip": lambda a, low=None, high=None: ops.clip(a, low, high),
    "where": lambda cond, a, b: ops.where(cond, a, b),
    "sum": lambda a, axis=None, keepdims=False: as_tensor(a).sum(axis=axis, keepdims=keepdims),
    "prod": lambda a, axis=None, keepdims=False: _prod(a, axis, keepdims),
    "mean": lambda a, axis=None, keepdims=False: as_tensor(a).mean(axis=axis, keepdims=keepdims),
    "amax": lambda a, axis=None, keepdims=False: ops.amax(a, () if axis is None else axis, keepdims),
    "amin": lambda a, axis=None, keepdims=False: ops.amin(a, () if axis is None else axis, keepdims),
    "max": lambda a, axis=None, keepdims=False: ops.amax(a, () if axis is None else axis, keepdims),
    "min": lambda a, axis=None, keepdims=False: ops.amin(a, () if axis is None else axis, keepdims),
    "einsum": lambda spec, *operands, optimize=False: ops.einsum(spec, *operands),
    "moveaxis": lambda a, source, destination: ops.movedim(a, source, destination),
    "swapaxes": lambda a, i, j: as_tensor(a).transpose(i, j),
    "transpose": lambda a, axes=None: as_tensor(a).permute(
        tuple(reversed(range(a.ndim))) if axes is None else tuple(axes)),
    "reshape": lambda a, shape: as_tensor(a).reshape(shape),
    "expand_dims": _expand_dims,
    "broadcast_to": lambda a, shape: ops.broadcast_to(a, tuple(shape)),
    "broadcast_arrays": lambda *arrays: list(ops.broadcast_tensors(*arrays)),
    "concatenate": lambda arrays, axis=0: ops.concatenate([as_tensor(x) for x in arrays], axis),
    "stack": lambda arrays, axis=0: ops.stack([as_tensor(x) for x in arrays], axis),
    "flip": lambda a, axis=None: ops.flip(a, tuple(range(a.ndim)) if axis is None else axis),
    "cumsum": lambda a, axis: ops.cumsum(a, axis),
    "cumprod": lambda a, axis: ops.cumprod(a, axis),
    "logaddexp.accumulate": lambda a, axis=0: ops.logcumsumexp(a, axis),
    "take_along_axis": lambda a, indices, axis: ops.take_along_dim(a, as_tensor(indices), axis),
    "pad": _pad,
    "tensordot": lambda a, b, axes=2: ops.tensordot(a, b, axes),
    "copy": lambda a: ops.clone(a),
    "ascontiguousarray": lambda a: a,
    "asarray": lambda a, dtype=None: a if dtype is None else as_tensor(a).to(dtype),
    "split": _split,
    "take": _take,
    "roll": lambda a, shift, axis=None: ops.roll(a, shift, axis),
    "tril": lambda a, k=0: ops.tril(a, k),
    "sinc": lambda a: ops.sinc(a),
    "ldexp": lambda a, e: ops.ldexp(a, e),
    "fmod": lambda a, b: ops.fmod(a, b),
    "conj": lambda a: ops.complex_parts.Conj.apply(a),
    "conjugate": lambda a: ops.complex_parts.Conj.apply(a),
    "fft.fftn": lambda a, axes, norm: _fft_twin("fftn", a, axes=tuple(axes), norm=norm),
    "fft.ifftn": lambda a, axes, norm: _fft_twin("ifftn", a, axes=tuple(axes), norm=norm),
    "fft.rfft": lambda a, n, axis, norm: _fft_twin("rfft", a, n=n, axis=axis, norm=norm),
    "fft.irfft": lambda a, n, axis, norm: _fft_twin("irfft", a, n=n, axis=axis, norm=norm),
    "linalg.inv": lambda a: ops.linalg_inverse.inv(a),
    "linalg.solve": lambda a, b: ops.linalg_inverse.solve(a, b),
    "triu": lambda a, k=0: ops.triu(a, k),
    "diagonal": lambda a, offset=0, axis1=0, axis2=1: as_tensor(a).diagonal(offset, axis1, axis2),
}

# names whose result has zero derivative, or does not depend on the values: computed on arrays
CONSTANTS = frozenset({
    "sign", "signbit", "isnan", "isinf", "isfinite", "isclose", "floor", "ceil", "trunc", "rint", "round", "fix",
    "floor_divide",
    "zeros_like", "ones_like", "empty_like", "full_like", "equal", "not_equal", "less", "less_equal", "greater",
    "greater_equal", "logical_and", "logical_or", "logical_not", "logical_xor", "argmax", "argmin", "argsort",
    "nonzero", "flatnonzero", "argwhere", "shape", "ndim", "result_type", "broadcast_shapes", "iinfo", "finfo",
    "allclose",
})


class _Refused:
    """A NumPy function without a differentiable twin: fine on arrays, an error on a graph tensor."""

    def __init__(self, function: Any, name: str) -> None:
        self._function, self._name = function, name

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        if any(t.requires_grad for t in _tensors_in(args) + _tensors_in(kwargs.values())):
            raise NotImplementedError(
                f"create_graph=True: a backward called numpy.{self._name} on a tensor of the graph; it has no "
                "differentiable twin in glassgrad.autograd.graph_namespace.TWINS, so the gradient cannot be "
                "differentiated")
        return self._function(*_arrays_of(args), **{k: _arrays_of(v) for k, v in kwargs.items()})

    def __getattr__(self, attribute: str) -> Any:  # ufunc methods: numpy.add.at, numpy.maximum.reduce ...
        full = f"{self._name}.{attribute}"
        if full in TWINS:  # numpy.logaddexp.accumulate
            return _Twin(getattr(self._function, attribute), full, TWINS[full])
        return _Refused(getattr(self._function, attribute), full)


class _Twin(_Refused):
    """NumPy's function on arrays; glassgrad's differentiable op when a Tensor comes in."""

    def __init__(self, function: Any, name: str, twin: Callable[..., Any]) -> None:
        super().__init__(function, name)
        self._twin = twin

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        if _tensors_in(args) or _tensors_in(kwargs.values()):
            return self._twin(*args, **kwargs)
        return self._function(*args, **kwargs)


class _Constant(_Refused):
    """A function with zero derivative: computed on the arrays, whatever comes in."""

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        return self._function(*_arrays_of(args), **{k: _arrays_of(v) for k, v in kwargs.items()})


class RecordingNamespace:
    """``backend.xp`` while a backward records its graph: NumPy's names, each a twin, a constant
    or refused for graph tensors (see the module docstring). Non-callables (dtypes, ``inf``,
    ``errstate``, ``ndarray``) are NumPy's own."""

    def __init__(self, arrays: Any = numpy, prefix: str = "") -> None:
        self._arrays, self._prefix = arrays, prefix
        self._cache: dict[str, Any] = {}

    def __getattr__(self, name: str) -> Any:
        if name.startswith("__"):
            raise AttributeError(name)
        found = self._cache.get(name)
        if found is None:
            found = self._cache[name] = self._wrap(name, getattr(self._arrays, name))
        return found

    def _wrap(self, name: str, value: Any) -> Any:
        full = self._prefix + name
        if isinstance(value, type(numpy)):  # numpy.linalg, numpy.lib, numpy.random
            return RecordingNamespace(value, full + ".")
        if not callable(value) or isinstance(value, type) or name == "errstate":
            return value
        if full in TWINS:
            return _Twin(value, full, TWINS[full])
        if full in CONSTANTS:
            return _Constant(value, full)
        return _Refused(value, full)
