"""Ways to make a tensor, with torch's signatures: from data, filled, ranged (random ones: random_tensors.py).

Every factory takes ``dtype=``, ``device=`` and ``requires_grad=``; sizes are
varargs, one sequence or ``size=`` (``zeros(2, 3)``, ``zeros((2, 3))``,
``zeros(x.shape)``). Dtypes are inferred as torch infers them:

========================  ========================================
from                      dtype
========================  ========================================
Python bools              bool
Python ints               int64
Python floats             the default float dtype (float32)
Python complex numbers    the default complex dtype (complex64)
a NumPy array             its own dtype
``full``'s fill value     the same rule (True -> bool, 3 -> int64)
``arange`` arguments      int64 when all are ints, else default float
========================  ========================================
"""

from __future__ import annotations

import math
from typing import Any

import numpy

from glassgrad import backend, bfloat16_math, complex_math, dtypes
from glassgrad.device import array_module
from glassgrad.factory_args import any_dtype, check_options, finish, host, read_size, target_device
from glassgrad.tensor import Tensor, to_array


# ----- from data --------------------------------------------------------------------------------
def _holds_arrays(data: Any) -> bool:
    """True for (nested) lists that hold tensors or NumPy arrays somewhere."""
    if isinstance(data, Tensor | numpy.ndarray):
        return True
    return isinstance(data, list | tuple) and any(_holds_arrays(item) for item in data
                                                  if item.__class__ is not float and item.__class__ is not int)


def _leaf_dtypes(data: Any) -> list[numpy.dtype]:
    """The dtype of every leaf, Python numbers read as torch reads them (float -> the default float)."""
    if isinstance(data, Tensor | numpy.ndarray | numpy.generic):
        return [numpy.dtype(data.dtype)]
    if isinstance(data, list | tuple):
        return [dt for item in data for dt in _leaf_dtypes(item)]
    return [to_array(data, None).dtype]


def _promote(kinds: list[numpy.dtype]) -> numpy.dtype:
    """torch's promotion across categories: any float wins (the widest float), then ints, then bool."""
    for category in ("c", "f", "iu", "b"):
        members = [dt for dt in kinds if dt.kind in category]
        if members:
            return max(members, key=lambda dt: dt.itemsize)
    return backend.get_default_dtype()


def _join_arrays(data: Any) -> Any:
    """Nested lists of tensors/arrays (and numbers) as one NumPy array, of torch's promoted dtype."""
    def host_values(item: Any) -> Any:
        if isinstance(item, Tensor):
            return backend.to_numpy(item.array)
        if isinstance(item, list | tuple):
            return [host_values(x) for x in item]
        return item

    return numpy.array(host_values(data), dtype=_promote(_leaf_dtypes(data)))


def tensor(data: Any, *, dtype: Any = None, device: Any = None, requires_grad: bool = False,
           pin_memory: bool = False) -> Tensor:  # noqa: ARG001  (pin_memory: torch's, no meaning here)
    """A new leaf tensor holding a COPY of ``data`` (a number, nested lists, an array, a tensor).

    A list of tensors or arrays (``tensor([t1, t2])``) takes their dtype; see the
    module text for the dtype of Python data.
    """
    source = _join_arrays(data) if isinstance(data, list | tuple) and _holds_arrays(data) else data
    array = to_array(source, dtype)
    if hasattr(source, "dtype"):  # an array: asarray may have shared its memory
        array = array.copy()
    return finish(array, device, requires_grad, "tensor")


def as_tensor(data: Any, dtype: Any = None, device: Any = None) -> Tensor:
    """``data`` as a tensor, sharing memory where it can: a tensor of the asked dtype
    and device comes back as it is, a NumPy array of the asked dtype is wrapped without a copy."""
    if isinstance(data, Tensor):
        return data.to(device=device, dtype=dtype)
    source = _join_arrays(data) if isinstance(data, list | tuple) and _holds_arrays(data) else data
    return finish(to_array(source, dtype), device, False, "as_tensor")


