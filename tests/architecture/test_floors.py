"""The library's floors: each imports only the floors below it (``tools/import_floors.py`` draws the picture).

Read from the source with ``ast``, deferred imports (inside a function) included: an import run late is
still an arrow, and a lower floor must not point up even then.
"""

import ast
import functools
import importlib.util
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
_spec = importlib.util.spec_from_file_location("import_floors", ROOT / "tools" / "import_floors.py")
floors = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(floors)

ABOVE_THE_ARRAYS = ("glassgrad.ops", "glassgrad.op", "glassgrad.tensor", "glassgrad.nn", "glassgrad.autograd")


@functools.cache
def _all_imports() -> dict[str, list[tuple[str, bool]]]:
    known = floors.module_names(ROOT)
    return {module: floors.imports_of(module, path, known) for module, path in known.items()}


def _imports_under(prefix: str) -> dict[str, list[tuple[str, bool]]]:
    return {module: imported for module, imported in _all_imports().items()
            if module == prefix or module.startswith(prefix + ".")}


def _is_under(module: str, packages: tuple[str, ...]) -> bool:
    return any(module == p or module.startswith(p + ".") for p in packages)


def test_kernels_and_array_helpers_import_no_tensor_no_op_no_module():
    for prefix in ("glassgrad.kernels", "glassgrad.arrays"):
        for module, imported in _imports_under(prefix).items():
            upward = [target for target, _ in imported if _is_under(target, ABOVE_THE_ARRAYS)]
            assert not upward, f"{module} imports {upward}: kernels and array helpers stand below Tensor and the ops"


def test_array_helpers_import_only_the_backend_and_each_other():
    for module, imported in _imports_under("glassgrad.arrays").items():
        others = {t for t, _ in imported if not _is_under(t, ("glassgrad.arrays", "glassgrad.backend"))}
        assert not others, f"{module} imports {sorted(others)}"


def test_the_autograd_floor_imports_nothing_above_it_at_import():
    # grad_mode, graph and engine stand below Tensor and the ops (which import them); the engine reaches
    # Tensor only at call time (engine.tensor_class), the one arrow of the Tensor-autograd circle
    below = ("glassgrad.autograd.grad_mode", "glassgrad.autograd.graph", "glassgrad.autograd.engine",
             "glassgrad.kernels", "glassgrad.backend", "glassgrad.bfloat16_math", "glassgrad.profiler")
    for name in ("grad_mode", "graph", "engine"):
        imported = _imports_under(f"glassgrad.autograd.{name}")[f"glassgrad.autograd.{name}"]
        eager = sorted({t for t, deferred in imported if not deferred and not _is_under(t, below)})
        assert not eager, f"glassgrad.autograd.{name} imports {eager} at import"
        deferred = sorted({t for t, deferred in imported if deferred} - {"glassgrad.tensor"})
        assert not deferred, f"glassgrad.autograd.{name} imports {deferred} inside a function"


def test_no_floor_below_the_tensor_imports_a_higher_floor():
    assert floors.upward(floors.picture(ROOT)) == []


def test_an_arrow_up_is_reported(tmp_path):
    # the check above can fail: a kernel that imports an op is an arrow from floor 3 to the top floor
    package = tmp_path / "glassgrad"
    for folder in ("kernels", "ops"):
        (package / folder).mkdir(parents=True)
        (package / folder / "__init__.py").write_text("")
    (package / "__init__.py").write_text("")
    (package / "kernels" / "conv.py").write_text("def f():\n    from glassgrad.ops import conv\n")
    assert floors.upward(floors.picture(tmp_path)) == [
        "glassgrad.kernels (floor 3) -> [glassgrad.ops] (floor 4)"]


def test_the_library_never_touches_sys_path():
    touching = [str(path.relative_to(ROOT)) for path in sorted((ROOT / "glassgrad").rglob("*.py"))
                if "sys.path" in path.read_text()]
    assert touching == []


def test_no_private_name_is_imported_from_another_package():
    crossing = []
    for module, path in floors.module_names(ROOT).items():
        for node in ast.walk(floors.parsed(path)):
            if not isinstance(node, ast.ImportFrom) or node.level or not (node.module or "").startswith("glassgrad"):
                continue
            private = [a.name for a in node.names if a.name.startswith("_") and not a.name.startswith("__")]
            if private and floors.unit_of(node.module) != floors.unit_of(module):
                crossing.append(f"{module} imports {private} from {node.module}")
    assert crossing == []
