"""Randomly chosen transforms: RandomApply (all or none), RandomChoice (one), RandomOrder (all, shuffled)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from glassgrad.random import resolve_rng


class RandomApply:
    """Apply all of ``transforms`` in order with probability ``p``, else none."""

    def __init__(self, transforms: Sequence[Callable[[Any], Any]], p: float = 0.5, generator: Any = None) -> None:
        self.transforms, self.p, self.generator = list(transforms), p, generator

    def __call__(self, img: Any) -> Any:
        if self.p < resolve_rng(self.generator).random():
            return img
        for transform in self.transforms:
            img = transform(img)
        return img

    def __repr__(self) -> str:
        lines = "".join(f"\n    {t}" for t in self.transforms)
        return f"RandomApply(\n    p={self.p}{lines}\n)"


class RandomChoice:
    """Apply one of ``transforms``, picked with probabilities ``p`` (default: equally likely)."""

    def __init__(self, transforms: Sequence[Callable[[Any], Any]], p: Sequence[float] | None = None,
                 generator: Any = None) -> None:
        if not isinstance(transforms, Sequence):
            raise TypeError("Argument transforms should be a sequence of callables")
        if p is not None and len(p) != len(transforms):
            raise ValueError(f"Length of p doesn't match the number of transforms: {len(p)} != {len(transforms)}")
        total = sum(p) if p is not None else len(transforms)
        self.transforms = list(transforms)
        self.p = [w / total for w in p] if p is not None else [1.0 / len(transforms)] * len(transforms)
        self.generator = generator

    def __call__(self, img: Any) -> Any:
        index = int(resolve_rng(self.generator).choice(len(self.transforms), p=self.p))
        return self.transforms[index](img)

    def __repr__(self) -> str:
        return f"RandomChoice(transforms={self.transforms}, p={self.p})"


class RandomOrder:
    """Apply all of ``transforms`` in a random order."""

    def __init__(self, transforms: Sequence[Callable[[Any], Any]], generator: Any = None) -> None:
        self.transforms, self.generator = list(transforms), generator

    def __call__(self, img: Any) -> Any:
        for index in resolve_rng(self.generator).permutation(len(self.transforms)):
            img = self.transforms[int(index)](img)
        return img

    def __repr__(self) -> str:
        lines = "".join(f"\n    {t}" for t in self.transforms)
        return f"RandomOrder({lines}\n)"
