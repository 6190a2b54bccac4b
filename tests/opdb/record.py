"""Record torch's op database into tests/fixtures/opdb (needs torch==2.13.0 and expecttest).

    python -m tests.opdb.record              # every OpInfo
    python -m tests.opdb.record add sum      # only these OpInfo names (their variants too)

For each OpInfo of ``op_db`` and each of float64, float32, int64, bool that it supports on the CPU,
the first few of torch's ``sample_inputs(device="cpu", dtype, requires_grad)`` (each tensor at most
MAX_ELEMENTS elements) are stored with torch's answer: the output's values, dtype and shape, and in
float64, for a differentiable op, the gradient of every input that requires grad under a random
upstream gradient (seeded, stored too). Ops whose output is random (dropout, sampling, uninitialised
memory) keep the output's dtype and shape only.
"""

from __future__ import annotations

import sys
import warnings
import zlib
from collections import Counter
from typing import Any

import numpy as np

from tests.helpers.oracle_codec import ArrayStore, same
from tests.opdb import fixtures, gauge
from tests.opdb.calling import ADAPTERS, caller
from tests.opdb.codec import (
    ANSWERS,
    COMPLEX_DTYPES,
    IN_SCOPE_DTYPES,
    OutOfScope,
    allowing_complex,
    complex_in_scope,
    decode,
    encode,
    torch_framework,
    walk,
)

MAX_SAMPLES = {"float64": 6, "float32": 4, "int64": 4, "bool": 3, "complex128": 6, "complex64": 4}
MAX_DRAWN = 40  # samples looked at per dtype, stored or not
MAX_ELEMENTS = 2000  # per tensor, inputs and outputs
LARGE_ELEMENTS = 20000  # an OpInfo whose samples are all larger keeps one of them
# answers compared by dtype and shape only: samplers (a small sample may repeat under another seed by
# chance) and uninitialised memory; other ops count as random when two seeds give different answers
SAMPLERS = {"bernoulli", "multinomial", "normal", "cauchy", "exponential", "geometric", "log_normal", "uniform",
            "randn", "rand_like", "randn_like", "randint", "randint_like"}
UNINITIALISED = {"empty", "empty_like", "new_empty", "new_empty_strided", "empty_strided", "empty_permuted",
                 "resize_", "resize_as_"}
CUDA_ONLY = ("jiterator_", "torch.ops.aten._flash_attention", "torch.ops.aten._efficient_attention",
             "torch._scaled_mm")
NAMESPACES = ("", "nn.functional", "linalg", "special", "fft", "masked", "signal.windows", "Tensor")


def import_op_db() -> tuple[Any, list[Any], dict[int, str]]:
    """torch, op_db, and for each OpInfo (by id) the definitions module that holds it ("" for the main one)."""
    import torch
    from torch.testing._internal.common_methods_invocations import op_db
    from torch.testing._internal.opinfo import definitions

    torch.set_num_threads(1)
    defined_in = {}
    for name in ("linalg", "special", "fft", "signal", "_masked"):
        module = __import__(f"{definitions.__name__}.{name}", fromlist=["op_db"])
        defined_in.update({id(op): name for op in module.op_db})
    return torch, op_db, defined_in


def call_of(op: Any, torch: Any, key: str) -> dict[str, str] | None:
    """How the test calls the op (see calling.py), found from torch's function by identity."""
    if key in ADAPTERS:
        return {"adapter": key}
    # the namespace the OpInfo's name gives first: nn.functional.conv1d is F.conv1d (also torch.conv1d)
    named = [space for space in NAMESPACES if space and op.name.startswith(space + ".")]
    for space in named + [space for space in NAMESPACES if space not in named]:
        namespace = torch
        for part in space.split(".") if space else ():
            namespace = getattr(namespace, part)
        for attribute in _candidate_names(op):
            if getattr(namespace, attribute, None) is op.op:
                return {"function": f"{space}.{attribute}" if space else attribute}
    method = method_of(op)
    if method is not None and "<lambda>" in getattr(op.op, "__qualname__", ""):
        return {"method": method}
    return None


def _candidate_names(op: Any) -> list[str]:
    names = [op.name.split(".")[-1], getattr(op.op, "__name__", "")]
    return [name for name in names if name]


def method_of(op: Any) -> str | None:
    """The Tensor method variant's name, when torch has one other than the function itself."""
    method = op.method_variant
    if method is None or method is op.op or "<lambda>" in getattr(method, "__qualname__", ""):
        return None
    return method.__name__


def out_of_scope(op: Any, torch: Any, dtypes: tuple[str, ...] = IN_SCOPE_DTYPES) -> str | None:
    name = op.name
    if name.startswith(CUDA_ONLY) or not op.supported_dtypes("cpu"):
        return "CUDA-only"
    if name.startswith("sparse.") or name == "to_sparse":
        return "sparse tensors"
    if name.startswith(("torch.ops.aten.", "_")) and not name.startswith("__"):
        return "internal ATen operators"
    in_scope = {getattr(torch, d) for d in dtypes}
    if not op.supported_dtypes("cpu") & in_scope:
        complex_only = all(d.is_complex for d in op.supported_dtypes("cpu"))
        return "complex tensors" if complex_only else "low-precision dtypes only"
    return None


