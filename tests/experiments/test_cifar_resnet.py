"""glassgrad run cifar-resnet on a small archive in CIFAR-10's format that this test writes itself,
read from the data root through DataLoader worker processes."""

from __future__ import annotations

import json
import pickle

import numpy as np

from glassgrad import cli


def _write_cifar(root, rng, n_train=200, n_test=100):
    """root/cifar-10-batches-py as torchvision lays it out; class k is a colour band k rows high, easy to learn."""
    folder = root / "cifar-10-batches-py"
    folder.mkdir(parents=True)

    def batch(n):
        labels = rng.integers(0, 10, n)
        images = rng.integers(0, 60, (n, 3, 32, 32)).astype(np.uint8)
        for i, k in enumerate(labels):
            images[i, k % 3, :, :] += np.uint8(100 + 15 * k)  # one channel, brighter with the class
        return {"labels": [int(y) for y in labels], "data": images.reshape(n, 3072), "batch_label": "test"}

    for k in range(5):
        (folder / f"data_batch_{k + 1}").write_bytes(pickle.dumps(batch(n_train // 5), protocol=2))
    (folder / "test_batch").write_bytes(pickle.dumps(batch(n_test), protocol=2))
    (folder / "batches.meta").write_bytes(pickle.dumps({"label_names": [f"c{k}" for k in range(10)]}, protocol=2))


def test_cifar_resnet_trains_from_the_data_root_with_workers(tmp_path, rng):
    _write_cifar(tmp_path / "data", rng)
    out = tmp_path / "run"
    code = cli.main(["run", "cifar-resnet", "--data-dir", str(tmp_path / "data"), "--no-download", "--out", str(out),
                     "--workers", "2", "--epochs", "3", "--milestones", "2", "--blocks", "1,1,1", "--widths", "4,8,16",
                     "--batch-size", "25", "--lr", "0.05"])
    assert code == 0
    results = json.loads((out / "results.json").read_text())["results"]
    assert results["n_train"] == 200 and results["workers"] == 2 and results["epochs"] == 3
    assert results["final_loss"] < results["first_loss"]
    assert results["accuracy"] > 0.3  # chance is 0.1
    assert (out / "resnet20.npz").is_file()


def test_cifar_resnet_says_where_the_data_goes(tmp_path, capsys):
    code = cli.main(["run", "cifar-resnet", "--data-dir", str(tmp_path / "empty"), "--no-download",
                     "--out", str(tmp_path / "run"), "--epochs", "1"])
    assert code != 0
    assert f"CIFAR-10 is not in {tmp_path / 'empty'}/cifar-10-batches-py" in capsys.readouterr().err
