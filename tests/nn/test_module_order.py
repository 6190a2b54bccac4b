"""Re-assigning an existing child, parameter or buffer keeps its place in the module's registries,
as torch's ordered dicts do: ``model.fc = nn.Linear(...)`` then ``list(model.children())[:-1]``
drops ``fc``, the layer a program meant to drop."""

from __future__ import annotations

import glassgrad as gg


def _net(m):
    class Net(m.nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.features = m.nn.Linear(4, 3)
            self.fc = m.nn.Linear(3, 2)
            self.act = m.nn.ReLU()
            self.scale = m.nn.Parameter(m.ones(1))
            self.shift = m.nn.Parameter(m.zeros(1))
            self.register_buffer("mean", m.zeros(1))
            self.register_buffer("count", m.zeros(1), persistent=False)

    return Net()


def _reassign(m, net) -> None:
    net.fc = m.nn.Linear(3, 5)  # transfer learning: a new head in the old head's place
    net.scale = m.nn.Parameter(m.full((1,), 2.0))
    net.mean = m.ones(1)
    net.features = None  # a child set to None keeps its slot too


def _names(net) -> dict[str, list[str]]:
    return {
        "children": [name for name, _ in net.named_children()],
        "modules": [name for name, _ in net.named_modules()],
        "parameters": [name for name, _ in net.named_parameters()],
        "buffers": [name for name, _ in net.named_buffers()],
        "state_dict": list(net.state_dict().keys()),
    }


def test_reassignment_keeps_registry_order_as_in_torch(torch) -> None:
    ours, theirs = _net(gg), _net(torch)
    _reassign(gg, ours)
    _reassign(torch, theirs)
    assert _names(ours) == _names(theirs)


def test_dropping_the_last_child_drops_the_reassigned_head(torch) -> None:
    for m in (gg, torch):
        net = m.nn.Sequential(m.nn.Linear(4, 3), m.nn.ReLU(), m.nn.Linear(3, 2))
        backbone = _net(m)
        backbone.fc = m.nn.Linear(3, 9)  # re-assigned in place: still second, act still last
        body = m.nn.Sequential(*list(backbone.children())[:-1])
        assert [c._get_name() for c in body] == ["Linear", "Linear"]
        net[2] = m.nn.Linear(3, 7)
        assert [c._get_name() for c in net] == ["Linear", "ReLU", "Linear"]
        assert tuple(net(m.ones(1, 4)).shape) == (1, 7)


def test_a_parameter_replacing_a_buffer_moves_registries_as_in_torch(torch) -> None:
    ours, theirs = _net(gg), _net(torch)
    for m, net in ((gg, ours), (torch, theirs)):
        net.mean = m.nn.Parameter(m.ones(1))  # a buffer's name given a Parameter: now a parameter
    assert _names(ours) == _names(theirs)
