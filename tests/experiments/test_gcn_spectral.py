"""The gcn and spectral experiments with smoke settings: what each one claims, checked on its own numbers.

gcn: the sparse and the dense adjacency give the same network (same predictions, logits equal to
float32 rounding) and the graph beats the MLP. spectral: runs on tiny MNIST-format files the test
writes (no network), its PCA matches NumPy's, and the random-feature kernel error falls with D.
"""

from __future__ import annotations

import json

import numpy as np

import glassgrad as torch
from glassgrad import cli
from glassgrad.data.idx import write_idx
from glassgrad_experiments import spectral


def test_gcn_sparse_equals_dense_and_beats_the_mlp(smoke_record):
    results = smoke_record("gcn")["results"]
    assert results["same_predictions"] is True
    assert results["gcn_sparse_accuracy"] == results["gcn_dense_accuracy"]
    assert results["max_logit_difference"] < 1e-4
    assert results["gcn_sparse_accuracy"] > results["mlp_accuracy"]
    assert results["adjacency_nnz"] == 2 * results["edges"] + results["nodes"]  # both directions and self-loops


def _write_tiny_mnist(folder, rng):
    """Images made of two kinds of strokes (a bar or a ring, labels 0 and 1) plus noise, MNIST's format."""
    folder.mkdir(parents=True)
    yy, xx = np.mgrid[:28, :28]
    shapes = [(np.abs(xx - 14) < 3) & (np.abs(yy - 14) < 10), np.abs(np.hypot(xx - 14, yy - 14) - 8) < 2]
    for prefix, n in (("train", 60), ("t10k", 20)):
        labels = rng.integers(0, 2, n)
        images = np.stack([shapes[label] * 200 for label in labels]) + rng.integers(0, 50, (n, 28, 28))
        write_idx(folder / f"{prefix}-images-idx3-ubyte.gz", images.astype(np.uint8))
        write_idx(folder / f"{prefix}-labels-idx1-ubyte.gz", labels.astype(np.uint8))


def test_spectral_runs_on_files_the_test_writes(tmp_path, rng):
    _write_tiny_mnist(tmp_path / "data" / "mnist", rng)
    out = tmp_path / "out"
    code = cli.main(["run", "spectral", "--data-dir", str(tmp_path / "data"), "--no-download", "--out", str(out),
                     "--epochs", "2", "--hidden", "8", "--batch-size", "16", "--kernel-points", "20",
                     "--features", "4,1024", "--plot", "true"])
    assert code == 0
    results = json.loads((out / "results.json").read_text())["results"]
    assert results["n_train"] == 60 and results["n_test"] == 20
    assert 0 < results["pca_variance_2"] < 1
    assert results["pca_knn_accuracy"] > 0.9  # two well-separated shapes: PCA's plane already splits them
    assert results["rff_errors"]["1024"] < results["rff_errors"]["4"]
    assert (out / "spectral_codes.png").is_file() and (out / "spectral_rff.png").is_file()


def test_pca_directions_are_numpys_singular_vectors(rng):
    x = rng.standard_normal((30, 6)) @ rng.standard_normal((6, 6))
    mean, directions, singular_values = spectral.pca(torch.tensor(x), 2)
    _, s, vt = np.linalg.svd(x - x.mean(axis=0), full_matrices=False)
    np.testing.assert_allclose(singular_values.numpy(), s, rtol=1e-10)
    np.testing.assert_allclose(np.abs(directions.numpy() @ vt[:2].T), np.eye(2), atol=1e-10)  # up to sign


def test_random_fourier_features_approach_the_rbf_kernel(rng):
    x = torch.tensor(rng.standard_normal((15, 3)))
    generator = torch.Generator().manual_seed(0)
    z = spectral.random_fourier_features(x, 20000, 1.5, generator)
    np.testing.assert_allclose((z @ z.T).numpy(), spectral.rbf_kernel(x, 1.5).numpy(), atol=0.05)
