"""The Embedding layer against torch (forward and weight gradient with repeated indices, padding_idx),
init and errors. (The embedding op itself: tests/ops/test_embedding.py.)"""

from __future__ import annotations

import numpy as np
import pytest

from glassgrad import Tensor, nn


@pytest.mark.parametrize("num,shape,padding_idx", [
    (7, (4, 9), None),      # many indices per row: the sort + reduceat path
    (50, (3,), None),       # fewer indices than rows: the add.at path
    (7, (2, 3, 5), 2),
    (7, (12,), -1),
])
def test_matches_torch(torch, rng, num, shape, padding_idx):
    idx = rng.integers(0, num, shape)
    idx.flat[:3] = idx.flat[0]  # make sure some index repeats
    weight = rng.standard_normal((num, 6))
    th = torch.nn.Embedding(num, 6, padding_idx=padding_idx).double()
    th.weight.data = torch.from_numpy(weight.copy())
    gg = nn.Embedding(num, 6, padding_idx=padding_idx, dtype=np.float64)
    gg.load_state_dict({"weight": weight})
    out_gg, out_th = gg(Tensor(idx)), th(torch.from_numpy(idx))
    np.testing.assert_allclose(out_gg.numpy(), out_th.detach().numpy(), atol=1e-12)
    dout = rng.standard_normal(out_gg.shape)
    (out_gg * Tensor(dout)).sum().backward()
    (out_th * torch.from_numpy(dout)).sum().backward()
    np.testing.assert_allclose(gg.weight.grad, th.weight.grad.numpy(), atol=1e-12)


def test_init_and_padding_row():
    emb = nn.Embedding(1000, 16, padding_idx=3, rng=np.random.default_rng(0))
    w = emb.weight.numpy()
    assert w.dtype == np.float32 and w.shape == (1000, 16)
    assert np.all(w[3] == 0)
    assert abs(w.mean()) < 0.05 and abs(w.std() - 1) < 0.05  # N(0, 1) as torch
    assert repr(emb) == "Embedding(1000, 16, padding_idx=3)"


def test_errors():
    emb = nn.Embedding(5, 2)
    with pytest.raises(TypeError, match="Expected dtype int64 or int32 for indices"):
        emb(Tensor(np.array([0.0, 1.0])))
    with pytest.raises(IndexError, match=r"indices must lie in \[0, 5\)"):
        emb(Tensor(np.array([0, 5])))
    with pytest.raises(ValueError, match="padding_idx"):
        nn.Embedding(5, 2, padding_idx=5)
    with pytest.raises(ValueError, match="embedding_dim must be a positive integer"):
        nn.Embedding(5, 0)