def from_numpy(ndarray: numpy.ndarray) -> Tensor:
    """A tensor sharing ``ndarray``'s memory and dtype: writes to one show in the other."""
    if not isinstance(ndarray, numpy.ndarray):
        raise TypeError(f"from_numpy: expected np.ndarray (got {type(ndarray).__name__})")
    if complex_math.mark(ndarray).dtype.kind not in "fiubc" and bfloat16_math.mark(ndarray).dtype != dtypes.bfloat16:
        raise TypeError(f"from_numpy: can't convert np.ndarray of type {ndarray.dtype}; glassgrad holds float, "
                        "complex, int and bool arrays"
        )
    return Tensor._make(ndarray, False)


# ----- filled -----------------------------------------------------------------------------------
def _filled(op: str, sizes: tuple[Any, ...], options: dict[str, Any], value: Any, dtype: Any, device: Any,
            requires_grad: bool) -> Tensor:
    """A tensor of ``value`` (shape from ``sizes`` or ``options["size"]``)."""
    size = options.pop("size", None)
    if options:
        check_options(op, options)
    shape = read_size(op, sizes, size)
    target, dtype = target_device(device), any_dtype(dtype, None)
    xp = array_module(target)
    zero = value.__class__ is int and value == 0  # zeros and empty: one C call (full is empty and a fill)
    array = xp.zeros(shape, dtype=dtype) if zero else xp.full(shape, value, dtype=dtype)
    return finish(array, target, requires_grad, op)


def zeros(*size: Any, dtype: Any = None, device: Any = None, requires_grad: bool = False, **options: Any) -> Tensor:
    """A tensor of zeros: ``zeros(2, 3)``, ``zeros((2, 3))``, ``zeros(size=(2, 3))``."""
    return _filled("zeros", size, options, 0, dtype, device, requires_grad)


def ones(*size: Any, dtype: Any = None, device: Any = None, requires_grad: bool = False, **options: Any) -> Tensor:
    """A tensor of ones."""
    return _filled("ones", size, options, 1, dtype, device, requires_grad)


def empty(*size: Any, dtype: Any = None, device: Any = None, requires_grad: bool = False, **options: Any) -> Tensor:
    """An uninitialised tensor in torch; here it holds zeros (so runs repeat exactly)."""
    return _filled("empty", size, options, 0, dtype, device, requires_grad)


def _fill_dtype(fill_value: Any) -> Any:
    """torch's inference for ``full``: bool -> bool, int -> int64, float -> the default float."""
    if isinstance(fill_value, Tensor | numpy.ndarray | numpy.generic):
        return fill_value.dtype
    if isinstance(fill_value, bool):
        return dtypes.bool
    if isinstance(fill_value, int):
        return dtypes.int64
    if isinstance(fill_value, complex):
        return dtypes.complex_of(backend.get_default_dtype())
    return None  # the default float dtype


def full(size: Any, fill_value: Any, *, dtype: Any = None, device: Any = None, requires_grad: bool = False,
         **options: Any) -> Tensor:
    """A tensor of ``size`` filled with ``fill_value``; its dtype follows the value (see the module text)."""
    size = (size,) if isinstance(size, int) else size
    dtype = _fill_dtype(fill_value) if dtype is None else dtype
    return _filled("full", (size,), options, host(fill_value), dtype, device, requires_grad)


def eye(n: int, m: int | None = None, *, dtype: Any = None, device: Any = None, requires_grad: bool = False,
        **options: Any) -> Tensor:
    """The (n, m) identity matrix (ones on the diagonal); m defaults to n."""
    check_options("eye", options)
    m = n if m is None else m
    read_size("eye", (n, m))
    xp = array_module(target_device(device))
    return finish(xp.eye(n, m, dtype=any_dtype(dtype, None)), device, requires_grad, "eye")


# ----- shaped like another tensor ----------------------------------------------------------------
def _like(op: str, input: Any, value: Any, dtype: Any, device: Any, requires_grad: bool,  # noqa: A002
          options: dict[str, Any]) -> Tensor:
    if not isinstance(input, Tensor):
        raise TypeError(f"{op}: expected a Tensor as input, got {type(input).__name__}")
    dtype = input.dtype if dtype is None else dtype
    device = input.device if device is None else device
    return _filled(op, (input.shape,), options, value, dtype, device, requires_grad)


