"""``assert_close``: torch.testing's comparison of tensors, arrays, numbers and their containers.

Two values are close when, element by element,

    |actual - expected| <= atol + rtol * |expected|

(infinities must be equal, NaNs match only with ``equal_nan``). Without ``rtol``/``atol`` the
tolerances come from the dtype, as torch picks them: float16 (1e-3, 1e-5), bfloat16 (1.6e-2,
1e-5), float32 (1.3e-6, 1e-5), float64 and Python floats (1e-7, 1e-7), integers and bools exact.
Before the values, the shapes, devices, dtypes (``check_dtype``) and strides (``check_stride``)
must agree. Lists/tuples are compared item by item and mappings key by key; a failure names
the item (``The failure occurred for item [1]['w']``). The report reads as torch's::

    Tensor-likes are not close!

    Mismatched elements: 1 / 3 (33.3%)
    Greatest absolute difference: 0.5 at index (1,) (up to 1e-05 allowed)
    Greatest relative difference: 0.2 at index (1,) (up to 1.3e-06 allowed)
"""

from __future__ import annotations

import numbers
from collections.abc import Callable, Mapping, Sequence
from typing import Any

import numpy

from glassgrad import backend, dtypes
from glassgrad.tensor import Tensor

# (rtol, atol) by dtype; every other dtype (integers, bool) compares exactly
_TOLERANCES = {
    numpy.dtype(numpy.float16): (1e-3, 1e-5),
    numpy.dtype(dtypes.bfloat16): (1.6e-2, 1e-5),
    numpy.dtype(numpy.float32): (1.3e-6, 1e-5),
    numpy.dtype(numpy.float64): (1e-7, 1e-7),
}


class _Mismatch(Exception):
    """One comparison failed: the error to raise, and where in the containers it happened."""

    def __init__(self, error: type[Exception], message: str) -> None:
        super().__init__(message)
        self.error, self.message, self.path = error, message, ""


def default_tolerances(*dtype_list: Any) -> tuple[float, float]:
    """(rtol, atol) for comparing values of these dtypes: the loosest of theirs."""
    pairs = [_TOLERANCES.get(numpy.dtype(d), (0.0, 0.0)) for d in dtype_list]
    return max(p[0] for p in pairs), max(p[1] for p in pairs)


def assert_close(actual: Any, expected: Any, *, allow_subclasses: bool = True, rtol: float | None = None,
                 atol: float | None = None, equal_nan: bool = False, check_device: bool = True,
                 check_dtype: bool = True, check_layout: bool = True,  # noqa: ARG001  (every tensor is strided)
                 check_stride: bool = False, msg: str | Callable[[str], str] | None = None) -> None:
    """Raise ``AssertionError`` unless ``actual`` and ``expected`` are close (see the module text);
    ``msg`` replaces the report (a string) or rewrites it (a callable given the report)."""
    if (rtol is None) != (atol is None):
        missing = "atol" if atol is None else "rtol"
        raise ValueError(f"Both 'rtol' and 'atol' must be either specified or omitted, but got no {missing}.")
    options = {"allow_subclasses": allow_subclasses, "rtol": rtol, "atol": atol, "equal_nan": equal_nan,
               "check_device": check_device, "check_dtype": check_dtype, "check_stride": check_stride}
    try:
        _compare(actual, expected, options)
    except _Mismatch as failure:
        report = failure.message + (f"\n\nThe failure occurred for item {failure.path}" if failure.path else "")
        if failure.error is AssertionError and msg is not None:
            report = msg(report) if callable(msg) else msg
        raise failure.error(report) from None


