"""glassgrad.profiler as torch.profiler: events per op forward and backward, nesting and self
time, record_function, the averages table, the Chrome trace and step schedules."""

from __future__ import annotations

import json
import warnings

import numpy as np
import pytest

import glassgrad as gg
from glassgrad import profiler
from glassgrad.profiler import recording
from glassgrad.profiler.schedule import NO_WARMUP_WARNING


def tiny_step() -> gg.Tensor:
    """relu(x @ w + b).sum() forward and backward: one MatMul, one add, one relu, one sum."""
    rng = np.random.default_rng(0)
    x = gg.tensor(rng.standard_normal((8, 4)))
    w = gg.tensor(rng.standard_normal((4, 3)), requires_grad=True)
    b = gg.tensor(np.zeros(3), requires_grad=True)
    loss = gg.relu(x @ w + b).sum()
    loss.backward()
    return loss


def counts(prof: profiler.profile) -> dict[str, int]:
    return {row.key: row.count for row in prof.key_averages()}


def test_each_op_forward_and_backward_is_one_event():
    with profiler.profile() as prof:
        tiny_step()
        tiny_step()
    seen = counts(prof)
    forward_names = {name for name in seen if not name.endswith("Backward")}
    backward_names = {name for name in seen if name.endswith("Backward")}
    assert len(forward_names) >= 4 and len(backward_names) >= 4
    assert all(seen[name] % 2 == 0 for name in seen)  # two identical steps: every op twice
    assert {name[:-len("Backward")] for name in backward_names} <= forward_names


def test_nothing_is_recorded_outside_a_profile_and_the_switch_is_reset():
    with pytest.raises(ZeroDivisionError), profiler.profile():
        tiny_step()
        raise ZeroDivisionError
    assert recording.active is None
    with profiler.profile() as prof:
        pass
    tiny_step()
    assert len(prof.events()) == 0


def test_record_function_range_holds_its_ops_and_self_time_excludes_them():
    with profiler.profile() as prof:
        with profiler.record_function("my_block"):
            tiny_step()
    (block,) = [e for e in prof.events() if e.name == "my_block"]
    assert block.is_user_annotation and len(block.children) >= 8
    assert all(child.parent is block for child in block.children)
    assert block.self_cpu_time_total == block.cpu_time_total - sum(c.cpu_time_total for c in block.children)
    assert 0 <= block.self_cpu_time_total <= block.cpu_time_total
    total = prof.key_averages().total_average()
    assert total.self_cpu_time_total == prof.events().self_cpu_time_total


def test_record_function_as_decorator_and_outside_a_profile():
    @profiler.record_function("decorated")
    def work() -> gg.Tensor:
        return gg.ones(3) * 2

    assert work().tolist() == [2.0, 2.0, 2.0]  # no profile: runs as is
    with profiler.profile() as prof:
        work()
    assert counts(prof)["decorated"] == 1


def test_shapes_are_recorded_and_grouped():
    with profiler.profile(record_shapes=True) as prof:
        gg.ones(2, 3) @ gg.ones(3, 4)
        gg.ones(5, 3) @ gg.ones(3, 4)
    rows = [r for r in prof.key_averages(group_by_input_shape=True) if r.key == "MatMul"]
    assert sorted(r.input_shapes for r in rows) == [[[2, 3], [3, 4]], [[5, 3], [3, 4]]]
    with pytest.raises(RuntimeError, match="record_shapes"):
        profiler.profile().key_averages(group_by_input_shape=True)


def test_table_sorts_and_limits_rows():
    with profiler.profile() as prof:
        for _ in range(3):
            gg.ones(2) + gg.ones(2)
        gg.ones(2).exp()
    text = prof.key_averages().table(sort_by="count", row_limit=1)
    lines = text.splitlines()
    assert "Self CPU %" in lines[1] and "# of Calls" in lines[1]
    body = [line for line in lines[3:] if line and not line.startswith("-") and "total:" not in line]
    assert len(body) == 1 and body[0].split()[-1] == "3"
    assert "Self CPU time total:" in text
    with pytest.raises(AttributeError, match="no attribute"):
        prof.key_averages().table(sort_by="no_such_column")


def test_profile_memory_adds_the_outputs_bytes():
    with profiler.profile(profile_memory=True) as prof:
        gg.zeros(10, 10, dtype=gg.float64) + 1
    (row,) = [r for r in prof.key_averages() if r.key == "Add"]
    assert row.cpu_memory_usage == 800
    assert "CPU Mem" in prof.key_averages().table()


