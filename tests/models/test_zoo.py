"""The model zoo (glassgrad.models): output shapes, parameter counts, GPT's tied weights and optimiser groups."""

import numpy as np
import pytest

import glassgrad as gg
from glassgrad.models import GPT, lenet5, mnist_cnn, mnist_mlp


@pytest.mark.parametrize("build, shape, n_params", [
    (mnist_mlp, (3, 784), 784 * 256 + 256 + 256 * 128 + 128 + 128 * 10 + 10),
    (mnist_cnn, (3, 1, 28, 28), 32 * 9 + 32 + 64 * 32 * 9 + 64 + 3136 * 128 + 128 + 128 * 10 + 10),
    (lenet5, (3, 1, 28, 28), 61706),
])
def test_digit_classifiers_give_ten_logits(build, shape, n_params, rng):
    model = build(rng)
    assert model(gg.tensor(rng.standard_normal(shape).astype(np.float32))).shape == (3, 10)
    assert sum(p.numel() for p in model.parameters()) == n_params


def test_cnn_weights_load_into_a_network_with_the_same_dropout(rng):
    trained, rebuilt = mnist_cnn(rng, dropout=0.5), mnist_cnn(dropout=0.5)
    rebuilt.load_state_dict(trained.state_dict())
    x = gg.tensor(rng.standard_normal((2, 1, 28, 28)).astype(np.float32))
    np.testing.assert_allclose(rebuilt.eval()(x).numpy(), trained.eval()(x).numpy(), rtol=1e-6)


def test_gpt_ties_its_embedding_to_the_head_and_splits_decay_groups(rng):
    model = GPT(vocab_size=11, block_size=8, n_layer=2, n_head=2, n_embd=16, rng=rng)
    assert model.wte.weight is model.lm_head.weight
    logits = model(gg.tensor(rng.integers(0, 11, (2, 5))))
    assert logits.shape == (2, 5, 11)
    opt = model.configure_optimizers(weight_decay=0.1, learning_rate=1e-3)
    decay, no_decay = opt.param_groups
    assert decay["weight_decay"] == 0.1 and all(p.ndim >= 2 for p in decay["params"])
    assert no_decay["weight_decay"] == 0.0 and all(p.ndim < 2 for p in no_decay["params"])
    assert len(decay["params"]) + len(no_decay["params"]) == len(list(model.parameters()))
    ids = model.generate(np.zeros((1, 1), dtype=np.int64), 4, temperature=1.0, top_k=3, rng=rng)
    assert ids.shape == (1, 5) and ids.max() < 11
    with pytest.raises(ValueError, match="longer than block_size 8"):
        model(gg.tensor(np.zeros((1, 9), dtype=np.int64)))
