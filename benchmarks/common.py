"""Timing harness shared by the benchmarks: thread pinning, warm-up, medians, ratios.

Import this module FIRST in a benchmark, before NumPy or torch: it pins the
BLAS thread pools to ``GLASSGRAD_BENCH_THREADS`` (default 2, a laptop's cores)
by setting ``OMP_NUM_THREADS`` / ``OPENBLAS_NUM_THREADS`` / ``MKL_NUM_THREADS``
(OpenBLAS reads them once, when NumPy loads it, so they must be set before the
import). When ``threadpoolctl`` is installed the limit is also applied at run
time (``limit_threads``), which works even if NumPy was imported earlier.
torch gets ``torch.set_num_threads`` with the same number.

Method: every contender runs once to warm up, then the contenders ALTERNATE
(A B A B ...) so slow drifts in machine load hit both alike; a ~0.2 s pause
before each timed block lets the other library's spinning BLAS threads go
idle; the result is the median of the repeats, and ratios are medians'
ratios. ``OPENBLAS_CORETYPE`` (if set) forces OpenBLAS's kernel choice and is
printed, since it changes float32 GEMM speed substantially.
"""

from __future__ import annotations

import os

THREADS = int(os.environ.get("GLASSGRAD_BENCH_THREADS", "2"))
for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ[_var] = str(THREADS)

import platform  # noqa: E402
import statistics  # noqa: E402
import sys  # noqa: E402
import time  # noqa: E402
from collections.abc import Callable  # noqa: E402
from pathlib import Path  # noqa: E402
from typing import Any  # noqa: E402

REPO = Path(__file__).resolve().parents[1]
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

PAUSE = 0.2


def limit_threads() -> str:
    """Apply the thread limit with threadpoolctl when available; describe what is in force."""
    try:
        from threadpoolctl import threadpool_info, threadpool_limits
    except ImportError:
        return f"{THREADS} BLAS threads via environment variables (threadpoolctl not installed)"
    threadpool_limits(THREADS)
    pools = ", ".join(f"{p.get('internal_api')} {p.get('num_threads')} threads ({p.get('architecture', '?')})"
                      for p in threadpool_info())
    return f"threadpoolctl: {pools}"


def torch_threads(torch: Any) -> None:
    torch.set_num_threads(THREADS)


def describe_machine(torch: Any = None) -> str:
    """A few lines: CPU, Python, NumPy/BLAS, torch, threads, OPENBLAS_CORETYPE."""
    import numpy as np

    lines = [f"machine: {platform.machine()} {platform.processor() or ''} {os.cpu_count()} logical CPUs; "
             f"Python {platform.python_version()}; NumPy {np.__version__}",
             f"threads: {limit_threads()}",
             f"OPENBLAS_CORETYPE: {os.environ.get('OPENBLAS_CORETYPE', 'not set (OpenBLAS auto-detects the core)')}"]
    try:
        config = np.show_config(mode="dicts")
        blas = config.get("Build Dependencies", {}).get("blas", {})
        lines.append(f"NumPy BLAS: {blas.get('name', '?')} {blas.get('version', '')}")
    except (TypeError, AttributeError):  # older NumPy: no mode="dicts"
        pass
    if torch is not None:
        lines.append(f"torch {torch.__version__}, {torch.get_num_threads()} threads")
    try:
        lines.append(f"load average: {os.getloadavg()[0]:.2f} (1 min)")
    except OSError:
        pass
    return "\n".join(lines)


def time_once(fn: Callable[[], Any], pause: float = PAUSE) -> float:
    """Seconds for one call of ``fn``, after a short pause."""
    time.sleep(pause)
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


def alternate(contenders: dict[str, Callable[[], Any]], repeats: int = 3, warmup: int = 1,
              pause: float = PAUSE, log: bool = True) -> dict[str, list[float]]:
    """Warm each contender up, then time them in turn ``repeats`` times; seconds per call."""
    for name, fn in contenders.items():
        for _ in range(warmup):
            fn()
        if log:
            print(f"  warmed up {name}", file=sys.stderr, flush=True)
    times: dict[str, list[float]] = {name: [] for name in contenders}
    for r in range(repeats):
        order = list(contenders) if r % 2 == 0 else list(reversed(contenders))
        for name in order:
            times[name].append(time_once(contenders[name], pause))
        if log:
            print("  round " + str(r + 1) + ": " + ", ".join(f"{n} {times[n][-1]:.3f}s" for n in contenders),
                  file=sys.stderr, flush=True)
    return times


