"""glassgrad.save / glassgrad.load as torch >= 2.6: round trips, the allow-list, crafted and broken files."""

from __future__ import annotations

import io
import json
import os
import sys
from collections import OrderedDict

import numpy as np
import pytest

import glassgrad as torch
from glassgrad import nn, optim
from glassgrad.serialization import CheckpointError, UnsafeGlobalError, atomic
from glassgrad.serialization.encode import STRUCTURE_ENTRY


class UserNet(nn.Module):
    """A model class of the user's own: not on the allow-list until added."""

    def __init__(self):
        super().__init__()
        self.fc = nn.Linear(3, 2, rng=np.random.default_rng(0))
        self.scale = 2.0

    def forward(self, x):
        return self.fc(x) * self.scale


def _crafted(tmp_path, root, name="crafted.pt", arrays=None, fmt="glassgrad-checkpoint", version=2):
    """A checkpoint file with a hand-written structure (what an attacker could write)."""
    text = json.dumps({"format": fmt, "version": version, "root": root})
    entries = dict(arrays or {})
    entries[STRUCTURE_ENTRY] = np.frombuffer(text.encode(), dtype=np.uint8)
    path = tmp_path / name
    with open(path, "wb") as handle:
        np.savez(handle, **entries)
    return path


def test_nested_round_trip_keeps_types(tmp_path):
    obj = {"w": torch.ones(2, 3, requires_grad=True), "p": nn.Parameter(torch.zeros(2)), "a": np.arange(3),
           "scalar": np.float32(1.5), "f64": np.float64(0.25), "i": 3, "f": float("nan"), "s": "text",
           "none": None, "flag": True,
           "tuple": (1, (2.5, "x")), "list": [torch.tensor([1, 2])], "od": OrderedDict(b=1, a=2),
           "set": {1, 2}, "bytes": b"\x00\xff", (1, "k"): "tuple key", 7: "int key", "size": torch.zeros(2, 5).shape,
           "dtype": torch.float16}
    back = torch.load(torch.save(obj, tmp_path / "c.pt"))
    assert isinstance(back["w"], torch.Tensor) and back["w"].requires_grad and back["w"].shape == (2, 3)
    assert type(back["p"]) is nn.Parameter and back["p"].requires_grad
    assert isinstance(back["a"], np.ndarray) and back["a"].tolist() == [0, 1, 2]
    assert isinstance(back["scalar"], np.float32) and back["scalar"] == 1.5 and isinstance(back["f64"], np.float64)
    assert np.isnan(back["f"]) and back["s"] == "text" and back["none"] is None and back["flag"] is True
    assert back["tuple"] == (1, (2.5, "x")) and back["list"][0].dtype == np.int64
    assert isinstance(back["od"], OrderedDict) and list(back["od"]) == ["b", "a"]
    assert back["set"] == {1, 2} and back["bytes"] == b"\x00\xff"
    assert back[(1, "k")] == "tuple key" and back[7] == "int key"
    assert isinstance(back["size"], torch.Size) and back["size"] == (2, 5) and back["dtype"] == torch.float16


def test_files_and_buffers(tmp_path):
    state = {"x": torch.arange(4)}
    buffer = io.BytesIO()
    assert torch.save(state, buffer) is None
    buffer.seek(0)
    assert torch.load(buffer)["x"].tolist() == [0, 1, 2, 3]
    with open(tmp_path / "f.pt", "wb") as handle:
        torch.save(state, handle)
    with open(tmp_path / "f.pt", "rb") as handle:
        assert torch.load(handle, map_location="cpu")["x"].tolist() == [0, 1, 2, 3]
    assert torch.load(str(tmp_path / "f.pt"), map_location={"cuda:0": "cpu"})["x"].shape == (4,)
    moved = torch.load(tmp_path / "f.pt", map_location=lambda t, location: t * 2)
    assert moved["x"].tolist() == [0, 2, 4, 6]
    with pytest.raises(TypeError, match="binary mode"):
        torch.load(io.StringIO("text"))


def test_model_and_optimizer_state_dicts_resume_training(tmp_path, rng):
    model = nn.Sequential(nn.Linear(4, 8, rng=rng), nn.ReLU(), nn.Linear(8, 2, rng=rng))
    opt = optim.Adam(model.parameters(), lr=0.01)
    for _ in range(2):
        opt.zero_grad()
        model(torch.randn(5, 4)).pow(2).mean().backward()
        opt.step()
    torch.save({"model": model.state_dict(), "optimizer": opt.state_dict(), "epoch": 2}, tmp_path / "ckpt.pth")
    twin = nn.Sequential(nn.Linear(4, 8), nn.ReLU(), nn.Linear(8, 2))
    twin_opt = optim.Adam(twin.parameters(), lr=0.5)
    ckpt = torch.load(tmp_path / "ckpt.pth", weights_only=True)
    twin.load_state_dict(ckpt["model"])
    twin_opt.load_state_dict(ckpt["optimizer"])
    assert ckpt["epoch"] == 2 and twin_opt.param_groups[0]["lr"] == 0.01
    x = torch.randn(3, 4)
    np.testing.assert_array_equal(model(x).numpy(), twin(x).numpy())


