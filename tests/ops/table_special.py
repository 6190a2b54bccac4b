"""Op-table rows for glassgrad.special (joined into ``OPS`` by op_table.py): the special functions
torch differentiates. The Bessel functions and orthogonal polynomials, which torch gives no
gradient, are checked by finite differences in tests/ops/test_special_functions.py instead.

Each is drawn inside its domain and away from its poles: the gamma family off 0, -1, -2 (and
multigammaln above (p - 1)/2 + 1/2 for p <= 3), ndtri inside (0, 1), i0e and i1e off 0 (their scale
factor e^-|x| has a kink there), entr and the incomplete gamma's x above 0.
"""

from __future__ import annotations

from typing import Any

from hypothesis import strategies as st

import glassgrad
from glassgrad import special
from tests.ops.op_table import OpSpec, with_params
from tests.ops.strategies import ANY, NONZERO, POSITIVE, Domain, binary, unary

OFF_POLES = Domain(-2.7, 4.0, avoid=(-2.0, -1.0, 0.0), margin=0.2)  # lgamma, digamma, polygamma
ABOVE_POLES = Domain(1.3, 4.0)  # mvlgamma with p <= 3: x - j/2 >= 0.3 for j <= 2
PROBABILITY = Domain(0.05, 0.95)  # ndtri


def _special(name: str) -> Any:
    """torch.special.<name> as a reference function ``ref(torch, *tensors)``."""
    return lambda t, *xs, **params: getattr(t.special, name)(*xs, **params)


def _row(name: str, domain: Domain = ANY) -> OpSpec:
    return OpSpec(f"special_{name}", getattr(special, name), _special(name), unary(domain))


ROWS: list[OpSpec] = [
    # the gamma family (torch-level names)
    OpSpec("lgamma", glassgrad.lgamma, lambda t, a: t.lgamma(a), unary(OFF_POLES)),
    OpSpec("digamma", glassgrad.digamma, lambda t, a: t.digamma(a), unary(OFF_POLES)),
    OpSpec("polygamma", lambda a, n: glassgrad.polygamma(n, a), lambda t, a, n: t.polygamma(n, a),
           with_params(unary(OFF_POLES), n=st.sampled_from([0, 1, 2, 3]))),
    OpSpec("mvlgamma", lambda a, p: glassgrad.mvlgamma(a, p), lambda t, a, p: t.mvlgamma(a, p),
           with_params(unary(ABOVE_POLES), p=st.sampled_from([1, 2, 3]))),
    OpSpec("igamma", lambda x, a: glassgrad.igamma(glassgrad.full_like(x, a), x),
           lambda t, x, a: t.igamma(t.full_like(x, a), x),
           with_params(unary(POSITIVE), a=st.sampled_from([0.5, 1.0, 2.5]))),
    OpSpec("igammac", lambda x, a: glassgrad.igammac(glassgrad.full_like(x, a), x),
           lambda t, x, a: t.igammac(t.full_like(x, a), x),
           with_params(unary(POSITIVE), a=st.sampled_from([0.5, 1.0, 2.5]))),
    OpSpec("special_zeta", lambda q, s: special.zeta(s, q), lambda t, q, s: t.special.zeta(s, q),
           with_params(unary(POSITIVE), s=st.sampled_from([2.0, 3.5]))),
    # the error function and the normal distribution
    _row("erfcx", Domain(-2.0, 4.0)),
    _row("ndtr"),
    _row("ndtri", PROBABILITY),
    _row("log_ndtr", Domain(-6.0, 3.0)),
    # modified Bessel functions torch differentiates
    OpSpec("i0", glassgrad.i0, lambda t, a: t.i0(a), unary()),
    _row("i0e", NONZERO),
    _row("i1"),
    _row("i1e", NONZERO),
    # entropy terms
    _row("entr", POSITIVE),
    OpSpec("special_xlog1py", special.xlog1py, _special("xlog1py"), binary(ANY, Domain(-0.8, 3.0))),
]