def repeated(fn: Callable[[], Any], calls: int) -> Callable[[], None]:
    """A block of ``calls`` calls of ``fn``: one timed unit of ``alternate`` / ``alternate_cpu``."""
    def block() -> None:
        for _ in range(calls):
            fn()

    return block


def alternate_cpu(contenders: dict[str, Callable[[], Any]], rounds: int) -> dict[str, list[float]]:
    """Each contender once to warm up, then ``rounds`` rounds in alternating order; CPU seconds per call of
    each (``time.process_time``: on a machine shared with other jobs a block's wall time counts the time
    others ran, its CPU time only this process's)."""
    for fn in contenders.values():
        fn()
    times: dict[str, list[float]] = {name: [] for name in contenders}
    for r in range(rounds):
        for name in list(contenders) if r % 2 == 0 else list(reversed(contenders)):
            start = time.process_time()
            contenders[name]()
            times[name].append(time.process_time() - start)
    return times


def median(values: list[float]) -> float:
    return statistics.median(values)


def ratio_line(label: str, times: dict[str, list[float]], numerator: str, denominator: str, unit: str = "s") -> str:
    """'label: A 1.234 s, B 0.987 s, A/B 1.25' from the medians."""
    a, b = median(times[numerator]), median(times[denominator])
    spread = ", ".join(f"{n} [{min(v):.3f}-{max(v):.3f}]" for n, v in times.items())
    return (f"{label}: {numerator} {a:.3f} {unit}, {denominator} {b:.3f} {unit}, "
            f"ratio {numerator}/{denominator} = {a / b:.2f}  (range {spread})")


def round_ratios(times: dict[str, list[float]], numerator: str = "glassgrad",
                 denominator: str = "torch") -> list[float]:
    """The ratio of each alternating round (the two contenders timed back to back)."""
    return [a / b for a, b in zip(times[numerator], times[denominator])]


def result_line(name: str, ratios: list[float]) -> str:
    """The machine-readable summary ``benchmarks/run_all.py`` collects:
    'RESULT | name | median ratio | min-max over rounds'."""
    return f"RESULT | {name} | {median(ratios):.2f} | {min(ratios):.2f}-{max(ratios):.2f}"


def glassgrad_trainer(model: Any, init_state: dict, x: Any, y: Any, batch_size: int) -> Callable[[], float]:
    """A closure that trains ``model`` (started from ``init_state``) for one epoch with
    ``glassgrad.train.fit``, Adam(lr 1e-3) and cross-entropy, and returns the last loss."""
    import numpy as np

    import glassgrad as gg
    from glassgrad import nn, optim
    from glassgrad.train import fit

    gg.manual_seed(0)
    model.load_state_dict(init_state)
    opt = optim.Adam(model.parameters(), lr=1e-3)
    loss_fn = nn.CrossEntropyLoss()
    rng = np.random.default_rng(0)

    def epoch() -> float:
        history = fit(model, x, y, loss_fn=loss_fn, optimizer=opt, epochs=1, batch_size=batch_size,
                      metrics=(), rng=rng, verbose=False)
        return history["loss"][-1]

    return epoch


def time_token_steps(step: Callable[[Any, Any], Any], rng: Any, steps: int, pause: float, vocab: int,
                     shape: tuple[int, int]) -> list[float]:
    """Seconds of each of ``steps`` calls ``step(x, y)`` on fresh random token batches of ``shape``
    (x and y drawn from ``vocab``; the drawing is not timed), after ``pause`` seconds of rest so
    that the other library's BLAS threads have stopped spinning."""
    time.sleep(pause)
    times = []
    for _ in range(steps):
        x = rng.integers(0, vocab, shape)
        y = rng.integers(0, vocab, shape)
        start = time.perf_counter()
        step(x, y)
        times.append(time.perf_counter() - start)
    return times
