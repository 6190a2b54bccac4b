"""Text generation from a trained character model: temperature, top-k, a prompt, a seed.

The model is any callable ``model(ids, state) -> (logits, state)`` with ids
int64 (B, T), logits (B, T, V) and a recurrent state that it accepts back
(None at the start), e.g. an Embedding -> LSTM -> Linear stack. Sampling one
character from the logits z of the last step::

    p_i = softmax(z / temperature)_i, restricted to the top_k largest z (others get 0)

temperature < 1 sharpens the distribution (safer, more repetitive text),
> 1 flattens it; temperature = 0 means greedy (argmax). A seeded generator
makes the output reproducible.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from glassgrad.autograd import no_grad
from glassgrad.random import resolve_rng
from glassgrad.tensor import Tensor


def sample_from_logits(logits: Any, temperature: float = 1.0, top_k: int | None = None,
                       rng: np.random.Generator | None = None) -> np.ndarray:
    """One id per row of logits (B, V) (or a single id for (V,)), drawn from softmax(logits / temperature)."""
    z = np.asarray(logits.numpy() if isinstance(logits, Tensor) else logits, dtype=np.float64)
    single = z.ndim == 1
    z = np.atleast_2d(z)
    if z.ndim != 2:
        raise ValueError(f"sample_from_logits: logits must be (V,) or (B, V), got shape {z.shape}")
    if temperature < 0:
        raise ValueError(f"sample_from_logits: temperature must be >= 0, got {temperature}")
    if top_k is not None and not 1 <= top_k:
        raise ValueError(f"sample_from_logits: top_k must be >= 1, got {top_k}")
    if temperature == 0:
        ids = z.argmax(axis=1)
        return ids[0] if single else ids
    z = z / temperature
    if top_k is not None and top_k < z.shape[1]:
        kth = np.partition(z, -top_k, axis=1)[:, -top_k][:, None]  # the k-th largest per row
        z = np.where(z >= kth, z, -np.inf)
    z = z - z.max(axis=1, keepdims=True)
    p = np.exp(z)
    p /= p.sum(axis=1, keepdims=True)
    rng = resolve_rng(rng)
    u = rng.random((z.shape[0], 1))
    ids = np.minimum((np.cumsum(p, axis=1) < u).sum(axis=1), z.shape[1] - 1)  # inverse-CDF draw
    return ids[0] if single else ids


def generate(model: Callable[..., Any], vocab: Any, prompt: str, length: int, temperature: float = 1.0,
             top_k: int | None = None, stop: str | None = None,
             rng: np.random.Generator | None = None) -> str:
    """The prompt followed by up to ``length`` sampled characters (fewer if ``stop`` is drawn; it is kept).

    Args:
        model: ``model(ids (1, T), state) -> (logits (1, T, V), state)``; run in eval mode, without a graph.
        vocab: a ``CharVocab`` (encode / decode).
        prompt: at least one character; it is fed in one call to warm the state up.
        length: how many characters to draw.
        temperature, top_k: see ``sample_from_logits``.
        stop: end early once this character is drawn.
        rng: generator for the draws (default: the module generator); seed it to reproduce a sample.
    """
    if not prompt:
        raise ValueError("generate: the prompt must hold at least one character (e.g. a newline)")
    rng = resolve_rng(rng)
    was_training = getattr(model, "training", False)
    if hasattr(model, "eval"):
        model.eval()
    out = []
    try:
        with no_grad():
            ids = vocab.encode(prompt)[None, :]  # (1, T)
            logits, state = model(Tensor(ids), None)
            for _ in range(length):
                next_id = int(sample_from_logits(logits.numpy()[0, -1], temperature, top_k, rng))
                char = vocab.decode([next_id])
                out.append(char)
                if stop is not None and char == stop:
                    break
                logits, state = model(Tensor(np.array([[next_id]], dtype=np.int64)), state)
    finally:
        if was_training and hasattr(model, "train"):
            model.train()
    return prompt + "".join(out)