def test_whole_glassgrad_module_loads_and_keeps_ties(tmp_path):
    model = nn.Sequential(nn.Linear(3, 3), nn.Tanh(), nn.Linear(3, 3))
    model[2].weight = model[0].weight  # tied
    back = torch.load(torch.save(model, tmp_path / "m.pt"))
    assert type(back) is nn.Sequential and back[2].weight is back[0].weight
    x = torch.randn(2, 3)
    np.testing.assert_allclose(back(x).numpy(), model(x).numpy())
    opt = optim.SGD(model.parameters(), lr=0.1, momentum=0.9)
    restored = torch.load(torch.save(opt, tmp_path / "o.pt"))
    assert type(restored) is optim.SGD and restored.param_groups[0]["momentum"] == 0.9


class LanguageModel(nn.Module):
    """The shape of pytorch/examples' word_language_model RNNModel."""

    def __init__(self, ntoken=10, ninp=4, nhid=5, nlayers=2):
        super().__init__()
        self.drop = nn.Dropout(0.2)
        self.encoder = nn.Embedding(ntoken, ninp)
        self.rnn = nn.LSTM(ninp, nhid, nlayers, dropout=0.2)
        self.decoder = nn.Linear(nhid, ntoken)
        self.rnn_type, self.nhid, self.nlayers, self.src_mask = "LSTM", nhid, nlayers, None

    def forward(self, tokens, hidden):
        output, hidden = self.rnn(self.drop(self.encoder(tokens)), hidden)
        return self.decoder(self.drop(output)), hidden


def test_word_language_model_style_whole_model_save(tmp_path):
    model = LanguageModel().eval()
    with open(tmp_path / "model.pt", "wb") as f:
        torch.save(model, f)
    with open(tmp_path / "model.pt", "rb") as f:
        loaded = torch.load(f, weights_only=False)
    tokens, hidden = torch.tensor([[1, 2], [3, 4]]), (torch.zeros(2, 2, 5), torch.zeros(2, 2, 5))
    np.testing.assert_array_equal(loaded(tokens, hidden)[0].numpy(), model(tokens, hidden)[0].numpy())
    assert loaded.rnn_type == "LSTM" and not loaded.training


def test_state_dict_tensors_that_share_memory_still_do(tmp_path):
    model = nn.Sequential(nn.Linear(2, 2), nn.Linear(2, 2))
    model[1].weight = model[0].weight
    state = torch.load(torch.save(model.state_dict(), tmp_path / "s.pt"))
    assert state["0.weight"].array is state["1.weight"].array  # one array, as torch keeps one storage
    with np.load(tmp_path / "s.pt") as archive:
        assert len([n for n in archive.files if n.endswith("weight")]) == 1


def test_user_class_is_refused_until_allowed(tmp_path):
    path = torch.save(UserNet(), tmp_path / "net.pt")
    assert torch.serialization.get_unsafe_globals_in_checkpoint(path) == ["tests.test_serialization.UserNet"]
    with pytest.raises(UnsafeGlobalError, match=r"tests\.test_serialization\.UserNet") as caught:
        torch.load(path)
    message = str(caught.value)
    assert "add_safe_globals([UserNet])" in message and "net.pt" in message and "\n" not in message
    with torch.serialization.safe_globals([UserNet]):
        net = torch.load(path)
    assert type(net) is UserNet and net.scale == 2.0 and torch.serialization.get_safe_globals() == []
    with pytest.raises(UnsafeGlobalError):
        torch.load(path)  # the block's allowance ended with it
    torch.serialization.add_safe_globals([UserNet])
    try:
        assert type(torch.load(path)) is UserNet
    finally:
        torch.serialization.clear_safe_globals()
    assert type(torch.load(path, weights_only=False)) is UserNet  # already imported: the caller vouches for it


@pytest.mark.parametrize("name", [["os", "system"], ["subprocess", "Popen"], ["glassgrad_never_imported_xyz", "Evil"],
                                  ["glassgrad.serialization.checkpoint", "os.system"], ["builtins", "eval"]])
def test_crafted_file_naming_any_global_is_refused(tmp_path, name):
    before = set(sys.modules)
    for root in ({"__object__": name, "id": 0, "state": {"__dict__": []}}, {"__global__": name}):
        path = _crafted(tmp_path, root)
        for weights_only in (True, False):
            if weights_only is False and name[0] in ("os", "subprocess", "builtins"):
                continue  # with weights_only=False, already-imported classes are trusted by the caller
            with pytest.raises(UnsafeGlobalError, match=".".join(name).replace(".", r"\.")):
                torch.load(path, weights_only=weights_only)
    assert set(sys.modules) == before  # nothing was imported


