"""glassgrad.utils.tensorboard.SummaryWriter: event files read back with TensorBoard's own reader."""

from __future__ import annotations

import importlib
import io
import math
import os
import socket
import sys
from datetime import datetime

import numpy as np
import pytest

import glassgrad

pytest.importorskip("tensorboard")
from tensorboard.backend.event_processing.event_accumulator import EventAccumulator  # noqa: E402
from tensorboard.plugins.hparams import plugin_data_pb2  # noqa: E402

from glassgrad.utils.tensorboard import SummaryWriter  # noqa: E402

KEEP_ALL = {"scalars": 0, "histograms": 0, "images": 0, "tensors": 0, "compressedHistograms": 0}


def read(folder) -> EventAccumulator:
    events = EventAccumulator(str(folder), size_guidance=KEEP_ALL)
    events.Reload()
    return events


def pixels(image_event) -> np.ndarray:
    from PIL import Image

    return np.asarray(Image.open(io.BytesIO(image_event.encoded_image_string)))


def split_log_dir(path: str) -> tuple[str, datetime, str]:
    """runs/Dec07_16-32-43_host_comment -> ('runs', its date and time, 'host_comment')."""
    folder, name = os.path.split(path)
    day, clock, rest = name.split("_", 2)
    return folder, datetime.strptime(f"{day}_{clock}", "%b%d_%H-%M-%S"), rest


def test_scalars_keep_their_tags_steps_and_values(tmp_path):
    with SummaryWriter(tmp_path) as writer:
        for step in range(5):
            writer.add_scalar("Loss/train", 1.0 / (step + 1), step)
        writer.add_scalar("lr", glassgrad.tensor([0.25]), 7, walltime=123.0)
        writer.add_scalar("exact", 0.1, 2, new_style=True, double_precision=True)
        with pytest.raises(ValueError, match="one element"):
            writer.add_scalar("bad", glassgrad.zeros(3), 0)
    events = read(tmp_path)
    assert set(events.Tags()["scalars"]) == {"Loss/train", "lr"}
    loss = events.Scalars("Loss/train")
    assert [e.step for e in loss] == [0, 1, 2, 3, 4]
    assert [e.value for e in loss] == pytest.approx([1.0 / (s + 1) for s in range(5)], rel=1e-7)  # float32 in file
    (lr,) = events.Scalars("lr")
    assert (lr.step, lr.value, lr.wall_time) == (7, 0.25, 123.0)
    (exact,) = events.Tensors("exact")
    assert exact.step == 2 and exact.tensor_proto.double_val == [0.1]


def test_add_scalars_writes_one_subrun_per_tag_as_torch(tmp_path):
    writer = SummaryWriter(tmp_path)
    for step in range(3):
        writer.add_scalars("run/14h", {"xsinx": step * math.sin(step), "xcosx": step * math.cos(step)}, step)
    writer.close()
    assert sorted(p.name for p in tmp_path.iterdir() if p.is_dir()) == ["run_14h_xcosx", "run_14h_xsinx"]
    sub = read(tmp_path / "run_14h_xsinx")
    assert sub.Tags()["scalars"] == ["run/14h"]
    assert [e.value for e in sub.Scalars("run/14h")] == pytest.approx([s * math.sin(s) for s in range(3)], rel=1e-6)


def test_histogram_buckets_counts_and_statistics(tmp_path):
    values = np.array([0.5, 1.5, 1.25, 3.5, 3.0, 3.75])
    with SummaryWriter(tmp_path) as writer:
        writer.add_histogram("w", glassgrad.tensor(values), 4, bins=np.array([-1.0, 0.0, 1.0, 2.0, 3.0, 4.0, 5.0]))
    (event,) = read(tmp_path).Histograms("w")
    histo = event.histogram_value
    assert event.step == 4
    assert (histo.min, histo.max, histo.num) == (0.5, 3.75, 6)
    assert histo.sum == pytest.approx(values.sum()) and histo.sum_squares == pytest.approx(values @ values)
    # buckets [0,1) [1,2) [2,3) [3,4], preceded by the empty [-1,0): right edges 0, 1, 2, 3, 4
    assert list(histo.bucket_limit) == [0.0, 1.0, 2.0, 3.0, 4.0]
    assert list(histo.bucket) == [0, 1, 2, 0, 3]


