"""Record torch's module database into tests/fixtures/opdb (needs torch==2.13.0 and expecttest).

    python -m tests.opdb.record_modules              # every ModuleInfo
    python -m tests.opdb.record_modules nn.Linear    # only these

For each ModuleInfo of ``module_db`` and each of float64, float32 it supports, a few of torch's
``module_inputs_func`` inputs (spread over its list) are stored with: the constructor's arguments,
the module's state_dict (the test copies it into glassgrad's module, so both start from the same
weights), the forward's arguments and output, the buffers after the forward (running statistics),
and in float64 the gradients of the inputs and of every parameter under a random upstream gradient.
Training mode always; evaluation mode too where torch says the two differ.
"""

from __future__ import annotations

import sys
import warnings
import zlib
from typing import Any

import numpy as np

from tests.helpers.oracle_codec import ArrayStore, same
from tests.opdb.codec import OutOfScope, decode, encode, torch_framework, walk
from tests.opdb.record import LARGE_ELEMENTS, MAX_ELEMENTS, plain, record_all, record_gradients

MAX_SAMPLES = {"float64": 4, "float32": 2}


def live_entries() -> tuple[Any, dict[str, Any]]:
    """torch and, per ModuleInfo name, the ModuleInfo: what record_entry takes."""
    import torch
    from torch.testing._internal.common_modules import module_db

    torch.set_num_threads(1)
    return torch, {info.name: info for info in module_db}


def record_entry(torch: Any, info: Any) -> tuple[dict[str, Any], dict[str, Any], ArrayStore]:
    """(the modules.json entry, the stored samples, their arrays) of one ModuleInfo."""
    entry: dict[str, Any] = {"name": info.name, "class": info.name, "lazy": bool(info.is_lazy),
                             "out_of_scope": None}
    store = ArrayStore()
    samples: dict[str, list[Any]] = {}
    left_out: dict[str, int] = {}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for dtype in MAX_SAMPLES:
            if getattr(torch, dtype) in info.dtypes:
                samples[dtype] = _record_dtype(torch, info, dtype, store, left_out)
    if not any(samples.values()):
        entry["out_of_scope"] = "complex tensors" if "complex tensors" in left_out else "no sample on the CPU"
    entry["samples"] = {dtype: len(found) for dtype, found in samples.items()}
    entry["left_out"] = left_out
    return entry, {"samples": samples}, store


def _record_dtype(torch: Any, info: Any, dtype: str, store: ArrayStore, left_out: dict[str, int]) -> list[Any]:
    seed = zlib.crc32(f"{info.name}/{dtype}".encode())
    rng = np.random.default_rng(seed)
    stored = []
    for training in (True, False) if info.train_and_eval_differ else (True,):
        torch.manual_seed(seed)
        inputs = info.module_inputs_func(info, device="cpu", dtype=getattr(torch, dtype),
                                         requires_grad=dtype == "float64", training=training)
        picks = sorted(set(np.linspace(0, len(inputs) - 1, min(len(inputs), 3 * MAX_SAMPLES[dtype])).astype(int)))
        wanted = max(1, MAX_SAMPLES[dtype] // (1 + info.train_and_eval_differ))
        for cap in (MAX_ELEMENTS, LARGE_ELEMENTS):  # one large input where no small one exists
            kept = []
            for pick in picks:
                if len(kept) == wanted:
                    break
                try:
                    kept.append(_record_input(torch, info, inputs[pick], dtype, training, store, rng, cap))
                except OutOfScope as reason:
                    left_out[str(reason)] = left_out.get(str(reason), 0) + 1
            stored += kept
            if kept:
                break
            wanted = 1
    return stored


def _record_input(torch: Any, info: Any, module_input: Any, dtype: str, training: bool, store: ArrayStore,
                  rng: np.random.Generator, cap: int) -> dict[str, Any]:
    if module_input.forward_input is None:
        raise OutOfScope("no forward input")
    scratch = ArrayStore()
    constructor = encode((list(module_input.constructor_input.args), dict(module_input.constructor_input.kwargs)),
                         scratch, torch)
    forward = encode((list(module_input.forward_input.args), dict(module_input.forward_input.kwargs)),
                     scratch, torch)
    torch_side = torch_framework(torch)

    def build() -> Any:
        args, kwargs = decode(constructor, scratch, torch_side)
        module = info.module_cls(*args, **kwargs).to(getattr(torch, dtype))
        return module.train(training)

    def run(module: Any, seed: int) -> tuple[Any, Any]:
        args, kwargs = decode(forward, scratch, torch_side)
        torch.manual_seed(seed)
        return module(*args, **kwargs), (args, kwargs)

    def state_of(module: Any) -> dict[str, Any]:
        return {name: value.detach().clone() for name, value in module.state_dict().items()}

    try:
        module = build()
        state = None if info.is_lazy else state_of(module)  # a lazy module's weights exist after a forward
        output, used = run(module, 0)
        state = state or state_of(module)
    except Exception as error:  # noqa: BLE001 -- an input torch itself refuses specifies nothing
        raise OutOfScope(f"torch raised {type(error).__name__}") from None
    if any(isinstance(t, torch.Tensor) and t.numel() > cap for t in walk((used, output, state))):
        raise OutOfScope("tensors over the size cap")
    answer = plain(output, torch)
    again = build()
    again.load_state_dict(state)
    random = not same(answer, plain(run(again, 1)[0], torch))
    buffers = {name: value for name, value in module.named_buffers()}
    record = {
        "constructor": encode(decode(constructor, scratch, torch_side), store, torch),
        "input": encode(decode(forward, scratch, torch_side), store, torch),
        "training": training, "state": encode(state, store, torch), "random": random,
        "output": encode(output, store, torch) if not random else None,
        "buffers_after": encode(buffers, store, torch) if not random else None,
    }
    if not random and dtype == "float64":
        record["gradient"] = _gradient(torch, module, output, used, store, rng)
    return record


def _gradient(torch: Any, module: Any, output: Any, used: Any, store: ArrayStore,
              rng: np.random.Generator) -> dict[str, Any]:
    """Gradients of the inputs that require grad and of every parameter under sum(out_i * g_i)."""
    inputs = [t for t in walk(used) if isinstance(t, torch.Tensor) and t.requires_grad]
    parameters = [(name, p) for name, p in module.named_parameters() if p.requires_grad]
    upstream, grads = record_gradients(output, inputs + [p for _, p in parameters], store, rng, torch)
    if not upstream:
        return {"upstream": [], "inputs": [], "parameters": []}
    return {"upstream": upstream, "inputs": grads[:len(inputs)],
            "parameters": [[name, g] for (name, _), g in zip(parameters, grads[len(inputs):])]}


def main(argv: list[str]) -> int:
    torch, entries = live_entries()
    record_all("modules", entries, record_entry, torch, argv)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
