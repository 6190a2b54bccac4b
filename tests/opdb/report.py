"""Count the op database outcomes per family (no torch needed): the table of docs/pytorch.md.

    python -m tests.opdb.report             # print the table, the wrong entries, the commonest gaps
    python -m tests.opdb.report --docs      # also write the table into docs/pytorch.md
    python -m tests.opdb.report --update    # also rewrite tests/opdb/expected_passing_*.txt
    python -m tests.opdb.report --list      # also every entry not passing, with its family and first reason
"""

from __future__ import annotations

import argparse
import re
import sys
from collections import Counter
from pathlib import Path
from typing import Any

import glassgrad
from tests.opdb import fixtures
from tests.opdb.expectations import write_expected_passing
from tests.opdb.families import FAMILIES, family
from tests.opdb.judge import Verdict, judge_op, overall

DOCS = Path(__file__).resolve().parents[2] / "docs" / "pytorch.md"
START, END = "<!-- op database table: start -->", "<!-- op database table: end -->"


def judge_all(kind: str) -> dict[str, tuple[str, list[Verdict]]]:
    """key -> (outcome, verdicts) for every in-scope entry of ops.json / modules.json."""
    index = fixtures.read_index(kind)
    judged = {}
    for key, entry in sorted(index.items()):
        if entry["out_of_scope"] is None:
            record, store = fixtures.read_samples(kind, key)
            if kind == "ops":
                verdicts = judge_op(glassgrad, entry, record, store)
            else:
                from tests.opdb.judge_modules import judge_module
                verdicts = judge_module(glassgrad, entry, record, store)
            judged[key] = (overall(verdicts), verdicts)
    return judged


def table(ops: dict[str, tuple[str, list[Verdict]]], modules: dict[str, tuple[str, list[Verdict]]]) -> str:
    """The markdown table: per family, the entries of torch's database and what they give on glassgrad."""
    index = fixtures.read_index("ops")
    rows: dict[str, Counter[str]] = {name: Counter() for name in (*FAMILIES, "modules")}
    for key, entry in index.items():
        row = rows[family(entry["name"], entry["opinfo_class"], entry["defined_in"])]
        row["total"] += 1
        row[ops[key][0] if key in ops else "out of scope"] += 1
    for key in fixtures.read_index("modules"):
        rows["modules"]["total"] += 1
        rows["modules"][modules[key][0] if key in modules else "out of scope"] += 1
    lines = ["| Family | in torch's database | out of scope | pass every sample | unsupported | wrong |",
             "|---|---:|---:|---:|---:|---:|"]
    totals: Counter[str] = Counter()
    for name, row in rows.items():
        totals.update(row)
        lines.append(_row(name, row))
    lines.append(_row("**all**", totals))
    return "\n".join(lines)


def _row(name: str, row: Counter[str]) -> str:
    in_scope = row["total"] - row["out of scope"]
    share = f" ({100 * row['pass'] / in_scope:.0f}%)" if in_scope else ""
    return (f"| {name} | {row['total']} | {row['out of scope']} | {row['pass']}{share} | {row['unsupported']} "
            f"| {row['wrong']} |")


def gaps(judged: dict[str, tuple[str, list[Verdict]]]) -> tuple[Counter[str], Counter[str]]:
    """(glassgrad names that do not exist, by how many entries need them; errors of the rest, by kind)."""
    missing: Counter[str] = Counter()
    refused: Counter[str] = Counter()
    for outcome, verdicts in judged.values():
        if outcome != "unsupported":
            continue
        details = {v.detail for v in verdicts if v.verdict == "unsupported"}
        names = {m.group(1) for d in details if (m := re.search(r"(\S+) does not exist", d))}
        missing.update(names)
        if not names:
            refused.update({d.split(":")[0] for d in details})
    return missing, refused


def write_docs(text: str) -> None:
    docs = DOCS.read_text()
    if START not in docs:
        raise SystemExit(f"{DOCS} has no {START} marker")
    before, rest = docs.split(START)
    _, after = rest.split(END)
    DOCS.write_text(f"{before}{START}\n{text}\n{END}{after}")


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--docs", action="store_true", help="write the table into docs/pytorch.md")
    parser.add_argument("--update", action="store_true", help="rewrite tests/opdb/expected_passing_*.txt")
    parser.add_argument("--list", action="store_true", help="list every entry not passing, with its first reason")
    options = parser.parse_args(argv)
    ops, modules = judge_all("ops"), judge_all("modules")
    text = table(ops, modules)
    print(text)
    for kind, judged in (("ops", ops), ("modules", modules)):
        for key, (outcome, verdicts) in judged.items():
            if outcome == "wrong":
                first = next(v for v in verdicts if v.verdict == "wrong")
                print(f"WRONG {key}: {first.where}: {first.detail}")
        if options.list:
            _list_failing(kind, judged)
        missing, refused = gaps(judged)
        print(f"\n{kind}: commonest missing names: {_common(missing)}")
        print(f"{kind}: commonest refusals: {_common(refused)}")
        if options.update:
            write_expected_passing(kind, {key for key, (outcome, _) in judged.items() if outcome == "pass"})
    if options.docs:
        write_docs(text)
    return 0


def _list_failing(kind: str, judged: dict[str, tuple[str, list[Verdict]]]) -> None:
    index = fixtures.read_index(kind)
    for key, (outcome, verdicts) in sorted(judged.items(), key=lambda item: (_family_of(kind, index[item[0]]),
                                                                             item[0])):
        if outcome != "pass":
            first = next(v for v in verdicts if v.verdict == outcome)
            print(f"{_family_of(kind, index[key])} | {key} | {outcome} | {first.where}: {first.detail}")


def _family_of(kind: str, entry: dict[str, Any]) -> str:
    return "modules" if kind == "modules" else family(entry["name"], entry["opinfo_class"], entry["defined_in"])


def _common(counts: Counter[Any]) -> str:
    return ", ".join(f"{name} ({count})" for name, count in counts.most_common(25))


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
