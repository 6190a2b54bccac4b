"""Silent wrong answers that torch's op database found (issue 21), each compared with torch:
cosine_similarity over a broadcast dim, the add-products with number alpha/beta on integer
tensors, integer linspace/logspace, the pairwise losses on integer and bool inputs, pow's
gradient at a zero base, gather of a 0-d tensor and addr on bool tensors."""

from __future__ import annotations

import numpy as np
import pytest

import glassgrad as gg
from glassgrad.nn import functional as F
from tests.helpers.oracle import compare_with_torch


def _same(ours: gg.Tensor, theirs) -> None:
    """Same dtype, shape and values (exactly, for integer results)."""
    expected = theirs.numpy()
    assert ours.dtype == expected.dtype, (ours.dtype, expected.dtype)
    assert ours.shape == expected.shape, (ours.shape, expected.shape)
    if expected.dtype.kind == "f":
        np.testing.assert_allclose(ours.numpy(), expected, rtol=1e-5, atol=1e-7)
    else:
        np.testing.assert_array_equal(ours.numpy(), expected)


def _same_error(ours, theirs) -> None:
    """glassgrad raises where torch does, an error of torch's kind."""
    with pytest.raises(Exception) as expected:
        theirs()
    with pytest.raises(expected.type, match=expected.value.args[0][:30].replace("(", r"\(").replace(")", r"\)")):
        ours()


# ----- cosine_similarity: broadcast first, then reduce ------------------------------------------
@pytest.mark.parametrize("shapes,dim", [(((1, 2, 1), (2, 1, 1)), -2), (((1, 2, 3), (2, 1, 3)), -2),
                                        (((4, 1), (1, 3)), 0), (((2, 3), (3,)), 1), (((), ()), 0), (((), (3,)), -1)])
def test_cosine_similarity_broadcasts_before_reducing(torch, shapes, dim):
    rng = np.random.default_rng(0)
    arrays = [rng.normal(size=shape) for shape in shapes]
    compare_with_torch(lambda a, b: F.cosine_similarity(a, b, dim=dim),
                       lambda a, b: torch.nn.functional.cosine_similarity(a, b, dim=dim), arrays, torch)
    ones = [np.ones(shape) for shape in shapes]
    assert np.all(F.cosine_similarity(gg.tensor(ones[0]), gg.tensor(ones[1]), dim=dim).numpy() <= 1 + 1e-12)


def test_cosine_similarity_example_from_the_issue(torch):
    ours = F.cosine_similarity(gg.tensor([[[1.], [1.]]]), gg.tensor([[[1.]], [[1.]]]), dim=-2)
    _same(ours, torch.nn.functional.cosine_similarity(torch.tensor([[[1.], [1.]]]), torch.tensor([[[1.]], [[1.]]]),
                                                      dim=-2))


def test_cosine_similarity_gradient_below_eps_and_integer_inputs_like_torch(torch):
    tiny = np.array([[3e-9, -4e-9], [1.0, 2.0]])  # the first row's norm (5e-9) is below eps = 1e-8
    other = np.array([[1.0, 0.5], [-1.0, 3.0]])
    compare_with_torch(lambda a, b: F.cosine_similarity(a, b), lambda a, b: torch.nn.functional.cosine_similarity(a, b),
                       [tiny, other], torch)
    ints, floats = [[1, 2], [3, 0]], [[0.5, 1.0], [2.0, -1.0]]
    _same(F.cosine_similarity(gg.tensor(ints), gg.tensor(floats)),
          torch.nn.functional.cosine_similarity(torch.tensor(ints), torch.tensor(floats)))
    _same_error(lambda: F.cosine_similarity(gg.tensor(ints), gg.tensor(ints)),
                lambda: torch.nn.functional.cosine_similarity(torch.tensor(ints), torch.tensor(ints)))


# ----- add-products on integer and bool tensors ------------------------------------------------
SHAPES = {"addmm": ((2, 2), (2, 3), (3, 2)), "addmv": ((2,), (2, 3), (3,)), "addr": ((2, 3), (2,), (3,)),
          "baddbmm": ((3, 2, 2), (3, 2, 4), (3, 4, 2)), "addbmm": ((2, 2), (3, 2, 4), (3, 4, 2))}
