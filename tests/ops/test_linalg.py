"""Matrix products and einsum beyond the op table: errors that name the op, Tensor methods,
the sublist form of einsum, beta = 0, and agreement with torch on fixed examples."""

from __future__ import annotations

import numpy as np
import pytest

import glassgrad as gg
from tests.helpers.oracle import compare_with_torch


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda: gg.mm(gg.ones(3), gg.ones(3, 2)), r"mm: input must be a matrix .*shape \(3,\)"),
        (lambda: gg.mm(gg.ones(2, 3), gg.ones(4, 5)), r"mm: mat1 and mat2 shapes cannot be multiplied \(2x3 and 4x5\)"),
        (lambda: gg.mm(gg.ones(2, 3), gg.ones(3, 2, dtype=gg.float64)), "mm: .*same dtype.*float32 and float64"),
        (lambda: gg.bmm(gg.ones(2, 3), gg.ones(2, 3)), "bmm: input must be a batch of matrices"),
        (lambda: gg.bmm(gg.ones(2, 2, 3), gg.ones(3, 3, 4)), r"bmm: expected mat2 of shape \(2, 3, m\)"),
        (lambda: gg.mv(gg.ones(2, 3), gg.ones(4)), r"mv: size mismatch, got matrix \(2x3\) and vector \(4\)"),
        (lambda: gg.mv(gg.ones(2, 3), gg.ones(3, 1)), "mv: vec must be a vector"),
        (lambda: gg.dot(gg.ones(2, 3), gg.ones(3)), "dot: 1D tensors expected, but got 2D and 1D"),
        (lambda: gg.dot(gg.ones(3), gg.ones(4)), "dot: inconsistent tensor size"),
        (lambda: gg.outer(gg.ones(2, 2), gg.ones(3)), "outer: input must be a vector"),
        (lambda: gg.addmm(gg.ones(3, 3), gg.ones(2, 3), gg.ones(3, 4)), r"addmm: input of shape \(3, 3\) does not"),
        (lambda: gg.tensordot(gg.ones(2, 3), gg.ones(4, 5), 1), "tensordot: contracted dimensions need to match"),
        (lambda: gg.inner(gg.ones(2, 3), gg.ones(4)), "inner: the last dimensions"),
        (lambda: gg.trace(gg.ones(2, 3, 4)), r"trace: expected a matrix.*\(2, 3, 4\)"),
    ],
)
def test_product_errors_name_the_op_and_shapes(call, message) -> None:
    with pytest.raises(RuntimeError, match=message):
        call()


@pytest.mark.parametrize(
    ("equation", "shapes", "message"),
    [
        ("ij,jk->ik", [(2, 3), (2, 3)], "subscript j has size 2 for operand 1"),
        ("ij,jk->ik", [(2, 3)], "names 2 operands but 1 were given"),
        ("ii->i", [(3, 2)], "subscript i is repeated for operand 0"),
        ("ij->k", [(2, 3)], "output subscript k .* does not appear"),
        ("ij->ii", [(2, 3)], "output subscript i appears more than once"),
        ("ijk->ij", [(2, 3)], "does not match the number of dimensions"),
        ("i1->i", [(2, 3)], "invalid subscript '1'"),
        ("i->i->i", [(2,)], "more than one '->'"),
        ("ii,i->i", [(1, 1), (3,)], "broadcasting a diagonal is not supported"),
    ],
)
def test_einsum_errors(equation, shapes, message) -> None:
    operands = [gg.ones(*s) for s in shapes]
    with pytest.raises(RuntimeError, match=r"einsum\(\): .*" + message):
        gg.einsum(equation, *operands)


def test_einsum_refuses_mixed_dtypes_and_no_operands() -> None:
    with pytest.raises(RuntimeError, match="einsum.*one dtype"):
        gg.einsum("i,i", gg.ones(2), gg.ones(2, dtype=gg.float64))
    with pytest.raises(RuntimeError, match="at least one operand"):
        gg.einsum("i")


