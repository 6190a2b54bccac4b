"""Containers and reshape layers against torch: Sequential (indexing, slicing, editing, OrderedDict names),
ModuleList (editing, compact repr), ModuleDict, ParameterList/Dict (registration, state_dict keys), and
Identity, Flatten, Unflatten, Bilinear (values and gradients)."""

from __future__ import annotations

from collections import OrderedDict

import numpy as np
import pytest

import glassgrad as gg
from glassgrad import nn
from tests.helpers.oracle import compare_with_torch


def _names(module):
    return list(module.state_dict())


def test_sequential_indexing_and_editing_match_torch(torch):
    for tnn in (nn, torch.nn):
        seq = tnn.Sequential(tnn.Linear(2, 3), tnn.ReLU(), tnn.Linear(3, 4), tnn.Tanh())
        assert len(seq) == 4 and isinstance(seq[-2], tnn.Linear)
        head = seq[1:3]
        assert isinstance(head, tnn.Sequential) and _names(head) == ["2.weight", "2.bias"]  # slices keep names
        assert [m._get_name() for m in seq] == ["Linear", "ReLU", "Linear", "Tanh"]
        seq.append(tnn.Sigmoid())
        seq.insert(0, tnn.Identity())
        seq.extend([tnn.ReLU()])
        del seq[1]
        assert [m._get_name() for m in seq] == ["Identity", "ReLU", "Linear", "Tanh", "Sigmoid", "ReLU"]
        assert _names(seq) == ["2.weight", "2.bias"]  # renumbered after the deletion
        seq[1] = tnn.ELU()
        assert seq[1]._get_name() == "ELU"
        popped = seq.pop(-1)
        assert popped._get_name() == "ReLU" and len(seq) == 5
        with pytest.raises(IndexError, match="index 9 is out of range"):
            seq[9]  # noqa: B018


def test_sequential_from_ordered_dict_and_forward(torch):
    ours = nn.Sequential(OrderedDict([("fc", nn.Linear(3, 2)), ("act", nn.Tanh())]))
    theirs = torch.nn.Sequential(OrderedDict([("fc", torch.nn.Linear(3, 2)), ("act", torch.nn.Tanh())])).double()
    ours.double().load_state_dict(theirs.state_dict())
    assert _names(ours) == list(theirs.state_dict()) == ["fc.weight", "fc.bias"]
    assert ours.fc is ours[0] and repr(ours) == repr(theirs)
    x = np.random.default_rng(0).normal(size=(4, 3))
    np.testing.assert_allclose(ours(gg.tensor(x)).numpy(), theirs(torch.tensor(x)).detach().numpy(), rtol=1e-12)
    assert len(ours + nn.Sequential(nn.ReLU())) == 3
    with pytest.raises(TypeError, match="not a Module"):
        nn.Sequential(nn.ReLU(), "relu")


def test_module_list_matches_torch(torch):
    for tnn in (nn, torch.nn):
        layers = tnn.ModuleList([tnn.Linear(2, 2) for _ in range(3)])
        layers.append(tnn.ReLU())
        layers += [tnn.Tanh()]
        layers.insert(1, tnn.Sigmoid())
        assert len(layers) == 6 and layers[1]._get_name() == "Sigmoid"
        assert isinstance(layers[2:4], tnn.ModuleList) and len(layers[2:4]) == 2
        del layers[1]
        assert [n for n, _ in layers.named_parameters()] == ["0.weight", "0.bias", "1.weight", "1.bias", "2.weight",
                                                             "2.bias"]
        with pytest.raises(NotImplementedError):
            layers(gg.zeros(2) if tnn is nn else torch.zeros(2))
    same = nn.ModuleList([nn.Linear(2, 2) for _ in range(3)] + [nn.ReLU(), nn.Linear(2, 2)])
    same_t = torch.nn.ModuleList([torch.nn.Linear(2, 2) for _ in range(3)] + [torch.nn.ReLU(), torch.nn.Linear(2, 2)])
    assert repr(same) == repr(same_t)  # "(0-2): 3 x Linear(...)"
    with pytest.raises(TypeError, match="iterable"):
        nn.ModuleList().extend(nn.ReLU())


