"""A layer oracle for modules with several inputs and outputs (attention, transformers).

``check_module_with_torch`` copies torch's state_dict into the glassgrad module
(so the key names must agree), runs both in float64 on the same inputs, backprops
``sum(out_k * dout_k)`` over every output with random ``dout_k``, and compares the
outputs, the gradients of the differentiable inputs and of every parameter, by name.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import numpy as np

import glassgrad as gg


def check_module_with_torch(ours: Any, theirs: Any, arrays: Sequence[Any], torch: Any,
                            call: Callable[..., Any] | None = None, grad_inputs: Sequence[int] | None = None,
                            seed: int = 0, tol: float = 1e-6) -> list[np.ndarray]:
    """Assert forward and all gradients agree; returns glassgrad's outputs as arrays.

    ``arrays``: inputs; float64 ones become tensors (requiring grad if their index is in
    ``grad_inputs``, default: every float input), others (bool masks, None) pass as they are.
    ``call(module, *inputs)`` runs a module (default ``module(*inputs)``); it may return a
    tensor or a tuple (None entries are skipped).
    """
    theirs = theirs.double()
    ours.double()
    assert list(ours.state_dict()) == list(theirs.state_dict()), "state_dict keys differ from torch's"
    ours.load_state_dict(theirs.state_dict())
    call = call or (lambda m, *xs: m(*xs))
    floats = [i for i, a in enumerate(arrays) if isinstance(a, np.ndarray) and a.dtype.kind == "f"]
    grad_inputs = floats if grad_inputs is None else list(grad_inputs)
    g_in = [None if a is None else gg.tensor(np.array(a), requires_grad=i in grad_inputs)
            for i, a in enumerate(arrays)]
    t_in = [None if a is None else torch.tensor(np.array(a), requires_grad=i in grad_inputs)
            for i, a in enumerate(arrays)]
    g_out, t_out = _outputs(call(ours, *g_in)), _outputs(call(theirs, *t_in))
    assert [o is None for o in g_out] == [o is None for o in t_out], "different outputs are None"
    rng = np.random.default_rng(seed)
    g_loss, t_loss, results = None, None, []
    for k, (g, t) in enumerate(zip(g_out, t_out)):
        if g is None:
            continue
        expected = t.detach().numpy()
        assert g.shape == expected.shape, f"output {k}: shape {g.shape}, torch {expected.shape}"
        np.testing.assert_allclose(g.numpy(), expected, rtol=tol, atol=tol, err_msg=f"output {k}")
        results.append(g.numpy())
        dout = rng.standard_normal(expected.shape)
        dout[~np.isfinite(expected)] = 0.0
        g_term = (g * gg.tensor(dout)).sum() if np.isfinite(expected).all() else None
        t_term = (t * torch.tensor(dout)).sum()
        if g_term is None:  # NaN rows (fully masked): skip this output's gradient
            continue
        g_loss = g_term if g_loss is None else g_loss + g_term
        t_loss = t_term if t_loss is None else t_loss + t_term
    if g_loss is None:
        return results
    g_loss.backward()
    t_loss.backward()
    for i in grad_inputs:
        expected = np.zeros(t_in[i].shape) if t_in[i].grad is None else t_in[i].grad.numpy()
        got = np.zeros(g_in[i].shape) if g_in[i].grad is None else g_in[i].grad.numpy()
        np.testing.assert_allclose(got, expected, rtol=tol, atol=tol, err_msg=f"gradient of input {i}")
    torch_params = dict(theirs.named_parameters())
    our_params = dict(ours.named_parameters())
    assert set(our_params) == set(torch_params), f"{sorted(our_params)} vs {sorted(torch_params)}"
    for name, p in our_params.items():
        expected = torch_params[name].grad
        expected = np.zeros(p.shape) if expected is None else expected.numpy()
        got = np.zeros(p.shape) if p.grad is None else p.grad.numpy()
        np.testing.assert_allclose(got, expected, rtol=tol, atol=tol, err_msg=f"gradient of {name}")
    return results


def _outputs(result: Any) -> list[Any]:
    return list(result) if isinstance(result, tuple | list) else [result]
