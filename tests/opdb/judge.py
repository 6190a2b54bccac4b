"""Run one recorded sample of torch's op database on glassgrad and judge the answer.

Each sample ends in one of three verdicts:

* ``pass``: the same values (to a tolerance), dtype and shape as torch, and in float64 the same
  gradient of every input under the recorded random upstream gradient;
* ``unsupported``: glassgrad lacks the op (or the dtype, or the method form) or refuses the sample
  with a clear error (NotImplementedError, TypeError, AttributeError, RuntimeError, ValueError,
  IndexError): not passing, but not wrong either;
* ``wrong``: a value, dtype, shape or gradient that differs from torch's, or an unclear error
  (a KeyError, an AssertionError ...). A wrong answer fails the test.

A decomposition (svd, eigh, qr) is first put in torch's gauge (the signs of its singular vectors,
eigenvectors, Q's columns: gauge.py), since two correct libraries may choose them differently.
"""

from __future__ import annotations

import dataclasses
import math
import warnings
from collections.abc import Callable
from typing import Any

import numpy as np

from tests.helpers.oracle_codec import ArrayStore
from tests.helpers.oracle_codec import decode as decode_plain
from tests.opdb import gauge
from tests.opdb.calling import caller
from tests.opdb.codec import ANSWERS, Answer, decode, glassgrad_framework, walk

CLEAR_ERRORS = (NotImplementedError, TypeError, AttributeError, RuntimeError, ValueError, IndexError)


@dataclasses.dataclass(frozen=True)
class Verdict:
    verdict: str  # "pass", "unsupported" or "wrong"
    where: str  # "float64 sample 2 (method)"
    detail: str = ""


def tolerance(dtype: str, reference: np.ndarray) -> tuple[float, float]:
    """(rtol, atol) for comparing an answer of ``dtype``: float32 to ~1e-4 of the answer's scale (glassgrad
    may sum in another order or compute in float64), float64 to 1e-6, float16 to 1e-3."""
    finite = np.abs(reference[np.isfinite(reference)]) if reference.size else np.abs(reference)
    scale = max(1.0, float(finite.max(initial=0.0)))
    if dtype in ("float64", "complex128"):
        return 1e-6, 1e-6 * scale
    if dtype in ("float16", "bfloat16"):
        return 1e-2, 1e-2 * scale
    return 1e-4, 1e-4 * scale


def differs(expected: Any, actual: Any, glassgrad: Any) -> str | None:
    """Why ``actual`` (glassgrad's answer) is not ``expected`` (torch's, decoded as ANSWERS), or None."""
    if isinstance(expected, Answer):
        if not isinstance(actual, glassgrad.Tensor):
            return f"a {type(actual).__name__} where torch returns a tensor"
        values = actual.detach().numpy()
        if str(actual.dtype) != expected.dtype:
            return f"dtype {actual.dtype}, torch {expected.dtype}"
        if values.shape != expected.values.shape:
            return f"shape {values.shape}, torch {expected.values.shape}"
        return values_differ(expected.values, values, expected.dtype)
    if isinstance(expected, dict) and set(expected) == {"shape", "dtype"}:  # a random answer
        if not isinstance(actual, glassgrad.Tensor):
            return f"a {type(actual).__name__} where torch returns a tensor"
        if list(actual.shape) != list(expected["shape"]) or str(actual.dtype) != expected["dtype"]:
            return f"{actual.dtype}{list(actual.shape)}, torch {expected['dtype']}{list(expected['shape'])}"
        return None
    if isinstance(expected, list | tuple):
        if not isinstance(actual, list | tuple) or len(actual) != len(expected):
            return f"{_describe(actual)} where torch returns {len(expected)} results"
        for position, (e, a) in enumerate(zip(expected, actual)):
            why = differs(e, a, glassgrad)
            if why:
                return f"result {position}: {why}"
        return None
    return _scalar_differs(expected, actual)


def _describe(value: Any) -> str:
    return f"{len(value)} results" if isinstance(value, list | tuple) else f"a {type(value).__name__}"


