"""pytorch/examples time_sequence_prediction on glassgrad: LSTMCells in float64 fitted by LBFGS, as torch."""

from __future__ import annotations

import numpy as np
import pytest

from tests.programs.harness import load_arrays, load_program, state_arrays


def _run(framework, data_path, start=None):
    program = load_program("time_sequence_prediction", framework)
    seen = {}

    def on_model(seq):
        if start is None:
            seen["start"] = state_arrays(seq)
        else:
            load_arrays(seq, start, program.torch)
    seq, history = program.main(["--steps", "1", "--data", str(data_path), "--future", "4"], on_model=on_model)
    return seq, history, seen.get("start", start)


def test_time_sequence_prediction_learns(tmp_path):
    program = load_program("time_sequence_prediction")
    program.generate_sine_wave(tmp_path / "traindata.pt", L=8, N=5)
    seq, history, _ = _run("glassgrad", tmp_path / "traindata.pt")
    assert next(seq.parameters()).dtype == program.torch.float64
    assert len(history["train"]) > 1 and history["train"][-1] < history["train"][0] / 2  # LBFGS: many closures
    assert np.isfinite(history["test"]).all()


@pytest.mark.torch_live
def test_time_sequence_prediction_matches_torch(tmp_path, torch):
    load_program("time_sequence_prediction").generate_sine_wave(tmp_path / "gg.pt", L=8, N=5)
    load_program("time_sequence_prediction", "torch").generate_sine_wave(tmp_path / "torch.pt", L=8, N=5)
    gg_seq, gg_history, start = _run("glassgrad", tmp_path / "gg.pt")
    torch_seq, torch_history, _ = _run("torch", tmp_path / "torch.pt", start)
    assert len(gg_history["train"]) == len(torch_history["train"])  # the same number of LBFGS evaluations
    np.testing.assert_allclose(gg_history["train"], torch_history["train"], rtol=1e-6)
    np.testing.assert_allclose(gg_history["test"], torch_history["test"], rtol=1e-6)
    for key, value in state_arrays(torch_seq).items():
        np.testing.assert_allclose(state_arrays(gg_seq)[key], value, rtol=1e-6, atol=1e-9, err_msg=key)