SCALARS = [(1.5, 2.5), (0.5, 1), (1, 0.5), (-1.5, -2.5), (1.7, 2.9), (True, False), (False, True), (2, 3), (0, 0)]


def _integers(shapes, dtype=np.int64):
    return [(np.arange(int(np.prod(s))).reshape(s) % 5 - 1).astype(dtype) for s in shapes]


@pytest.mark.parametrize("name", sorted(SHAPES))
@pytest.mark.parametrize("alpha,beta", SCALARS)
def test_add_products_on_integers_use_alpha_and_beta_as_torch(torch, name, alpha, beta):
    arrays = _integers(SHAPES[name])
    ours = lambda: getattr(gg, name)(*[gg.tensor(a) for a in arrays], alpha=alpha, beta=beta)  # noqa: E731
    theirs = lambda: getattr(torch, name)(*[torch.tensor(a) for a in arrays], alpha=alpha, beta=beta)  # noqa: E731
    if name == "addr" and (isinstance(alpha, float) or isinstance(beta, float) or isinstance(alpha, bool)
                           or isinstance(beta, bool)):
        _same_error(ours, theirs)  # torch's addr refuses float (and bool) scalars for integer tensors
    else:
        _same(ours(), theirs())
    method = getattr(gg.tensor(arrays[0]), name)
    if name != "addr":
        _same(method(*[gg.tensor(a) for a in arrays[1:]], alpha=alpha, beta=beta), theirs())


def test_add_products_refuse_a_scalar_that_overflows_the_dtype(torch):
    arrays = _integers(SHAPES["addmm"], np.int32)
    _same_error(lambda: gg.addmm(*[gg.tensor(a) for a in arrays], alpha=3e9),
                lambda: torch.addmm(*[torch.tensor(a) for a in arrays], alpha=3e9))


@pytest.mark.parametrize("alpha,beta", [(1, 1), (2, 0), (0, 1), (True, False), (0, 0), (1.5, 1)])
def test_addr_of_bool_tensors_is_bool(torch, alpha, beta):
    m, u, v = np.array([[True, False, False], [True, False, True]]), np.array([True, False]), np.array([1, 0, 1]) > 0
    ours = lambda: gg.addr(gg.tensor(m), gg.tensor(u), gg.tensor(v), alpha=alpha, beta=beta)  # noqa: E731
    theirs = lambda: torch.addr(torch.tensor(m), torch.tensor(u), torch.tensor(v), alpha=alpha, beta=beta)  # noqa: E731
    if isinstance(alpha, float):
        _same_error(ours, theirs)
    else:
        _same(ours(), theirs())


def test_add_products_on_floats_keep_their_gradients(torch):
    rng = np.random.default_rng(1)
    arrays = [rng.normal(size=s) for s in SHAPES["baddbmm"]]
    compare_with_torch(lambda a, b, c: gg.baddbmm(a, b, c, alpha=1.5, beta=-0.5),
                       lambda a, b, c: torch.baddbmm(a, b, c, alpha=1.5, beta=-0.5), arrays, torch)


# ----- integer linspace and logspace -------------------------------------------------------------
SPACED = [(-2.7, 9.5, 7), (0.9, 5.9, 3), (0, 10, 4), (10, -3.5, 6), (2.7, 9, 1), (3, 5, 0), (-1, 5, 4),
          (-(2 ** 40), 2 ** 40 + 0.5, 5), (0, 1, 2)]
INTEGER_DTYPES = ["int64", "int32", "int16", "int8", "uint8"]


@pytest.mark.parametrize("dtype", INTEGER_DTYPES + ["bool"])
@pytest.mark.parametrize("start,end,steps", SPACED + [(-1.0, 5, 4), (0, 200, 4), (0, 127.9, 4), (-128.5, 0, 3),
                                                      (0, float("nan"), 3)])
def test_integer_linspace_is_torchs(torch, dtype, start, end, steps):
    ours = lambda: gg.linspace(start, end, steps, dtype=getattr(gg, dtype))  # noqa: E731
    theirs = lambda: torch.linspace(start, end, steps, dtype=getattr(torch, dtype))  # noqa: E731
    try:
        expected = theirs()
    except RuntimeError:
        _same_error(ours, theirs)
        return
    _same(ours(), expected)


