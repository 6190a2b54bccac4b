"""``torch.special``: the special functions of statistics and physics (``import glassgrad as torch;
torch.special.digamma(x)``).

Where the functions live (each with its derivative in its docstring, derived in
docs/derivations/special.md):

* gamma family: ``gammaln``, ``digamma``/``psi``, ``polygamma``, ``multigammaln``
  (glassgrad/ops/special_gamma.py); ``gammainc``/``gammaincc`` (special_incomplete_gamma.py);
  ``zeta`` (special_zeta.py)
* error function and the normal distribution: ``erf``, ``erfc``, ``erfinv`` (ops/pointwise_math.py),
  ``erfcx``, ``ndtr``, ``ndtri``, ``log_ndtr`` (special_error.py)
* Bessel and Airy functions: ``i0``, ``i0e``, ``i1``, ``i1e``, ``modified_bessel_*``,
  ``scaled_modified_bessel_*`` (special_bessel_modified.py), ``bessel_j0/j1/y0/y1``,
  ``spherical_bessel_j0``, ``airy_ai`` (special_bessel.py)
* orthogonal polynomials: ``chebyshev_polynomial_t/u/v/w``, ``shifted_chebyshev_polynomial_*``,
  ``hermite_polynomial_h/he``, ``laguerre_polynomial_l``, ``legendre_polynomial_p``
  (special_polynomials.py)
* entropy terms: ``entr``, ``xlog1py`` (special_entropy.py), ``xlogy``
* torch.special's names for ops glassgrad has under other names: ``expit`` (sigmoid), ``exp2``,
  ``expm1``, ``log1p``, ``logit``, ``sinc``, ``round``, ``softmax``, ``log_softmax``, ``logsumexp``

The values of the functions NumPy lacks come from scipy.special, computed in float64 and returned in
the input's dtype; an integer or bool input gives the default float dtype, as torch.
"""

from __future__ import annotations

from typing import Any

from glassgrad import ops
from glassgrad.ops.activation import sigmoid as expit
from glassgrad.ops.pointwise_log_domain import logit as logit
from glassgrad.ops.pointwise_math import erf as erf
from glassgrad.ops.pointwise_math import erfc as erfc
from glassgrad.ops.pointwise_math import erfinv as erfinv
from glassgrad.ops.pointwise_math import exp2 as exp2
from glassgrad.ops.pointwise_math import expm1 as expm1
from glassgrad.ops.pointwise_math import log1p as log1p
from glassgrad.ops.pointwise_math import xlogy as xlogy
from glassgrad.ops.pointwise_rounding import round as round  # noqa: A004
from glassgrad.ops.pointwise_signal import sinc as sinc
from glassgrad.ops.special_bessel import airy_ai as airy_ai
from glassgrad.ops.special_bessel import bessel_j0 as bessel_j0
from glassgrad.ops.special_bessel import bessel_j1 as bessel_j1
from glassgrad.ops.special_bessel import bessel_y0 as bessel_y0
from glassgrad.ops.special_bessel import bessel_y1 as bessel_y1
from glassgrad.ops.special_bessel import spherical_bessel_j0 as spherical_bessel_j0
from glassgrad.ops.special_bessel_modified import i0 as i0
from glassgrad.ops.special_bessel_modified import i0 as modified_bessel_i0
from glassgrad.ops.special_bessel_modified import i0e as i0e
from glassgrad.ops.special_bessel_modified import i1 as i1
from glassgrad.ops.special_bessel_modified import i1 as modified_bessel_i1
from glassgrad.ops.special_bessel_modified import i1e as i1e
from glassgrad.ops.special_bessel_modified import modified_bessel_k0 as modified_bessel_k0
from glassgrad.ops.special_bessel_modified import modified_bessel_k1 as modified_bessel_k1
from glassgrad.ops.special_bessel_modified import scaled_modified_bessel_k0 as scaled_modified_bessel_k0
from glassgrad.ops.special_bessel_modified import scaled_modified_bessel_k1 as scaled_modified_bessel_k1
from glassgrad.ops.special_entropy import entr as entr
from glassgrad.ops.special_entropy import xlog1py as xlog1py
from glassgrad.ops.special_error import erfcx as erfcx
from glassgrad.ops.special_error import log_ndtr as log_ndtr
from glassgrad.ops.special_error import ndtr as ndtr
from glassgrad.ops.special_error import ndtri as ndtri
from glassgrad.ops.special_gamma import digamma as digamma
from glassgrad.ops.special_gamma import digamma as psi
from glassgrad.ops.special_gamma import lgamma as gammaln
from glassgrad.ops.special_gamma import mvlgamma as multigammaln
from glassgrad.ops.special_gamma import polygamma as polygamma
from glassgrad.ops.special_incomplete_gamma import igamma as gammainc
from glassgrad.ops.special_incomplete_gamma import igammac as gammaincc
from glassgrad.ops.special_polynomials import chebyshev_polynomial_t as chebyshev_polynomial_t
from glassgrad.ops.special_polynomials import chebyshev_polynomial_u as chebyshev_polynomial_u
from glassgrad.ops.special_polynomials import chebyshev_polynomial_v as chebyshev_polynomial_v
from glassgrad.ops.special_polynomials import chebyshev_polynomial_w as chebyshev_polynomial_w
from glassgrad.ops.special_polynomials import hermite_polynomial_h as hermite_polynomial_h
from glassgrad.ops.special_polynomials import hermite_polynomial_he as hermite_polynomial_he
from glassgrad.ops.special_polynomials import laguerre_polynomial_l as laguerre_polynomial_l
from glassgrad.ops.special_polynomials import legendre_polynomial_p as legendre_polynomial_p
from glassgrad.ops.special_polynomials import shifted_chebyshev_polynomial_t as shifted_chebyshev_polynomial_t
from glassgrad.ops.special_polynomials import shifted_chebyshev_polynomial_u as shifted_chebyshev_polynomial_u
from glassgrad.ops.special_polynomials import shifted_chebyshev_polynomial_v as shifted_chebyshev_polynomial_v
from glassgrad.ops.special_polynomials import shifted_chebyshev_polynomial_w as shifted_chebyshev_polynomial_w
from glassgrad.ops.special_zeta import zeta as zeta
from glassgrad.tensor import Tensor


