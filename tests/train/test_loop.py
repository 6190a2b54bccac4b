"""fit / evaluate / predict, callbacks, History, Model, metrics."""

from __future__ import annotations

import math

import numpy as np
import pytest

import glassgrad as gg
from glassgrad import nn, optim
from glassgrad.data import DataLoader, TensorDataset, synthetic
from glassgrad.train import (
    CSVLogger,
    EarlyStopping,
    History,
    LambdaCallback,
    LRSchedulerCallback,
    Model,
    ModelCheckpoint,
    TerminateOnNaN,
    accuracy,
    evaluate,
    fit,
    predict,
    top_k_accuracy,
)
from glassgrad.train.callbacks import Callback


def cross_entropy(logits, targets):
    return -(gg.log_softmax(logits, axis=1) * gg.one_hot(targets, logits.shape[1])).sum(axis=1).mean()


class MLP(nn.Module):
    def __init__(self, n_in=2, hidden=16, n_out=3, seed=0):
        super().__init__()
        self.fc1 = nn.Linear(n_in, hidden, rng=np.random.default_rng(seed))
        self.fc2 = nn.Linear(hidden, n_out, rng=np.random.default_rng(seed + 1))

    def forward(self, x):
        return self.fc2(self.fc1(x).relu())


def _problem(n=120, seed=0):
    return synthetic.blobs(n, classes=3, dim=2, spread=0.3, rng=np.random.default_rng(seed))


def test_fit_lowers_the_loss_and_fills_history():
    x, y = _problem()
    model = MLP()
    history = fit(model, x, y, loss_fn=cross_entropy, optimizer=optim.Adam(model.parameters(), lr=0.05),
                  epochs=8, batch_size=16, validation_split=0.25, rng=np.random.default_rng(0), verbose=False)
    assert isinstance(history, History) and history.epoch == list(range(8))
    assert set(history.history) == {"loss", "accuracy", "val_loss", "val_accuracy", "lr"}
    assert history["loss"][-1] < 0.5 * history["loss"][0]
    assert history["val_accuracy"][-1] > 0.8
    assert history.best("val_loss")[1] == min(history["val_loss"])
    assert model.training  # left in train mode


def test_fit_accepts_loaders_and_datasets():
    x, y = _problem()
    model = MLP()
    opt = optim.SGD(model.parameters(), lr=0.1)
    h1 = fit(model, DataLoader((x, y), batch_size=32, shuffle=True, seed=0), loss_fn=cross_entropy, optimizer=opt,
             epochs=2, validation_data=TensorDataset(x, y), verbose=False)
    h2 = fit(model, TensorDataset(x, y), loss_fn=cross_entropy, optimizer=opt, epochs=1,
             validation_data=(x, y), metrics=("accuracy", "top2_accuracy"), verbose=False)
    assert len(h1) == 2 and "val_top2_accuracy" in h2 and h2["val_top2_accuracy"][0] >= h2["val_accuracy"][0]
    with pytest.raises(ValueError, match="inside the DataLoader"):
        fit(model, DataLoader((x, y)), y, loss_fn=cross_entropy, optimizer=opt, verbose=False)
    with pytest.raises(ValueError, match="not both"):
        fit(model, x, y, loss_fn=cross_entropy, optimizer=opt, validation_data=(x, y), validation_split=0.1,
            verbose=False)


def test_shuffled_fit_is_reproducible():
    x, y = _problem()
    losses = []
    for _ in range(2):
        model = MLP()
        h = fit(model, x, y, loss_fn=cross_entropy, optimizer=optim.Adam(model.parameters(), lr=0.01), epochs=2,
                batch_size=10, rng=np.random.default_rng(5), verbose=False)
        losses.append(h["loss"])
    assert losses[0] == losses[1]