LOGSPACED = [(-1, 2.3, 6, 10.0), (0, 3, 5, 1.7), (0.5, 3, 1, 10.0), (1.5, 3, 1, 2), (0, 2, 3, -2), (0, 3, 5, 0.5),
             (0.9, 2.9, 4, 2.5), (2, -1, 4, 3)]  # every value fits int8 (and uint8, where no bound or power is < 0)


LOGSPACE_CASES = ([(dtype, *case) for dtype in INTEGER_DTYPES if dtype != "uint8" for case in LOGSPACED]
                  + [("uint8", *case) for case in LOGSPACED if min(case[0], case[1], case[3]) >= 0]
                  + [(dtype, *case) for dtype in ("int64", "int32") for case in [(0, 9, 3, 10.0), (3, -1, 6, 3)]]
                  + [("int64", 0, 18, 3, 10.0), ("int64", 0, 62, 3, 2)])


@pytest.mark.parametrize("dtype,start,end,steps,base", LOGSPACE_CASES)
def test_integer_logspace_is_torchs(torch, dtype, start, end, steps, base):
    ours = gg.logspace(start, end, steps, base=base, dtype=getattr(gg, dtype))
    _same(ours, torch.logspace(start, end, steps, base=base, dtype=getattr(torch, dtype)))


def test_logspace_refuses_a_power_outside_the_dtype():
    with pytest.raises(RuntimeError, match="does not fit in int8"):
        gg.logspace(0, 3, 4, dtype=gg.int8)  # 1000
    with pytest.raises(RuntimeError, match="does not fit in int64"):
        gg.logspace(0, 3, 5, base=-2, dtype=gg.int64)  # (-2) ** 0.75 is NaN
    with pytest.raises(RuntimeError, match="10.0\\^255.0 .* does not fit in uint8"):
        gg.logspace(-1, 2, 3, dtype=gg.uint8)  # -1 is 255 in uint8, as torch converts it
    with pytest.raises(NotImplementedError, match="Bool"):
        gg.logspace(0, 1, 3, dtype=gg.bool)
    assert gg.logspace(0.5, 1, 1, dtype=gg.bool).tolist() == [True]


# ----- pairwise losses on integer and bool inputs ------------------------------------------------
RANKING = {"int": ([1, 2, 3], [2, 2, 1], [1, -1, 1]),
           "bool-bool": ([True, False, True], [False, False, True], [1, -1, 1]),
           "bool-int": ([True, False, True], [2, 2, 1], [1, -1, 1]),
           "bool target": ([1, 2, 3], [2, 2, 1], [True, False, True]),
           "int32-float64": (np.array([1, 2, 3], np.int32), np.array([2, 2, 1.5]), [1, -1, 1]),
           "float32-float64": (np.array([1, 2, 3], np.float32), np.array([2, 2, 1.5]), [1, -1, 1]),
           "int-float64 target": ([1, 2, 3], [2, 2, 1], np.array([1.0, -1.0, 1.0]))}


@pytest.mark.parametrize("case", sorted(RANKING))
@pytest.mark.parametrize("reduction", ["mean", "sum", "none"])
def test_margin_ranking_loss_on_integers_and_bools_is_torchs(torch, case, reduction):
    a, b, y = RANKING[case]
    ours = lambda: F.margin_ranking_loss(gg.tensor(a), gg.tensor(b), gg.tensor(y), margin=0.5,  # noqa: E731
                                         reduction=reduction)
    theirs = lambda: torch.nn.functional.margin_ranking_loss(torch.tensor(a), torch.tensor(b),  # noqa: E731
                                                             torch.tensor(y), margin=0.5, reduction=reduction)
    try:
        expected = theirs()
    except RuntimeError:
        _same_error(ours, theirs)
        return
    _same(ours(), expected)


