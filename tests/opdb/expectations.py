"""What the op database tests expect, so that the counts cannot silently regress.

* ``expected_passing_ops.txt`` / ``expected_passing_modules.txt``: the OpInfos / ModuleInfos that pass
  every sample. One of them that stops passing fails its test; one that starts passing is listed at
  the end of the run, to be added with ``python -m tests.opdb.report --update``.
* ``KNOWN_WRONG``: entries that give a wrong answer today, each with its reason. Their tests are strict
  xfails: they fail until the op is fixed, then the entry must go from this list.
"""

from __future__ import annotations

from pathlib import Path

HERE = Path(__file__).resolve().parent

KNOWN_WRONG: dict[str, str] = {
    "nn.functional.max_pool2d": "int64 input with padding: OverflowError (the -inf padding cannot become an "
                                "integer; torch pads with the dtype's lowest value)",
    "nn.functional.max_pool3d": "int64 input with padding: OverflowError (the -inf padding cannot become an "
                                "integer; torch pads with the dtype's lowest value)",
    "as_strided_scatter": "torch's gradient is the wrong one: its backward misplaces the input's gradient "
                          "(torch.autograd.gradcheck fails on torch's own as_strided_scatter); glassgrad's "
                          "passes finite differences (tests/ops/test_view_scatter.py)",
}


def expected_file(kind: str) -> Path:
    return HERE / f"expected_passing_{kind}.txt"


def expected_passing(kind: str) -> set[str]:
    path = expected_file(kind)
    if not path.exists():
        return set()
    return {line.strip() for line in path.read_text().splitlines() if line.strip() and not line.startswith("#")}


def write_expected_passing(kind: str, keys: set[str]) -> None:
    header = (f"# {kind} of torch's database that pass every recorded sample on glassgrad (tests/opdb).\n"
              "# Regenerate with: python -m tests.opdb.report --update\n")
    expected_file(kind).write_text(header + "".join(f"{key}\n" for key in sorted(keys)))