class Recorder(Callback):
    def __init__(self):
        self.events = []

    def on_train_begin(self, logs):
        self.events.append("train_begin")

    def on_epoch_begin(self, epoch, logs):
        self.events.append(f"epoch_begin {epoch}")

    def on_batch_begin(self, batch, logs):
        self.events.append(f"batch_begin {batch}")

    def on_batch_end(self, batch, logs):
        self.events.append(f"batch_end {batch}")

    def on_epoch_end(self, epoch, logs):
        self.events.append(f"epoch_end {epoch} {sorted(logs)}")

    def on_train_end(self, logs):
        self.events.append("train_end")


def test_callbacks_fire_in_order():
    x, y = _problem(20)
    model = MLP()
    rec = Recorder()
    fit(model, x, y, loss_fn=cross_entropy, optimizer=optim.SGD(model.parameters(), lr=0.1), epochs=2,
        batch_size=10, callbacks=[rec], metrics=(), verbose=False)
    logs = "['loss', 'lr']"
    assert rec.events == ["train_begin",
                          "epoch_begin 0", "batch_begin 0", "batch_end 0", "batch_begin 1", "batch_end 1",
                          f"epoch_end 0 {logs}",
                          "epoch_begin 1", "batch_begin 0", "batch_end 0", "batch_begin 1", "batch_end 1",
                          f"epoch_end 1 {logs}", "train_end"]
    assert rec.model is model


def test_early_stopping_restores_best_weights():
    x, y = _problem()
    model = MLP()
    losses = iter([5.0, 4.0, 4.5, 4.2, 4.1, 3.0])
    saved = {}

    def fake_val(epoch, logs):
        logs["val_loss"] = next(losses)
        if epoch == 1:
            saved.update(model.state_dict())

    stopper = EarlyStopping(monitor="val_loss", patience=2, restore_best_weights=True)
    history = fit(model, x, y, loss_fn=cross_entropy, optimizer=optim.SGD(model.parameters(), lr=0.1), epochs=6,
                  callbacks=[LambdaCallback(on_epoch_end=fake_val), stopper], verbose=False)
    assert len(history) == 4 and stopper.stopped_epoch == 3 and stopper.best_epoch == 1
    for k, v in model.state_dict().items():
        np.testing.assert_array_equal(v, saved[k])


def test_model_checkpoint_keeps_best(tmp_path):
    x, y = _problem()
    model = MLP()
    opt = optim.Adam(model.parameters(), lr=0.05)
    ckpt = ModelCheckpoint(tmp_path / "best.npz", monitor="val_accuracy")
    history = fit(model, x, y, loss_fn=cross_entropy, optimizer=opt, epochs=4, validation_split=0.25,
                  callbacks=[ckpt], verbose=False)
    saved = gg.load(tmp_path / "best.npz")
    best_epoch, best = history.best("val_accuracy")
    assert saved["epoch"] == best_epoch and saved["val_accuracy"] == best
    assert "optimizer" in saved and set(saved["model"]) == set(model.state_dict())


def test_scheduler_csv_and_nan(tmp_path):
    x, y = _problem(40)
    model = MLP()
    opt = optim.SGD(model.parameters(), lr=0.1)
    sched = optim.lr_scheduler.StepLR(opt, step_size=1, gamma=0.5)
    history = fit(model, x, y, loss_fn=cross_entropy, optimizer=opt, epochs=3, batch_size=20,
                  callbacks=[LRSchedulerCallback(sched), CSVLogger(tmp_path / "log.csv")], verbose=False)
    assert history["lr"] == pytest.approx([0.1, 0.05, 0.025])
    rows = (tmp_path / "log.csv").read_text().splitlines()
    assert rows[0].startswith("epoch,loss") and len(rows) == 4

    def nan_loss(out, target):
        return cross_entropy(out, target) * float("nan")

    history = fit(model, x, y, loss_fn=nan_loss, optimizer=opt, epochs=3, batch_size=10,
                  callbacks=[TerminateOnNaN()], verbose=False)
    assert len(history) == 1 and math.isnan(history["loss"][0])


