"""Views share their base's version counter, as torch's do (glassgrad/autograd/views.py).

An in-place edit of a base after a forward that saved one of its views (or of a view after a
forward that saved its base) must be refused at backward exactly where torch refuses it, and
``_version`` must read torch's numbers through the base and every view. Each scenario runs the
same code on glassgrad and on torch (the ``torch`` fixture, recorded), and compares the outcome.
"""

import pytest

import glassgrad as gg

DATA = [[0.5, -1.25, 2.0, 0.75], [1.5, 0.25, -0.5, 3.0], [-2.0, 1.0, 0.125, -0.75]]  # (3, 4)

# torch's view ops (and a few copies as controls: torch does not refuse those), as methods both libraries have
MAKERS = {
    "slice": lambda t: t[1:],
    "int_index": lambda t: t[0],
    "step_and_none": lambda t: t[None, ::2, 1],
    "view": lambda t: t.view(12),
    "view_as": lambda t: t.view_as(t),
    "reshape_as_view": lambda t: t.reshape(4, 3),
    "flatten": lambda t: t.flatten(),
    "unflatten": lambda t: t.unflatten(1, (2, 2)),
    "transpose": lambda t: t.transpose(0, 1),
    "permute": lambda t: t.permute(1, 0),
    "t": lambda t: t.t(),
    "mT": lambda t: t.mT,
    "movedim": lambda t: t.movedim(0, 1),
    "narrow": lambda t: t.narrow(1, 1, 2),
    "select": lambda t: t.select(1, 2),
    "unsqueeze": lambda t: t.unsqueeze(0),
    "squeeze": lambda t: t[None].squeeze(0),
    "expand": lambda t: t[:, :1].expand(3, 5),
    "as_strided": lambda t: t.as_strided((2, 2), (1, 2)),
    "diagonal": lambda t: t.diagonal(),
    "unfold": lambda t: t.unfold(1, 2, 1),
    "split": lambda t: t.split(2, dim=1)[1],
    "chunk": lambda t: t.chunk(3, dim=0)[2],
    "unbind": lambda t: t.unbind(1)[2],
    "real": lambda t: t.real,
    "detach": lambda t: t.detach(),
    "contiguous": lambda t: t.contiguous(),
    # copies
    "clone": lambda t: t.clone(),
    "index_list": lambda t: t[[0, 2]],
    "flip": lambda t: t.flip(0),
    "reshape_copy": lambda t: t.t().reshape(12),
}


def _backward_outcome(out) -> str:
    try:
        out.backward()
    except RuntimeError as err:  # torch words its refusal otherwise for split/chunk/unbind's views
        return "refused" if "modified" in str(err) and "inplace" in str(err) else "other error"
    return "ok"


def _base_edited(lib, make, recorded: bool) -> str:
    """A forward saves the view (v * v); then the base is edited in place."""
    x = lib.tensor(DATA, dtype=lib.float64, requires_grad=True)
    base = x * 1
    view = make(base)
    out = (view * view).sum()
    if recorded:
        base.add_(1)
    else:
        with lib.no_grad():
            base.add_(1)
    return _backward_outcome(out)


def _view_edited(lib, make) -> str:
    """A forward saves the base (b * b); then a view of it is edited in place (grad mode off: torch
    refuses some recorded edits of views, those of multi-output views, for reasons of its own)."""
    x = lib.tensor(DATA, dtype=lib.float64, requires_grad=True)
    base = x * 1
    out = (base * base).sum()
    view = make(base)
    with lib.no_grad():
        view.mul_(2)
    return _backward_outcome(out)


@pytest.mark.parametrize("name", MAKERS)
@pytest.mark.parametrize("recorded", [True, False], ids=["recorded", "no_grad"])
def test_editing_the_base_refuses_a_saved_view_as_torch(torch, name, recorded):
    make = MAKERS[name]
    assert _base_edited(gg, make, recorded) == _base_edited(torch, make, recorded)


# glassgrad's expanded and unfolded views are read-only (torch writes through overlapping memory)
@pytest.mark.parametrize("name", [n for n in MAKERS if n not in ("expand", "unfold")])
def test_editing_a_view_refuses_the_saved_base_as_torch(torch, name):
    make = MAKERS[name]
    assert _view_edited(gg, make) == _view_edited(torch, make)


def test_the_exp_output_edited_through_a_view_is_refused():
    """The brief's case: exp saves its output y; an edit of y[0] changes y."""
    x = gg.tensor([0.5, -1.0, 2.0], requires_grad=True)
    y = x.exp()
    y[0].mul_(2)
    with pytest.raises(RuntimeError, match="modified by an inplace operation"):
        y.sum().backward()


def _versions(lib) -> list[int]:
    """Edits through a base and its views, grad mode off; the versions every alias reads after each."""
    base = lib.zeros(3, 4, dtype=lib.float64)
    views = [base[1:], base.t(), base.view(12), base.select(0, 2), base.unsqueeze(0), base.detach(),
             base.narrow(1, 0, 2), base.diagonal()]
    free = base.clone()  # not a view: its version stays
    seen = []
    for edit in (lambda: base.add_(1), lambda: views[0].mul_(2), lambda: views[1].zero_(),
                 lambda: views[2].fill_(3.0), lambda: views[3].sub_(1), lambda: views[5].add_(1),
                 lambda: views[6].clamp_(0, 1)):
        edit()
        seen.append([int(t._version) for t in [base, *views, free]])
    return seen


def test_versions_through_views_match_torch(torch):
    assert _versions(gg) == _versions(torch)


def test_a_recorded_edit_of_the_base_counts_for_its_views(torch):
    def versions(lib):
        base = lib.tensor(DATA, dtype=lib.float64, requires_grad=True) * 1
        view = base[1:]
        base.mul_(2)
        return [int(base._version), int(view._version)]

    assert versions(gg) == versions(torch)
