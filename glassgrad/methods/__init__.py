"""Tensor methods by family, each a one-line delegation to ``glassgrad.ops``.

``Tensor`` (glassgrad/tensor.py) inherits these classes, so ``x.sin()`` is
found in ``pointwise.py``, ``x.sum(dim)`` in ``reduction.py``, ``x.view(...)``
in ``shape.py`` and ``x.add_(y)`` in ``inplace.py``. The ops are looked up
through ``glassgrad.ops`` when a method runs (the ops import ``Tensor``, so
they cannot be imported before it exists).
"""