def _compare(actual: Any, expected: Any, options: dict[str, Any]) -> None:
    if actual is None or expected is None:
        if actual is not expected:
            raise _Mismatch(AssertionError, f"None mismatch: {actual} is not {expected}")
        return
    if _is_tensor_like(actual) or _is_tensor_like(expected):
        _compare_tensor_likes(actual, expected, options)
    elif isinstance(actual, bool | numpy.bool_) and isinstance(expected, bool | numpy.bool_):
        if bool(actual) != bool(expected):
            raise _Mismatch(AssertionError, f"Booleans mismatch: {actual} is not {expected}")
    elif _is_number(actual) and _is_number(expected):
        _compare_numbers(actual, expected, options)
    elif isinstance(actual, Mapping) and isinstance(expected, Mapping):
        _compare_mappings(actual, expected, options)
    elif _is_sequence(actual) and _is_sequence(expected):
        if len(actual) != len(expected):
            raise _Mismatch(AssertionError, f"The length of the sequences mismatch: {len(actual)} != {len(expected)}")
        for i, (a, e) in enumerate(zip(actual, expected)):
            _within(f"[{i}]", _compare, a, e, options)
    else:
        raise _Mismatch(TypeError, f"No comparison pair was able to handle inputs of type {type(actual)} "
                                   f"and {type(expected)}.")


def _within(label: str, compare: Callable[..., None], *args: Any) -> None:
    """Run a nested comparison; a failure inside is reported with ``label`` in front of its path."""
    try:
        compare(*args)
    except _Mismatch as failure:
        failure.path = label + failure.path
        raise


def _compare_mappings(actual: Mapping, expected: Mapping, options: dict[str, Any]) -> None:
    missing = sorted(set(expected) - set(actual), key=repr)
    extra = sorted(set(actual) - set(expected), key=repr)
    if missing or extra:
        lines = ["The keys of the mappings do not match:"]
        lines += [f"Missing keys in the actual mapping: {missing}"] if missing else []
        lines += [f"Additional keys in the actual mapping: {extra}"] if extra else []
        raise _Mismatch(AssertionError, "\n".join(lines))
    for key in expected:
        _within(f"[{key!r}]", _compare, actual[key], expected[key], options)


def _is_tensor_like(value: Any) -> bool:
    return isinstance(value, Tensor | numpy.ndarray) or type(value).__module__.startswith("cupy")


def _is_number(value: Any) -> bool:
    return isinstance(value, numbers.Number) and not isinstance(value, bool | numpy.bool_)


def _is_sequence(value: Any) -> bool:
    return isinstance(value, Sequence) and not isinstance(value, str | bytes)


def _number_kind(value: Any) -> type:
    """The Python type a number stands for: int, float or complex (NumPy scalars included)."""
    for kind in (numbers.Integral, numbers.Real):
        if isinstance(value, kind):
            return int if kind is numbers.Integral else float
    return complex


def _compare_numbers(actual: Any, expected: Any, options: dict[str, Any]) -> None:
    kinds = _number_kind(actual), _number_kind(expected)
    if options["check_dtype"] and kinds[0] is not kinds[1]:
        raise _Mismatch(AssertionError, f"The (d)types do not match: {kinds[0]} != {kinds[1]}.")
    rtol, atol = _tolerances(options, *(numpy.float64 if kind is not int else numpy.int64 for kind in kinds))
    _check_scalar(actual, expected, rtol, atol, options["equal_nan"])


def _tolerances(options: dict[str, Any], *dtype_list: Any) -> tuple[float, float]:
    if options["rtol"] is not None:
        return options["rtol"], options["atol"]
    return default_tolerances(*dtype_list)


def _check_scalar(actual: Any, expected: Any, rtol: float, atol: float, equal_nan: bool) -> None:
    if bool(_close(numpy.asarray(actual), numpy.asarray(expected), rtol, atol, equal_nan)):
        return
    abs_diff = abs(actual - expected)
    rel_diff = abs_diff / abs(expected) if expected != 0 else float("inf") if abs_diff else 0.0
    exact = rtol == 0 and atol == 0
    lines = [f"Scalars are not {'equal' if exact else 'close'}!", "", f"Expected {expected} but got {actual}.",
             f"Absolute difference: {abs_diff}" + ("" if exact else f" (up to {atol} allowed)"),
             f"Relative difference: {rel_diff}" + ("" if exact else f" (up to {rtol} allowed)")]
    raise _Mismatch(AssertionError, "\n".join(lines))


