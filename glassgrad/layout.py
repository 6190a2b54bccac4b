"""Memory layouts, as torch names them: ``x.layout == torch.strided``.

A dense glassgrad tensor is strided (a NumPy array: a pointer, a shape and one stride per
axis), so its ``layout`` is ``strided``; a sparse COO tensor (``glassgrad/sparse/``) has
``sparse_coo``. The other sparse layouts exist so that programs can name and compare them;
no glassgrad tensor has one.
"""

from __future__ import annotations


class layout:  # noqa: N801  (torch's name)
    """One memory layout; prints as torch's (``torch.strided``)."""

    def __init__(self, name: str) -> None:
        self.name = name

    def __repr__(self) -> str:
        return f"torch.{self.name}"

    def __reduce__(self) -> str:  # pickles as the module-level constant of the same name
        return self.name


strided = layout("strided")
sparse_coo = layout("sparse_coo")
sparse_csr = layout("sparse_csr")
sparse_csc = layout("sparse_csc")
sparse_bsr = layout("sparse_bsr")
sparse_bsc = layout("sparse_bsc")
jagged = layout("jagged")