def record_op(op: Any, torch: Any, defined_in: str) -> tuple[dict[str, Any], dict[str, Any], ArrayStore]:
    """(the ops.json entry, the stored samples, their arrays) of one OpInfo."""
    with allowing_complex(complex_in_scope(op.name, defined_in, op.variant_test_name)):
        return _record_op(op, torch, defined_in)


def _record_op(op: Any, torch: Any, defined_in: str) -> tuple[dict[str, Any], dict[str, Any], ArrayStore]:
    key = fixtures.op_key(op.name, op.variant_test_name)
    dtypes = IN_SCOPE_DTYPES + (COMPLEX_DTYPES if complex_in_scope(op.name, defined_in, op.variant_test_name) else ())
    entry: dict[str, Any] = {
        "name": op.name, "variant": op.variant_test_name, "opinfo_class": type(op).__name__,
        "defined_in": defined_in, "call": call_of(op, torch, key), "method": method_of(op),
        "out_of_scope": out_of_scope(op, torch, dtypes),
    }
    store = ArrayStore()
    samples: dict[str, list[Any]] = {}
    left_out: Counter[str] = Counter()
    if entry["out_of_scope"] is None and entry["call"] is None:
        entry["out_of_scope"] = "internal ATen operators"
    if entry["out_of_scope"] is None:
        for dtype in dtypes:
            if getattr(torch, dtype) in op.supported_dtypes("cpu"):
                samples[dtype] = _record_dtype(op, torch, key, dtype, entry, store, left_out)
        if not any(samples.values()):
            entry["out_of_scope"] = _main_reason(left_out)
    entry["samples"] = {dtype: len(found) for dtype, found in samples.items()}
    entry["left_out"] = dict(left_out)
    return entry, {"samples": samples}, store


def _main_reason(left_out: Counter[str]) -> str:
    """Why an OpInfo none of whose samples could be stored is out of scope: a by-design reason first."""
    for reason in ("complex tensors", "sparse tensors", "quantized tensors", "memory formats"):
        if reason in left_out:
            return reason
    return left_out.most_common(1)[0][0] if left_out else "no sample on the CPU"


def _record_dtype(op: Any, torch: Any, key: str, dtype: str, entry: dict[str, Any], store: ArrayStore,
                  left_out: Counter[str]) -> list[Any]:
    float64 = dtype in ("float64", "complex128")  # gradients in double precision only
    requires_grad = float64 and op.supports_autograd and getattr(torch, dtype) in op.supported_backward_dtypes("cpu")
    seed = zlib.crc32(f"{key}/{dtype}".encode())
    torch.manual_seed(seed)
    rng = np.random.default_rng(seed)
    stored: list[Any] = []
    for cap, wanted in ((MAX_ELEMENTS, MAX_SAMPLES[dtype]), (LARGE_ELEMENTS, 1)):
        samples = op.sample_inputs("cpu", getattr(torch, dtype), requires_grad=requires_grad)
        for drawn, sample in enumerate(samples):
            if len(stored) == wanted or drawn == MAX_DRAWN:
                break
            try:
                stored.append(_record_sample(op, torch, sample, store, rng, entry, cap))
            except OutOfScope as reason:
                left_out[str(reason)] += 1
        if stored:
            return stored
    return stored


def _record_sample(op: Any, torch: Any, sample: Any, store: ArrayStore, rng: np.random.Generator,
                   entry: dict[str, Any], cap: int) -> dict[str, Any]:
    parts = (sample.input, list(sample.args), dict(sample.kwargs))
    _check_size(parts, torch, cap)
    # torch runs on the inputs as stored (a fresh copy each time), so glassgrad gets exactly the same
    scratch = ArrayStore()
    encoded = encode(parts, scratch, torch)

    def run(seed: int, via: Any = op.op) -> tuple[Any, Any]:
        inputs, args, kwargs = decode(encoded, scratch, torch_framework(torch))
        torch.manual_seed(seed)
        return via(inputs, *args, **kwargs), (inputs, args, kwargs)

    try:
        output, used = run(0)
    except Exception as error:  # noqa: BLE001 -- a sample torch itself refuses specifies nothing
        raise OutOfScope(f"torch raised {type(error).__name__}") from None
    _check_size(output, torch, cap)
    answer = plain(output, torch)  # raises OutOfScope for a complex answer
    # op_db wraps random ops in a fixed seed; called as the test calls them, other seeds tell them apart
    via_test = _answers_via(entry, lambda seed: plain(run(seed, caller(torch, entry["call"]))[0], torch))
    random = op.name in SAMPLERS | UNINITIALISED or not same(answer, plain(run(1)[0], torch)) or any(
        not same(via_test[0], other) for other in via_test[1:])
    if not random and not (via_test and same(answer, via_test[0])):
        entry["call_mismatch"] = True
    record = {"input": encode(decode(encoded, scratch, torch_framework(torch)), store, torch), "random": random,
              "output": encode(_shapes_only(output, torch) if random else output, store, torch)}
    if not random and any(isinstance(t, torch.Tensor) and t.requires_grad for t in walk(used)):
        record["gradient"] = _gradient(output, used, store, rng, torch, op.name)
    return record