def _compare_tensor_likes(actual: Any, expected: Any, options: dict[str, Any]) -> None:
    if not (_is_tensor_like(actual) and _is_tensor_like(expected)) or not _same_family(actual, expected, options):
        raise _Mismatch(TypeError, f"No comparison pair was able to handle inputs of type {type(actual)} "
                                   f"and {type(expected)}.")
    a, e = (t.detach() if isinstance(t, Tensor) else Tensor._make(t, False) for t in (actual, expected))
    checks = [("shape", a.shape, e.shape, True), ("device", a.device, e.device, options["check_device"]),
              ("dtype", a.dtype, e.dtype, options["check_dtype"]),
              ("stride()", a.stride(), e.stride(), options["check_stride"])]
    for name, ours, theirs, wanted in checks:
        if wanted and ours != theirs:
            raise _Mismatch(AssertionError, f"The values for attribute '{name}' do not match: {ours} != {theirs}.")
    rtol, atol = _tolerances(options, a.dtype, e.dtype)
    a_values, e_values = backend.to_numpy(a.array), backend.to_numpy(e.array)
    if a.dtype != e.dtype:  # check_dtype=False: compare in the dtype both promote to
        common = numpy.result_type(a_values, e_values)
        a_values, e_values = a_values.astype(common), e_values.astype(common)
    if a_values.ndim == 0:
        _check_scalar(a_values.item(), e_values.item(), rtol, atol, options["equal_nan"])
        return
    close = _close(a_values, e_values, rtol, atol, options["equal_nan"])
    if close.all():
        return
    raise _Mismatch(AssertionError, _mismatch_report(a_values, e_values, close, rtol, atol))


def _same_family(actual: Any, expected: Any, options: dict[str, Any]) -> bool:
    """Tensors with tensors, arrays with arrays; a subclass (a Parameter) only with allow_subclasses."""
    if options["allow_subclasses"]:
        return isinstance(actual, type(expected)) or isinstance(expected, type(actual))
    return type(actual) is type(expected)


def _close(actual: Any, expected: Any, rtol: float, atol: float, equal_nan: bool) -> Any:
    """Element-wise: equal (infinities included), within the tolerances, or both NaN with equal_nan."""
    if actual.dtype.kind not in "fc":
        return actual == expected
    with numpy.errstate(invalid="ignore", over="ignore"):
        close = (actual == expected) | (numpy.abs(actual - expected) <= atol + rtol * numpy.abs(expected))
    if equal_nan:
        close |= numpy.isnan(actual) & numpy.isnan(expected)
    return close


def _mismatch_report(actual: Any, expected: Any, close: Any, rtol: float, atol: float) -> str:
    """torch's report: how many elements differ, and the greatest absolute and relative differences."""
    if actual.dtype.kind in "fc":
        work_dtype = actual.dtype
    else:  # integers and bools: absolute differences as integers, relative ones in the default float dtype
        actual, expected, work_dtype = actual.astype(numpy.int64), expected.astype(numpy.int64), numpy.float32
    with numpy.errstate(invalid="ignore", over="ignore", divide="ignore"):
        abs_diff = numpy.abs(actual - expected)
        rel_diff = abs_diff.astype(work_dtype) / numpy.abs(expected).astype(work_dtype)
    total, mismatched = close.size, int(close.size - numpy.count_nonzero(close))
    exact = rtol == 0 and atol == 0
    lines = [f"Tensor-likes are not {'equal' if exact else 'close'}!", "",
             f"Mismatched elements: {mismatched} / {total} ({mismatched / total:.1%})"]
    for label, diff, allowed in (("absolute", abs_diff, atol), ("relative", rel_diff, rtol)):
        value, index = _greatest(numpy.where(close, 0, diff))
        lines.append(f"Greatest {label} difference: {value} at index {index}"
                     + ("" if exact else f" (up to {allowed} allowed)"))
    return "\n".join(lines)


def _greatest(diff: Any) -> tuple[Any, tuple[int, ...]]:
    """The largest entry (NaN, if any, counts as largest) and its index."""
    nan = numpy.isnan(diff) if diff.dtype.kind == "f" else numpy.zeros(diff.shape, dtype=bool)
    flat = int(numpy.argmax(nan)) if nan.any() else int(numpy.argmax(diff))
    index = tuple(int(i) for i in numpy.unravel_index(flat, diff.shape))
    return diff.reshape(-1)[flat].item(), index


__all__ = ["assert_close", "default_tolerances"]
