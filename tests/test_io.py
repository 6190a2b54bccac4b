"""glassgrad.save / glassgrad.load: checkpoint round trips without pickle, atomic writes."""

from __future__ import annotations

import zipfile

import numpy as np
import pytest

import glassgrad as gg
from glassgrad import nn, optim


def _model(seed):
    first = nn.Linear(4, 8, rng=np.random.default_rng(seed))
    return nn.Sequential(first, nn.Linear(8, 3, rng=np.random.default_rng(seed + 1)))


def _train_steps(model, opt, rng, steps=3):
    for _ in range(steps):
        x = gg.tensor(rng.normal(size=(5, 4)).astype(np.float32))
        loss = (model(x) ** 2).mean()
        opt.zero_grad()
        loss.backward()
        opt.step()


def test_model_and_optimizer_round_trip(tmp_path, rng):
    model, twin = _model(0), _model(10)
    opt = optim.Adam(model.parameters(), lr=0.01)
    _train_steps(model, opt, rng)
    path = gg.save({"model": model.state_dict(), "optimizer": opt.state_dict(), "epoch": 3,
                    "note": "hello", "scores": [0.5, None, True], "pair": (1, 2.5)}, tmp_path / "ckpt.npz")
    ckpt = gg.load(path)
    assert ckpt["epoch"] == 3 and ckpt["note"] == "hello" and ckpt["scores"] == [0.5, None, True]
    assert ckpt["pair"] == (1, 2.5)
    twin.load_state_dict(ckpt["model"])
    for (k, a), (_, b) in zip(model.state_dict().items(), twin.state_dict().items()):
        np.testing.assert_array_equal(a, b, err_msg=k)
    twin_opt = optim.Adam(twin.parameters(), lr=0.5)
    twin_opt.load_state_dict(ckpt["optimizer"])
    assert twin_opt.param_groups[0]["lr"] == 0.01
    # resumed training continues identically
    _train_steps(model, opt, np.random.default_rng(7))
    _train_steps(twin, twin_opt, np.random.default_rng(7))
    for (k, a), (_, b) in zip(model.state_dict().items(), twin.state_dict().items()):
        np.testing.assert_allclose(a, b, rtol=1e-6, err_msg=k)


def test_optimizer_state_keys_stay_ints(tmp_path, rng):
    model = _model(0)
    opt = optim.SGD(model.parameters(), lr=0.1, momentum=0.9)
    _train_steps(model, opt, rng, steps=1)
    back = gg.load(gg.save(opt.state_dict(), tmp_path / "o.npz"))
    assert sorted(back["state"]) == sorted(opt.state_dict()["state"])
    assert all(isinstance(k, int) for k in back["state"])


def test_file_holds_no_pickle(tmp_path):
    path = gg.save({"w": np.ones((2, 2)), "meta": {"a": 1}}, tmp_path / "c.npz")
    with zipfile.ZipFile(path) as archive:
        for name in archive.namelist():
            header = archive.read(name)[:128]
            assert b"|O" not in header and b"object" not in header
    with np.load(path, allow_pickle=False) as archive:  # readable without pickle
        assert set(archive.files) == {"w", "__structure__"}


def test_dtypes_and_tensors_kept(tmp_path):
    state = {"f64": np.arange(3, dtype=np.float64), "i8": np.array([1, -2], np.int8), "t": gg.ones(2),
             "scalar": np.float32(1.5), "flag": np.array(True)}
    back = gg.load(gg.save(state, tmp_path / "d.npz"))
    assert back["f64"].dtype == np.float64 and back["i8"].dtype == np.int8 and back["t"].dtype == np.float32
    assert back["scalar"].dtype == np.float32 and back["scalar"].shape == ()
    assert bool(back["flag"]) is True


def test_module_saved_directly(tmp_path):
    model = _model(0)
    back = gg.load(gg.save(model, tmp_path / "m.npz"))  # the whole module comes back, as torch.load does
    assert type(back) is type(model) and list(back.state_dict()) == list(model.state_dict())


def test_unsupported_objects_are_rejected(tmp_path):
    with pytest.raises(TypeError, match="without pickle"):
        gg.save({"f": object()}, tmp_path / "x.npz")
    with pytest.raises(TypeError, match="without pickle"):
        gg.save({object(): 1}, tmp_path / "x.npz")  # a key that cannot be stored (tuple keys can, as in torch)
    with pytest.raises(TypeError, match="dtype"):
        gg.save({"s": np.array(["a"])}, tmp_path / "x.npz")
    assert list(tmp_path.iterdir()) == []  # nothing half-written


def test_not_a_checkpoint(tmp_path):
    (tmp_path / "junk.npz").write_bytes(b"not a zip")
    with pytest.raises(ValueError, match="junk.npz"):
        gg.load(tmp_path / "junk.npz")
    np.savez(tmp_path / "plain.npz", a=np.ones(2))
    with pytest.raises(ValueError, match="not a glassgrad checkpoint"):
        gg.load(tmp_path / "plain.npz")


def test_overwrite_is_atomic(tmp_path):
    path = tmp_path / "c.npz"
    gg.save({"v": np.zeros(2)}, path)
    with pytest.raises(TypeError):
        gg.save({"v": object()}, path)
    np.testing.assert_array_equal(gg.load(path)["v"], np.zeros(2))  # old file intact
    gg.save({"v": np.ones(2)}, path)
    np.testing.assert_array_equal(gg.load(path)["v"], np.ones(2))
    assert [p.name for p in tmp_path.iterdir()] == ["c.npz"]
