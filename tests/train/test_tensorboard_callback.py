"""fit's TensorBoard callback: the History's numbers, read back from the event files."""

from __future__ import annotations

import numpy as np
import pytest

from glassgrad import nn, optim
from glassgrad.data import synthetic
from glassgrad.train import TensorBoard, fit

pytest.importorskip("tensorboard")
from tensorboard.backend.event_processing.event_accumulator import EventAccumulator  # noqa: E402


def read(folder) -> EventAccumulator:
    events = EventAccumulator(str(folder), size_guidance={"scalars": 0, "histograms": 0})
    events.Reload()
    return events


def test_epochs_go_to_train_and_validation_runs_as_keras_lays_them_out(tmp_path):
    x, y = synthetic.blobs(60, classes=3, dim=2, spread=0.3, rng=np.random.default_rng(0))
    model = nn.Sequential(nn.Linear(2, 8), nn.ReLU(), nn.Linear(8, 3))
    board = TensorBoard(tmp_path / "run", histogram_freq=2, update_freq=3)
    history = fit(model, x[:48], y[:48], validation_data=(x[48:], y[48:]), loss_fn=nn.CrossEntropyLoss(),
                  optimizer=optim.SGD(model.parameters(), lr=0.1), epochs=3, batch_size=8,
                  callbacks=[board], verbose=False)
    train, validation = read(tmp_path / "run" / "train"), read(tmp_path / "run" / "validation")
    for name in ("loss", "accuracy"):
        logged = train.Scalars(f"epoch_{name}")
        assert [e.step for e in logged] == [0, 1, 2]
        np.testing.assert_allclose([e.value for e in logged], history[name], rtol=1e-6)  # float32 in the file
        np.testing.assert_allclose([e.value for e in validation.Scalars(f"epoch_{name}")], history[f"val_{name}"],
                                   rtol=1e-6)
    np.testing.assert_allclose([e.value for e in train.Scalars("epoch_learning_rate")], history["lr"], rtol=1e-6)
    assert not any(tag.startswith("epoch_val") for tag in train.Tags()["scalars"])
    assert [e.step for e in train.Scalars("batch_loss")] == [3, 6, 9, 12, 15, 18]  # 6 batches an epoch, every 3rd
    names = [name for name, _ in model.named_parameters()]
    assert sorted(train.Tags()["histograms"]) == sorted(names)
    assert [e.step for e in train.Histograms(names[0])] == [0, 2]
    assert train.Histograms("0.weight")[-1].histogram_value.num == 16  # the (8, 2) weight


def test_bad_arguments_are_refused():
    with pytest.raises(ValueError, match="update_freq"):
        TensorBoard(update_freq="batch")
    with pytest.raises(ValueError, match="histogram_freq"):
        TensorBoard(histogram_freq=-1)
