"""Model: a Keras-style wrapper — ``Model(module).compile(optimizer, loss, metrics).fit(x, y)``.

A thin convenience over the free functions in ``loop.py``; anything it does
can be done with ``fit(module, ...)`` directly.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from typing import Any

import numpy as np

from glassgrad.train.history import History
from glassgrad.train.loop import evaluate, fit, predict

_LOSSES = {"cross_entropy": "CrossEntropyLoss", "categorical_crossentropy": "CrossEntropyLoss",
           "sparse_categorical_crossentropy": "CrossEntropyLoss", "mse": "MSELoss",
           "mean_squared_error": "MSELoss", "bce_with_logits": "BCEWithLogitsLoss",
           "binary_crossentropy": "BCELoss"}
_OPTIMIZERS = {"sgd": "SGD", "adam": "Adam", "adamw": "AdamW", "rmsprop": "RMSprop", "adagrad": "Adagrad"}


def _resolve_loss(loss: Any) -> Any:
    if not isinstance(loss, str):
        return loss
    from glassgrad import nn

    if loss not in _LOSSES:
        raise ValueError(f"unknown loss {loss!r}; known: {', '.join(_LOSSES)} (or pass a callable)")
    return getattr(nn, _LOSSES[loss])()


def _resolve_optimizer(optimizer: Any, module: Any) -> Any:
    if not isinstance(optimizer, str):
        if not (hasattr(optimizer, "step") and hasattr(optimizer, "zero_grad")):
            raise TypeError(f"Model.compile: optimizer must be a name such as 'adam' or an optimizer instance, "
                            f"got {type(optimizer).__name__}")
        return optimizer
    from glassgrad import optim

    if optimizer.lower() not in _OPTIMIZERS:
        raise ValueError(f"unknown optimizer {optimizer!r}; known: {', '.join(_OPTIMIZERS)} (or pass an instance)")
    return getattr(optim, _OPTIMIZERS[optimizer.lower()])(module.parameters())


class Model:
    """Wraps a Module with an optimizer, a loss and metrics.

    >>> model = Model(nn.Sequential(nn.Linear(784, 10)))
    >>> model.compile(optimizer="adam", loss="cross_entropy", metrics=["accuracy"])
    >>> history = model.fit(x, y, epochs=3, batch_size=128, validation_split=0.1)
    """

    def __init__(self, module: Any) -> None:
        if not callable(module):
            raise TypeError(f"Model: expected a Module (anything callable on a batch), got {type(module).__name__}")
        self.module = module
        self.optimizer: Any = None
        self.loss_fn: Any = None
        self.metrics: tuple[Any, ...] = ("accuracy",)

    def compile(self, optimizer: Any = "adam", loss: Any = "cross_entropy",
                metrics: Iterable[Any] = ("accuracy",)) -> Model:
        """Set the optimizer (instance or name), the loss (callable or name) and the metrics."""
        self.optimizer = _resolve_optimizer(optimizer, self.module)
        self.loss_fn = _resolve_loss(loss)
        self.metrics = tuple(metrics)
        return self

    def _check_compiled(self) -> None:
        if self.optimizer is None or self.loss_fn is None:
            raise RuntimeError("Model: call compile(optimizer, loss) before fit")

    def fit(self, x: Any, y: Any = None, **kwargs: Any) -> History:
        """``glassgrad.train.fit`` with this model's optimizer, loss and metrics."""
        self._check_compiled()
        kwargs.setdefault("metrics", self.metrics)
        return fit(self.module, x, y, loss_fn=self.loss_fn, optimizer=self.optimizer, **kwargs)

    def evaluate(self, x: Any, y: Any = None, **kwargs: Any) -> dict[str, float]:
        kwargs.setdefault("metrics", self.metrics)
        return evaluate(self.module, x, y, loss_fn=self.loss_fn, **kwargs)

    def predict(self, x: Any, **kwargs: Any) -> np.ndarray:
        return predict(self.module, x, **kwargs)

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        return self.module(*args, **kwargs)

    def save(self, path: str | os.PathLike) -> None:
        """Write the module's (and optimizer's) state with ``glassgrad.save``."""
        from glassgrad.io import save

        state: dict[str, Any] = {"model": self.module.state_dict()}
        if self.optimizer is not None and hasattr(self.optimizer, "state_dict"):
            state["optimizer"] = self.optimizer.state_dict()
        save(state, path)

    def load(self, path: str | os.PathLike) -> None:
        """Restore what ``save`` wrote."""
        from glassgrad.io import load

        state = load(path)
        self.module.load_state_dict(state["model"])
        if "optimizer" in state and self.optimizer is not None:
            self.optimizer.load_state_dict(state["optimizer"])

    def __repr__(self) -> str:
        return f"Model({self.module!r})"
