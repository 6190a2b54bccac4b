"""The profiler's text table: one row per event (or average), torch's columns.

    Name | Self CPU % | Self CPU | CPU total % | CPU total | CPU time avg | [CPU Mem] | # of Calls | [Input Shapes]

Percentages are of the whole recording's self time (the sum of every event's self time), so the
Self CPU % column adds up to 100 over all rows.
"""

from __future__ import annotations

from typing import Any


def format_time(us: float) -> str:
    """Microseconds, printed in the unit that reads best: '812.000us', '3.104ms', '1.250s'."""
    if us >= 1e6:
        return f"{us / 1e6:.3f}s"
    if us >= 1e3:
        return f"{us / 1e3:.3f}ms"
    return f"{us:.3f}us"


def format_memory(nbytes: float) -> str:
    for unit, size in (("Gb", 1 << 30), ("Mb", 1 << 20), ("Kb", 1 << 10)):
        if abs(nbytes) >= size:
            return f"{nbytes / size:.2f} {unit}"
    return f"{int(nbytes)} b"


def format_table(rows: list[Any], self_total: int, name_width: int = 55, header: str | None = None) -> str:
    with_memory = any(getattr(r, "cpu_memory_usage", 0) for r in rows)
    with_shapes = any(getattr(r, "input_shapes", None) for r in rows)
    width = max([len("Name")] + [min(len(r.key), name_width) for r in rows])
    titles = ["Self CPU %", "Self CPU", "CPU total %", "CPU total", "CPU time avg"]
    titles += ["CPU Mem"] if with_memory else []
    titles += ["# of Calls"]
    titles += ["Input Shapes"] if with_shapes else []
    line = "-" * width + "  " + "  ".join("-" * 12 for _ in titles)
    lines = [header] if header else []
    lines += [line, "Name".rjust(width) + "  " + "  ".join(t.rjust(12) for t in titles), line]
    total = max(self_total, 1)
    for r in rows:
        name = r.key if len(r.key) <= name_width else r.key[:name_width - 3] + "..."
        cells = [f"{100 * r.self_cpu_time_total / total:.2f}%", format_time(r.self_cpu_time_total),
                 f"{100 * r.cpu_time_total / total:.2f}%", format_time(r.cpu_time_total),
                 format_time(r.cpu_time_total / max(r.count, 1))]
        cells += [format_memory(r.cpu_memory_usage)] if with_memory else []
        cells += [str(r.count)]
        cells += [str(r.input_shapes)] if with_shapes else []
        lines.append(name.rjust(width) + "  " + "  ".join(c.rjust(12) for c in cells))
    lines += [line, f"Self CPU time total: {format_time(self_total)}", ""]
    return "\n".join(lines)