def values_differ(expected: np.ndarray, actual: np.ndarray, dtype: str) -> str | None:
    if expected.dtype.kind not in "fc":
        if np.array_equal(expected, actual):
            return None
        where = np.argwhere(expected != actual)[0]
        return f"value {actual[tuple(where)]} at {tuple(int(i) for i in where)}, torch {expected[tuple(where)]}"
    rtol, atol = tolerance(dtype, expected)
    actual = actual.astype(np.complex128 if actual.dtype.kind == "c" or expected.dtype.kind == "c" else np.float64)
    close = np.isclose(actual, expected, rtol=rtol, atol=atol, equal_nan=True)
    if close.all():
        return None
    where = tuple(int(i) for i in np.argwhere(~close)[0])
    return f"value {actual[where]!r} at {where}, torch {expected[where]!r} ({int((~close).sum())} differ)"


def _scalar_differs(expected: Any, actual: Any) -> str | None:
    if isinstance(actual, np.generic):
        actual = actual.item()
    if expected is None or isinstance(expected, str):
        return None if actual == expected else f"{actual!r}, torch {expected!r}"
    if isinstance(expected, bool) != isinstance(actual, bool) or not isinstance(actual, int | float):
        return f"{actual!r} ({type(actual).__name__}), torch {expected!r} ({type(expected).__name__})"
    if isinstance(expected, float) and math.isnan(expected) and isinstance(actual, float) and math.isnan(actual):
        return None
    if type(expected) is not type(actual):  # an int where torch gives a float, or the other way round
        return f"{actual!r} ({type(actual).__name__}), torch {expected!r} ({type(expected).__name__})"
    return None if math.isclose(actual, expected, rel_tol=1e-5, abs_tol=1e-6) else f"{actual!r}, torch {expected!r}"


# ops whose indices torch leaves unspecified among equal values: (position of `dim` among the arguments after
# the input, its default, position of the indices among the results (None: the answer is the indices))
TIED_INDICES = {"topk": (1, -1, 1), "kthvalue": (1, -1, 1), "sort": (0, -1, 1), "argsort": (0, -1, None),
                "mode": (0, -1, 1), "median": (0, None, 1), "nanmedian": (0, None, 1), "cummax": (0, None, 1),
                "cummin": (0, None, 1)}


def same_up_to_ties(name: str, inputs: Any, args: Any, kwargs: Any, expected: Any, actual: Any,
                    glassgrad: Any) -> bool:
    """Whether glassgrad's indices pick the same values as torch's (they may differ among equal values)."""
    dim_at, default, index_at = TIED_INDICES[name]
    dim = kwargs.get("dim", args[dim_at] if len(args) > dim_at and isinstance(args[dim_at], int) else default)
    if dim is None or not isinstance(actual, tuple | list | glassgrad.Tensor):
        return False
    if index_at is None:
        expected_indices, actual_indices = expected, actual
    else:
        expected_indices, actual_indices = expected[index_at], actual[index_at]
        others = [i for i in range(len(expected)) if i != index_at]
        if len(actual) != len(expected) or any(differs(expected[i], actual[i], glassgrad) for i in others):
            return False
    if differs(Answer(np.zeros(expected_indices.values.shape, np.int64), expected_indices.dtype),
               glassgrad.zeros_like(actual_indices), glassgrad):
        return False  # another dtype or shape
    values = np.atleast_1d(inputs.detach().numpy())
    picked = [_take(values, np.atleast_1d(indices), dim)
              for indices in (expected_indices.values, actual_indices.detach().numpy())]
    return picked[0] is not None and picked[1] is not None and np.array_equal(*picked, equal_nan=True)


def _take(values: np.ndarray, indices: np.ndarray, dim: int) -> np.ndarray | None:
    if indices.ndim < values.ndim:  # the reduced dim was dropped (keepdim=False)
        indices = np.expand_dims(indices, dim)
    try:
        return np.take_along_axis(values, indices, axis=dim)
    except (IndexError, ValueError):
        return None