def test_default_tensorflow_buckets_count_every_value_in_its_bucket(tmp_path, rng):
    values = rng.standard_normal(500) * 3
    with SummaryWriter(tmp_path) as writer:
        writer.add_histogram("normal", values, 0)
        writer.add_histogram("merged", values, 0, max_bins=30)
    events = read(tmp_path)
    histo = events.Histograms("normal")[0].histogram_value
    limits, counts = np.array(histo.bucket_limit), np.array(histo.bucket)
    assert counts[0] == 0 and counts[-1] > 0 and counts.sum() == 500
    for side in (limits[limits > 0], -limits[limits < 0][::-1]):  # geometric edges, 1.1 apart, mirrored
        assert len(side) > 10 and np.allclose(side[1:] / side[:-1], 1.1)
    inside = [np.count_nonzero((values >= lo) & (values < hi)) for lo, hi in zip(limits[:-1], limits[1:])]
    assert list(counts[1:]) == inside
    merged = events.Histograms("merged")[0].histogram_value
    assert sum(merged.bucket) == 500 and len(merged.bucket) < len(histo.bucket)


def test_images_in_every_layout_decode_to_the_given_pixels(tmp_path, rng):
    chw = rng.random((3, 5, 7))
    grey = (rng.random((4, 6)) * 255).astype(np.uint8)
    batch = rng.random((10, 1, 3, 2)).astype(np.float32)
    with SummaryWriter(tmp_path) as writer:
        writer.add_image("chw", glassgrad.tensor(chw), 1)
        writer.add_image("hwc", chw.transpose(1, 2, 0), 1, dataformats="HWC")
        writer.add_image("hw", grey, 1, dataformats="HW")
        writer.add_images("batch", batch, 2)
        with pytest.raises(ValueError, match="dataformats"):
            writer.add_image("bad", chw, 0, dataformats="HWC")
    events = read(tmp_path)
    expected = np.floor(chw.transpose(1, 2, 0).astype(np.float32) * 255).astype(np.uint8)
    for tag in ("chw", "hwc"):
        (event,) = events.Images(tag)
        assert (event.height, event.width, event.step) == (5, 7, 1)
        np.testing.assert_array_equal(pixels(event), expected)
    np.testing.assert_array_equal(pixels(events.Images("hw")[0]), np.stack([grey] * 3, axis=-1))
    (grid,) = events.Images("batch")  # 10 images 3x2, 8 per row: 2 rows of 8 cells
    assert (grid.height, grid.width) == (6, 16)
    picture = pixels(grid)
    ninth = np.floor(batch[8, 0] * np.float32(255)).astype(np.uint8)
    np.testing.assert_array_equal(picture[3:6, 0:2, 1], ninth)
    assert not picture[3:6, 4:].any()  # unused cells are black


def test_figure_is_rendered_to_an_image(tmp_path):
    pytest.importorskip("matplotlib")
    from matplotlib.figure import Figure

    figure = Figure(figsize=(2, 1), dpi=50)
    figure.add_subplot().plot([0, 1], [1, 0])
    with SummaryWriter(tmp_path) as writer:
        writer.add_figure("fig", figure, 0, close=False)
    (event,) = read(tmp_path).Images("fig")
    assert (event.width, event.height) == (100, 50)


def test_text_and_hparams_reach_their_plugins(tmp_path):
    with SummaryWriter(tmp_path) as writer:
        writer.add_text("notes", "**bold** words", 3)
        writer.add_hparams({"lr": 0.1, "optim": "adam", "nesterov": True, "unused": None}, {"hp/accuracy": 0.75},
                           hparam_domain_discrete={"optim": ["adam", "sgd"]}, run_name="trial")
        with pytest.raises(TypeError, match="dictionary"):
            writer.add_hparams([("lr", 0.1)], {})
    (note,) = read(tmp_path).Tensors("notes/text_summary")
    assert note.step == 3 and note.tensor_proto.string_val == [b"**bold** words"]
    run = read(tmp_path / "trial")
    assert [e.value for e in run.Scalars("hp/accuracy")] == [0.75]
    content = run.PluginTagToContent("hparams")
    start = plugin_data_pb2.HParamsPluginData.FromString(content["_hparams_/session_start_info"])
    hp = start.session_start_info.hparams
    assert (hp["lr"].number_value, hp["optim"].string_value, hp["nesterov"].bool_value) == (0.1, "adam", True)
    assert "unused" not in hp
    experiment = plugin_data_pb2.HParamsPluginData.FromString(content["_hparams_/experiment"]).experiment
    assert [i.name for i in experiment.hparam_infos] == ["lr", "optim", "nesterov"]
    assert [v.string_value for v in experiment.hparam_infos[1].domain_discrete.values] == ["adam", "sgd"]
    assert [m.name.tag for m in experiment.metric_infos] == ["hp/accuracy"]
    assert "_hparams_/session_end_info" in content