def zeros_like(input: Any, *, dtype: Any = None, device: Any = None, requires_grad: bool = False,  # noqa: A002
               **options: Any) -> Tensor:
    """Zeros with the shape, dtype and device of ``input`` (dtype and device can be overridden)."""
    return _like("zeros_like", input, 0, dtype, device, requires_grad, options)


def ones_like(input: Any, *, dtype: Any = None, device: Any = None, requires_grad: bool = False,  # noqa: A002
              **options: Any) -> Tensor:
    """Ones with the shape, dtype and device of ``input``."""
    return _like("ones_like", input, 1, dtype, device, requires_grad, options)


def empty_like(input: Any, *, dtype: Any = None, device: Any = None, requires_grad: bool = False,  # noqa: A002
               **options: Any) -> Tensor:
    """Like ``empty``: the shape, dtype and device of ``input``, holding zeros."""
    return _like("empty_like", input, 0, dtype, device, requires_grad, options)


def full_like(input: Any, fill_value: Any, *, dtype: Any = None, device: Any = None,  # noqa: A002
              requires_grad: bool = False, **options: Any) -> Tensor:
    """``fill_value`` everywhere, with the shape, dtype and device of ``input``."""
    return _like("full_like", input, host(fill_value), dtype, device, requires_grad, options)


# ----- ranges -----------------------------------------------------------------------------------
def _number(op: str, name: str, value: Any) -> int | float:
    value = host(value)
    if isinstance(value, numpy.ndarray | numpy.generic):
        if value.size != 1:
            raise TypeError(f"{op}: {name} must be a number, got an array of shape {value.shape}")
        value = value.item()
    if not isinstance(value, int | float):
        raise TypeError(f"{op}: {name} must be a number, got {type(value).__name__}")
    return value


def arange(start: Any = 0, end: Any = None, step: Any = 1, *, dtype: Any = None, device: Any = None,
           requires_grad: bool = False, **options: Any) -> Tensor:
    """Values start, start + step, ... up to but excluding ``end``; ``arange(n)`` is 0 .. n-1.

    The dtype is int64 when every argument is an int, else the default float;
    there are ceil((end - start) / step) values.
    """
    check_options("arange", options)
    if end is None:
        start, end = 0, start
    start, end, step = (_number("arange", name, v) for name, v in (("start", start), ("end", end), ("step", step)))
    if not all(math.isfinite(v) for v in (start, end, step)):
        raise RuntimeError(f"arange: start, end and step must be finite, got start={start}, end={end}, step={step}")
    if step == 0:
        raise RuntimeError("arange: step must be nonzero")
    if (end - start) * step < 0:
        raise RuntimeError(f"arange: upper bound and lower bound inconsistent with step sign "
                           f"(start={start}, end={end}, step={step})")
    all_int = all(isinstance(v, int) and not isinstance(v, bool) for v in (start, end, step))
    out_dtype = any_dtype(dtype, dtypes.int64 if all_int else None)
    count = max(math.ceil((end - start) / step), 0)
    values = start + step * numpy.arange(count, dtype=numpy.int64 if all_int else numpy.float64)
    return finish(values.astype(out_dtype), device, requires_grad, "arange")


def linspace(start: Any, end: Any, steps: int, *, dtype: Any = None, device: Any = None,
             requires_grad: bool = False, **options: Any) -> Tensor:
    """``steps`` evenly spaced values from ``start`` to ``end``, both included (default float dtype).

    For an integer dtype the values are torch's exactly (``_integer_spaced``)."""
    check_options("linspace", options)
    start, end = _number("linspace", "start", start), _number("linspace", "end", end)
    steps = _steps("linspace", steps)
    target = any_dtype(dtype, None)
    if target.kind in "iub":
        values = _integer_spaced("linspace", start, end, steps, target)
    else:
        values = numpy.linspace(start, end, steps, dtype=numpy.float64).astype(target)
    return finish(values, device, requires_grad, "linspace")


