"""pytorch/examples mnist on glassgrad: it runs and learns, and matches torch step for step."""

from __future__ import annotations

import argparse

import numpy as np
import pytest

import glassgrad
from tests.programs.harness import disable_dropout, load_arrays, load_program, state_arrays


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_mnist_runs_learns_and_saves(mnist_root, tmp_path, monkeypatch, seed):
    monkeypatch.chdir(tmp_path)
    program = load_program("mnist")
    model, history = program.main(["--epochs", "2", "--batch-size", "4", "--test-batch-size", "4", "--seed", str(seed),
                                   "--lr", "0.5", "--log-interval", "1", "--data", str(mnist_root), "--save-model"])
    assert len(history["train"]) == 4 and np.all(np.isfinite(history["train"]))
    assert history["train"][-1] < history["train"][0]
    assert history["lr"] == pytest.approx([0.5 * 0.7, 0.5 * 0.7 ** 2])  # StepLR(step_size=1, gamma=0.7)
    # the fake test images are noise with random labels: the test pass runs and counts, it cannot learn
    (first_loss, _), (last_loss, correct) = history["test"]
    assert np.isfinite([first_loss, last_loss]).all() and 0 <= correct <= 4
    reloaded = program.Net()
    reloaded.load_state_dict(glassgrad.load(tmp_path / "mnist_cnn.pt"))
    reloaded.eval()
    batch = glassgrad.zeros(2, 1, 28, 28)
    assert glassgrad.equal(reloaded(batch), model.eval()(batch))


def _images_and_labels(mnist_root):
    """The transformed training set as arrays (what the glassgrad DataLoader yields)."""
    program = load_program("mnist")
    transform = program.transforms.Compose([program.transforms.ToTensor(),
                                            program.transforms.Normalize((0.1307,), (0.3081,))])
    dataset = program.datasets.MNIST(str(mnist_root), train=True, transform=transform)
    images = np.stack([image.numpy() for image, _ in dataset])
    labels = np.array([label for _, label in dataset])
    return program, dataset, images, labels


@pytest.mark.torch_live
def test_mnist_matches_torch(mnist_root, torch):
    gg, dataset, images, labels = _images_and_labels(mnist_root)
    assert images.shape == (8, 1, 28, 28) and images.dtype == np.float32
    tp = load_program("mnist", "torch")
    args = argparse.Namespace(log_interval=100, dry_run=False)
    results = {}
    for name, program, loader, lib in (
        ("glassgrad", gg, glassgrad.utils.data.DataLoader(dataset, batch_size=4), glassgrad),
        ("torch", tp, torch.utils.data.DataLoader(torch.utils.data.TensorDataset(
            torch.from_numpy(images), torch.from_numpy(labels)), batch_size=4), torch),
    ):
        model = program.Net()
        if name == "glassgrad":
            start = state_arrays(model)
        load_arrays(model, start, lib)
        disable_dropout(model)
        optimizer = program.optim.Adadelta(model.parameters(), lr=1.0)
        scheduler = program.StepLR(optimizer, step_size=1, gamma=0.7)
        losses = []
        for epoch in (1, 2):
            losses += program.train(args, model, lib.device("cpu"), loader, optimizer, epoch)
            scheduler.step()
        results[name] = losses, program.test(model, lib.device("cpu"), loader), state_arrays(model)
    (gg_losses, gg_test, gg_state), (t_losses, t_test, t_state) = results["glassgrad"], results["torch"]
    np.testing.assert_allclose(gg_losses, t_losses, rtol=1e-4)
    assert gg_test[0] == pytest.approx(t_test[0], rel=1e-4) and gg_test[1] == t_test[1]
    for key in t_state:
        np.testing.assert_allclose(gg_state[key], t_state[key], rtol=1e-3, atol=1e-5, err_msg=key)
