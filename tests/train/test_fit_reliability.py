"""fit never trains on nothing, never applies a non-finite step, never loses logs or good weights."""

from __future__ import annotations

import csv

import numpy as np
import pytest

import glassgrad as gg
from glassgrad import nn, optim
from glassgrad.data import DataLoader, TensorDataset
from glassgrad.train import fit
from glassgrad.train.callbacks import CSVLogger, EarlyStopping, ModelCheckpoint, TerminateOnNaN
from glassgrad.train.loop import NonFiniteLossError


def _data(n: int = 32, bad_row: int | None = None) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(0)
    x = rng.normal(size=(n, 4)).astype(np.float32)
    if bad_row is not None:
        x[bad_row, 0] = np.nan
    return x, (x[:, 0] > 0).astype(np.int64)


def _model() -> nn.Module:
    gg.manual_seed(0)
    return nn.Sequential(nn.Linear(4, 8), nn.ReLU(), nn.Linear(8, 2))


def _weights(model: nn.Module) -> list[np.ndarray]:
    return [p.array.copy() for p in model.parameters()]


def test_zero_batches_is_an_error_not_an_empty_history() -> None:
    x, y = _data(5)
    model = _model()
    loader = DataLoader(TensorDataset(x, y), batch_size=8, drop_last=True)
    with pytest.raises(ValueError, match="no batch.*5 samples, batch_size 8, drop_last=True"):
        fit(model, loader, loss_fn=nn.CrossEntropyLoss(), optimizer=optim.SGD(model.parameters(), lr=0.1),
            verbose=False)
    with pytest.raises(ValueError, match="no batch"):
        fit(model, x[:0], y[:0], loss_fn=nn.CrossEntropyLoss(), optimizer=optim.SGD(model.parameters(), lr=0.1),
            verbose=False)


def test_a_nonfinite_sample_stops_before_the_step_and_names_the_batch() -> None:
    x, y = _data(32, bad_row=20)
    model = _model()
    opt = optim.SGD(model.parameters(), lr=0.1)
    with pytest.raises(NonFiniteLossError, match="epoch 0, batch 2.*not applied") as info:
        fit(model, x, y, loss_fn=nn.CrossEntropyLoss(), optimizer=opt, batch_size=8, shuffle=False,
            verbose=False)
    assert info.value.batch == 2
    assert all(np.isfinite(w).all() for w in _weights(model))


def test_skip_mode_skips_the_bad_batch_and_keeps_training() -> None:
    x, y = _data(32, bad_row=3)
    model = _model()
    with pytest.warns(RuntimeWarning, match="skipped 1 batch"):
        history = fit(model, x, y, loss_fn=nn.CrossEntropyLoss(), optimizer=optim.SGD(model.parameters(), lr=0.1),
                      batch_size=8, shuffle=False, verbose=False, epochs=2, on_nonfinite="skip")
    assert len(history.history["loss"]) == 2 and np.isfinite(history.history["loss"]).all()
    assert all(np.isfinite(w).all() for w in _weights(model))


def test_terminate_on_nan_stops_without_applying_the_bad_step() -> None:
    x, y = _data(32, bad_row=9)
    model = _model()
    opt = optim.SGD(model.parameters(), lr=0.1)
    fit(model, x, y, loss_fn=nn.CrossEntropyLoss(), optimizer=opt, batch_size=8, shuffle=False,
        verbose=False, epochs=3, callbacks=[TerminateOnNaN()])
    assert all(np.isfinite(w).all() for w in _weights(model))


def test_model_checkpoint_refuses_an_unknown_field_before_training(tmp_path) -> None:
    x, y = _data()
    model = _model()
    before = _weights(model)
    checkpoint = ModelCheckpoint(tmp_path / "ckpt-{epoch}-{val_acc:.2f}.npz", save_best_only=False)
    with pytest.raises(ValueError, match="'val_acc' will not be in the logs"):
        fit(model, x, y, loss_fn=nn.CrossEntropyLoss(), optimizer=optim.SGD(model.parameters(), lr=0.1),
            verbose=False, callbacks=[checkpoint])
    assert all((a == b).all() for a, b in zip(before, _weights(model)))  # nothing was trained
    with pytest.raises(ValueError, match="val_loss"):
        fit(model, x, y, loss_fn=nn.CrossEntropyLoss(), optimizer=optim.SGD(model.parameters(), lr=0.1),
            verbose=False, callbacks=[EarlyStopping()])


def test_model_checkpoint_never_writes_nonfinite_weights(tmp_path) -> None:
    x, y = _data()
    model = _model()
    checkpoint = ModelCheckpoint(tmp_path / "best.npz", monitor="loss")
    fit(model, x, y, loss_fn=nn.CrossEntropyLoss(), optimizer=optim.SGD(model.parameters(), lr=0.1),
        verbose=False, callbacks=[checkpoint])
    good = (tmp_path / "best.npz").read_bytes()
    with gg.no_grad():
        next(iter(model.parameters())).fill_(float("nan"))
    checkpoint.tracker.best = float("inf")
    with pytest.warns(RuntimeWarning, match="NaN or inf; not saved"):
        checkpoint.on_epoch_end(5, {"loss": 0.1})
    assert (tmp_path / "best.npz").read_bytes() == good


def test_csv_logger_appends_when_training_resumes(tmp_path) -> None:
    x, y = _data()
    model = _model()
    path = tmp_path / "log.csv"
    opt = optim.SGD(model.parameters(), lr=0.1)
    fit(model, x, y, loss_fn=nn.CrossEntropyLoss(), optimizer=opt, epochs=2, verbose=False, callbacks=[CSVLogger(path)])
    fit(model, x, y, loss_fn=nn.CrossEntropyLoss(), optimizer=opt, epochs=2, initial_epoch=2, verbose=False,
        callbacks=[CSVLogger(path)])
    rows = list(csv.reader(path.read_text().splitlines()))
    assert rows[0][0] == "epoch" and [r[0] for r in rows[1:]] == ["0", "1", "2", "3"]
    fit(model, x, y, loss_fn=nn.CrossEntropyLoss(), optimizer=opt, epochs=1, verbose=False,
        callbacks=[CSVLogger(path, append=False)])
    assert [r[0] for r in list(csv.reader(path.read_text().splitlines()))[1:]] == ["0"]
