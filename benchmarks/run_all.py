"""Run every benchmark, collect their ratios, and print (or write) the speed table.

Each benchmark runs in its own process (the BLAS thread count is fixed when NumPy loads) and
prints machine-readable lines ``RESULT | name | median ratio | min-max over rounds``; this script
gathers them into one Markdown table: glassgrad's time over torch's (below 1: glassgrad is faster), and
tinygrad's time over glassgrad's (above 1: glassgrad is faster) where tinygrad is installed.

The GEMM-heavy benchmarks run twice when ``OPENBLAS_CORETYPE`` is set (these development machines
set it to Haswell; most users' machines do not): once as set, once with OpenBLAS left to detect
the core itself, since the kernel it picks changes float32 GEMM speed.

    python benchmarks/run_all.py [--quick] [--only mlp,cnn,lstm,gpt,user_gpt,tiny,tinygrad,learner,per_op]
                                 [--write-readme]

``--write-readme`` replaces the table between the speed-table markers in README.md.
"""

from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
README = HERE.parent / "README.md"
BEGIN, END = "<!-- speed table: begin (benchmarks/run_all.py --write-readme) -->", "<!-- speed table: end -->"

# name -> (script arguments, quick arguments, threads, GEMM-heavy)
BENCHMARKS = {
    "mlp": (["--batch-sizes", "128", "--datasets", "mnist", "--repeats", "5"],
            ["--batch-sizes", "128", "--datasets", "mnist", "--repeats", "3", "--n-train", "6000"], 2, True),
    "cnn": (["--repeats", "5"], ["--repeats", "3", "--batches", "15", "--layer-repeats", "5"], 2, True),
    "lstm": (["--rounds", "5"], ["--rounds", "3", "--steps", "4"], 2, True),
    "gpt": (["--rounds", "5"], ["--rounds", "3", "--steps", "4"], 2, True),
    "user_gpt": (["--rounds", "5"], ["--rounds", "3", "--steps", "4"], 2, True),
    "user_gpt_vocab": (["--rounds", "5", "--steps", "4", "--vocab", "50304", "--bias"],
                       ["--rounds", "3", "--steps", "2", "--vocab", "50304", "--bias"], 2, True),
    "tiny": (["--rounds", "7"], ["--rounds", "3", "--calls", "500"], 1, False),
    "tinygrad": (["--rounds", "5"], ["--rounds", "3", "--steps", "5"], 2, False),
    "learner": (["--rounds", "5"], ["--rounds", "3", "--pairs", "20000", "--rows", "50000"], 1, False),
    "per_op": (["--rounds", "5"], ["--rounds", "3", "--calls", "1000"], 1, False),
}
# script names where they differ (a script named tinygrad.py would shadow the package)
SCRIPTS = {"tinygrad": "versus_tinygrad", "learner": "learner_code", "user_gpt_vocab": "user_gpt"}
NOT_INSTALLED = 3  # a benchmark's exit status when the library it compares with is missing
RESULT = re.compile(r"^RESULT \| (.+?) \| ([0-9.]+) \| ([0-9.]+-[0-9.]+)\s*$")
PLAIN_RATIO = re.compile(r"ratio glassgrad/torch(?: time)?[:=] *([0-9.]+)")


def run(name: str, quick: bool, coretype: str | None) -> tuple[list[tuple[str, str, str]], str]:
    """Run one benchmark; return its RESULT rows (name, median, range) and its full output."""
    full, short, threads, _ = BENCHMARKS[name]
    env = dict(os.environ, GLASSGRAD_BENCH_THREADS=str(threads))
    if coretype is None:
        env.pop("OPENBLAS_CORETYPE", None)
    else:
        env["OPENBLAS_CORETYPE"] = coretype
    command = [sys.executable, str(HERE / f"{SCRIPTS.get(name, name)}.py"), *(short if quick else full)]
    if name == "lstm":
        command += ["--threads", str(threads)]
    done = subprocess.run(command, capture_output=True, text=True, env=env, check=False)
    output = done.stdout + done.stderr
    rows = [match.groups() for match in map(RESULT.match, done.stdout.splitlines()) if match]
    if not rows and done.returncode == 0:  # a benchmark without RESULT lines: its plain ratio line
        ratios = PLAIN_RATIO.findall(done.stdout)
        if ratios:
            rows = [(f"{name} (median)", ratios[-1], "n/a")]
    if done.returncode == NOT_INSTALLED:
        rows = [(f"{name}: skipped ({done.stdout.strip() or done.stderr.strip()})", "-", "-")]
    elif done.returncode != 0:
        rows = [(f"{name}: FAILED (exit {done.returncode})", "-", "-")]
    return rows, output


def table(rows: list[tuple[str, str, str, str]]) -> str:
    lines = ["| benchmark | OpenBLAS core | time ratio (median) | range over rounds |", "|---|---|---|---|"]
    for name, core, ratio, spread in rows:
        which = "" if " / " in name or ratio == "-" else ": glassgrad / torch"  # tinygrad rows name their ratio
        lines.append(f"| {name}{which} | {core} | {ratio} | {spread} |")
    return "\n".join(lines)


def write_readme(text: str) -> None:
    readme = README.read_text()
    if BEGIN not in readme or END not in readme:
        raise SystemExit(f"README.md has no speed-table markers ({BEGIN!r} ... {END!r})")
    head, rest = readme.split(BEGIN, 1)
    _, tail = rest.split(END, 1)
    README.write_text(f"{head}{BEGIN}\n{text}\n{END}{tail}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer rounds and smaller runs (a smoke test)")
    parser.add_argument("--only", default=",".join(BENCHMARKS), help="comma-separated benchmark names")
    parser.add_argument("--write-readme", action="store_true", help="replace README.md's speed table")
    parser.add_argument("--log", type=Path, default=None, help="also write every benchmark's full output here")
    args = parser.parse_args()
    coretype = os.environ.get("OPENBLAS_CORETYPE")
    rows: list[tuple[str, str, str, str]] = []
    logs = []
    for name in [n for n in args.only.split(",") if n]:
        settings = [coretype] + ([None] if coretype and BENCHMARKS[name][3] else [])
        for core in settings:
            label = core or "auto-detected"
            print(f"running {name} (OpenBLAS core: {label}) ...", file=sys.stderr, flush=True)
            start = time.perf_counter()
            found, output = run(name, args.quick, core)
            logs.append(f"===== {name} (OpenBLAS core: {label}) =====\n{output}")
            print(output, flush=True)
            print(f"  ({time.perf_counter() - start:.0f} s)", file=sys.stderr, flush=True)
            rows += [(row_name, label, ratio, spread) for row_name, ratio, spread in found]
    text = table(rows)
    print("\n" + text)
    if args.log:
        args.log.parent.mkdir(parents=True, exist_ok=True)
        args.log.write_text("\n".join(logs) + "\n\n" + text + "\n")
    if args.write_readme:
        write_readme(text)


if __name__ == "__main__":
    main()
