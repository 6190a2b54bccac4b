"""Shape and dtype errors are torch's types: an op that refuses its inputs raises what torch raises
for the same call (``RuntimeError`` mostly), so ``except RuntimeError`` in a PyTorch program catches
it; glassgrad's ``OpInputError`` / ``OpDtypeError`` are also ``ValueError`` / ``TypeError``, the types
glassgrad raised before (glassgrad/errors.py)."""

from __future__ import annotations

import warnings

import pytest

import glassgrad as gg
from glassgrad.errors import OpDtypeError, OpInputError


def F(m):  # noqa: N802  (torch's name for nn.functional)
    return m.nn.functional


# name -> the same bad call, made with a module m (glassgrad or torch)
BAD_CALLS = {
 "add broadcast": lambda m: m.ones(2, 3) + m.ones(4),
 "mul broadcast": lambda m: m.ones(2, 3) * m.ones(2),
 "matmul": lambda m: m.ones(2, 3) @ m.ones(4, 5),
 "matmul 1d": lambda m: m.ones(3) @ m.ones(4),
 "mm": lambda m: m.mm(m.ones(2, 3), m.ones(4, 5)),
 "bmm": lambda m: m.bmm(m.ones(2, 2, 3), m.ones(2, 4, 5)),
 "cat": lambda m: m.cat([m.ones(2, 3), m.ones(2, 4)]),
 "cat ndim": lambda m: m.cat([m.ones(2, 3), m.ones(3)]),
 "stack": lambda m: m.stack([m.ones(2, 3), m.ones(2, 4)]),
 "view numel": lambda m: m.ones(2, 3).view(4, 2),
 "view stride": lambda m: m.ones(2, 3).t().view(6),
 "reshape numel": lambda m: m.ones(2, 3).reshape(5),
 "view two -1": lambda m: m.ones(2, 3).view(-1, -1),
 "expand": lambda m: m.ones(2, 3).expand(4, 3),
 "expand fewer": lambda m: m.ones(2, 3).expand(3),
 "linear": lambda m: F(m).linear(m.ones(2, 3), m.ones(4, 5)),
 "Linear module": lambda m: m.nn.Linear(3, 4)(m.ones(2, 5)),
 "conv2d channels": lambda m: F(m).conv2d(m.ones(1, 3, 5, 5), m.ones(4, 2, 3, 3)),
 "conv2d too small": lambda m: F(m).conv2d(m.ones(1, 3, 2, 2), m.ones(4, 3, 3, 3)),
 "conv2d ndim": lambda m: F(m).conv2d(m.ones(5, 5), m.ones(4, 3, 3, 3)),
 "max_pool2d too small": lambda m: F(m).max_pool2d(m.ones(1, 1, 2, 2), 3),
 "setitem shape": lambda m: m.ones(2, 3).__setitem__(0, m.ones(4)),
 "masked_fill shape": lambda m: m.ones(2, 3).masked_fill(m.ones(4, dtype=m.bool), 0.0),
 "gather ndim": lambda m: m.gather(m.ones(2, 3), 1, m.zeros(2, dtype=m.int64)),
 "scatter ndim": lambda m: m.zeros(2, 3).scatter(1, m.zeros(2, dtype=m.int64), 1.0),
 "index_select dim": lambda m: m.index_select(m.ones(2, 3), 0, m.zeros(2, 2, dtype=m.int64)),
 "layer_norm": lambda m: F(m).layer_norm(m.ones(2, 3), (4,)),
 "batch_norm": lambda m: F(m).batch_norm(m.ones(2, 3), m.zeros(4), m.ones(4)),
 "group_norm": lambda m: F(m).group_norm(m.ones(2, 6, 3), 4),
 "mse_loss bad broadcast": lambda m: F(m).mse_loss(m.ones(2, 3), m.ones(4)),
 "cross_entropy shape": lambda m: F(m).cross_entropy(m.ones(2, 3), m.zeros(4, dtype=m.int64)),
 "nll_loss shape": lambda m: F(m).nll_loss(m.ones(2, 3), m.zeros(4, dtype=m.int64)),
 "bce shape": lambda m: F(m).binary_cross_entropy(m.ones(2, 3) / 2, m.ones(4)),
 "bce logits shape": lambda m: F(m).binary_cross_entropy_with_logits(m.ones(2, 3), m.ones(4)),
 "embedding float idx": lambda m: F(m).embedding(m.ones(2), m.ones(4, 3)),
 "tril 1d": lambda m: m.tril(m.ones(3)),
 "repeat few": lambda m: m.ones(2, 3).repeat(2),
 "roll len": lambda m: m.roll(m.ones(2, 3), (1, 1), (0,)),
 "permute dup": lambda m: m.ones(2, 3).permute(0, 0),
 "permute len": lambda m: m.ones(2, 3).permute(0),
 "transpose dim": lambda m: m.ones(2, 3).transpose(0, 5),
 "sum dim": lambda m: m.ones(2, 3).sum(5),
 "squeeze dim": lambda m: m.ones(2, 3).squeeze(5),
 "flatten order": lambda m: m.ones(2, 3, 4).flatten(2, 1),
 "split sizes": lambda m: m.ones(5).split([2, 2]),
 "where shape": lambda m: m.where(m.ones(2, dtype=m.bool), m.ones(3), m.ones(3)),
 "index out of range": lambda m: m.ones(3)[5],
 "pad odd": lambda m: F(m).pad(m.ones(2, 3), (1,)),
 "pad reflect big": lambda m: F(m).pad(m.ones(1, 2, 3), (3, 3), mode="reflect"),
 "softmax dim": lambda m: m.softmax(m.ones(2, 3), 4),
 "dot sizes": lambda m: m.dot(m.ones(3), m.ones(4)),
 "dot 2d": lambda m: m.dot(m.ones(3, 1), m.ones(3, 1)),
 "outer": lambda m: m.outer(m.ones(3, 1), m.ones(3)),
 "chunk 0": lambda m: m.ones(3).chunk(0),
 "unflatten": lambda m: m.ones(6).unflatten(0, (4, 2)),
 "unsqueeze dim": lambda m: m.ones(3).unsqueeze(3),
 "narrow": lambda m: m.ones(3).narrow(0, 2, 3),
 "cdist": lambda m: m.cdist(m.ones(2, 3), m.ones(2, 4)),
 "lstm input": lambda m: m.nn.LSTM(3, 4)(m.ones(5, 2, 6)),
 "rnn hidden": lambda m: m.nn.GRU(3, 4)(m.ones(5, 2, 3), m.zeros(1, 3, 4)),
 "embedding out of range": lambda m: m.nn.Embedding(3, 2)(m.tensor([5])),
 "interpolate": lambda m: F(m).interpolate(m.ones(1, 1, 4, 4), size=(2,)),
 "one_hot neg": lambda m: F(m).one_hot(m.tensor([-1])),
 "one_hot range": lambda m: F(m).one_hot(m.tensor([3]), 2),
 "arange step 0": lambda m: m.arange(0, 3, 0),
 "zeros negative": lambda m: m.zeros(-1),
 "randint low high": lambda m: m.randint(3, 2, (2,)),
 "multinomial neg": lambda m: m.multinomial(m.tensor([-1.0, 1.0]), 1),
 "bernoulli p": lambda m: m.bernoulli(m.tensor([2.0])),
 "clamp none": lambda m: m.clamp(m.ones(2)),
 "topk k": lambda m: m.topk(m.ones(3), 5),
 "kthvalue": lambda m: m.kthvalue(m.ones(3), 5),
 "index_add": lambda m: m.zeros(3, 2).index_add(0, m.tensor([0, 1]), m.ones(3, 2)),
 "scatter_add shape": lambda m: m.zeros(3).scatter_add(0, m.tensor([0, 1, 2, 0]), m.ones(2)),
 "masked_scatter few": lambda m: m.zeros(3).masked_scatter(m.ones(3, dtype=m.bool), m.ones(2)),
 "cross_entropy float target shape": lambda m: F(m).cross_entropy(m.ones(2, 3), m.ones(2, 4)),
 "conv_transpose": lambda m: F(m).conv_transpose2d(m.ones(1, 3, 4, 4), m.ones(2, 4, 3, 3)),
 "conv1d": lambda m: F(m).conv1d(m.ones(1, 3, 5), m.ones(4, 2, 3)),
 "adaptive ndim": lambda m: F(m).adaptive_avg_pool2d(m.ones(5), 2),
 "pixel_shuffle": lambda m: F(m).pixel_shuffle(m.ones(1, 3, 2, 2), 2),
 "cosine_similarity": lambda m: F(m).cosine_similarity(m.ones(2, 3), m.ones(2, 4)),
 "nll weight": lambda m: F(m).nll_loss(m.ones(2, 3), m.zeros(2, dtype=m.int64), weight=m.ones(4)),
 "sdpa": lambda m: F(m).scaled_dot_product_attention(m.ones(1, 2, 3), m.ones(1, 2, 4), m.ones(1, 2, 4)),
 "baddbmm": lambda m: m.baddbmm(m.ones(2, 2, 5), m.ones(2, 2, 3), m.ones(2, 4, 5)),
 "addmm": lambda m: m.addmm(m.ones(2, 5), m.ones(2, 3), m.ones(4, 5)),
 "einsum": lambda m: m.einsum("ij,jk->ik", m.ones(2, 3), m.ones(4, 5)),
 "tensordot": lambda m: m.tensordot(m.ones(2, 3), m.ones(4, 5), dims=1),
 "sort dim": lambda m: m.sort(m.ones(3), 2),
 "cumsum dim": lambda m: m.cumsum(m.ones(3), 2),
 "argmax dim": lambda m: m.ones(3).argmax(2),
 "max dim": lambda m: m.ones(3).max(2),
 "std dim": lambda m: m.ones(3).std(2),
 "norm p": lambda m: m.ones(3).norm(p="bad"),
 "lerp": lambda m: m.lerp(m.ones(2), m.ones(3), 0.5),
 "prelu": lambda m: F(m).prelu(m.ones(2, 3), m.ones(4)),
 "triplet": lambda m: F(m).triplet_margin_loss(m.ones(2, 3), m.ones(2, 4), m.ones(2, 3)),
 "kl_div": lambda m: F(m).kl_div(m.ones(2, 3), m.ones(4), reduction="batchmean"),
 "huber bad broadcast": lambda m: F(m).huber_loss(m.ones(2, 3), m.ones(4)),
 "l1 bad broadcast": lambda m: F(m).l1_loss(m.ones(2, 3), m.ones(4)),
 "smooth_l1 bad broadcast": lambda m: F(m).smooth_l1_loss(m.ones(2, 3), m.ones(4)),
 "margin_ranking": lambda m: F(m).margin_ranking_loss(m.ones(2), m.ones(3), m.ones(2)),
 "cosine_embedding": lambda m: F(m).cosine_embedding_loss(m.ones(2, 3), m.ones(2, 4), m.ones(2)),
 "unfold size": lambda m: m.ones(3).unfold(0, 5, 1),
 "take_along_dim": lambda m: m.take_along_dim(m.ones(2, 3), m.zeros(2, dtype=m.int64), 1),
 "index_put shape": lambda m: m.zeros(3).index_put_((m.tensor([0, 1]),), m.ones(3)),
 "gru_cell": lambda m: m.nn.GRUCell(3, 4)(m.ones(2, 5)),
 "lstm_cell": lambda m: m.nn.LSTMCell(3, 4)(m.ones(2, 5)),
 "instance_norm": lambda m: F(m).instance_norm(m.ones(3)),
 "unbind dim": lambda m: m.ones(3).unbind(2),
 "movedim": lambda m: m.ones(2, 3).movedim(0, 4),
 "repeat_interleave": lambda m: m.ones(3).repeat_interleave(m.tensor([1, 2])),
 "diag 3d": lambda m: m.diag(m.ones(2, 2, 2)),
 "flip dup": lambda m: m.ones(2, 3).flip(0, 0),
 "meshgrid": lambda m: m.meshgrid(m.ones(2, 2), indexing="ij"),
 "broadcast_tensors": lambda m: m.broadcast_tensors(m.ones(2), m.ones(3)),
 "broadcast_to": lambda m: m.broadcast_to(m.ones(2), (3,)),
 "maximum": lambda m: m.maximum(m.ones(2), m.ones(3)),
 "atan2": lambda m: m.atan2(m.ones(2), m.ones(3)),
 "eq": lambda m: m.ones(2) == m.ones(3),
 "lt": lambda m: m.ones(2) < m.ones(3),
 "logical_and": lambda m: m.logical_and(m.ones(2), m.ones(3)),
 "add_ broadcast out": lambda m: m.ones(2).add_(m.ones(2, 2)),
 "copy_ shape": lambda m: m.ones(2).copy_(m.ones(3)),
 "linear weight 1d": lambda m: F(m).linear(m.ones(2, 3), m.ones(4)),
}
# the torch error families, most specific first (NotImplementedError is a RuntimeError)
FAMILIES = (IndexError, TypeError, ValueError, RuntimeError)