def _check_size(value: Any, torch: Any, cap: int) -> None:
    if any(isinstance(t, torch.Tensor) and t.numel() > cap for t in walk(value)):
        raise OutOfScope("tensors over the size cap")


def plain(value: Any, torch: Any) -> Any:
    """torch's answer as plain data (tensors as codec.Answer), to compare two answers."""
    store = ArrayStore()
    return decode(encode(value, store, torch), store, ANSWERS)


def _shapes_only(value: Any, torch: Any) -> Any:
    """A random answer's tensors as {"shape", "dtype"} (its values tell nothing)."""
    if isinstance(value, torch.Tensor):
        return {"shape": list(value.shape), "dtype": str(value.dtype).removeprefix("torch.")}
    if isinstance(value, list | tuple):
        return [_shapes_only(v, torch) for v in value]
    return value if isinstance(value, bool | int | float | type(None)) else str(type(value).__name__)


def _gradient(output: Any, used: Any, store: ArrayStore, rng: np.random.Generator, torch: Any,
              name: str = "") -> dict[str, Any]:
    """Gradients of every input that requires grad under sum(out_i * g_i) over the floating outputs."""
    inputs = [t for t in walk(used) if isinstance(t, torch.Tensor) and t.requires_grad]
    upstream, grads = record_gradients(output, inputs, store, rng, torch, name)
    return {"upstream": upstream, "grads": grads}


def record_gradients(output: Any, wanted: list[Any], store: ArrayStore, rng: np.random.Generator,
                     torch: Any, name: str = "") -> tuple[list[Any], list[Any]]:
    """([position, g] for each floating or complex output that requires grad, with g a random upstream
    gradient (complex for a complex output; made gauge-invariant for the OpInfos gauge.py names); the
    gradients of ``wanted`` under sum(Re(conj(g) out)) (that is sum(out * g) for real outputs), stored (None
    where torch gives none))."""
    outputs = [t for t in walk(output) if isinstance(t, torch.Tensor)]
    drawn = []
    for position, out in enumerate(outputs):
        if out.requires_grad and (out.dtype.is_floating_point or out.dtype.is_complex):
            g = rng.standard_normal(tuple(out.shape))
            if out.dtype.is_complex:
                g = g + 1j * rng.standard_normal(tuple(out.shape))
            drawn.append([position, g])
    upstream, loss = [], None
    for position, g in gauge.invariant_upstream(name, outputs, drawn):
        out = outputs[position]
        upstream.append([position, {"a": store.put(g)}])
        term = (out * torch.from_numpy(np.asarray(np.conj(g))).to(out.dtype)).sum()
        term = term.real if out.dtype.is_complex else term
        loss = term if loss is None else loss + term
    if loss is None:
        return [], []
    grads = torch.autograd.grad(loss, wanted, allow_unused=True)
    return upstream, [None if g is None else {"a": store.put(g.resolve_conj().numpy(force=True).copy())}
                      for g in grads]


def _answers_via(entry: dict[str, Any], answer: Any) -> list[Any]:
    """The answers under seeds 0 to 3 when the op is called the way the test calls it ([] if that raises)."""
    try:
        return [answer(seed) for seed in range(4)]
    except Exception as error:  # noqa: BLE001
        print(f"  {entry['name']}: calling {entry['call']} raised {type(error).__name__}: {error}")
        return []


def live_entries() -> tuple[Any, dict[str, tuple[Any, str]]]:
    """torch and, per OpInfo key, (the OpInfo, its definitions module): what record_entry takes."""
    torch, op_db, defined_in = import_op_db()
    return torch, {fixtures.op_key(op.name, op.variant_test_name): (op, defined_in.get(id(op), "")) for op in op_db}


def record_entry(torch: Any, found: tuple[Any, str]) -> tuple[dict[str, Any], dict[str, Any], ArrayStore]:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # torch's deprecation notes about the old forms op_db still samples
        return record_op(found[0], torch, found[1])


def record_all(kind: str, entries: dict[str, Any], record: Any, torch: Any, names: list[str]) -> None:
    """Record every entry (or those whose torch name is in ``names``) into tests/fixtures/opdb."""
    index = fixtures.read_index(kind) if names else {}
    for key, found in entries.items():
        if names and (found[0] if isinstance(found, tuple) else found).name not in names:
            continue
        entry, samples, store = record(torch, found)
        index[key] = entry
        if entry["out_of_scope"] is None:
            fixtures.write_samples(kind, key, samples, store)
        print(f"{key}: {entry['out_of_scope'] or entry['samples']}", flush=True)
    fixtures.write_index(kind, index)
    fixtures.write_meta(kind, torch.__version__)


def main(argv: list[str]) -> int:
    torch, entries = live_entries()
    record_all("ops", entries, record_entry, torch, argv)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
