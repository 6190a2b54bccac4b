"""Training curves and image grids: shapes, normalisation, PNG files written."""

from __future__ import annotations

import numpy as np
import pytest

from glassgrad.viz import plot_curves, plot_history, save_image_grid, save_weight_images, tile
from glassgrad.viz.images import weight_images


def test_tile_layout_and_normalisation(rng):
    images = rng.normal(size=(5, 3, 4))
    grid = tile(images, ncols=2, pad=1)
    assert grid.shape == (3 * 4 - 1, 2 * 5 - 1)
    assert grid.min() == 0.0 and grid.max() == 1.0
    sym = tile(np.array([[[-2.0, 1.0]]]), normalize="symmetric")
    np.testing.assert_allclose(sym, [[0.0, 0.75]])
    raw = tile(np.full((1, 2, 2), 7.0), normalize="none")
    assert (raw == 7.0).all()
    with pytest.raises(ValueError, match="normalize"):
        tile(images, normalize="bogus")
    with pytest.raises(ValueError, match="N, H, W"):
        tile(np.zeros((2, 2)))


def test_weight_images_shape_check(rng):
    assert weight_images(rng.normal(size=(10, 784)), max_units=4).shape == (4, 28, 28)
    with pytest.raises(ValueError, match="units, 784"):
        weight_images(rng.normal(size=(10, 100)))


def test_pngs_are_written(tmp_path, rng):
    pytest.importorskip("matplotlib")
    paths = [
        save_weight_images(rng.normal(size=(9, 784)), tmp_path / "w.png", title="w"),
        save_image_grid(rng.uniform(size=(4, 8, 8)), tmp_path / "g.png", labels=list("abcd")),
        plot_history({"loss": [2.0, 1.0], "val_loss": [2.2, 1.5], "accuracy": [0.5, 0.8]}, tmp_path / "h.png"),
        plot_curves({"a": [3.0, 2.0, 1.0], "b": [3.0, 2.5]}, tmp_path / "c.png", log_y=True),
    ]
    for path in paths:
        assert path.read_bytes()[:4] == b"\x89PNG"
