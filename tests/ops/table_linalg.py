"""Op-table rows for matrix products and einsum (joined into ``OPS`` by op_table.py).

Sizes are drawn per letter (the axis names of an einsum equation) so that
every product gets operands whose shapes fit; ``...`` axes are drawn as
mutually broadcastable shapes.
"""

from __future__ import annotations

from typing import Any

from hypothesis import strategies as st

from glassgrad import ops
from tests.ops.op_table import OpSpec
from tests.ops.strategies import Case, array, broadcast_shapes

# every einsum form the rows exercise: products, batches, transposes, diagonals, '...' broadcasting
EINSUM_EQUATIONS = [
    "ij,jk->ik",  # matrix product
    "ij,jk",  # the same, implicit output
    "bij,bjk->bik",  # batched
    "bhqd,bhkd->bhqk",  # attention scores
    "ij->ji",  # transpose
    "ji",  # implicit: the output is 'ij', so a transpose
    "ij->j",  # a sum over one axis
    "ij->",  # a sum over everything
    "i,j->ij",  # outer product
    "ij,ij->",  # Frobenius inner product
    "ij,ij->ij",  # element-wise product
    "ijk,jl,lk->il",  # three operands
    "ii->i",  # the diagonal
    "ii->",  # the trace
    "iij,jk->ik",  # a diagonal inside a product
    "...ij,...jk->...ik",  # batched product with broadcast batch axes
    "...ij->...ji",  # transpose of the last two axes
    "i...->...",  # a sum over the first axis
    "...d,...d->...",  # a row-wise dot product with broadcasting
]


def _sizes(draw: st.DrawFn, letters: str) -> dict[str, int]:
    return {c: draw(st.integers(1, 3)) for c in letters}


@st.composite
def einsum_case(draw: st.DrawFn) -> Case:
    equation = draw(st.sampled_from(EINSUM_EQUATIONS))
    terms = equation.split("->")[0].split(",")
    sizes = _sizes(draw, "".join(sorted(set(equation) - set(",->."))))
    batches = draw(broadcast_shapes(len(terms), max_dims=2))
    arrays = []
    for term, batch in zip(terms, batches):
        head, _, tail = term.partition("...")
        shape = tuple(sizes[c] for c in head) + (batch if "..." in term else ()) + tuple(sizes[c] for c in tail)
        arrays.append(draw(array(shape)))
    return Case(tuple(arrays), {"equation": equation})


@st.composite
def shapes_case(draw: st.DrawFn, *terms: str) -> Case:
    """Operands laid out by ``terms`` (one letter per axis), e.g. ``("nk", "km")`` for mm."""
    sizes = _sizes(draw, "".join(sorted(set("".join(terms)))))
    return Case(tuple(draw(array(tuple(sizes[c] for c in term))) for term in terms))


@st.composite
def add_product_case(draw: st.DrawFn, result: str, *terms: str) -> Case:
    """``input`` (broadcastable to the result's letters) and the product's operands, plus beta and alpha."""
    sizes = _sizes(draw, "".join(sorted(set("".join(terms)))))
    kept = result[draw(st.integers(0, len(result))):]  # input may drop leading axes and have size-1 ones
    input_shape = tuple(sizes[c] if draw(st.booleans()) else 1 for c in kept)
    arrays = [draw(array(input_shape))] + [draw(array(tuple(sizes[c] for c in term))) for term in terms]
    params = {"beta": draw(st.sampled_from([1, 0.5, -2.0])), "alpha": draw(st.sampled_from([1, 2.0, -0.5]))}
    return Case(tuple(arrays), params)


@st.composite
def kron_case(draw: st.DrawFn) -> Case:
    shape_a = tuple(draw(st.lists(st.integers(1, 3), max_size=3)))
    shape_b = tuple(draw(st.lists(st.integers(1, 3), max_size=3)))
    return Case((draw(array(shape_a)), draw(array(shape_b))))