def test_module_dict_matches_torch(torch):
    for tnn in (nn, torch.nn):
        heads = tnn.ModuleDict({"cls": tnn.Linear(4, 3), "box": tnn.Linear(4, 2)})
        heads.update([("extra", tnn.ReLU())])
        heads["cls"] = tnn.Linear(4, 5)
        assert list(heads) == ["cls", "box", "extra"] and "box" in heads and len(heads) == 3
        assert [k for k, _ in heads.items()] == list(heads.keys())
        assert heads.pop("extra")._get_name() == "ReLU"
        del heads["box"]
        assert _names(heads) == ["cls.weight", "cls.bias"]
        heads.clear()
        assert len(heads) == 0


def test_parameter_list_and_dict_match_torch(torch):
    for lib, tnn in ((gg, nn), (torch, torch.nn)):
        plist = tnn.ParameterList([tnn.Parameter(lib.zeros(2, 3)), lib.ones(3)])  # a plain tensor is wrapped
        plist.append(lib.zeros(1))
        assert isinstance(plist[1], tnn.Parameter) and plist[1].requires_grad and len(plist) == 3
        assert _names(plist) == ["0", "1", "2"] and len(list(plist.parameters())) == 3
        assert len(plist[1:]) == 2 and [tuple(p.shape) for p in plist] == [(2, 3), (3,), (1,)]
        pdict = tnn.ParameterDict({"scale": lib.ones(2)})
        pdict["shift"] = tnn.Parameter(lib.zeros(2))
        pdict.update({"bias": lib.zeros(1)})
        assert isinstance(pdict["scale"], tnn.Parameter) and list(pdict) == ["scale", "shift", "bias"]
        assert _names(pdict) == ["scale", "shift", "bias"]
        assert pdict.pop("shift") is not None and "shift" not in pdict and len(pdict) == 2
        with pytest.raises(KeyError, match="already exists"):
            pdict["keys"] = lib.zeros(1)  # a method's name
    model = nn.Module()
    model.gains = nn.ParameterList([gg.ones(2)])
    opt = gg.optim.SGD(model.parameters(), lr=0.5)
    (model.gains[0] * 3).sum().backward()
    opt.step()
    np.testing.assert_allclose(model.gains[0].numpy(), [-0.5, -0.5])


def test_identity_flatten_unflatten_match_torch(torch):
    x = np.random.default_rng(1).normal(size=(2, 3, 4, 5))
    cases = [(nn.Identity(54, unused=True), torch.nn.Identity(54, unused=True)),
             (nn.Flatten(), torch.nn.Flatten()), (nn.Flatten(0, 2), torch.nn.Flatten(0, 2)),
             (nn.Unflatten(2, (2, 2)), torch.nn.Unflatten(2, (2, 2))),
             (nn.Unflatten(-1, (5, -1)), torch.nn.Unflatten(-1, (5, -1)))]
    for ours, theirs in cases:
        assert repr(ours) == repr(theirs)
        compare_with_torch(ours, theirs, [x], torch)
    with pytest.raises(RuntimeError, match="Unflatten"):
        nn.Unflatten(1, (2, 2))(gg.zeros(2, 3))


@pytest.mark.parametrize("bias", [True, False])
def test_bilinear_matches_torch(torch, bias):
    ours, theirs = nn.Bilinear(3, 4, 5, bias=bias, dtype=np.float64), torch.nn.Bilinear(3, 4, 5, bias=bias).double()
    assert repr(ours) == repr(theirs) and _names(ours) == list(theirs.state_dict())
    ours.load_state_dict(theirs.state_dict())
    r = np.random.default_rng(2)
    x1, x2, dout = r.normal(size=(2, 3)), r.normal(size=(2, 4)), r.normal(size=(2, 5))
    g1, g2 = gg.tensor(x1, requires_grad=True), gg.tensor(x2, requires_grad=True)
    t1, t2 = torch.tensor(x1, requires_grad=True), torch.tensor(x2, requires_grad=True)
    y_ours, y_theirs = ours(g1, g2), theirs(t1, t2)
    np.testing.assert_allclose(y_ours.numpy(), y_theirs.detach().numpy(), rtol=1e-10)
    (y_ours * gg.tensor(dout)).sum().backward()
    (y_theirs * torch.tensor(dout)).sum().backward()
    pairs = [(g1, t1), (g2, t2)] + list(zip(ours.parameters(), theirs.parameters()))
    for mine, reference in pairs:
        np.testing.assert_allclose(mine.grad.numpy(), reference.grad.numpy(), rtol=1e-10, atol=1e-12)
