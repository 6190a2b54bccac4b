"""``glassgrad export RUN_DIR --format onnx|safetensors`` on run folders laid out as ``glassgrad run`` leaves them."""

from __future__ import annotations

import json

import numpy as np
import pytest

import glassgrad as gg
from glassgrad import cli
from glassgrad_experiments import char_gpt, mnist_mlp

pytest.importorskip("onnx")
onnxruntime = pytest.importorskip("onnxruntime")
safetensors_numpy = pytest.importorskip("safetensors.numpy")


def fake_run(folder, module, config, results):
    """A run folder: results.json and the experiment's weights file, with random weights."""
    folder.mkdir()
    record = {"experiment": module.NAME, "config": config, "results": results}
    (folder / "results.json").write_text(json.dumps(record))
    cfg = module.Config(**config)
    model = module.build_model(cfg, results)
    gg.save({"model": model.state_dict()}, folder / module.WEIGHTS)
    return model.eval(), module.example_input(cfg, results)


@pytest.mark.parametrize("module, config, results", [
    (mnist_mlp, {"dataset": "synthetic"}, {}),
    (char_gpt, {"block_size": 8, "n_layer": 1, "n_head": 2, "n_embd": 16}, {"vocab_size": 11}),
])
def test_export_a_run_to_onnx_and_safetensors(tmp_path, capsys, module, config, results):
    run = tmp_path / "run"
    model, example = fake_run(run, module, config, results)
    assert cli.main(["export", str(run), "--format", "onnx"]) == 0
    assert cli.main(["export", str(run), "--format", "safetensors", "--out", str(tmp_path / "w.safetensors")]) == 0
    assert "wrote" in capsys.readouterr().out
    session = onnxruntime.InferenceSession(str(run / "model.onnx"), providers=["CPUExecutionProvider"])
    batch = np.concatenate([example.numpy()] * 3)  # another batch size than the traced one
    if batch.dtype.kind == "i":
        batch = np.random.default_rng(0).integers(0, results["vocab_size"], batch.shape)
    with gg.no_grad():
        expected = model(gg.tensor(batch)).numpy()
    np.testing.assert_allclose(session.run(None, {"input": batch})[0], expected, atol=1e-5, rtol=0)
    weights = safetensors_numpy.load_file(str(tmp_path / "w.safetensors"))
    state = model.state_dict()
    assert set(weights) <= set(state)
    for key, value in weights.items():
        np.testing.assert_array_equal(value, state[key].numpy())


def test_a_folder_without_results_is_one_line_and_exit_2(tmp_path, capsys):
    assert cli.main(["export", str(tmp_path), "--format", "onnx"]) == 2
    err = capsys.readouterr().err
    assert "not a run folder" in err and len(err.strip().splitlines()) == 1
    assert list(tmp_path.iterdir()) == []