def test_default_log_dir_is_runs_date_time_hostname_comment(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    writer = SummaryWriter(comment="_lr0.1")
    writer.close()
    folder, made, rest = split_log_dir(writer.get_logdir())
    assert folder == "runs" and os.path.isdir(writer.log_dir)
    assert abs((datetime.now() - made.replace(year=datetime.now().year)).total_seconds()) < 120
    assert rest == socket.gethostname() + "_lr0.1"


def test_flush_close_reopen_and_purge_step(tmp_path):
    writer = SummaryWriter(tmp_path, purge_step=10, filename_suffix=".gg")
    writer.add_scalar("x", 1.0, 10)
    writer.flush()
    assert [e.value for e in read(tmp_path).Scalars("x")] == [1.0]  # on disk before close
    writer.close()
    writer.close()  # a second close does nothing
    writer.add_scalar("x", 2.0, 11)  # reopens a new file
    writer.close()
    files = sorted(p.name for p in tmp_path.iterdir())
    assert len(files) == 2 and all(name.endswith(".gg") for name in files)
    assert [(e.step, e.value) for e in read(tmp_path).Scalars("x")] == [(10, 1.0), (11, 2.0)]


def test_missing_tensorboard_names_the_extra(monkeypatch):
    for name in [m for m in sys.modules if m.startswith("glassgrad.utils.tensorboard")]:
        monkeypatch.delitem(sys.modules, name)
    monkeypatch.setitem(sys.modules, "tensorboard", None)  # import tensorboard now raises ImportError
    with pytest.raises(ImportError, match=r"pip install glassgrad\[tensorboard\]"):
        importlib.import_module("glassgrad.utils.tensorboard")


@pytest.mark.torch_live  # compares files torch's own writer writes
def test_files_match_torchs_writer(tmp_path, monkeypatch, torch, rng):
    from torch.utils.tensorboard import SummaryWriter as TorchWriter

    monkeypatch.chdir(tmp_path)
    values, image = rng.standard_normal(300), rng.random((3, 4, 5))
    hparams, metrics = {"lr": 0.01, "optim": "sgd", "layers": 3}, {"hp/loss": 0.5}
    folders = {}
    for name, writer_class in (("ours", SummaryWriter), ("torch", TorchWriter)):
        with writer_class(comment=f"_{name}") as writer:
            folders[name] = writer.log_dir
            writer.add_scalar("s", 0.3, 1)
            writer.add_scalars("group", {"a": 1.0, "b": 2.0}, 1)
            writer.add_histogram("h", values, 2)
            writer.add_histogram("h_fd", values, 2, bins="fd", max_bins=7)
            writer.add_image("img", image, 3)
            writer.add_images("imgs", np.stack([image] * 9), 3)
            writer.add_text("t", "hello", 4)
            writer.add_hparams(hparams, metrics, run_name="hp")
    (ours_folder, ours_time, ours_rest), (torch_folder, torch_time, torch_rest) = map(split_log_dir, folders.values())
    assert ours_folder == torch_folder and abs((ours_time - torch_time).total_seconds()) <= 5
    assert ours_rest.removesuffix("_ours") == torch_rest.removesuffix("_torch")
    for sub in ("", "group_a", "group_b", "hp"):
        ours, theirs = read(os.path.join(folders["ours"], sub)), read(os.path.join(folders["torch"], sub))
        assert ours.Tags() == theirs.Tags()
        for tag in ours.Tags()["scalars"]:
            assert [(e.step, e.value) for e in ours.Scalars(tag)] == [(e.step, e.value) for e in theirs.Scalars(tag)]
        for tag in ours.Tags()["histograms"]:
            assert ours.Histograms(tag)[0].histogram_value == theirs.Histograms(tag)[0].histogram_value
        for tag in ours.Tags()["images"]:
            np.testing.assert_array_equal(pixels(ours.Images(tag)[0]), pixels(theirs.Images(tag)[0]))
        for tag in ours.Tags()["tensors"]:
            assert ours.Tensors(tag)[0].tensor_proto == theirs.Tensors(tag)[0].tensor_proto
        if sub == "hp":
            from tensorboard.plugins.hparams.plugin_data_pb2 import HParamsPluginData

            ours_content, theirs_content = ours.PluginTagToContent("hparams"), theirs.PluginTagToContent("hparams")
            assert ours_content.keys() == theirs_content.keys()
            for key in ours_content:  # (parsed: a protobuf map's bytes come in no fixed order)
                parse = HParamsPluginData.FromString
                assert parse(ours_content[key]) == parse(theirs_content[key])