def test_weights_only_false_still_refuses_functions_as_objects(tmp_path):
    path = _crafted(tmp_path, {"__object__": ["os", "system"], "id": 0, "state": {"__dict__": []}})
    with pytest.raises(UnsafeGlobalError):
        torch.load(path, weights_only=False)  # os.system is a builtin function: never a class, never called


@pytest.mark.parametrize("root, problem", [
    ({"__array__": "missing"}, "missing array entry"),
    ({"__mystery__": 1}, "no known tag"),
    ({"__ref__": 5}, "does not come before"),
    ({"__dict__": [[[1], 2]]}, "not hashable"),
    ({"__dict__": "x"}, "must be a list"),
    ({"__tensor__": "a", "class": "Tensor", "id": 0}, "class name"),
    ({"__dtype__": "O"}, "not a numeric dtype"),
    ({"__rng__": {"bit_generator": "MT19937"}}, "PCG64"),
])
def test_malformed_structure_gives_one_clear_line(tmp_path, root, problem):
    path = _crafted(tmp_path, root, arrays={"a": np.zeros(2)})
    with pytest.raises(CheckpointError, match=problem) as caught:
        torch.load(path)
    assert str(path) in str(caught.value) and "\n" not in str(caught.value)


def test_corrupt_and_foreign_files(tmp_path):
    good = torch.save({"w": torch.ones(100)}, tmp_path / "good.pt")
    data = good.read_bytes()
    cases = {"truncated.pt": data[: len(data) // 2], "garbage.pt": b"\x00" * 50, "empty.pt": b"",
             "flipped.pt": data[:60] + bytes(b ^ 0xFF for b in data[60:120]) + data[120:]}
    for name, content in cases.items():
        (tmp_path / name).write_bytes(content)
        with pytest.raises(CheckpointError) as caught:
            torch.load(tmp_path / name)
        assert name in str(caught.value) and "\n" not in str(caught.value), name
    with open(tmp_path / "json.pt", "wb") as handle:  # a readable archive whose structure is not JSON
        np.savez(handle, **{STRUCTURE_ENTRY: np.frombuffer(b'{"format": "glassgrad-checkpoint", "root": [', np.uint8)})
    with pytest.raises(CheckpointError, match="json.pt.*JSONDecodeError") as caught:
        torch.load(tmp_path / "json.pt")
    assert "\n" not in str(caught.value)
    other = _crafted(tmp_path, {}, name="other.pt", fmt="something-else")
    with pytest.raises(CheckpointError, match="format 'something-else'"):
        torch.load(other)
    newer = _crafted(tmp_path, {}, name="newer.pt", version=99)
    with pytest.raises(CheckpointError, match="version 99"):
        torch.load(newer)
    with pytest.raises(FileNotFoundError, match="no checkpoint"):
        torch.load(tmp_path / "absent.pt")


@pytest.mark.torch_live  # glassgrad reads the file torch.save wrote: nothing to replay
def test_pytorch_pickle_checkpoint_is_named_not_unpickled(tmp_path, torch):
    torch.save({"w": torch.ones(2)}, tmp_path / "torch.pt")
    import glassgrad

    with pytest.raises(CheckpointError, match="PyTorch pickle checkpoint.*safetensors"):
        glassgrad.load(tmp_path / "torch.pt")


def test_version_one_checkpoints_still_load(tmp_path):
    root = {"__dict__": [["model", {"__dict__": [["0.weight", {"__array__": "model/0.weight"}]]}],
                         ["epoch", 3], ["pair", {"__tuple__": [1, 2]}]]}
    path = _crafted(tmp_path, root, name="old.npz", arrays={"model/0.weight": np.eye(2)}, version=1)
    back = torch.load(path)
    assert back["epoch"] == 3 and back["pair"] == (1, 2)
    np.testing.assert_array_equal(back["model"]["0.weight"], np.eye(2))


def test_saving_keeps_the_file_mode(tmp_path):
    path = tmp_path / "ckpt.pt"
    torch.save({"v": 1}, path)
    umask = os.umask(0)
    os.umask(umask)
    assert (path.stat().st_mode & 0o777) == 0o666 & ~umask  # a new file: the usual umask, not 0600
    for mode in (0o644, 0o640, 0o600):
        path.chmod(mode)
        torch.save({"v": 2}, path)
        assert (path.stat().st_mode & 0o777) == mode


def test_a_save_killed_mid_write_leaves_the_old_file_and_no_temporary(tmp_path, monkeypatch):
    path = tmp_path / "ckpt.pt"
    torch.save({"v": torch.zeros(3)}, path)

    def killed(fd):
        raise KeyboardInterrupt  # as if the process were interrupted after writing, before the rename

    monkeypatch.setattr(atomic.os, "fsync", killed)
    with pytest.raises(KeyboardInterrupt):
        torch.save({"v": torch.ones(3)}, path)
    monkeypatch.undo()
    assert [p.name for p in tmp_path.iterdir()] == ["ckpt.pt"]
    assert torch.load(path)["v"].tolist() == [0, 0, 0]

    def half_then_fail(handle):
        handle.write(b"half a checkpoint")
        raise OSError("disk full")

    with pytest.raises(OSError, match="disk full"):
        atomic.atomic_write(path, half_then_fail)
    assert [p.name for p in tmp_path.iterdir()] == ["ckpt.pt"]


def test_stale_temporaries_of_a_killed_process_are_removed(tmp_path):
    stale = tmp_path / ".ckpt.pt.abc123.tmp"
    stale.write_bytes(b"left by a killed save")
    os.utime(stale, (1, 1))
    fresh = tmp_path / ".ckpt.pt.def456.tmp"
    fresh.write_bytes(b"another process, still writing")
    torch.save({"v": 1}, tmp_path / "ckpt.pt")
    assert not stale.exists() and fresh.exists()


def test_unsupported_objects_are_refused_before_writing(tmp_path):
    for bad in ({"f": lambda x: x}, {"g": (i for i in range(2))}, {"m": np}, {"s": np.array(["a"])}):
        with pytest.raises(TypeError, match="save"):
            torch.save(bad, tmp_path / "x.pt")
    assert list(tmp_path.iterdir()) == []


def npy_entry(descr: str, shape: tuple[int, ...], payload: bytes) -> bytes:
    """A .npy entry with a hand-written header: it may declare any dtype and any size."""
    from numpy.lib import format as npy_format

    header = io.BytesIO()
    npy_format.write_array_header_1_0(header, {"descr": descr, "fortran_order": False, "shape": shape})
    return header.getvalue() + payload


def crafted_entry(tmp_path, descr, shape, payload, entry="w"):
    """A checkpoint {"w": tensor} whose entry ``entry`` (the tensor, or the structure) has a crafted header."""
    import zipfile

    text = json.dumps({"format": "glassgrad-checkpoint", "version": 2,
                       "root": {"__dict__": [["w", {"__tensor__": "w", "id": 1}]]}}).encode()
    entries = {"w": npy_entry("<f4", (2,), bytes(8)), STRUCTURE_ENTRY: npy_entry("|u1", (len(text),), text)}
    entries[entry] = npy_entry(descr, shape, payload)
    path = tmp_path / "crafted.pt"
    with zipfile.ZipFile(path, "w") as archive:
        for name, data in entries.items():
            archive.writestr(f"{name}.npy", data)
    return path


def test_a_crafted_entry_of_strings_or_datetimes_is_refused(tmp_path):
    assert torch.load(crafted_entry(tmp_path, "<f4", (2,), bytes(8)))["w"].shape == (2,)  # the file itself is fine
    for descr, what in [("<U2", "strings"), ("|S3", "bytes"), ("<M8[D]", "datetimes"), ("<m8[s]", "timedeltas"),
                        ("|V8", "raw bytes"), ("|O", "objects"), ([("a", "<i4"), ("b", "<f4")], "records")]:
        path = crafted_entry(tmp_path, descr, (2,), bytes(16))
        with pytest.raises(CheckpointError, match=rf"crafted\.pt is not a valid checkpoint: entry 'w' holds {what} "
                                                  r"\(dtype .*\); a checkpoint's arrays hold only booleans"):
            torch.load(path)


@pytest.mark.parametrize("count", [3, 2**20, 2**27, 2**40, 2**62, 2**70])
@pytest.mark.parametrize("entry", ["w", STRUCTURE_ENTRY])
def test_declared_sizes_are_checked_against_the_bytes_before_allocating(tmp_path, count, entry):
    """A header that declares ``count`` float64s over 16 bytes: the same clear error at every size."""
    path = crafted_entry(tmp_path, "<f8", (count,), bytes(16), entry)
    with pytest.raises(CheckpointError, match=rf"crafted\.pt is not a valid checkpoint: entry '{entry}' declares "
                                              rf"shape \({count},\) of float64 \({count * 8} bytes\) but holds 16"):
        torch.load(path)
    if entry == "w":
        path = crafted_entry(tmp_path, "<f8", (1,), bytes(16), entry)  # more bytes than declared: refused too
        with pytest.raises(CheckpointError, match=r"declares shape \(1,\) of float64 \(8 bytes\) but holds more"):
            torch.load(path)
