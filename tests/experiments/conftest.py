"""Every experiment test runs with its own empty data root and cache, so that none reads the real data
sets (the user's ~/.cache, $GLASSGRAD_DATA, Debian's Fashion-MNIST folder) and none touches the network:
the smoke configs use ``--dataset synthetic``. A test that wants files puts them under ``tmp_path`` itself."""

import pytest

from glassgrad.data import mnist as data_mnist


@pytest.fixture(autouse=True)
def isolated_data_root(tmp_path, monkeypatch):
    monkeypatch.setenv("GLASSGRAD_CACHE", str(tmp_path / "cache"))
    monkeypatch.delenv("GLASSGRAD_DATA", raising=False)
    monkeypatch.setitem(data_mnist.SYSTEM_DIRS, "fashion-mnist", ())
    monkeypatch.setenv("MPLBACKEND", "Agg")


@pytest.fixture(scope="session")
def smoke_record(tmp_path_factory):
    """``smoke_record(name)``: the results.json record of ``glassgrad run NAME --smoke`` (run through the
    command line once per test session, with an empty data root and cache; later calls reuse it)."""
    import json

    from glassgrad import cli

    records: dict = {}

    def run(name: str) -> dict:
        if name not in records:
            out = tmp_path_factory.mktemp("smoke") / name
            with pytest.MonkeyPatch.context() as patch:
                patch.setenv("GLASSGRAD_CACHE", str(out.parent / "cache"))
                patch.delenv("GLASSGRAD_DATA", raising=False)
                patch.setitem(data_mnist.SYSTEM_DIRS, "fashion-mnist", ())
                code = cli.main(["run", name, "--smoke", "--out", str(out)])
            assert code == 0, f"glassgrad run {name} --smoke exited with {code}"
            records[name] = {**json.loads((out / "results.json").read_text()), "out": out}
        return records[name]

    return run
