"""Which tests can give a different result under ``GLASSGRAD_KERNELS=reference``: the second pass of
``make test`` runs only those.

A test's outcome can depend on the kernel mode only where an op takes a fast kernel in the default
("fast") mode; everywhere else both modes run the same code. So the first pass, in fast mode, records
each test during which a fast path ran (``--record-kernel-tests FILE``), and the reference pass runs
only the recorded tests among those it collects (``--only-kernel-tests FILE``; every test when FILE
does not exist, so the pass stands alone too). The record is made by the same run that precedes the
reference pass, so a new kernel, or a new test that reaches one, is picked up without a list to keep.

What counts as "a fast path ran" (the mode is read only through ``glassgrad.kernels.fast()``):

- any call of ``kernels.fast()`` that returns True, from the ops (conv, pooling, LSTM, GRU, GELU,
  cross-entropy), the optimisers' fused updates, anything new;
- the sums kernel (``kernels/sums.py``) when it serves the array (C-contiguous float arrays of at
  least ``sums.SMALLEST`` elements; smaller ones take ``x.sum`` in both modes);
- the in-place arithmetic kernel (``methods/inplace.py``) when it does the edit;
- not the broadcast kernel (``kernels/broadcast.py``): its view is NumPy's ``broadcast_to`` view made
  directly, equal in shape, strides, dtype, flags and memory (tests/kernels/test_twins.py checks
  each), so no code downstream can tell the two apart. Nearly every backward of a sum or a mean uses
  it: counting it would send 3,300 of the op tests through a second pass that cannot differ.

Work done in a fixture's setup counts for every test that uses the fixture (a module-scoped fixture
set up under one test serves the others)."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

_current: list[str | None] = [None]
_fixture_stack: list[str] = []
_tests: set[str] = set()
_fixtures: set[str] = set()


def _note() -> None:
    if _current[0] is not None:
        _tests.add(_current[0])
    _fixtures.update(_fixture_stack)


def _install() -> None:
    """Wrap the places where a fast path is chosen so that each choice is noted for the running test."""
    from glassgrad import kernels
    from glassgrad.kernels import broadcast, sums
    from glassgrad.methods import inplace

    fast, serves, in_place = kernels.fast, sums._serves, inplace._arithmetic_in_place
    # callers whose fast() is judged more closely below (or, for broadcast, not counted: see above)
    judged = {sums._serves.__code__, broadcast.broadcast_to.__code__, inplace.InPlaceMethods._inplace.__code__}

    def noting_fast() -> bool:
        taken = fast()
        if taken and sys._getframe(1).f_code not in judged:
            _note()
        return taken

    def noting_serves(x):  # noqa: ANN001, ANN202
        served = serves(x)
        if served:
            _note()
        return served

    def noting_in_place(*args, **kwargs):  # noqa: ANN002, ANN003, ANN202
        done = in_place(*args, **kwargs)
        if done:
            _note()
        return done

    kernels.fast, sums._serves, inplace._arithmetic_in_place = noting_fast, noting_serves, noting_in_place


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("glassgrad kernels")
    group.addoption("--record-kernel-tests", metavar="FILE",
                    help="write the ids of the tests during which a fast kernel ran to FILE")
    group.addoption("--only-kernel-tests", metavar="FILE",
                    help="run only the tests listed in FILE (all of them when FILE does not exist)")


def pytest_configure(config: pytest.Config) -> None:
    if config.getoption("record_kernel_tests"):
        _install()


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    listing = config.getoption("only_kernel_tests")
    if not listing or not Path(listing).exists():
        return
    wanted = set(Path(listing).read_text().split("\n"))
    kept = [item for item in items if item.nodeid in wanted]
    config.hook.pytest_deselected(items=[item for item in items if item.nodeid not in wanted])
    items[:] = kept


@pytest.hookimpl(wrapper=True)
def pytest_runtest_protocol(item: pytest.Item, nextitem: pytest.Item | None):
    _current[0] = item.nodeid
    try:
        return (yield)
    finally:
        _current[0] = None
        if _fixtures.intersection(getattr(item, "fixturenames", ())):
            _tests.add(item.nodeid)


@pytest.hookimpl(wrapper=True)
def pytest_fixture_setup(fixturedef: pytest.FixtureDef, request: pytest.FixtureRequest):
    _fixture_stack.append(fixturedef.argname)
    try:
        return (yield)
    finally:
        _fixture_stack.pop()


def pytest_sessionfinish(session: pytest.Session) -> None:
    path = session.config.getoption("record_kernel_tests")
    if path:
        Path(path).parent.mkdir(parents=True, exist_ok=True)
        Path(path).write_text("".join(f"{nodeid}\n" for nodeid in sorted(_tests)))