def test_chrome_trace_is_valid_json_with_one_complete_event_per_range(tmp_path):
    with profiler.profile() as prof:
        tiny_step()
    path = tmp_path / "trace.json"
    prof.export_chrome_trace(str(path))
    trace = json.loads(path.read_text())["traceEvents"]
    assert len(trace) == len(prof.events())
    assert all(e["ph"] == "X" and e["dur"] >= 0 for e in trace)
    assert {e["cat"] for e in trace} == {"cpu_op", "backward"}


def test_schedule_records_only_active_steps_and_saves_each_cycle():
    saved = []
    plan = profiler.schedule(wait=1, warmup=1, active=2, repeat=2)
    assert [plan(s).name for s in range(9)] == ["NONE", "WARMUP", "RECORD", "RECORD_AND_SAVE",
                                                "NONE", "WARMUP", "RECORD", "RECORD_AND_SAVE", "NONE"]
    with profiler.profile(schedule=plan, on_trace_ready=lambda p: saved.append(counts(p))) as prof:
        for _ in range(10):
            gg.ones(2).exp()
            prof.step()
    assert saved == [{"Exp": 2}, {"Exp": 2}]
    with pytest.raises(AssertionError, match="Invalid profiler schedule"):  # torch's error type
        profiler.schedule(wait=0, warmup=0, active=0)
    late = profiler.schedule(wait=5, warmup=1, active=1, skip_first=2, skip_first_wait=1)
    assert [late(s).name for s in range(4)] == ["NONE", "NONE", "WARMUP", "RECORD_AND_SAVE"]


def test_schedule_without_warmup_warns_as_torch_does():
    with pytest.warns(UserWarning, match="won't be using warmup") as caught:
        plan = profiler.schedule(wait=1, warmup=0, active=1)
    assert len(caught) == 1 and caught[0].filename == __file__  # pointed at the caller, as torch's
    assert [plan(s).name for s in range(4)] == ["NONE", "RECORD_AND_SAVE", "NONE", "RECORD_AND_SAVE"]
    with pytest.raises(AssertionError, match="Step must be non-negative"):
        plan(-1)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        profiler.schedule(wait=1, warmup=1, active=1)  # with warmup: silent


@pytest.mark.torch_live
def test_schedule_warning_is_torchs(torch):
    for make in (profiler.schedule, torch.profiler.schedule):
        with pytest.warns(UserWarning) as caught:
            make(wait=0, warmup=0, active=2)
        assert [(w.category, str(w.message)) for w in caught] == [(UserWarning, NO_WARMUP_WARNING)]


def test_tensorboard_trace_handler_writes_one_file_per_cycle(tmp_path):
    with pytest.warns(UserWarning, match="warmup"):
        plan = profiler.schedule(wait=0, warmup=0, active=1, repeat=2)
    handler = profiler.tensorboard_trace_handler(str(tmp_path), worker_name="w")
    with profiler.profile(schedule=plan, on_trace_ready=handler) as prof:
        for _ in range(3):
            gg.ones(2).exp()
            prof.step()
    files = sorted(tmp_path.glob("w.*.pt.trace.json"))
    assert len(files) == 2 and json.loads(files[0].read_text())["traceEvents"][0]["name"] == "Exp"


def test_autograd_profiler_front_end():
    with gg.autograd.profiler.profile() as prof:
        gg.ones(2).exp()
    assert "Exp" in prof.table(sort_by="self_cpu_time_total")
    assert prof.self_cpu_time_total == prof.total_average().self_cpu_time_total
    with gg.autograd.profiler.profile(enabled=False) as off:
        gg.ones(2).exp()
    assert len(off.function_events) == 0
    with gg.autograd.profiler.record_function("x"):
        pass


def test_bad_requests_fail_clearly():
    with pytest.raises(RuntimeError, match="CPU only"):
        profiler.profile(activities=[profiler.ProfilerActivity.CUDA])
    with pytest.raises(TypeError, match="unexpected keyword"):
        profiler.profile(no_such_option=True)
    with profiler.profile(), pytest.raises(RuntimeError, match="already recording"):
        profiler.profile().start()
    assert recording.active is None


def test_torch_names_are_glassgrads():
    assert gg.profiler.profile is profiler.profile
    assert gg.autograd.profiler.record_function is profiler.record_function
