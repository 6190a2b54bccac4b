"""A nanoGPT-style GPT on glassgrad: it trains and samples, and matches torch (training and greedy sampling)."""

from __future__ import annotations

import numpy as np
import pytest

from tests.programs.harness import load_arrays, load_program, state_arrays


def test_gpt_trains_and_samples():
    program = load_program("nanogpt")
    model, losses, sample = program.main(["--max_iters", "4", "--compile"])
    assert losses[-1] < losses[0]
    assert tuple(sample.shape) == (1, 21) and sample.dtype == program.torch.long
    assert 0 <= sample.min().item() and sample.max().item() < model.config.vocab_size
    assert model.lm_head.weight is model.transformer.wte.weight  # weight tying
    groups = model.configure_optimizers(0.1, 1e-3, (0.9, 0.95), "cpu").param_groups
    assert [g["weight_decay"] for g in groups] == [0.1, 0.0]
    assert all(p.dim() >= 2 for p in groups[0]["params"]) and all(p.dim() < 2 for p in groups[1]["params"])


def test_flash_and_manual_attention_agree():
    program = load_program("nanogpt")
    config = program.GPTConfig(block_size=6, vocab_size=11, n_layer=1, n_head=2, n_embd=8, bias=False)
    attention = program.CausalSelfAttention(config)
    x = program.torch.randn(2, 5, 8)
    flash = attention(x)
    attention.flash = False
    attention.register_buffer("bias", program.torch.tril(program.torch.ones(6, 6)).view(1, 1, 6, 6))
    np.testing.assert_allclose(attention(x).numpy(), flash.detach().numpy(), rtol=1e-5, atol=1e-6)


@pytest.mark.torch_live
def test_gpt_matches_torch(torch):
    rng = np.random.default_rng(0)
    data = rng.integers(0, 13, size=200)
    starts = rng.integers(0, len(data) - 9, size=(3, 4))
    results = {}
    for name in ("glassgrad", "torch"):
        program = load_program("nanogpt", name)
        lib = program.torch
        config = program.GPTConfig(block_size=8, vocab_size=13, n_layer=2, n_head=2, n_embd=16, bias=False)
        model = program.GPT(config)
        if name == "glassgrad":
            start = state_arrays(model)
        load_arrays(model, start, lib)
        optimizer = model.configure_optimizers(0.1, 3e-3, (0.9, 0.99), "cpu")
        batches = [(lib.stack([lib.from_numpy(data[i:i + 8].astype(np.int64)) for i in ix]),
                    lib.stack([lib.from_numpy(data[i + 1:i + 9].astype(np.int64)) for i in ix])) for ix in starts]
        lrs = [program.get_lr(it, 3e-3, 1, 3, 3e-4) for it in range(3)]
        losses = program.train_steps(model, optimizer, batches, lrs)
        model.eval()
        greedy = model.generate(lib.tensor([[1, 2]]), max_new_tokens=6, top_k=1)  # top-1: multinomial is certain
        results[name] = losses, greedy.tolist(), state_arrays(model)
    np.testing.assert_allclose(results["glassgrad"][0], results["torch"][0], rtol=1e-4)
    assert results["glassgrad"][1] == results["torch"][1]
    for key, value in results["torch"][2].items():
        np.testing.assert_allclose(results["glassgrad"][2][key], value, rtol=1e-3, atol=1e-4, err_msg=key)