def run_sample(glassgrad: Any, call: Callable[..., Any], sample: dict[str, Any], store: ArrayStore,
               where: str, with_gradient: bool = True, name: str = "") -> Verdict:
    """Feed one recorded sample to ``call`` (glassgrad's op) and judge its answer."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            inputs, args, kwargs = decode(sample["input"], store, glassgrad_framework(glassgrad))
            output = call(inputs, *args, **kwargs)
    except CLEAR_ERRORS as error:
        return Verdict("unsupported", where, describe_error(error))
    except Exception as error:  # noqa: BLE001 -- an unclear error is a bug to report, not a crash of the test
        return Verdict("wrong", where, f"unclear error {describe_error(error)}")
    expected = decode(sample["output"], store, ANSWERS)
    output = gauge.align(name, expected, output, glassgrad)  # decompositions only: signs torch may choose otherwise
    why = differs(expected, output, glassgrad)
    if why and not (name in TIED_INDICES and same_up_to_ties(name, inputs, args, kwargs, expected, output, glassgrad)):
        return Verdict("wrong", where, why)
    if with_gradient and sample.get("gradient", {}).get("upstream"):
        return _judge_gradient(glassgrad, sample["gradient"], store, (inputs, args, kwargs), output, where)
    return Verdict("pass", where)


def _judge_gradient(glassgrad: Any, recorded: dict[str, Any], store: ArrayStore, used: Any, output: Any,
                    where: str) -> Verdict:
    inputs = [t for t in walk(used) if isinstance(t, glassgrad.Tensor) and t.requires_grad]
    names = [f"input {i}" for i in range(len(inputs))]
    return gradient_verdict(glassgrad, output, recorded["upstream"], inputs, recorded["grads"], names, store, where)


def gradient_verdict(glassgrad: Any, output: Any, upstream: list[Any], wanted: list[Any], expected: list[Any],
                     names: list[str], store: ArrayStore, where: str) -> Verdict:
    """Backward from sum(out_i * g_i) with torch's upstream g_i; the gradients of ``wanted`` must be
    ``expected`` (stored arrays; None: no gradient, the same as zeros)."""
    outputs = [t for t in walk(output) if isinstance(t, glassgrad.Tensor)]
    with warnings.catch_warnings():  # an output of -inf (masked.log_softmax) sums to NaN, silently in torch
        warnings.simplefilter("ignore", RuntimeWarning)
        terms = [_weighted(glassgrad, outputs[position], decode_plain(ref, store))
                 for position, ref in upstream if outputs[position].requires_grad]
    if not terms:
        return Verdict("unsupported", where, "the output does not require grad (torch's does)")
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            grads = glassgrad.autograd.grad(sum(terms[1:], terms[0]), wanted, allow_unused=True)
    except CLEAR_ERRORS as error:
        return Verdict("unsupported", where, f"backward: {describe_error(error)}")
    except Exception as error:  # noqa: BLE001
        return Verdict("wrong", where, f"backward: unclear error {describe_error(error)}")
    for name, target, ref, grad in zip(names, wanted, expected, grads):
        reference = np.zeros(tuple(target.shape)) if ref is None else decode_plain(ref, store)
        actual = np.zeros(reference.shape) if grad is None else grad.detach().numpy()
        why = f"shape {actual.shape}, torch {reference.shape}" if actual.shape != reference.shape else \
            values_differ(reference, actual, "float64")
        if why:
            return Verdict("wrong", where, f"gradient of {name}: {why}")
    return Verdict("pass", where)


def _weighted(glassgrad: Any, output: Any, upstream: np.ndarray) -> Any:
    """sum(Re(conj(g) out)): sum(out * g) for a real output (record.record_gradients' loss)."""
    term = (output * glassgrad.tensor(np.asarray(np.conj(upstream)))).sum()
    return term.real if output.is_complex() else term


def describe_error(error: BaseException) -> str:
    message = str(error).splitlines()[0] if str(error) else ""
    return f"{type(error).__name__}: {message[:160]}"


def judge_op(glassgrad: Any, entry: dict[str, Any], record: dict[str, Any], store: ArrayStore) -> list[Verdict]:
    """Every recorded sample of one OpInfo through its function form (values and, in float64, gradients)
    and, when torch has one, its Tensor method form (values)."""
    verdicts = []
    call = caller(glassgrad, entry["call"])
    method = entry.get("method")
    for dtype, samples in record["samples"].items():
        for number, sample in enumerate(samples):
            verdicts.append(run_sample(glassgrad, call, sample, store, f"{dtype} sample {number}",
                                       name=entry["name"]))
            if method and entry["call"] != {"method": method}:
                verdicts.append(run_sample(glassgrad, caller(glassgrad, {"method": method}), sample, store,
                                           f"{dtype} sample {number} (Tensor.{method})", with_gradient=False,
                                           name=entry["name"]))
    return verdicts


def overall(verdicts: list[Verdict]) -> str:
    """The OpInfo's outcome: "wrong" if any sample is, "pass" if every one passes, else "unsupported"."""
    kinds = {v.verdict for v in verdicts}
    return "wrong" if "wrong" in kinds else "unsupported" if "unsupported" in kinds else "pass"
