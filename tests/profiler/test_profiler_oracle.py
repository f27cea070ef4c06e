"""paddle.profiler's deterministic behaviour equals real Paddle 2.6's: scheduler state sequences,
the steps that call on_trace_ready, exported file names, the step_info/timer_only lines' structure,
error types for bad arguments, enum values; and paddlefish reads the chrome trace Paddle writes."""

from __future__ import annotations

import json
import os
import pathlib

import pytest
import torch

import paddlefish
from paddlefish import profiler
from tests.oracle import run_paddle
from tests.profiler import scenario

HERE = pathlib.Path(__file__).resolve().parent

ORACLE = """
import json, sys
sys.path.insert(0, {here!r})
import paddle
import paddle.profiler as profiler
import scenario
out = scenario.run(paddle, profiler, {work!r})

# a trace with user ranges and ops, for load_profiler_result
net = paddle.nn.Linear(4, 3)
with profiler.Profiler(scheduler=(1, 3), on_trace_ready=lambda p: None) as p:
    for i in range(4):
        with profiler.RecordEvent("paddle_block"):
            net(paddle.randn([2, 4])).sum().backward()
        p.step()
    p.export({trace!r}, "json")
print(json.dumps(out))
"""


@pytest.fixture(scope="module")
def results(tmp_path_factory):
    work_p = tmp_path_factory.mktemp("p26")
    trace = str(work_p / "paddle_trace.json")
    stdout = run_paddle(
        ORACLE.format(here=str(HERE), work=str(work_p), trace=trace), "2.6", cwd=work_p
    )
    want = json.loads(stdout.strip().splitlines()[-1])
    work_f = tmp_path_factory.mktemp("pf")
    old = os.getcwd()
    os.chdir(work_f)  # Profiler() makes ./profiler_log, as Paddle's does
    try:
        got = scenario.run(paddlefish, profiler, str(work_f))
    finally:
        os.chdir(old)
    return want, got, trace


def test_make_scheduler_state_sequences(results):
    want, got, _ = results
    assert got["make"] == want["make"]


def test_profiler_states_and_on_trace_ready_steps_with_make_scheduler(results):
    want, got, _ = results
    assert got["drive_make"] == want["drive_make"]


def test_profiler_states_and_on_trace_ready_steps_with_tuple_schedulers(results):
    want, got, _ = results
    assert got["drive_tuple"] == want["drive_tuple"]
    assert got["drive_cut"] == want["drive_cut"]
    assert got["drive_default"] == want["drive_default"]
    # the scenario really exercises callbacks
    assert any(d["calls"] for d in want["drive_tuple"])


def test_bad_arguments_raise_what_paddle_raises(results):
    want, got, _ = results
    for key in ("bad_make", "bad_positional", "bad_tuple", "bad_dir"):
        assert got[key] == want[key], key
    assert all(want["bad_make"]) and all(want["bad_tuple"])


def test_bad_arguments_say_what_is_wrong():
    with pytest.raises(AssertionError, match=r"record=0 \(must be > 0\)"):
        profiler.make_scheduler(closed=1, ready=1, record=0)
    with pytest.raises(AssertionError, match=r"end_batch > start_batch"):
        profiler.Profiler(scheduler=(3, 1), on_trace_ready=print)
    with pytest.raises(TypeError, match="SortedKeys"):
        from paddlefish.profiler._result import ProfilerResult
        from paddlefish.profiler._summary import build_table

        build_table(ProfilerResult([]), sorted_by="cpu")


@pytest.mark.skipif(torch.cuda.is_available(), reason="Paddle 2.6 oracle is a CPU build")
def test_unsupported_targets_warn_as_paddle(results):
    want, got, _ = results
    assert got["target_warnings"] == want["target_warnings"]
    assert got["targets"] == want["targets"] == ["CPU"]


def test_enum_members_and_values(results):
    want, got, _ = results
    assert got["enums"] == want["enums"]


def test_exported_file_names(results):
    want, got, _ = results
    assert got["export_names"] == want["export_names"]
    assert want["export_names"] == [
        "host_HOSTpid_PID_time_TIME.paddle_trace.json",
        "trainer0_time_TIME.paddle_trace.json",
    ]


def test_step_info_line_and_perf_summary_structure(results):
    want, got, _ = results
    assert got["step_info"] == want["step_info"]
    assert want["step_info"]["samples_7"] == "batch_cost: N s ips: N images/s"
    assert want["step_info"]["steps"] == "batch_cost: N s ips: N steps/s"
    assert got["perf_summary"] == want["perf_summary"]
    assert any("Perf Summary" in x for x in want["perf_summary"])


def test_reader_cost_from_the_data_loader(results):
    want, got, _ = results
    line = "reader_cost: N s batch_cost: N s ips: N rows/s"
    assert got["step_info"]["reader"] == want["step_info"]["reader"] == line
    assert got["reader_summary"] == want["reader_summary"]
    assert "Reader Ratio: N%" in want["reader_summary"]
    assert "| reader_cost | N | N | N |" in want["reader_summary"]


def test_load_profiler_result_reads_paddles_chrome_trace(results):
    *_, trace = results
    r = profiler.load_profiler_result(trace)
    blocks = [e for e in r.events if e.name == "paddle_block"]
    assert len(blocks) == 2 and all(e.duration_ns > 0 for e in blocks)
    assert all(e.type == profiler.TracerEventType.PythonUserDefined for e in blocks)
    steps = sorted(e.name for e in r.events if e.type == profiler.TracerEventType.ProfileStep)
    assert steps == ["ProfileStep#1", "ProfileStep#2"]
    assert any(e.type == profiler.TracerEventType.Operator for e in r.events)