def test_evaluate_and_predict_in_eval_mode_without_graph():
    x, y = _problem(50)
    model = MLP()
    modes = []

    class Spy(nn.Module):
        def __init__(self, inner):
            super().__init__()
            self.inner = inner

        def forward(self, xb):
            out = self.inner(xb)
            modes.append((self.training, out.requires_grad))
            return out

    spy = Spy(model)
    result = evaluate(spy, x, y, loss_fn=cross_entropy, batch_size=16)
    out = predict(spy, x, batch_size=16)
    assert set(modes) == {(False, False)} and spy.training
    assert out.shape == (50, 3)
    assert result["accuracy"] == pytest.approx(accuracy(out, y))
    assert result["loss"] == pytest.approx(cross_entropy(gg.tensor(out), gg.tensor(y)).item(), rel=1e-5)


def test_progress_output_plain_line(capsys):
    x, y = _problem(20)
    model = MLP()
    fit(model, x, y, loss_fn=cross_entropy, optimizer=optim.SGD(model.parameters(), lr=0.1), epochs=2,
        verbose=True, progress_bar=False)
    lines = [ln for ln in capsys.readouterr().out.splitlines() if ln.startswith("epoch")]
    assert len(lines) == 2 and "loss" in lines[0] and "accuracy" in lines[0]


def test_progress_bar_with_tqdm(capsys):
    pytest.importorskip("tqdm")
    x, y = _problem(20)
    model = MLP()
    fit(model, x, y, loss_fn=cross_entropy, optimizer=optim.SGD(model.parameters(), lr=0.1), epochs=1,
        verbose=True, progress_bar=True)
    assert "epoch 1/1" in capsys.readouterr().err


def test_model_wrapper(tmp_path):
    x, y = _problem()
    model = Model(MLP()).compile(optimizer="adam", loss=cross_entropy, metrics=["accuracy"])
    history = model.fit(x, y, epochs=20, batch_size=16, verbose=False)
    assert history["loss"][-1] < history["loss"][0]
    assert model.evaluate(x, y)["accuracy"] > 0.7 and model.predict(x[:3]).shape == (3, 3)
    model.save(tmp_path / "m.npz")
    other = Model(MLP(seed=9)).compile(optimizer="sgd", loss=cross_entropy)
    with pytest.raises(ValueError, match="unknown optimizer"):
        Model(MLP()).compile(optimizer="lbfgs", loss=cross_entropy)
    other.optimizer = optim.Adam(other.module.parameters())
    other.load(tmp_path / "m.npz")
    np.testing.assert_allclose(other.predict(x), model.predict(x), rtol=1e-6)
    with pytest.raises(RuntimeError, match="compile"):
        Model(MLP()).fit(x, y)


def test_metrics():
    logits = np.array([[0.1, 0.9, 0.0], [0.8, 0.1, 0.1], [0.2, 0.3, 0.5]])
    assert accuracy(logits, np.array([1, 0, 0])) == pytest.approx(2 / 3)
    assert accuracy(logits, np.eye(3)[[1, 0, 0]]) == pytest.approx(2 / 3)
    assert top_k_accuracy(logits, np.array([1, 0, 0]), k=2) == pytest.approx(2 / 3)
    assert top_k_accuracy(logits, np.array([2, 2, 0]), k=3) == 1.0
    assert accuracy(np.array([2.0, -1.0, 0.5]), np.array([1, 0, 0])) == pytest.approx(2 / 3)
    with pytest.raises(ValueError, match="unknown metric"):
        fit(MLP(), *_problem(10), loss_fn=cross_entropy, optimizer=None, metrics=["f1"], verbose=False)


def test_history_plot_and_csv(tmp_path):
    pytest.importorskip("matplotlib")
    h = History()
    h.append(0, {"loss": 2.0, "accuracy": 0.5, "val_loss": 2.5})
    h.append(1, {"loss": 1.0, "accuracy": 0.7, "val_loss": 2.0, "lr": 0.1})
    assert h["lr"][0] != h["lr"][0] and h.last("loss") == 1.0
    assert h.plot(tmp_path / "c.png").stat().st_size > 1000
    assert h.to_csv(tmp_path / "h.csv").read_text().splitlines()[0] == "epoch,loss,accuracy,val_loss,lr"
