"""``torch.sparse``: sparse COO tensors and the products a graph network needs.

* ``glassgrad/sparse/coo.py``: the tensor (coordinates and values), ``sparse_coo_tensor``,
  ``to_sparse``/``to_dense``, ``coalesce``;
* ``glassgrad/sparse/products.py``: ``mm`` (sparse @ dense, its backward), ``sum``.

docs/sparse.md explains the design and derives the backward of sparse @ dense.
"""

from glassgrad.sparse.coo import SparseTensor as SparseTensor
from glassgrad.sparse.coo import sparse_coo_tensor as sparse_coo_tensor
from glassgrad.sparse.products import mm as mm
from glassgrad.sparse.products import spmm as spmm
from glassgrad.sparse.products import sum as sum  # noqa: A004  (torch.sparse.sum)