@st.composite
def tensordot_case(draw: st.DrawFn) -> Case:
    """An int ``dims`` (the last n of a with the first n of b) or explicit axis lists."""
    sizes = _sizes(draw, "abcde")
    if draw(st.booleans()):
        n = draw(st.integers(0, 2))
        shape_a, shape_b = ("ab"[: 2 - n] + "cd"[:n]), ("cd"[:n] + "e")
        dims: Any = n
    else:  # a: (c, a, d), b: (d, e, c): contract a's axes 2, 0 with b's axes 0, 2
        shape_a, shape_b, dims = "cad", "dec", ([2, 0], [0, 2])
    a = draw(array(tuple(sizes[c] for c in shape_a)))
    b = draw(array(tuple(sizes[c] for c in shape_b)))
    return Case((a, b), {"dims": dims})


@st.composite
def inner_case(draw: st.DrawFn) -> Case:
    sizes = _sizes(draw, "abcd")
    term_a = draw(st.sampled_from(["d", "ad", "abd"]))
    term_b = draw(st.sampled_from(["d", "cd"]))
    return Case((draw(array(tuple(sizes[c] for c in term_a))), draw(array(tuple(sizes[c] for c in term_b)))))


ROWS: list[OpSpec] = [
    OpSpec("mm", ops.mm, lambda t, a, b: t.mm(a, b), shapes_case("nk", "km")),
    OpSpec("bmm", ops.bmm, lambda t, a, b: t.bmm(a, b), shapes_case("bnk", "bkm")),
    OpSpec("mv", ops.mv, lambda t, a, v: t.mv(a, v), shapes_case("nk", "k")),
    OpSpec("dot", ops.dot, lambda t, a, b: t.dot(a, b), shapes_case("k", "k")),
    OpSpec("vdot", ops.vdot, lambda t, a, b: t.vdot(a, b), shapes_case("k", "k")),
    OpSpec("outer", ops.outer, lambda t, a, b: t.outer(a, b), shapes_case("n", "m")),
    OpSpec("inner", ops.inner, lambda t, a, b: t.inner(a, b), inner_case()),
    OpSpec("kron", ops.kron, lambda t, a, b: t.kron(a, b), kron_case()),
    OpSpec("trace", ops.trace, lambda t, a: t.trace(a), shapes_case("nm")),
    OpSpec("tensordot", lambda a, b, dims: ops.tensordot(a, b, dims),
           lambda t, a, b, dims: t.tensordot(a, b, dims), tensordot_case()),
    OpSpec("addmm", lambda c, a, b, beta, alpha: ops.addmm(c, a, b, beta=beta, alpha=alpha),
           lambda t, c, a, b, beta, alpha: t.addmm(c, a, b, beta=beta, alpha=alpha),
           add_product_case("nm", "nk", "km")),
    OpSpec("addmv", lambda c, a, v, beta, alpha: ops.addmv(c, a, v, beta=beta, alpha=alpha),
           lambda t, c, a, v, beta, alpha: t.addmv(c, a, v, beta=beta, alpha=alpha),
           add_product_case("n", "nk", "k")),
    OpSpec("baddbmm", lambda c, a, b, beta, alpha: ops.baddbmm(c, a, b, beta=beta, alpha=alpha),
           lambda t, c, a, b, beta, alpha: t.baddbmm(c, a, b, beta=beta, alpha=alpha),
           add_product_case("bnm", "bnk", "bkm")),
    OpSpec("addbmm", lambda c, a, b, beta, alpha: ops.addbmm(c, a, b, beta=beta, alpha=alpha),
           lambda t, c, a, b, beta, alpha: t.addbmm(c, a, b, beta=beta, alpha=alpha),
           add_product_case("nm", "bnk", "bkm")),
    OpSpec("addr", lambda c, a, b, beta, alpha: ops.addr(c, a, b, beta=beta, alpha=alpha),
           lambda t, c, a, b, beta, alpha: t.addr(c, a, b, beta=beta, alpha=alpha),
           add_product_case("nm", "n", "m")),
    OpSpec("einsum", lambda *xs, equation: ops.einsum(equation, *xs),
           lambda t, *xs, equation: t.einsum(equation, *xs), einsum_case()),
]
