"""Fast kernel for an embedding's gradient, the scatter-add of rows, as one sparse product.

With M lookups idx (M,) into a table of N rows and their gradients dy (M, D),

    dW[k] = sum of dy[j] over the j with idx[j] == k,   i.e.   dW = A dy,   A[k, j] = [idx[j] == k],

A an (N, M) matrix with one 1 per column. The readable twin (``scatter_add_rows`` in
``ops/embedding.py``) sorts the indices and sums each run of equal ones with ``add.reduceat``
(``add.at`` for few lookups per row). Here A is built directly in compressed sparse rows: sorting
the indices once (stably) lists, row by row, the positions j that row k gathers (A's column
indices), and ``searchsorted`` gives where each row's run starts (A's row pointer); SciPy's C loop
then adds the rows of dy in that same order. Measured (float32, one core, minima of 7 x 100 calls):
768 lookups into 65 rows of 128 values (a char-GPT's token embedding) 230 -> 99 us (torch's 59);
the twin's gather of dy in sorted order and ``reduceat`` were most of its time.

Served: NumPy arrays of float32 or float64 (SciPy's sparse products take no CuPy arrays and no
float16) with at least as many lookups as rows, where the twin sorts too.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from glassgrad import backend, kernels


def serves(indices: Any, rows: Any, num_rows: int) -> bool:
    """True when the kernel computes this scatter-add (else the twin does)."""
    return (kernels.fast() and backend.name == "numpy" and isinstance(rows, np.ndarray) and rows.ndim == 2
            and rows.dtype in (np.float32, np.float64) and indices.size >= num_rows > 0)


def scatter_add_rows(indices: Any, rows: Any, num_rows: int) -> Any:
    """out (num_rows, D) with out[k] = sum of rows[j] where indices[j] == k; indices (M,), rows (M, D)."""
    import scipy.sparse

    order = np.argsort(indices, kind="stable")  # A's column indices, row by row
    row_starts = np.searchsorted(indices[order], np.arange(num_rows + 1))  # A's row pointer
    ones = np.ones(indices.size, dtype=rows.dtype)
    a = scipy.sparse.csr_matrix((ones, order, row_starts), shape=(num_rows, indices.size))
    return np.ascontiguousarray(a @ rows)
