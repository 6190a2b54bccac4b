"""glassgrad.safetensors: the byte format by hand, round trips, and interop with the safetensors package."""

from __future__ import annotations

import json
import struct

import numpy as np
import pytest

import glassgrad
from glassgrad import nn
from glassgrad import safetensors as st
from glassgrad.serialization import CheckpointError

ALL_DTYPES = ["float16", "float32", "float64", "int8", "int16", "int32", "int64", "uint8", "bool"]


def _sample_tensors(rng):
    out = {f"t_{name}": (rng.normal(size=(2, 3)) * 10).astype(name) for name in ALL_DTYPES}
    out["scalar"] = np.array(1.25, np.float32)
    out["empty"] = np.zeros((0, 4), np.float32)
    out["model.weight"] = glassgrad.randn(3, 2)
    return out


def test_header_bytes_match_a_hand_built_file(tmp_path):
    tensors = {"b": np.array([1.0, 2.0], np.float32), "a": np.array([7], np.int64)}
    header = ('{"__metadata__":{"format":"pt"},"a":{"dtype":"I64","shape":[1],"data_offsets":[0,8]},'
              '"b":{"dtype":"F32","shape":[2],"data_offsets":[8,16]}}')
    header += " " * ((8 - (8 + len(header)) % 8) % 8)  # pad so that the data starts 8-byte aligned
    expected = (struct.pack("<Q", len(header)) + header.encode() + struct.pack("<q", 7)
                + struct.pack("<2f", 1.0, 2.0))
    assert st.save(tensors, {"format": "pt"}) == expected
    st.save_file(tensors, tmp_path / "w.safetensors", metadata={"format": "pt"})
    assert (tmp_path / "w.safetensors").read_bytes() == expected
    back = st.load(expected)
    assert back["a"].tolist() == [7] and back["b"].dtype == np.float32


def test_round_trip_every_dtype(tmp_path, rng):
    tensors = _sample_tensors(rng)
    st.save_file(tensors, tmp_path / "all.safetensors", metadata={"epoch": "3"})
    back, metadata = st.load_file_with_metadata(tmp_path / "all.safetensors")
    assert metadata == {"epoch": "3"} and set(back) == set(tensors)
    for name, value in tensors.items():
        expected = np.asarray(value)
        assert isinstance(back[name], glassgrad.Tensor) and back[name].dtype == expected.dtype, name
        np.testing.assert_array_equal(back[name].numpy(), expected, err_msg=name)
    with st.safe_open(tmp_path / "all.safetensors", framework="pt") as f:
        assert f.keys() == sorted(tensors) and f.metadata() == {"epoch": "3"}
        np.testing.assert_array_equal(f.get_tensor("t_int16").numpy(), tensors["t_int16"])
    with pytest.raises(TypeError, match="metadata must be a dict of str -> str"):
        st.save({"x": np.ones(1)}, metadata={"epoch": 3})
    with pytest.raises(TypeError, match="cannot hold"):
        st.save({"x": np.ones(1, np.complex64)})


def test_bf16_is_read_as_bfloat16_and_written_back():
    values = np.array([1.0, -2.5, 3.140625], np.float32)  # exactly representable in bfloat16
    raw = (values.view(np.uint32) >> 16).astype("<u2").tobytes()
    header = json.dumps({"x": {"dtype": "BF16", "shape": [3], "data_offsets": [0, 6]}}).encode()
    data = struct.pack("<Q", len(header)) + header + raw
    back = st.load(data)
    assert back["x"].dtype == glassgrad.bfloat16 and back["x"].tolist() == values.tolist()
    written = st.save({"x": back["x"]})
    assert b'"dtype":"BF16"' in written and written.endswith(raw)  # the same 16-bit patterns


def test_shared_tensors_are_refused_like_safetensors_and_save_model_handles_ties(tmp_path):
    shared = glassgrad.ones(2)
    with pytest.raises(RuntimeError, match="share memory"):
        st.save({"a": shared, "b": shared})
    base = np.zeros(4, np.float32)
    with pytest.raises(RuntimeError, match="share memory"):
        st.save({"a": base[:2], "b": base})
    model = nn.Sequential(nn.Linear(3, 3), nn.Linear(3, 3))
    model[1].weight = model[0].weight
    st.save_model(model, tmp_path / "tied.safetensors")
    stored, metadata = st.load_file_with_metadata(tmp_path / "tied.safetensors")
    assert "1.weight" not in stored and metadata == {"1.weight": "0.weight"}
    twin = nn.Sequential(nn.Linear(3, 3), nn.Linear(3, 3))
    twin[1].weight = twin[0].weight
    assert st.load_model(twin, tmp_path / "tied.safetensors") == ([], [])
    np.testing.assert_array_equal(twin[1].weight.numpy(), model[0].weight.numpy())


