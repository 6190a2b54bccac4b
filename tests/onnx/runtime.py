"""Shared by the ONNX tests: export a model, run it in onnxruntime, compare with glassgrad."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np

import glassgrad as gg
from glassgrad.onnx.trace import flatten_outputs

TOLERANCE = 1e-5


def grow_batch(array: np.ndarray, extra: int) -> np.ndarray:
    """The array with ``extra`` more rows along axis 0 (its first rows repeated)."""
    return np.concatenate([array, array[:extra]], axis=0)


def export_and_compare(model: Any, inputs: list[np.ndarray], path: Path, batch_sizes: list[int] | None = None,
                       dynamic: bool = True, output_names: list[str] | None = None) -> float:
    """Export ``model`` traced on ``inputs`` (batch axis 0 dynamic), then run the file in onnxruntime on
    batches of each size in ``batch_sizes`` (made from ``inputs``); return the largest absolute difference
    from glassgrad's outputs, after checking it is within TOLERANCE."""
    import onnxruntime

    model.eval()
    names = [f"input_{i}" for i in range(len(inputs))]
    axes = {name: {0: "batch"} for name in names} if dynamic else None
    gg.onnx.export(model, tuple(gg.tensor(a) for a in inputs), path, input_names=names,
                   output_names=output_names, dynamic_axes=axes)
    session = onnxruntime.InferenceSession(str(path), providers=["CPUExecutionProvider"])
    worst = 0.0
    for size in batch_sizes or [inputs[0].shape[0]]:
        batch = [np.resize(a, (size, *a.shape[1:])) if size != a.shape[0] else a for a in inputs]
        with gg.no_grad():
            expected = [t.numpy() for t in flatten_outputs(model(*(gg.tensor(a) for a in batch)))]
        got = session.run(None, dict(zip(names, batch)))
        assert len(got) == len(expected)
        for g, e in zip(got, expected):
            assert g.shape == e.shape, f"batch {size}: onnxruntime gave {g.shape}, glassgrad {e.shape}"
            diff = float(np.abs(g.astype(np.float64) - e.astype(np.float64)).max()) if e.size else 0.0
            assert diff <= TOLERANCE, f"batch {size}: largest difference {diff:.3g} > {TOLERANCE}"
            worst = max(worst, diff)
    return worst