def test_einsum_takes_a_list_and_the_sublist_form(torch, rng) -> None:
    a, b = rng.standard_normal((2, 3)), rng.standard_normal((3, 4))
    expected = a @ b
    np.testing.assert_allclose(gg.einsum("ij,jk->ik", [gg.tensor(a), gg.tensor(b)]).numpy(), expected)
    compare_with_torch(lambda x, y: gg.einsum(x, [0, 1], y, [1, 2], [0, 2]),
                       lambda x, y: torch.einsum(x, [0, 1], y, [1, 2], [0, 2]), [a, b], torch)
    compare_with_torch(lambda x, y: gg.einsum(x, [Ellipsis, 1], y, [1, 2]),
                       lambda x, y: torch.einsum(x, [Ellipsis, 1], y, [1, 2]),
                       [rng.standard_normal((5, 2, 3)), b], torch)


def test_einsum_spaces_and_uppercase_letters(torch, rng) -> None:
    arrays = [rng.standard_normal((2, 3)), rng.standard_normal((3, 2))]
    for equation in [" ij , jk -> ik ", "Ba,aB", "bA,Ab", "aB"]:
        operands = arrays[: equation.count(",") + 1]
        compare_with_torch(lambda *xs, e=equation: gg.einsum(e, *xs),
                           lambda *xs, e=equation: torch.einsum(e, *xs), operands, torch)


def test_einsum_of_one_tensor_twice_accumulates(torch, rng) -> None:
    a = rng.standard_normal((3, 3))
    compare_with_torch(lambda x: gg.einsum("ij,jk->ik", x, x), lambda x: torch.einsum("ij,jk->ik", x, x), [a], torch)


def test_einsum_on_integers_matches_numpy() -> None:
    a = gg.arange(6).reshape(2, 3)
    out = gg.einsum("ij,kj->ik", a, a)
    assert out.dtype == gg.int64
    np.testing.assert_array_equal(out.numpy(), np.arange(6).reshape(2, 3) @ np.arange(6).reshape(2, 3).T)


def test_tensor_methods_match_functions(rng) -> None:
    a, b = gg.tensor(rng.standard_normal((2, 3))), gg.tensor(rng.standard_normal((3, 4)))
    v, w = gg.tensor(rng.standard_normal(3)), gg.tensor(rng.standard_normal(3))
    batch1, batch2 = gg.tensor(rng.standard_normal((2, 2, 3))), gg.tensor(rng.standard_normal((2, 3, 4)))
    c, m = gg.tensor(rng.standard_normal((2, 4))), gg.tensor(rng.standard_normal((3, 3)))
    pairs = [
        (a.mm(b), gg.mm(a, b)), (batch1.bmm(batch2), gg.bmm(batch1, batch2)), (a.mv(v), gg.mv(a, v)),
        (v.dot(w), gg.dot(v, w)), (v.vdot(w), gg.dot(v, w)), (v.outer(w), gg.outer(v, w)), (v.ger(w), gg.ger(v, w)),
        (v.inner(w), gg.inner(v, w)), (v.kron(w), gg.kron(v, w)), (a.trace(), gg.trace(a)),
        (c.addmm(a, b, beta=0.5, alpha=2), gg.addmm(c, a, b, beta=0.5, alpha=2)),
        (c.baddbmm(batch1, batch2), gg.baddbmm(c, batch1, batch2)),
        (c.addbmm(batch1, batch2), gg.addbmm(c, batch1, batch2)),
        (v.addmv(m, w), gg.addmv(v, m, w)), (c.addr(gg.ones(2), gg.ones(4)), gg.addr(c, gg.ones(2), gg.ones(4))),
    ]
    for got, expected in pairs:
        np.testing.assert_allclose(got.numpy(), expected.numpy())


def test_addmm_with_beta_zero_ignores_nan_in_input(torch) -> None:
    c = gg.full((2, 2), float("nan"))
    out = gg.addmm(c, gg.ones(2, 3), gg.ones(3, 2), beta=0)
    np.testing.assert_array_equal(out.numpy(), np.full((2, 2), 3.0, dtype=np.float32))
    expected = torch.addmm(torch.full((2, 2), float("nan")), torch.ones(2, 3), torch.ones(3, 2), beta=0)
    np.testing.assert_array_equal(out.numpy(), expected.numpy())


def test_dot_of_int_vectors_is_int64() -> None:
    out = gg.dot(gg.tensor([1, 2, 3]), gg.tensor([4, 5, 6]))
    assert out.dtype == gg.int64 and out.item() == 32
    assert gg.trace(gg.arange(6).reshape(2, 3)).item() == 0 + 4
