"""The named tuples that reductions and sorts return, as ``torch.return_types``.

``x.max(dim=1)`` gives ``glassgrad.return_types.max(values=..., indices=...)``:
a tuple, so ``values, indices = x.max(1)`` and ``x.max(1)[0]`` work, with the
fields also reachable by name (``x.max(1).values``).
"""

from __future__ import annotations

from collections import namedtuple
from typing import Any

__all__ = ["aminmax", "cummax", "cummin", "frexp", "histogram", "kthvalue", "max", "median", "min", "mode", "nanmedian",
           "sort", "topk",
           # torch.linalg's decompositions and solvers (glassgrad/ops/linalg_*.py)
           "geqrf", "linalg_cholesky_ex", "linalg_eig", "linalg_eigh", "linalg_inv_ex", "linalg_ldl_factor",
           "linalg_ldl_factor_ex", "linalg_lstsq", "linalg_lu",
           "linalg_lu_factor", "linalg_lu_factor_ex", "linalg_qr", "linalg_slogdet", "linalg_solve_ex", "linalg_svd",
           "lu_unpack", "qr", "slogdet", "svd", "triangular_solve"]


def _named_result(name: str, fields: tuple[str, ...]) -> Any:
    """A tuple subclass called ``name`` with one read-only property per field."""
    base = namedtuple(name, fields)  # noqa: PYI024  (the simplest tuple with named fields)

    def __repr__(self: Any) -> str:
        body = ",\n".join(f"{field}={value!r}" for field, value in zip(fields, self))
        return f"glassgrad.return_types.{name}(\n{body})"

    cls = type(name, (base,), {"__slots__": (), "__repr__": __repr__, "__module__": __name__})
    cls.__doc__ = f"The result of ``{name}``: a tuple ({', '.join(fields)})."
    return cls


max = _named_result("max", ("values", "indices"))  # noqa: A001
min = _named_result("min", ("values", "indices"))  # noqa: A001
aminmax = _named_result("aminmax", ("min", "max"))
median = _named_result("median", ("values", "indices"))
mode = _named_result("mode", ("values", "indices"))
kthvalue = _named_result("kthvalue", ("values", "indices"))
sort = _named_result("sort", ("values", "indices"))
topk = _named_result("topk", ("values", "indices"))
cummax = _named_result("cummax", ("values", "indices"))
cummin = _named_result("cummin", ("values", "indices"))
nanmedian = _named_result("nanmedian", ("values", "indices"))
frexp = _named_result("frexp", ("mantissa", "exponent"))
histogram = _named_result("histogram", ("hist", "bin_edges"))
# torch.linalg's decompositions and solvers (glassgrad/ops/linalg_*.py)
linalg_svd = _named_result("linalg_svd", ("U", "S", "Vh"))
svd = _named_result("svd", ("U", "S", "V"))
linalg_eigh = _named_result("linalg_eigh", ("eigenvalues", "eigenvectors"))
linalg_eig = _named_result("linalg_eig", ("eigenvalues", "eigenvectors"))
linalg_qr = _named_result("linalg_qr", ("Q", "R"))
qr = _named_result("qr", ("Q", "R"))
geqrf = _named_result("geqrf", ("a", "tau"))
linalg_cholesky_ex = _named_result("linalg_cholesky_ex", ("L", "info"))
linalg_inv_ex = _named_result("linalg_inv_ex", ("inverse", "info"))
linalg_solve_ex = _named_result("linalg_solve_ex", ("result", "info"))
linalg_slogdet = _named_result("linalg_slogdet", ("sign", "logabsdet"))
slogdet = _named_result("slogdet", ("sign", "logabsdet"))
linalg_lstsq = _named_result("linalg_lstsq", ("solution", "residuals", "rank", "singular_values"))
linalg_lu_factor = _named_result("linalg_lu_factor", ("LU", "pivots"))
linalg_lu_factor_ex = _named_result("linalg_lu_factor_ex", ("LU", "pivots", "info"))
linalg_lu = _named_result("linalg_lu", ("P", "L", "U"))
linalg_ldl_factor = _named_result("linalg_ldl_factor", ("LD", "pivots"))
linalg_ldl_factor_ex = _named_result("linalg_ldl_factor_ex", ("LD", "pivots", "info"))
lu_unpack = _named_result("lu_unpack", ("P", "L", "U"))
triangular_solve = _named_result("triangular_solve", ("solution", "cloned_coefficient"))