def logspace(start: Any, end: Any, steps: int, base: float = 10.0, *, dtype: Any = None, device: Any = None,
             requires_grad: bool = False, **options: Any) -> Tensor:
    """``steps`` values base^t for t evenly spaced from ``start`` to ``end``.

    For an integer dtype the values are torch's exactly (``_integer_spaced``)."""
    check_options("logspace", options)
    start, end = _number("logspace", "start", start), _number("logspace", "end", end)
    steps = _steps("logspace", steps)
    target = any_dtype(dtype, None)
    if target.kind in "iub":
        values = _integer_spaced("logspace", start, end, steps, target, float(base))
    else:
        values = numpy.power(float(base), numpy.linspace(start, end, steps, dtype=numpy.float64)).astype(target)
    return finish(values, device, requires_grad, "logspace")


def _steps(op: str, steps: Any) -> int:
    if not isinstance(steps, int) or isinstance(steps, bool) or steps < 0:
        raise RuntimeError(f"{op}: number of steps must be a non-negative int, got {steps!r}")
    return steps


def _integer_spaced(op: str, start: int | float, end: int | float, steps: int, dtype: numpy.dtype,
                    base: float | None = None) -> numpy.ndarray:
    """linspace (``base`` None) or logspace for an integer dtype, computed as torch computes it.

    ``start`` and ``end`` first become integers of ``dtype`` (``_to_integer``: 2.7 -> 2), then
    with step = (end - start) / (steps - 1) in float64 the first half counts up from start and
    the second half down from end: t_i = start + step * i for i < steps // 2, else
    end - step * (steps - 1 - i). linspace cuts each t_i toward zero; logspace cuts base^t_i,
    and refuses a power outside the dtype's range (torch's value there is undefined). One step
    gives ``start`` (logspace: base^start with start as given); bool has only that one-step form.
    """
    if steps == 0:
        return numpy.zeros(0, dtype=dtype)
    if dtype.kind == "b":  # one step is a fill, which torch does have for bool
        if steps > 1:
            raise NotImplementedError(f"\"{op}_cpu\" not implemented for 'Bool'")
        return numpy.array([bool(start if base is None else base ** float(start))])
    if steps == 1 and base is not None:
        return numpy.array([_to_integer(op, "base ** start", base ** float(start), dtype)], dtype=dtype)
    first, last = _to_integer(op, "start", start, dtype), _to_integer(op, "end", end, dtype)
    if steps == 1:
        return numpy.array([first], dtype=dtype)
    step = float(last - first) / (steps - 1)
    i = numpy.arange(steps)
    t = numpy.where(i < steps // 2, first + step * i, last - step * (steps - 1 - i))
    if base is None:
        return t.astype(dtype)  # float -> int cuts toward zero
    with numpy.errstate(all="ignore"):
        powers = numpy.power(base, t)
    limits = numpy.iinfo(dtype)
    outside = ~((powers >= limits.min) & (powers < limits.max + 1))  # NaN is outside too
    if outside.any():
        raise RuntimeError(f"{op}: {base}^{t[outside][0]} = {powers[outside][0]} does not fit in {dtype} "
                           f"(torch's result there is undefined); use a floating dtype")
    return powers.astype(dtype)


def _to_integer(op: str, name: str, value: int | float, dtype: numpy.dtype) -> int:
    """A number as torch converts it to an integer dtype: a float is cut toward zero and must lie
    in the dtype's range (127.9 does not fit int8); a negative int wraps around for an unsigned
    dtype (-1 is 255 in uint8) when its magnitude fits."""
    limits = numpy.iinfo(dtype)
    if isinstance(value, int) and limits.min == 0 and -limits.max <= value < 0:
        return value % (limits.max + 1)
    if not limits.min <= value <= limits.max:  # NaN fails too
        raise RuntimeError(f"{op}: {name}={value!r}: value cannot be converted to type {dtype} without overflow")
    return math.trunc(value)


# the random factories live in random_tensors.py; importable from here as they always were
from glassgrad.random_tensors import rand as rand  # noqa: E402
from glassgrad.random_tensors import randn as randn  # noqa: E402