def softmax(input: Any, dim: int, *, dtype: Any = None) -> Tensor:  # noqa: A002
    """torch.special.softmax: softmax along ``dim`` (``dtype``: cast the input first)."""
    return ops.softmax(input, dim, dtype)


def log_softmax(input: Any, dim: int, *, dtype: Any = None) -> Tensor:  # noqa: A002
    """torch.special.log_softmax: log of softmax along ``dim`` (``dtype``: cast the input first)."""
    return ops.log_softmax(input, dim, dtype)


def logsumexp(input: Any, dim: Any, keepdim: bool = False) -> Tensor:  # noqa: A002
    """torch.special.logsumexp: ln sum exp over ``dim``, without overflow."""
    return ops.logsumexp(input, dim, keepdim)


__all__ = [
    "airy_ai", "bessel_j0", "bessel_j1", "bessel_y0", "bessel_y1", "chebyshev_polynomial_t",
    "chebyshev_polynomial_u", "chebyshev_polynomial_v", "chebyshev_polynomial_w", "digamma", "entr", "erf",
    "erfc", "erfcx", "erfinv", "exp2", "expit", "expm1", "gammainc", "gammaincc", "gammaln",
    "hermite_polynomial_h", "hermite_polynomial_he", "i0", "i0e", "i1", "i1e", "laguerre_polynomial_l",
    "legendre_polynomial_p", "log1p", "log_ndtr", "log_softmax", "logit", "logsumexp", "modified_bessel_i0",
    "modified_bessel_i1", "modified_bessel_k0", "modified_bessel_k1", "multigammaln", "ndtr", "ndtri",
    "polygamma", "psi", "round", "scaled_modified_bessel_k0", "scaled_modified_bessel_k1",
    "shifted_chebyshev_polynomial_t", "shifted_chebyshev_polynomial_u", "shifted_chebyshev_polynomial_v",
    "shifted_chebyshev_polynomial_w", "sinc", "softmax", "spherical_bessel_j0", "xlog1py", "xlogy", "zeta",
]
