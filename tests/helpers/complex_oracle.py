"""The PyTorch oracle for complex tensors: forward values and input gradients against torch.

As ``compare_with_torch`` (tests/helpers/oracle.py), with complex inputs and outputs allowed: each
input keeps its dtype (real or complex), and the loss weights every output by a random
``dout`` of its own kind through ``sum(Re(conj(dout) out))``, written on both sides as
``(view_as_real(out) * view_as_real(dout)).sum()`` so that the real and imaginary parts both count.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import numpy as np

from glassgrad import Tensor, view_as_real

TOLERANCES = {"float64": (1e-6, 1e-6), "float32": (1e-4, 1e-5)}


def _parts_dtype(dtype: np.dtype) -> str:
    return {"complex128": "float64", "complex64": "float32"}.get(str(dtype), str(dtype))


def _as_list(result: Any) -> list[Any]:
    return list(result) if isinstance(result, tuple | list) else [result]


def _random_like(rng: np.random.Generator, shape: tuple[int, ...], dtype: np.dtype) -> np.ndarray:
    values = rng.standard_normal(shape)
    if dtype.kind == "c":
        values = values + 1j * rng.standard_normal(shape)
    return values.astype(dtype)


def compare_complex_with_torch(gg_fn: Callable[..., Any], torch_fn: Callable[..., Any], arrays: Sequence[np.ndarray],
                               torch: Any, seed: int = 0, rtol: float | None = None,
                               atol: float | None = None) -> list[np.ndarray]:
    """Assert that glassgrad and torch agree on outputs (values and dtypes) and on the gradient of every
    floating or complex input. Returns glassgrad's input gradients."""
    gg_inputs = [Tensor(a.copy(), requires_grad=a.dtype.kind in "fc") for a in arrays]
    th_inputs = [torch.tensor(a.copy(), requires_grad=bool(a.dtype.kind in "fc")) for a in arrays]
    gg_outs, th_outs = _as_list(gg_fn(*gg_inputs)), _as_list(torch_fn(*th_inputs))
    assert len(gg_outs) == len(th_outs), f"glassgrad gave {len(gg_outs)} outputs, torch {len(th_outs)}"
    rng = np.random.default_rng(seed)
    gg_loss: Any = None
    th_loss: Any = None
    for k, (g, t) in enumerate(zip(gg_outs, th_outs)):
        expected = t.detach().resolve_conj().numpy()
        assert g.dtype == expected.dtype, f"output {k}: dtype {g.dtype}, torch gives {expected.dtype}"
        assert g.shape == tuple(expected.shape), f"output {k}: shape {g.shape}, torch {tuple(expected.shape)}"
        default_rtol, default_atol = TOLERANCES[_parts_dtype(g.dtype)]
        tolerances = {"rtol": default_rtol if rtol is None else rtol, "atol": default_atol if atol is None else atol}
        np.testing.assert_allclose(g.numpy(), expected, err_msg=f"forward, output {k}", **tolerances)
        if not t.requires_grad:
            continue
        dout = _random_like(rng, tuple(g.shape), g.dtype)
        gg_term = (_pairs(g, view_as_real) * Tensor(_pairs(dout, None))).sum()
        th_term = (_pairs(t, torch.view_as_real) * torch.from_numpy(_pairs(dout, None))).sum()
        gg_loss = gg_term if gg_loss is None else gg_loss + gg_term
        th_loss = th_term if th_loss is None else th_loss + th_term
    if th_loss is None:
        return []
    gg_loss.backward()
    th_loss.backward()
    grads = []
    for i, (g, t) in enumerate(zip(gg_inputs, th_inputs)):
        if not g.requires_grad:
            continue
        expected = np.zeros(t.shape, dtype=arrays[i].dtype) if t.grad is None else t.grad.resolve_conj().numpy()
        got = np.zeros(g.shape, dtype=arrays[i].dtype) if g.grad is None else np.asarray(g.grad)
        assert got.dtype == expected.dtype, f"gradient of input {i}: dtype {got.dtype}, torch {expected.dtype}"
        default_rtol, default_atol = TOLERANCES[_parts_dtype(got.dtype)]
        np.testing.assert_allclose(got, expected, rtol=default_rtol if rtol is None else rtol,
                                   atol=default_atol if atol is None else atol, err_msg=f"gradient of input {i}")
        grads.append(got)
    return grads


def _pairs(x: Any, as_pairs: Any) -> Any:
    """A complex tensor (or NumPy array, when ``as_pairs`` is None) as (real, imag) pairs; real ones as they are."""
    if as_pairs is None:
        return np.ascontiguousarray(np.stack([x.real, x.imag], axis=-1)) if x.dtype.kind == "c" else x
    return as_pairs(x.resolve_conj()) if x.is_complex() else x  # (torch's conj is lazy: resolved first)
