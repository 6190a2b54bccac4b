"""The experiment registry: every module in the folder is an experiment or is refused by name; helpers
live in subpackages or underscore modules; the command line gives every boolean field a --no-FIELD flag."""

from __future__ import annotations

import dataclasses
import sys

import pytest

import glassgrad_experiments as experiments
from glassgrad_experiments.common import parse_config

GOOD = '''
from dataclasses import dataclass
NAME, DESCRIPTION = "good-one", "a fine experiment"
@dataclass
class Config:
    epochs: int = 1
def smoke():
    return Config()
def run(cfg, out_dir):
    return {}
'''


def make_package(root, name, modules):
    folder = root / name
    folder.mkdir()
    (folder / "__init__.py").write_text("")
    for module, source in modules.items():
        path = folder / f"{module}.py" if "/" not in module else folder / module
        path.parent.mkdir(exist_ok=True)
        path.write_text(source)
    return folder


@pytest.fixture
def package_root(tmp_path, monkeypatch):
    monkeypatch.syspath_prepend(str(tmp_path))
    yield tmp_path
    for name in [m for m in sys.modules if m.startswith(("fake_experiments", "broken_experiments"))]:
        del sys.modules[name]


def test_helpers_in_subpackages_or_underscore_modules_are_not_experiments(package_root):
    folder = make_package(package_root, "fake_experiments", {
        "good": GOOD, "_helper": "VALUE = 1\n", "shared/__init__.py": "", "shared/models.py": "X = 2\n"})
    found = experiments.discover(folder, "fake_experiments")
    assert list(found) == ["good-one"] and found["good-one"].__name__ == "fake_experiments.good"


def test_a_module_without_the_required_attributes_is_refused_by_name(package_root):
    folder = make_package(package_root, "broken_experiments", {
        "good": GOOD, "plotting": "def plot():\n    pass\n"})
    with pytest.raises(experiments.NotAnExperimentError, match=r"plotting\.py is not an experiment: it lacks NAME, "
                                                                r"DESCRIPTION, Config, smoke, run"):
        experiments.discover(folder, "broken_experiments")


def test_the_real_folder_holds_only_experiments():
    found = experiments.discover()
    assert "demo" in found and "mnist-mlp" in found
    for module in found.values():
        assert all(hasattr(module, attr) for attr in experiments.REQUIRED)


def test_boolean_fields_get_a_no_flag_and_data_fields_parse():
    module = experiments.find("mnist-mlp")
    cfg, _, _ = parse_config(module, ["--no-download", "--data-dir", "/data/here", "--dataset", "fashion"])
    assert (cfg.download, cfg.data_dir, cfg.dataset) == (False, "/data/here", "fashion")
    cfg, _, _ = parse_config(module, ["--download", "off"])
    assert cfg.download is False
    assert dataclasses.replace(module.Config()).download is True


def test_one_name_for_generated_data_everywhere():
    """Every experiment that reads a data set takes --dataset synthetic, and its smoke run uses it."""
    for name, module in experiments.discover().items():
        fields = {f.name for f in dataclasses.fields(module.Config)}
        assert "synthetic" not in fields and not any(f.startswith("smoke_") for f in fields), name
        if "data_dir" in fields:
            assert "dataset" in fields, name
            assert module.smoke().dataset == "synthetic", name