EMBEDDING = {"int": ([[1, 2, 3], [0, 0, 0]], [[2, 2, 1], [1, -1, 2]], [1, -1]),
             "bool": ([[True, True, False], [False, True, True]], [[True, False, False], [True, True, True]], [1, -1]),
             "bool-int": ([[True, True, False], [False, True, True]], [[2, 2, 1], [1, -1, 2]], [1, -1]),
             "float32-float64": (np.array([[1, 2, 3], [0, 1, 0]], np.float32), np.array([[2, 2, 1.5], [1, -1, 2]]),
                                 [1, -1]),
             "int32 bool target": (np.array([[1, 2, 3], [0, 1, 0]], np.int32), [[2, 2, 1], [1, -1, 2]], [True, False])}


@pytest.mark.parametrize("case", sorted(EMBEDDING))
@pytest.mark.parametrize("reduction", ["mean", "none"])
def test_cosine_embedding_loss_on_integers_and_bools_is_torchs(torch, case, reduction):
    a, b, y = EMBEDDING[case]
    ours = F.cosine_embedding_loss(gg.tensor(a), gg.tensor(b), gg.tensor(y), margin=-0.5, reduction=reduction)
    theirs = torch.nn.functional.cosine_embedding_loss(torch.tensor(a), torch.tensor(b), torch.tensor(y), margin=-0.5,
                                                       reduction=reduction)
    _same(ours, theirs)


def test_pairwise_losses_with_mixed_float_inputs_keep_gradients(torch):
    rng = np.random.default_rng(2)
    x1, x2, y = rng.normal(size=(3, 4)), rng.normal(size=(3, 4)), np.array([1.0, -1.0, 1.0])
    compare_with_torch(lambda a, b: F.cosine_embedding_loss(a, b.float(), gg.tensor(y)),
                       lambda a, b: torch.nn.functional.cosine_embedding_loss(a, b.float(), torch.tensor(y)),
                       [x1, x2], torch)
    compare_with_torch(lambda a, b: F.margin_ranking_loss(a, b.float(), gg.tensor(y[:, None]), margin=0.1),
                       lambda a, b: torch.nn.functional.margin_ranking_loss(a, b.float(), torch.tensor(y[:, None]),
                                                                            margin=0.1), [x1, x2], torch)


# ----- pow's gradient at a zero base --------------------------------------------------------------
@pytest.mark.parametrize("dtype", [np.float64, np.float32])
@pytest.mark.parametrize("exponent", [0, 0.0, 1, 2, 3.0])
def test_pow_to_a_number_has_torchs_gradient_at_zero(torch, dtype, exponent):
    base = np.array([0.0, 0.0, 1.0, -2.0, 0.0])
    compare_with_torch(lambda x: x ** exponent, lambda x: x ** exponent, [base], torch, dtype=dtype)
    compare_with_torch(lambda x: gg.pow(x, exponent), lambda x: torch.pow(x, exponent), [base], torch, dtype=dtype)


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_pow_gradients_at_zero_match_torch(torch, dtype):
    base = np.array([0.0, 0.0, 1.0, -2.0, 0.0])
    exponents = np.array([0.0, 2.0, 0.0, 3.0, 1.5])
    compare_with_torch(lambda x, y: x ** y, lambda x, y: x ** y, [base, exponents], torch, dtype=dtype)
    compare_with_torch(lambda y: 0.0 ** y, lambda y: 0.0 ** y, [exponents], torch, dtype=dtype)  # d/dy 0 ** y
    compare_with_torch(lambda y: gg.pow(0.0, y), lambda y: torch.pow(0.0, y), [exponents], torch, dtype=dtype)
    compare_with_torch(lambda x, y: gg.pow(x, y), lambda x, y: torch.pow(x, y), [np.zeros(3), np.zeros(())], torch,
                       dtype=dtype)  # 0 ** 0 with a 0-d exponent tensor


# ----- gather of a 0-d tensor ---------------------------------------------------------------------
@pytest.mark.parametrize("index,dim", [(0, 0), ([0], 0), ([0, 0, 0], -1)])
def test_gather_of_a_0d_tensor_takes_the_index_shape(torch, index, dim):
    compare_with_torch(lambda x: gg.gather(x, dim, gg.tensor(index)),
                       lambda x: torch.gather(x, dim, torch.tensor(index)), [np.array(5.0)], torch)
