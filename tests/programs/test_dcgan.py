"""pytorch/examples dcgan on glassgrad (MNIST and FakeData): it runs, checkpoints, resumes, and matches torch."""

from __future__ import annotations

import numpy as np
import pytest

import glassgrad
from tests.programs.harness import load_arrays, load_program, state_arrays

SMALL = ["--batchSize", "4", "--nz", "8", "--ngf", "4", "--ndf", "4", "--workers", "0"]


def test_dcgan_on_mnist_runs_saves_and_resumes(mnist_root, tmp_path):
    program = load_program("dcgan")
    out = tmp_path / "out"
    net_g, _, history = program.main(["--dataset", "mnist", "--dataroot", str(mnist_root), "--niter", "2",
                                      "--outf", str(out), "--manualSeed", "1", *SMALL])
    assert len(history) == 4 and np.all(np.isfinite(history))
    names = sorted(path.name for path in out.iterdir())
    assert names == ["fake_samples_epoch_000.png", "fake_samples_epoch_001.png", "netD_epoch_0.pth",
                     "netD_epoch_1.pth", "netG_epoch_0.pth", "netG_epoch_1.pth", "real_samples.png"]
    # resume from the checkpoints (torch.load of a state dict), one dry-run batch on FakeData-free MNIST
    resumed_g, _, _ = program.main(["--dataset", "mnist", "--dataroot", str(mnist_root), "--niter", "1", "--dry-run",
                                    "--netG", str(out / "netG_epoch_1.pth"), "--netD", str(out / "netD_epoch_1.pth"),
                                    "--outf", str(tmp_path / "resumed"), "--manualSeed", "2", *SMALL])
    saved = glassgrad.load(out / "netG_epoch_1.pth")
    assert set(saved) == set(resumed_g.state_dict())
    assert saved["main.1.num_batches_tracked"].dtype == glassgrad.long


def test_dcgan_on_fake_data_runs(tmp_path):
    program = load_program("dcgan")
    net_g, net_d, history = program.main(["--dataset", "fake", "--niter", "1", "--dry-run", "--outf", str(tmp_path),
                                          "--manualSeed", "3", *SMALL])
    assert len(history) == 1
    fake = net_g(glassgrad.randn(2, 8, 1, 1))
    assert fake.shape == (2, 3, 64, 64) and float(fake.abs().max()) <= 1.0  # Tanh output
    assert net_d(fake).shape == (2,)


def _fixed_randn(lib):
    """A stand-in for ``torch.randn`` that draws from a seeded NumPy generator: the same noise in both."""
    rng = np.random.default_rng(11)

    def randn(*size, device=None, dtype=None):
        return lib.from_numpy(rng.standard_normal(size).astype(np.float32))
    return randn


@pytest.mark.torch_live
def test_dcgan_step_matches_torch(torch, monkeypatch):
    real = np.random.default_rng(5).uniform(-1, 1, size=(4, 1, 64, 64)).astype(np.float32)
    results = {}
    for name in ("glassgrad", "torch"):
        program = load_program("dcgan", name)
        lib = program.torch
        net_g, net_d = program.Generator(1, 8, 4, 1), program.Discriminator(1, 4, 1)
        net_g.apply(program.weights_init)
        net_d.apply(program.weights_init)
        if name == "glassgrad":
            start_g, start_d = state_arrays(net_g), state_arrays(net_d)
        load_arrays(net_g, start_g, lib)
        load_arrays(net_d, start_d, lib)
        optimizer_d = program.optim.Adam(net_d.parameters(), lr=2e-4, betas=(0.5, 0.999))
        optimizer_g = program.optim.Adam(net_g.parameters(), lr=2e-4, betas=(0.5, 0.999))
        monkeypatch.setattr(lib, "randn", _fixed_randn(lib))
        steps = [program.train_step(net_d, net_g, optimizer_d, optimizer_g, program.nn.BCELoss(),
                                    lib.from_numpy(real), 8, lib.device("cpu")) for _ in range(2)]
        results[name] = steps, state_arrays(net_g), state_arrays(net_d)
    np.testing.assert_allclose(results["glassgrad"][0], results["torch"][0], rtol=1e-4)
    for gg_state, torch_state in zip(results["glassgrad"][1:], results["torch"][1:]):
        for key, value in torch_state.items():
            np.testing.assert_allclose(gg_state[key], value, rtol=1e-3, atol=1e-4, err_msg=key)
