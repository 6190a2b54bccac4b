"""pytorch/examples vae on glassgrad: it runs, learns and writes its PNGs, and matches torch."""

from __future__ import annotations

import argparse

import numpy as np
import pytest

import glassgrad
from tests.programs.harness import load_arrays, load_program, state_arrays


def test_vae_runs_learns_and_saves_images(mnist_root, tmp_path):
    program = load_program("vae")
    results = tmp_path / "results"
    _, history = program.main(["--epochs", "2", "--batch-size", "4", "--data", str(mnist_root),
                               "--results", str(results)])
    assert history["train"][-1] < history["train"][0]
    assert history["test"][1] < history["test"][0]
    for name in ("reconstruction_1.png", "reconstruction_2.png", "sample_1.png", "sample_2.png"):
        assert (results / name).read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def _fixed_noise(lib):
    """A stand-in for ``randn_like`` that draws from a seeded NumPy generator: the same noise in both."""
    rng = np.random.default_rng(7)
    return lambda like: lib.from_numpy(rng.standard_normal(tuple(like.shape)).astype(np.float32))


@pytest.mark.torch_live
def test_vae_matches_torch(mnist_root, torch, monkeypatch):
    gg = load_program("vae")
    dataset = gg.datasets.MNIST(str(mnist_root), train=True, transform=gg.transforms.ToTensor())
    images = np.stack([image.numpy() for image, _ in dataset])
    labels = np.array([label for _, label in dataset])
    tp = load_program("vae", "torch")
    args = argparse.Namespace(log_interval=100)
    results = {}
    for name, program, loader, lib in (
        ("glassgrad", gg, glassgrad.utils.data.DataLoader(dataset, batch_size=4), glassgrad),
        ("torch", tp, torch.utils.data.DataLoader(torch.utils.data.TensorDataset(
            torch.from_numpy(images), torch.from_numpy(labels)), batch_size=4), torch),
    ):
        monkeypatch.setattr(lib, "randn_like", _fixed_noise(lib))
        model = program.VAE()
        if name == "glassgrad":
            start = state_arrays(model)
        load_arrays(model, start, lib)
        optimizer = program.optim.Adam(model.parameters(), lr=1e-3)
        losses = program.train(args, model, lib.device("cpu"), loader, optimizer, 1)
        results[name] = losses, state_arrays(model)
    np.testing.assert_allclose(results["glassgrad"][0], results["torch"][0], rtol=1e-4)
    for key, value in results["torch"][1].items():  # atol: Adam turns float32 noise in tiny grads into lr-sized steps
        np.testing.assert_allclose(results["glassgrad"][1][key], value, rtol=1e-3, atol=1e-4, err_msg=key)
