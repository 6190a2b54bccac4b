"""Op-table rows for glassgrad.fft and the sparse product (joined into ``OPS`` by op_table.py).

The table's inputs and outputs are real: a transform whose output is complex is read through
``view_as_real`` (its real and imaginary parts as a last axis of 2; torch's lazily conjugated results resolved
first), and one whose input is
complex takes it from a real array through ``view_as_complex``. Both are views with the identity
as their derivative, so a row checks the transform's own backward (and the complex convention of
the adjoint: docs/derivations/fft.md). Each transform is drawn with every ``norm``.

The sparse rows multiply a sparse matrix with fixed coordinates (a parameter) by a dense one:
the differentiable inputs are the sparse matrix's values and the dense operand (docs/sparse.md).
"""

from __future__ import annotations

from typing import Any

import numpy as np
from hypothesis import strategies as st

import glassgrad
from tests.ops.op_table import OpSpec
from tests.ops.strategies import Case, array

NORMS = st.sampled_from([None, "backward", "ortho", "forward"])


@st.composite
def signal(draw: st.DrawFn, min_dims: int = 1, pairs: bool = False) -> Case:
    """One real input of 1-3 dimensions (a last axis of 2 more when it is read as complex numbers),
    a transform length ``n`` (None, shorter or longer than the axis), the axis, the norm."""
    shape = tuple(draw(st.lists(st.integers(2 if pairs else 1, 4), min_size=min_dims, max_size=3)))
    ndim = len(shape)
    dim = draw(st.integers(-ndim, ndim - 1))
    n = draw(st.sampled_from([None, 2, 3, 5]))
    full = shape + (2,) if pairs else shape
    return Case((draw(array(full)),), {"n": n, "dim": dim, "norm": draw(NORMS)})


@st.composite
def signal_nd(draw: st.DrawFn, pairs: bool = False) -> Case:
    """One real input of 2-3 dimensions and the n-D transform's ``s``/``dim`` over its last two axes."""
    shape = tuple(draw(st.lists(st.integers(2 if pairs else 1, 4), min_size=2, max_size=3)))
    full = shape + (2,) if pairs else shape
    s = draw(st.sampled_from([None, (2, 3), (4, 2)]))
    return Case((draw(array(full)),), {"s": s, "dim": (-2, -1), "norm": draw(NORMS)})


def _real_out(name: str) -> tuple[Any, Any]:
    """fft.<name> of a real input, its complex output as real pairs, in glassgrad and torch."""
    return (lambda a, **p: glassgrad.view_as_real(getattr(glassgrad.fft, name)(a, **p)),
            lambda t, a, **p: t.view_as_real(getattr(t.fft, name)(a, **p).resolve_conj()))


def _complex_in(name: str, complex_out: bool = False) -> tuple[Any, Any]:
    """fft.<name> of a complex input built from real pairs (its output read as pairs if complex)."""

    def ours(a: Any, **p: Any) -> Any:
        out = getattr(glassgrad.fft, name)(glassgrad.view_as_complex(a), **p)
        return glassgrad.view_as_real(out) if complex_out else out

    def theirs(t: Any, a: Any, **p: Any) -> Any:
        out = getattr(t.fft, name)(t.view_as_complex(a), **p)
        return t.view_as_real(out.resolve_conj()) if complex_out else out

    return ours, theirs


@st.composite
def shift_case(draw: st.DrawFn) -> Case:
    shape = tuple(draw(st.lists(st.integers(1, 4), min_size=1, max_size=3)))
    dim = draw(st.sampled_from([None, -1, 0]))
    return Case((draw(array(shape)),), {"dim": dim})


@st.composite
def sparse_product(draw: st.DrawFn) -> Case:
    """A (m, k) sparse matrix's values at distinct coordinates (kept as a parameter) and a dense (k, n)."""
    m, k, n = draw(st.integers(1, 4)), draw(st.integers(1, 4)), draw(st.integers(1, 3))
    cells = draw(st.lists(st.tuples(st.integers(0, m - 1), st.integers(0, k - 1)), min_size=1, max_size=m * k,
                          unique=True))
    indices = np.array(cells, dtype=np.int64).T.tolist()
    return Case((draw(array((len(cells),))), draw(array((k, n)))), {"indices": indices, "size": (m, k)})


def _sparse_mm(lib: Any, values: Any, dense: Any, indices: list[list[int]], size: tuple[int, int]) -> Any:
    matrix = lib.sparse_coo_tensor(lib.tensor(indices, dtype=lib.int64), values, size, check_invariants=True)
    return lib.sparse.mm(matrix, dense)


ROWS: list[OpSpec] = [
    OpSpec("fft.fft", *_real_out("fft"), signal()),
    OpSpec("fft.ifft", *_real_out("ifft"), signal()),
    OpSpec("fft.rfft", *_real_out("rfft"), signal()),
    OpSpec("fft.ihfft", *_real_out("ihfft"), signal()),
    OpSpec("fft.fft_complex", *_complex_in("fft", complex_out=True), signal(pairs=True)),
    OpSpec("fft.irfft", *_complex_in("irfft"), signal(pairs=True)),
    OpSpec("fft.hfft", *_complex_in("hfft"), signal(pairs=True)),
    OpSpec("fft.fftn", *_real_out("fftn"), signal_nd()),
    OpSpec("fft.rfftn", *_real_out("rfftn"), signal_nd()),
    OpSpec("fft.irfftn", *_complex_in("irfftn"), signal_nd(pairs=True)),
    OpSpec("fft.fftshift", lambda a, **p: glassgrad.fft.fftshift(a, **p),
           lambda t, a, **p: t.fft.fftshift(a, **p), shift_case()),
    OpSpec("fft.ifftshift", lambda a, **p: glassgrad.fft.ifftshift(a, **p),
           lambda t, a, **p: t.fft.ifftshift(a, **p), shift_case()),
    OpSpec("sparse.mm", lambda v, b, **p: _sparse_mm(glassgrad, v, b, **p),
           lambda t, v, b, **p: _sparse_mm(t, v, b, **p), sparse_product()),
]