def _raised(call, m) -> BaseException | None:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            call(m)
        except Exception as err:  # noqa: BLE001  (the error's type is what is compared)
            return err
    return None


@pytest.mark.parametrize("name", list(BAD_CALLS))
def test_bad_call_raises_what_torch_raises(torch, name: str) -> None:
    theirs = _raised(BAD_CALLS[name], torch)
    ours = _raised(BAD_CALLS[name], gg)
    assert theirs is not None and ours is not None, (name, theirs, ours)
    family = next(f for f in FAMILIES if isinstance(theirs, f))
    assert isinstance(ours, family), f"{name}: torch raised {type(theirs).__name__}, glassgrad {type(ours).__name__}"


def test_op_errors_stay_catchable_as_glassgrads_earlier_types() -> None:
    with pytest.raises(ValueError, match="Add"):
        gg.ones(2, 3) + gg.ones(4)
    with pytest.raises(RuntimeError, match="Add"):
        gg.ones(2, 3) + gg.ones(4)
    with pytest.raises(OpDtypeError):
        F(gg).embedding(gg.ones(2), gg.ones(4, 3))
    assert issubclass(OpInputError, ValueError) and issubclass(OpInputError, RuntimeError)
    assert issubclass(OpDtypeError, TypeError) and issubclass(OpDtypeError, RuntimeError)


def test_a_program_catching_runtime_error_around_view_works() -> None:
    x = gg.ones(2, 3).t()
    try:
        y = x.view(6)
    except RuntimeError:
        y = x.reshape(6)
    assert tuple(y.shape) == (6,)
