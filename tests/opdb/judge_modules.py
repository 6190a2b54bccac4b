"""Run one recorded input of torch's module database on glassgrad's module and judge the answer.

glassgrad's module is built with torch's constructor arguments, given torch's state_dict (so both
start from the same weights), put in the same training mode and called on the same inputs. Its output,
its buffers after the call (running statistics) and, in float64, the gradients of the inputs and of
every parameter must be torch's. Verdicts as in judge.py; a module whose state_dict has other names or
shapes than torch's (a constructor argument taken for another) is wrong.
"""

from __future__ import annotations

import warnings
from typing import Any

from tests.helpers.oracle_codec import ArrayStore
from tests.opdb.calling import resolve
from tests.opdb.codec import ANSWERS, decode, glassgrad_framework, walk
from tests.opdb.judge import CLEAR_ERRORS, Verdict, describe_error, differs, gradient_verdict


def judge_module(glassgrad: Any, entry: dict[str, Any], record: dict[str, Any], store: ArrayStore) -> list[Verdict]:
    """Every recorded input of one ModuleInfo."""
    return [judge_input(glassgrad, entry, sample, store, f"{dtype} input {number}")
            for dtype, samples in record["samples"].items() for number, sample in enumerate(samples)]


def judge_input(glassgrad: Any, entry: dict[str, Any], sample: dict[str, Any], store: ArrayStore,
                where: str) -> Verdict:
    where += "" if sample["training"] else " (eval)"
    framework = glassgrad_framework(glassgrad)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            args, kwargs = decode(sample["constructor"], store, framework)
            module = resolve(glassgrad, entry["class"])(*args, **kwargs)
            state = decode(sample["state"], store, framework)
            dtype = next((t.dtype for t in state.values() if t.dtype.kind == "f"), None)
            if dtype is not None:
                module = module.to(dtype)
            module.train(sample["training"])
            if entry.get("lazy"):  # its weights appear at the first call
                module(*decode(sample["input"], store, framework)[0])
            problem = _state_differs(module, state)
            if problem:
                return Verdict("wrong", where, problem)
            module.load_state_dict(state)
            args, kwargs = decode(sample["input"], store, framework)
            output = module(*args, **kwargs)
    except CLEAR_ERRORS as error:
        return Verdict("unsupported", where, describe_error(error))
    except Exception as error:  # noqa: BLE001
        return Verdict("wrong", where, f"unclear error {describe_error(error)}")
    if sample["random"]:
        return Verdict("pass", where)
    why = differs(decode(sample["output"], store, ANSWERS), output, glassgrad)
    if why:
        return Verdict("wrong", where, why)
    buffers = dict(module.named_buffers())
    for name, expected in decode(sample["buffers_after"], store, ANSWERS).items():
        why = differs(expected, buffers.get(name), glassgrad)
        if why:
            return Verdict("wrong", where, f"buffer {name} after the call: {why}")
    if sample.get("gradient", {}).get("upstream"):
        return _judge_gradient(glassgrad, module, sample["gradient"], store, (args, kwargs), output, where)
    return Verdict("pass", where)


def _state_differs(module: Any, state: dict[str, Any]) -> str | None:
    """Why glassgrad's module is not the one torch built from the same arguments (None if it is)."""
    mine = module.state_dict()
    if set(mine) != set(state):
        missing, extra = sorted(set(state) - set(mine)), sorted(set(mine) - set(state))
        return f"state_dict keys differ: torch's {missing} missing, {extra} not torch's"
    for name, value in state.items():
        if tuple(mine[name].shape) != tuple(value.shape):
            return f"{name}: shape {tuple(mine[name].shape)}, torch {tuple(value.shape)}"
    return None


def _judge_gradient(glassgrad: Any, module: Any, recorded: dict[str, Any], store: ArrayStore, used: Any,
                    output: Any, where: str) -> Verdict:
    inputs = [t for t in walk(used) if isinstance(t, glassgrad.Tensor) and t.requires_grad]
    parameters = dict(module.named_parameters())
    wanted = inputs + [parameters[name] for name, _ in recorded["parameters"]]
    names = [f"input {i}" for i in range(len(inputs))] + [name for name, _ in recorded["parameters"]]
    expected = recorded["inputs"] + [ref for _, ref in recorded["parameters"]]
    return gradient_verdict(glassgrad, output, recorded["upstream"], wanted, expected, names, store, where)
