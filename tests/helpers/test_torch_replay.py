"""The recorded torch oracle itself, without torch: the codec round-trips what torch answers,
a replay gives back what the recording saw, and a test that asks something else is told so."""

from __future__ import annotations

import math
import types
from collections import OrderedDict

import numpy as np
import pytest

from tests.helpers.oracle_codec import ArrayStore, decode, encode, same
from tests.helpers.torch_proxy import OracleMismatch, Session
from tests.ops.strategies import Case


@pytest.mark.parametrize("value", [
    None, True, 3, -2.5, math.inf, "text", b"\x00\xff", 1 + 2j, Ellipsis, slice(1, None, 2),
    (1, (2.0, "x")), [1, [2, 3]], {"a": 1, 2: (3,)}, OrderedDict(b=1, a=2), np.float32(1.5), np.dtype("int16"),
    np.arange(6, dtype=np.int32).reshape(2, 3), np.zeros((0, 3)), np.array([True, False]),
    Case((np.ones(2), np.zeros((1, 2))), {"index": (slice(None), np.array([0, -1])), "axis": None}),
])
def test_codec_round_trips_plain_values(value):
    store = ArrayStore()
    encoded = encode(value, store)
    store.flush()
    back = decode(encoded, store)
    assert same(dict(value) if isinstance(value, OrderedDict) else value, back)


def test_codec_refuses_what_it_cannot_store():
    with pytest.raises(TypeError):
        encode(object(), ArrayStore())
    with pytest.raises(TypeError):
        encode(np.array([object()]), ArrayStore())


class FakeTensor:
    """A stand-in for a torch tensor: the proxy must not care what it wraps."""

    def __init__(self, values):
        self.values = np.asarray(values, dtype=float)

    def __add__(self, other):
        return FakeTensor(self.values + (other.values if isinstance(other, FakeTensor) else other))

    def sum(self):
        return FakeTensor(self.values.sum())

    def numpy(self):
        return self.values.copy()

    @property
    def shape(self):
        return self.values.shape


FAKE_TORCH = types.SimpleNamespace(tensor=FakeTensor, warn=lambda: None)


def conversation(torch, data):
    """What a test does with torch: build, combine, reduce, look at numbers, iterate, fail."""
    x = torch.tensor(data)
    y = (x + 1.5) + x
    total = float(y.sum().numpy())
    with pytest.raises(AttributeError):
        y.no_such_method()
    return y.numpy(), total, y.shape, [float(v) for v in y.numpy()]


def test_replay_gives_back_what_the_recording_saw():
    data = np.array([1.0, 2.0, 4.0])
    recording = Session("record", "test::fake", real_torch=FAKE_TORCH)
    live = conversation(recording.root, data)
    recording.store.flush()
    replay = Session("replay", "test::fake", {"events": recording.events, "values": {}}, recording.store)
    replayed = conversation(replay.root, data)
    assert same(list(live), list(replayed))
    assert replay.position == len(recording.events)


def test_replay_notices_other_arguments_and_other_calls():
    recording = Session("record", "test::fake", real_torch=FAKE_TORCH)
    conversation(recording.root, np.array([1.0, 2.0]))
    recording.store.flush()
    recorded = {"events": recording.events, "values": {}}
    replay = Session("replay", "test::fake", recorded, recording.store)
    with pytest.raises(OracleMismatch, match="other arguments.*make fixtures"):
        conversation(replay.root, np.array([1.0, 3.0]))
    replay = Session("replay", "test::fake", recorded, recording.store)
    with pytest.raises(OracleMismatch, match="the recording getattr 'tensor'"):
        replay.root.warn()


def test_values_are_made_once_then_read_back():
    recording = Session("record", "test::values", real_torch=FAKE_TORCH)
    cases = recording.value("cases", lambda: [Case((np.ones(2),), {"p": 0.5})])
    recording.store.flush()
    replay = Session("replay", "test::values", {"events": [], "values": recording.values}, recording.store)
    assert same(replay.value("cases", lambda: pytest.fail("a replay must not draw again")), cases)
