"""Decompositions are unique only up to a gauge: put glassgrad's answer in torch's gauge before judging it.

An SVD A = U diag(S) Vh stays one when column j of U and row j of Vh change sign together; so does an
eigendecomposition when an eigenvector changes sign, and a QR when column j of Q and row j of R do. Two
correct libraries may return different signs (NumPy's and torch's LAPACK builds do, for ``eigh``). And
the columns of U beyond min(m, n) (``full_matrices``) are any orthonormal basis of the rest of the space.

``align`` maps glassgrad's factors into torch's gauge with exactly these symmetries and nothing else:

* a sign per shared column, read off the first factor (the sign of its dot product with torch's column)
  and applied to every factor that shares it; for complex vectors (``linalg.eig``, ``eigh``, ``svd``) a
  phase per column, e^{i phi} = <mine, torch's> / |<mine, torch's>|, the same formula (the factors that
  share it by rows, Vh and R, turn by its conjugate);
* for the extra columns of a full U (rows of a full Vh), the rotation that best maps them onto torch's
  (orthogonal Procrustes), allowed because torch's gradient ignores those columns as glassgrad's does.

The aligned answer is a differentiable function of glassgrad's (the signs and the rotation are
constants), and the same smooth branch of the decomposition as torch's, so it must then equal torch's
values AND, under torch's recorded upstream gradient, torch's input gradient: this is the comparison
torch's own OpInfos make with sign-invariant outputs (|U|, U Vh, reconstructions) and gauge-invariant
losses, made exact. A wrong factor (or a rotation inside a block where the decomposition has no such
freedom) still differs from torch's after alignment. Other ops are never aligned.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from tests.opdb.codec import Answer

# OpInfo name -> [(position, "columns" or "rows")] of the factors whose columns (rows) share a sign; the
# first one's dot products with torch's set the signs
GAUGES: dict[str, list[tuple[int, str]]] = {
    "linalg.eigh": [(1, "columns")],
    "linalg.svd": [(0, "columns"), (2, "rows")],
    "svd": [(0, "columns"), (2, "columns")],
    "svd_lowrank": [(0, "columns"), (2, "columns")],  # U, S, V as torch.svd's: exact for inputs of rank q
    "pca_lowrank": [(0, "columns"), (2, "columns")],
    "linalg.qr": [(0, "columns"), (1, "rows")],
    "qr": [(0, "columns"), (1, "rows")],
    "linalg.eig": [(1, "columns")],  # complex unit eigenvectors: a phase e^{i phi} per column
}
# OpInfos whose loss must not depend on the gauge: torch's backward refuses one that does (linalg.eig's
# "specified up to multiplication by e^{i phi}"), so the recorded upstream gradient is made invariant
# name -> [(position, "columns" or "rows")] of the vectors (an SVD's U and Vh share each column's phase)
PHASE_INVARIANT_UPSTREAM = {"linalg.eig": [(1, "columns")], "linalg.eigh": [(1, "columns")],
                            "linalg.svd": [(0, "columns"), (2, "rows")], "svd": [(0, "columns"), (2, "columns")]}


def align(name: str, expected: Any, actual: Any, glassgrad: Any) -> Any:
    """glassgrad's factors (``actual``) in torch's gauge, or ``actual`` unchanged when there is none to
    find (another op, another structure, another shape: the ordinary comparison then says why)."""
    factors = GAUGES.get(name)
    if factors is None or not _comparable(expected, actual, glassgrad):
        return actual
    position, _ = factors[0]
    reference, mine = expected[position].values, actual[position].detach().numpy()
    if factors[0][1] == "rows":
        reference, mine = np.swapaxes(reference, -1, -2), np.swapaxes(mine, -1, -2)
    if reference.size == 0:
        return actual
    k = min(min(expected[where].values.shape[-2:]) for where, _ in factors)  # the shared columns
    dots = np.einsum("...ij,...ij->...j", np.conj(mine[..., :k]), reference[..., :k])
    signs = np.where(dots == 0, 1, dots / np.where(dots == 0, 1, np.abs(dots)))  # signs, or phases if complex
    signs = signs if np.iscomplexobj(mine) else signs.real
    aligned = list(actual)
    for where, layout in factors:
        aligned[where] = _apply(actual[where], expected[where].values, signs, layout, glassgrad)
    return tuple(aligned)


def _comparable(expected: Any, actual: Any, glassgrad: Any) -> bool:
    if not isinstance(expected, list | tuple) or not isinstance(actual, list | tuple) or len(expected) != len(actual):
        return False
    return all(isinstance(e, Answer) and isinstance(a, glassgrad.Tensor) and a.dtype.kind in "fc"
               and tuple(a.shape) == e.values.shape for e, a in zip(expected, actual))


def _apply(factor: Any, reference: np.ndarray, signs: np.ndarray, layout: str, glassgrad: Any) -> Any:
    """``factor`` with its first k columns (rows) times ``signs`` and the rest rotated onto ``reference``'s."""
    if layout == "rows":  # A = Q R = (Q D)(D^H R): the rows turn by the conjugate phases (signs: the same)
        return _apply(factor.mT, np.swapaxes(reference, -1, -2), np.conj(signs), "columns", glassgrad).mT
    n, k = factor.shape[-1], signs.shape[-1]
    gauge = np.zeros(signs.shape[:-1] + (n, n), dtype=signs.dtype)
    gauge[..., range(k), range(k)] = signs
    if n > k:  # the extra columns: any orthonormal basis of the rest; the best rotation onto torch's
        mine = factor.detach().numpy()[..., k:]
        u, _, vh = np.linalg.svd(np.swapaxes(mine, -1, -2) @ reference[..., k:])
        gauge[..., k:, k:] = u @ vh
    return factor @ glassgrad.tensor(gauge, dtype=factor.dtype)


def invariant_upstream(name: str, output: Any, upstream: list[Any]) -> list[Any]:
    """The upstream gradients ([position, g] per output) with g of the vectors V made phase-invariant
    (``PHASE_INVARIANT_UPSTREAM``): g - V diag(i Im diag(V^H g)), so that diag(V^H g) is real and
    sum(Re(conj(g) V)) does not change when a column of V is multiplied by e^{i phi} (for rows, the same on
    the transposes)."""
    layouts = dict(PHASE_INVARIANT_UPSTREAM.get(name, []))
    projected = []
    for where, g in upstream:
        if where in layouts:
            vectors = output[where].detach().resolve_conj().numpy()
            if layouts[where] == "rows":
                vectors, g = np.swapaxes(vectors, -1, -2), np.swapaxes(g, -1, -2)
            drift = np.einsum("...ij,...ij->...j", np.conj(vectors), g).imag
            g = g - vectors * (1j * drift)[..., None, :]
            if layouts[where] == "rows":
                g = np.swapaxes(g, -1, -2)
        projected.append([where, g])
    return projected