def test_glassgrad_save_and_load_pick_the_format(tmp_path):
    model = nn.Linear(2, 3)
    path = glassgrad.save(model.state_dict(), tmp_path / "m.safetensors")
    assert path.read_bytes()[8:9] == b"{"  # a safetensors file, not a zip
    back = glassgrad.load(path)
    assert sorted(back) == ["bias", "weight"] and isinstance(back["weight"], glassgrad.Tensor)
    glassgrad.save(model, tmp_path / "weights.bin", format="safetensors")  # a module: its state_dict
    assert sorted(glassgrad.load(tmp_path / "weights.bin")) == ["bias", "weight"]  # recognised by content
    twin = nn.Linear(2, 3)
    twin.load_state_dict(glassgrad.load(tmp_path / "weights.bin", format="safetensors"))
    np.testing.assert_array_equal(twin.weight.numpy(), model.weight.numpy())
    with pytest.raises(TypeError, match="flat dict"):
        glassgrad.save({"model": model.state_dict(), "epoch": 1}, tmp_path / "nested.safetensors")
    with pytest.raises(ValueError, match="format must be one of"):
        glassgrad.save({}, tmp_path / "x", format="onnx")


@pytest.mark.parametrize("damage, problem", [
    (lambda d: d[:20], "header claims"),
    (lambda d: d[:8] + b"[" + d[9:], "not JSON"),
    (lambda d: d + b"\x00", "cover"),
    (lambda d: d[:-1], "cover"),
    (lambda d: d.replace(b'"F32"', b'"X32"'), "unknown dtype"),
    (lambda d: d.replace(b'"shape":[2]', b'"shape":[3]'), "needs"),
    (lambda d: b"\xff" * 8 + d[8:], "header claims"),
])
def test_corrupt_files_give_one_clear_line(tmp_path, damage, problem):
    data = st.save({"w": np.ones(2, np.float32), "v": np.zeros(1, np.int64)})
    path = tmp_path / "bad.safetensors"
    path.write_bytes(damage(data))
    with pytest.raises(CheckpointError, match=problem) as caught:
        st.load_file(path)
    assert "bad.safetensors" in str(caught.value) and "\n" not in str(caught.value)
    with pytest.raises(CheckpointError):
        glassgrad.load(path)


# ----- interop with the safetensors package (skipped when it is not installed) -----
def test_bytes_equal_the_packages(rng):
    package = pytest.importorskip("safetensors.numpy")
    tensors = {k: np.asarray(v) for k, v in _sample_tensors(rng).items()}
    assert st.save(tensors, {"format": "np"}) == package.save(tensors, metadata={"format": "np"})
    loaded = package.load(st.save(tensors))
    for name, value in tensors.items():
        np.testing.assert_array_equal(loaded[name], value)


@pytest.mark.torch_live  # safetensors.torch writes and reads torch files: nothing to replay
def test_interop_with_torch_files(tmp_path, torch):
    package = pytest.importorskip("safetensors.torch")
    torch.manual_seed(0)
    theirs = {"w": torch.randn(3, 4), "i": torch.arange(5), "h": torch.randn(2).half(), "m": torch.rand(2) > 0.5,
              "bf": torch.tensor([1.5, -0.25], dtype=torch.bfloat16), "d": torch.randn(2, dtype=torch.float64)}
    package.save_file(theirs, tmp_path / "torch.safetensors", metadata={"format": "pt"})
    ours, metadata = st.load_file_with_metadata(tmp_path / "torch.safetensors")
    assert metadata == {"format": "pt"}
    for name, value in theirs.items():
        np.testing.assert_array_equal(ours[name].float().numpy() if name == "bf" else ours[name].numpy(),
                                      value.float().numpy() if name == "bf" else value.numpy())
    st.save_file(ours, tmp_path / "ours.safetensors", metadata={"source": "glassgrad"})
    back = package.load_file(tmp_path / "ours.safetensors")
    for name, value in theirs.items():
        assert torch.equal(back[name], value), name  # bfloat16 comes back as bfloat16
    # a torch model with tied weights, saved by the package's save_model, loads into the glassgrad twin
    tnet = torch.nn.Sequential(torch.nn.Linear(3, 3), torch.nn.Linear(3, 3))
    tnet[1].weight = tnet[0].weight
    with pytest.raises(RuntimeError, match="share memory"):
        package.save_file(tnet.state_dict(), tmp_path / "refused.safetensors")  # the package refuses too
    package.save_model(tnet, tmp_path / "tied.safetensors")
    gnet = nn.Sequential(nn.Linear(3, 3), nn.Linear(3, 3))
    gnet[1].weight = gnet[0].weight
    st.load_model(gnet, tmp_path / "tied.safetensors")
    x = np.random.default_rng(0).normal(size=(2, 3)).astype(np.float32)
    np.testing.assert_allclose(gnet(glassgrad.tensor(x)).numpy(), tnet(torch.tensor(x)).detach().numpy(), rtol=1e-6)
    st.save_model(gnet, tmp_path / "from_glassgrad.safetensors")
    tnet2 = torch.nn.Sequential(torch.nn.Linear(3, 3), torch.nn.Linear(3, 3))
    tnet2[1].weight = tnet2[0].weight
    package.load_model(tnet2, tmp_path / "from_glassgrad.safetensors")
    assert torch.equal(tnet2[1].weight, tnet[0].weight)
