"""A small regression problem run by glassgrad and by torch optimizers side by side (float64)."""

from __future__ import annotations

from typing import Any

import numpy as np

import glassgrad as gg
from glassgrad import optim
from glassgrad.nn import Parameter

PARAM_NAMES = ("w1", "b1", "w2")


def problem(seed: int = 0) -> dict[str, np.ndarray]:
    """Weights of a 3-5-2 tanh net and a batch of 8 inputs and targets."""
    r = np.random.default_rng(seed)
    return {"w1": r.normal(size=(5, 3)), "b1": r.normal(size=5), "w2": r.normal(size=(2, 5)),
            "x": r.normal(size=(8, 3)), "y": r.normal(size=(8, 2))}


def gg_loss(params: list, data: dict) -> gg.Tensor:
    w1, b1, w2 = params
    h = gg.ops.tanh(gg.ops.linear(gg.tensor(data["x"]), w1, b1))
    return ((gg.ops.linear(h, w2) - gg.tensor(data["y"])) ** 2).mean()


def torch_loss(torch: Any, params: list, data: dict) -> Any:
    w1, b1, w2 = params
    h = torch.tanh(torch.nn.functional.linear(torch.tensor(data["x"]), w1, b1))
    return ((torch.nn.functional.linear(h, w2) - torch.tensor(data["y"])) ** 2).mean()


def gg_run(name: str, kwargs: dict, data: dict, steps: int, groups: bool = False, opt: Any = None,
           params: list | None = None) -> tuple[list, Any]:
    """``steps`` optimizer steps of glassgrad's ``optim.<name>``; groups=True puts w2 in a group with lr 0.003."""
    if params is None:
        params = [Parameter(data[k].copy()) for k in PARAM_NAMES]
    if opt is None:
        spec = [{"params": params[:2]}, {"params": params[2:], "lr": 0.003}] if groups else params
        opt = getattr(optim, name)(spec, **kwargs)
    for _ in range(steps):
        opt.zero_grad()
        gg_loss(params, data).backward()
        opt.step()
    return params, opt


def torch_run(torch: Any, name: str, kwargs: dict, data: dict, steps: int, groups: bool = False) -> tuple[list, Any]:
    """The same with ``torch.optim.<name>``."""
    params = [torch.nn.Parameter(torch.tensor(data[k])) for k in PARAM_NAMES]
    spec = [{"params": params[:2]}, {"params": params[2:], "lr": 0.003}] if groups else params
    opt = getattr(torch.optim, name)(spec, **kwargs)
    for _ in range(steps):
        opt.zero_grad()
        torch_loss(torch, params, data).backward()
        opt.step()
    return params, opt


def assert_same_params(ours: list, theirs: list, rtol: float = 1e-9, atol: float = 1e-10) -> None:
    for p, q in zip(ours, theirs):
        assert p.dtype == np.float64
        np.testing.assert_allclose(p.array, q.detach().numpy(), rtol=rtol, atol=atol)
