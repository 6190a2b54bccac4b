"""How to call an OpInfo's op in a torch-like namespace (torch itself, or glassgrad), found by name.

The recorder stores, for each OpInfo, how torch's test calls it:

    {"function": "nn.functional.relu"}   namespace.nn.functional.relu(input, *args, **kwargs)
    {"function": "Tensor.__radd__"}      namespace.Tensor.__radd__(input, *args, **kwargs)
    {"method": "view"}                    input.view(*args, **kwargs)
    {"adapter": "einsum"}                 ADAPTERS["einsum"] below: op_db calls some ops through a
                                          small lambda (arguments reordered, a property read, an
                                          in-place method on a copy); these are those lambdas, written
                                          against any namespace

The name is looked up when the test runs, so an op that glassgrad gains is picked up at once; a
missing name raises AttributeError (counted as unsupported).
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any


def resolve(namespace: Any, path: str) -> Any:
    """namespace.a.b.c for path "a.b.c" (AttributeError naming the path when a part is missing)."""
    target = namespace
    for part in path.split("."):
        try:
            target = getattr(target, part)
        except AttributeError:
            raise AttributeError(f"{namespace.__name__}.{path} does not exist") from None
    return target


def _call_method(name: str, x: Any, *args: Any, **kwargs: Any) -> Any:
    method = getattr(x, name, None)
    if method is None:
        raise AttributeError(f"Tensor.{name} does not exist")
    return method(*args, **kwargs)


def _method(name: str) -> Callable[..., Any]:
    return lambda namespace, x, *args, **kwargs: _call_method(name, x, *args, **kwargs)


def _function(path: str) -> Callable[..., Any]:
    return lambda namespace, *args, **kwargs: resolve(namespace, path)(*args, **kwargs)


def _property(name: str) -> Callable[..., Any]:
    def read(namespace: Any, x: Any) -> Any:
        if not hasattr(x, name):
            raise AttributeError(f"Tensor.{name} does not exist")
        return getattr(x, name)
    return read


def _swap_first_two(path: str) -> Callable[..., Any]:
    return lambda namespace, a, b, *args, **kwargs: resolve(namespace, path)(b, a, *args, **kwargs)


def _on_copy(name: str) -> Callable[..., Any]:
    return lambda namespace, x, *args, **kwargs: _call_method(name, x.clone(), *args, **kwargs)


def _low_rank(path: str) -> Callable[..., Any]:
    return lambda namespace, a, b, **kwargs: resolve(namespace, path)(a @ b.mT, **kwargs)


ADAPTERS: dict[str, Callable[..., Any]] = {
    "item": _method("item"),
    **{name: _method(name + "_") for name in ("cauchy", "exponential", "geometric", "log_normal", "uniform")},
    "normal.in_place": _method("normal_"),
    "nn.functional.fractional_max_pool2d": _function("nn.functional.fractional_max_pool2d"),
    "nn.functional.fractional_max_pool3d": _function("nn.functional.fractional_max_pool3d"),
    "nn.functional.rrelu": _function("nn.functional.rrelu"),
    "nn.functional.scaled_dot_product_attention": _function("nn.functional.scaled_dot_product_attention"),
    "nn.functional.dropout": _function("nn.functional.dropout"),
    "nn.functional.dropout2d": _function("nn.functional.dropout2d"),
    "nn.functional.dropout3d": _function("nn.functional.dropout3d"),
    "nn.functional.alpha_dropout": _function("nn.functional.alpha_dropout"),
    "nn.functional.feature_alpha_dropout.with_train": _function("nn.functional.feature_alpha_dropout"),
    "nn.functional.feature_alpha_dropout.without_train": _function("nn.functional.feature_alpha_dropout"),
    "nn.functional.multi_head_attention_forward": _function("nn.functional.multi_head_attention_forward"),
    "nn.functional.embedding": _swap_first_two("nn.functional.embedding"),
    "nn.functional.embedding_bag": _swap_first_two("nn.functional.embedding_bag"),
    "einsum": lambda namespace, tensors, equation: resolve(namespace, "einsum")(equation, tensors),
    "svd_lowrank": _low_rank("svd_lowrank"),
    "pca_lowrank": _low_rank("pca_lowrank"),
    "linalg.lstsq.grad_oriented": lambda namespace, a, b, driver: resolve(namespace, "linalg.lstsq")(
        a, b, driver=driver)[:2],
    "linalg.pinv.singular": lambda namespace, a, b: resolve(namespace, "linalg.pinv")(a @ b.mT),
    **{f"polygamma.polygamma_n_{n}": _swap_first_two("polygamma") for n in range(5)},
    "special.polygamma.special_polygamma_n_0": _swap_first_two("special.polygamma"),
    "randn": _function("randn"),
    "randn_like": _function("randn_like"),
    "rand_like": _function("rand_like"),
    "randint": _function("randint"),
    "randint_like": _function("randint_like"),
    "empty_strided": _function("empty_strided"),
    "multinomial": _function("multinomial"),
    "bernoulli": _function("bernoulli"),
    "normal": _function("normal"),
    "normal.number_mean": lambda namespace, std, mean, *args, **kwargs: resolve(namespace, "normal")(
        mean, std, *args, **kwargs),
    "resize_": _on_copy("resize_"),
    "resize_as_": _on_copy("resize_as_"),
    "zero_": _on_copy("zero_"),
    "T": _property("T"),
    "H": _property("H"),
    "mT": _property("mT"),
    "mH": _property("mH"),
    "where": lambda namespace, x, condition, other, **kwargs: resolve(namespace, "where")(
        condition, x, other, **kwargs),
}


def caller(namespace: Any, call: dict[str, str]) -> Callable[..., Any]:
    """The op described by ``call`` (see the module docstring), bound to ``namespace``."""
    ((kind, name),) = call.items()
    if kind == "function":
        return lambda *args, **kwargs: resolve(namespace, name)(*args, **kwargs)
    if kind == "method":
        return functools.partial(_call_method, name)
    if kind == "adapter":
        return functools.partial(ADAPTERS[name], namespace)
    raise ValueError(f"unknown call kind {kind!r}")
