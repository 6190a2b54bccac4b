"""Every reduction-based op on empty inputs gives torch's answer: an empty result, torch's value
(sum 0, prod 1, mean/var/std NaN, logsumexp -inf, norm 0) or torch's error (a max over nothing).

Inputs: (0,), (2, 0) and (0, 3), reduced over the empty dim, over a non-empty dim of an empty
tensor, and over every dim; values and the gradient of ``sum(out * dout)`` are compared with
torch (float32), or, where torch raises, glassgrad must raise an error of torch's type.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
import pytest

import glassgrad as gg
from glassgrad import Tensor
from tests.helpers.oracle import compare_with_torch

EMPTY = [((0,), 0), ((2, 0), 1), ((2, 0), 0), ((0, 3), 0), ((0, 3), 1)]  # (shape, a dim to reduce)


def _dims(*extra: Any) -> list[tuple[tuple[int, ...], Any]]:
    """Each empty shape with its dims, plus ``extra`` dims (None: every dim) where given."""
    cases = list(EMPTY)
    for dim in extra:
        cases += [((0,), dim), ((2, 0), dim), ((0, 3), dim)]
    return cases


def _with_dim(method: str, **kwargs: Any) -> Callable[[Any, Any, Any], Any]:
    """``x.method(dim=dim, **kwargs)``, or ``x.method(**kwargs)`` for dim None."""
    return lambda lib, x, dim: getattr(x, method)(**kwargs) if dim is None else getattr(x, method)(dim=dim, **kwargs)


def _function(name: str, *args: Any, **kwargs: Any) -> Callable[[Any, Any, Any], Any]:
    """``lib.name(x, *args, dim=dim, **kwargs)`` (the dim left out when None)."""
    def call(lib: Any, x: Any, dim: Any) -> Any:
        return getattr(lib, name)(x, *args, **kwargs) if dim is None else getattr(lib, name)(x, *args, dim=dim,
                                                                                           **kwargs)
    return call


def _functional(name: str, *args: Any, **kwargs: Any) -> Callable[[Any, Any, Any], Any]:
    """``lib.nn.functional.name(x, ...)``: the dim as for ``_function``."""
    return lambda lib, x, dim: _function(name, *args, **kwargs)(lib.nn.functional, x, dim)


def _index_target(lib: Any, x: Any) -> Any:
    """Class 0 for every position of logits (N, C) or (C,)."""
    return lib.zeros(x.shape[:1] if x.dim() > 1 else (), dtype=lib.int64)


OPS: dict[str, tuple[Callable[[Any, Any, Any], Any], list[tuple[tuple[int, ...], Any]]]] = {
    # softmax family (the issue's case: (2, 0) over its empty dim)
    "softmax": (_functional("softmax"), _dims()),
    "log_softmax": (_functional("log_softmax"), _dims()),
    "softmin": (_functional("softmin"), _dims()),
    "torch.softmax": (lambda lib, x, dim: lib.softmax(x, dim), _dims()),
    # sums and means
    "sum": (_with_dim("sum"), _dims(None, (0, -1))),
    "mean": (_with_dim("mean"), _dims(None)),
    "nansum": (_function("nansum"), _dims(None)),
    "nanmean": (_function("nanmean"), _dims(None)),
    "prod": (_with_dim("prod"), _dims(None)),
    "cumsum": (_function("cumsum"), _dims()),
    "cumprod": (_function("cumprod"), _dims()),
    "logcumsumexp": (_function("logcumsumexp"), _dims()),
    # exp: an empty slice's -inf times a random dout of either sign would sum to NaN in the comparison
    "logsumexp": (lambda lib, x, dim: _function("logsumexp")(lib, x, dim).exp(), _dims((0, -1))),
    # spread
    "var": (_with_dim("var"), _dims(None)),
    "std": (_with_dim("std"), _dims(None)),
    "var_biased": (_with_dim("var", correction=0), _dims(None)),
    "var_mean": (_function("var_mean"), _dims(None)),
    "std_mean": (_function("std_mean"), _dims(None)),
    # norms
    "norm": (_with_dim("norm"), _dims(None)),
    "norm_1": (_with_dim("norm", p=1), _dims(None)),
    "norm_inf": (_with_dim("norm", p=float("inf")), _dims(None)),
    "norm_-1": (_with_dim("norm", p=-1), _dims(None)),
    "vector_norm_0": (lambda lib, x, dim: lib.linalg.vector_norm(x, 0, dim), _dims(None)),
    "normalize": (_functional("normalize"), _dims()),
    "dist": (lambda lib, x, dim: lib.dist(x, lib.ones(x.shape)), _dims()[:3]),
    # extremes: torch refuses a max over nothing
    "max": (_with_dim("max"), _dims(None)),
    "min": (_with_dim("min"), _dims(None)),
    "amax": (_with_dim("amax"), _dims(None)),
    "amin": (_with_dim("amin"), _dims(None)),
    "aminmax": (_function("aminmax"), _dims(None)),
    "argmax": (_with_dim("argmax"), _dims(None)),
    "argmin": (_with_dim("argmin"), _dims(None)),
    "cummax": (_function("cummax"), _dims()),
    "cummin": (_function("cummin"), _dims()),
    # order statistics
    "median": (_with_dim("median"), _dims(None)),
    "nanmedian": (_with_dim("nanmedian"), _dims(None)),
    "quantile": (lambda lib, x, dim: lib.quantile(x, 0.5, dim), _dims(None)),
    "mode": (_with_dim("mode"), _dims()),
    "kthvalue": (lambda lib, x, dim: x.kthvalue(1, dim), _dims()),
    "sort": (_with_dim("sort"), _dims()),
    "argsort": (_with_dim("argsort"), _dims()),
    "topk_0": (lambda lib, x, dim: x.topk(0, dim), _dims()),
    # logical and counting
    "all": (lambda lib, x, dim: x.bool().all() if dim is None else x.bool().all(dim), _dims(None)),
    "any": (lambda lib, x, dim: x.bool().any() if dim is None else x.bool().any(dim), _dims(None)),
    "count_nonzero": (_function("count_nonzero"), _dims(None)),
    # normalisation layers and losses (no dim: each once per empty shape)
    "layer_norm": (lambda lib, x, dim: lib.nn.functional.layer_norm(x, x.shape[-1:]), _dims()[:3]),
    "group_norm": (lambda lib, x, dim: lib.nn.functional.group_norm(x, 1), [((2, 0), None), ((0, 3), None)]),
    "cross_entropy": (lambda lib, x, dim: lib.nn.functional.cross_entropy(x, _index_target(lib, x)),
                      [((0, 3), None)]),
    "cross_entropy_sum": (lambda lib, x, dim: lib.nn.functional.cross_entropy(x, _index_target(lib, x),
                                                                              reduction="sum"), [((0, 3), None)]),
    "cross_entropy_probabilities": (lambda lib, x, dim: lib.nn.functional.cross_entropy(x, lib.zeros(x.shape)),
                                    [((0,), None), ((2, 0), None), ((0, 3), None)]),
    "nll_loss": (lambda lib, x, dim: lib.nn.functional.nll_loss(x, _index_target(lib, x)), [((0, 3), None)]),
    "mse_loss": (lambda lib, x, dim: lib.nn.functional.mse_loss(x, lib.zeros(x.shape)), _dims()[:3]),
    "l1_loss": (lambda lib, x, dim: lib.nn.functional.l1_loss(x, lib.zeros(x.shape)), _dims()[:3]),
    "bce_with_logits": (lambda lib, x, dim: lib.nn.functional.binary_cross_entropy_with_logits(x, lib.zeros(x.shape)),
                        _dims()[:3]),
    "kl_div_batchmean": (lambda lib, x, dim: lib.nn.functional.kl_div(x, lib.zeros(x.shape), reduction="batchmean"),
                         _dims()[:3]),
}

# torch says "Target 0 is out of bounds" (IndexError) for class 0 of 0 classes; glassgrad's out-of-range
# target error is a ValueError and a RuntimeError, as for any other target out of range
TARGET_OUT_OF_RANGE = {"cross_entropy", "nll_loss"}

CASES = [pytest.param(name, shape, dim, id=f"{name}-{shape}-dim={dim}")
         for name, (_, cases) in OPS.items() for shape, dim in cases]


@pytest.mark.filterwarnings("ignore:.*degrees of freedom")  # torch and glassgrad both warn: var of nothing
@pytest.mark.parametrize("name, shape, dim", CASES)
def test_a_reduction_of_an_empty_input_is_torchs(torch: Any, name: str, shape: tuple[int, ...], dim: Any) -> None:
    op = OPS[name][0]
    try:
        op(torch, torch.zeros(shape, dtype=torch.float32, requires_grad=True), dim)
    except Exception as torch_error:  # noqa: BLE001  (whatever torch raises, glassgrad must raise it too)
        with pytest.raises(Exception) as caught:
            op(gg, gg.zeros(shape, requires_grad=True), dim)
        expected = ValueError if name in TARGET_OUT_OF_RANGE else type(torch_error)
        assert isinstance(caught.value, expected), f"torch: {torch_error!r}; glassgrad: {caught.value!r}"
        return
    compare_with_torch(lambda x: op(gg, x, dim), lambda x: op(torch, x, dim), [np.zeros(shape)], torch,
                       dtype=np.float32)


def test_the_issues_softmax_over_an_empty_dim() -> None:
    """softmax over (2, 0) was NumPy's 'zero-size array to reduction operation maximum' error."""
    x = Tensor(np.zeros((2, 0), np.float32), requires_grad=True)
    y = gg.softmax(x, dim=1)
    assert y.shape == (2, 0) and y.dtype == gg.float32
    y.sum().backward()
    assert x.grad.shape == (2, 0)
    assert gg.logsumexp(x, 1).tolist() == [-np.inf, -np.inf]
