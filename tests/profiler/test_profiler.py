"""paddlefish's profiler on its own: what lands in the chrome trace and the summary tables."""

from __future__ import annotations

import doctest
import importlib
import json
import pathlib
import re

import pytest

import paddlefish as paddle
from paddlefish import profiler
from paddlefish.profiler import TracerEventType as T

_MODULES = sorted(p.stem for p in pathlib.Path(profiler.__file__).parent.glob("*.py"))


def _train(p, steps=4, block="user_block"):
    paddle.seed(0)
    net = paddle.nn.Sequential(paddle.nn.Linear(8, 8), paddle.nn.ReLU(), paddle.nn.Linear(8, 4))
    opt = paddle.optimizer.SGD(learning_rate=0.1, parameters=net.parameters())
    for _ in range(steps):
        with profiler.RecordEvent(block):
            loss = net(paddle.randn([2, 8])).mean()
        ev = profiler.RecordEvent("manual_range")
        ev.begin()
        loss.backward()
        ev.end()
        opt.step()
        opt.clear_grad()
        p.step(num_samples=2)


@pytest.fixture(scope="module")
def recorded(tmp_path_factory):
    d = tmp_path_factory.mktemp("trace")
    ready = []

    def on_ready(prof):
        ready.append(prof.step_num)
        prof.export(str(d / "trace.json"), "json")

    with profiler.Profiler(scheduler=(1, 4), on_trace_ready=on_ready, record_shapes=True) as p:
        _train(p, steps=5)
    return p, ready, json.loads((d / "trace.json").read_text())


def _named(trace, name):
    return [
        e
        for e in trace["traceEvents"]
        if e.get("ph") == "X"
        and re.fullmatch(re.escape(name) + r"\[[0-9.]+ (ns|us|ms|s)\]", e["name"])
    ]


def test_trace_is_chrome_json_with_paddles_top_level_keys(recorded):
    _, ready, trace = recorded
    assert ready == [4]
    names = {
        e["tid"]: e["args"]["name"] for e in trace["traceEvents"] if e["name"] == "thread_name"
    }
    assert {e["tid"] for e in trace["traceEvents"] if e["ph"] == "X"} <= set(names)
    assert {"displayTimeUnit", "schemaVersion", "traceEvents", "ExtraInfo"} <= set(trace)
    for e in trace["traceEvents"]:
        assert e["ph"] in ("X", "M") and isinstance(e["pid"], int) and "name" in e
        if e["ph"] == "X":
            assert isinstance(e["tid"], int)  # Perfetto groups threads by numeric tid
            assert isinstance(e["ts"], (int, float)) and e["dur"] >= 0 and e["cat"] in T.__members__


def test_trace_holds_record_events_steps_ops_and_optimizer_steps(recorded):
    _, _, trace = recorded
    blocks = _named(trace, "user_block")
    manual = _named(trace, "manual_range")
    assert len(blocks) == len(manual) == 3  # steps 1, 2, 3 recorded
    assert all(e["cat"] == "PythonUserDefined" and e["dur"] > 0 for e in blocks + manual)
    steps = [e for e in trace["traceEvents"] if e.get("cat") == "ProfileStep"]
    assert sorted(e["name"].split("[")[0] for e in steps) == [
        "ProfileStep#1",
        "ProfileStep#2",
        "ProfileStep#3",
    ]
    opt_steps = _named(trace, "Optimization Step")
    assert len(opt_steps) == 3 and all(e["cat"] == "Optimization" for e in opt_steps)
    # see NOTE [profiler model events]: every Layer call, Tensor.backward
    forward = [e for e in trace["traceEvents"] if e.get("cat") == "Forward"]
    assert sorted({e["name"].split("[")[0] for e in forward}) == ["Linear", "ReLU", "Sequential"]
    assert len(forward) == 3 * 4
    assert len([e for e in trace["traceEvents"] if e.get("cat") == "Backward"]) == 3
    assert len(_named(trace, "Gradient Backward")) == 3
    ops = [e for e in trace["traceEvents"] if e.get("cat") == "Operator"]
    assert any(e["name"].startswith("aten::") for e in ops)
    assert any("input_shapes" in e["args"] for e in ops)  # record_shapes=True
    # every user block lies inside one ProfileStep
    for b in blocks:
        assert any(
            s["ts"] <= b["ts"] and b["ts"] + b["dur"] <= s["ts"] + s["dur"] + 1e-3 for s in steps
        )


def test_result_round_trips_through_load_profiler_result(recorded, tmp_path):
    p, _, _ = recorded
    path = tmp_path / "again.json"
    p.export(str(path))
    back = profiler.load_profiler_result(str(path))
    key = lambda e: (e.name, e.type.name, e.thread, e.start_ns)
    a, b = sorted(back.events, key=key), sorted(p.profiler_result.events, key=key)
    assert [key(e)[:3] for e in a] == [key(e)[:3] for e in b] and len(a) > 20
    # ts is in microseconds since the epoch: a float64 keeps it to ~0.25 us
    assert all(abs(x.start_ns - y.start_ns) < 1000 for x, y in zip(a, b))
    assert all(abs(x.duration_ns - y.duration_ns) <= 1 for x, y in zip(a, b))


def test_summary_tables(recorded, capsys):
    p, _, _ = recorded
    p.summary()
    out = capsys.readouterr().out
    for title in (
        "Device Summary",
        "Overview Summary",
        "Model Summary",
        "Operator Summary",
        "UserDefined Summary",
    ):
        assert title in out
    assert "Time unit: ms" in out
    row = next(line for line in out.splitlines() if line.startswith("user_block "))
    cells = re.split(r"\s{2,}", row.strip())
    assert cells[1] == "3"
    total, avg, mx, mn, _ = (float(x) for x in cells[2].split(" / "))
    assert total > 0 and mn <= avg <= mx and abs(total - 3 * avg) < 0.02
    model = out[out.index("Model Summary") : out.index("Operator Summary")]
    for kind in ("Forward", "Backward", "Optimization"):  # one per recorded step each
        row = next(x for x in model.splitlines() if x.strip().startswith(kind + " "))
        assert re.split(r"\s{2,}", row.strip())[1] == "3", row


def test_summary_views_units_sorting_and_threads(recorded, capsys):
    p, _, _ = recorded
    p.summary(views=profiler.SummaryView.UDFView, time_unit="us")
    out = capsys.readouterr().out
    assert "UserDefined Summary" in out and "Operator Summary" not in out
    assert "Time unit: us" in out
    p.summary(
        views=[profiler.SummaryView.OperatorView],
        sorted_by=profiler.SortedKeys.CPUMax,
        op_detail=False,
        thread_sep=True,
    )
    out = capsys.readouterr().out
    rows = [line for line in out.splitlines() if line.startswith("aten::")]
    maxes = [float(re.split(r"\s{2,}", r)[2].split(" / ")[2]) for r in rows]
    assert rows and maxes == sorted(maxes, reverse=True)
    assert "Thread: " in out and "All threads merged" not in out
    with pytest.raises(ValueError, match="time_unit"):
        p.summary(time_unit="minutes")
    with pytest.raises(TypeError, match="SummaryView"):
        p.summary(views=["op"])


def test_protobuf_is_refused_clearly(recorded, tmp_path):
    p, _, _ = recorded
    with pytest.raises(NotImplementedError, match="format='json'"):
        p.export(str(tmp_path / "x.pb"), "pb")
    with pytest.raises(NotImplementedError, match="export_chrome_tracing"):
        profiler.export_protobuf(str(tmp_path))
    pb = tmp_path / "x.paddle_trace.pb"
    pb.write_bytes(b"\x0a\x03abc")
    with pytest.raises(NotImplementedError, match="protobuf"):
        profiler.load_profiler_result(str(pb))
    with pytest.raises(ValueError, match="format must be"):
        p.export(str(tmp_path / "x"), "xml")


def test_record_event_outside_a_profiler_is_a_no_op():
    @profiler.RecordEvent("decorated")
    def f(x):
        return x * 2

    assert f(paddle.ones([2])).tolist() == [2.0, 2.0]
    with profiler.RecordEvent("plain") as ev:
        assert ev.event is None


def test_timer_only_records_no_trace(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    called = []
    p = profiler.Profiler(timer_only=True, on_trace_ready=called.append)
    p.start()
    for _ in range(3):
        p.step(num_samples=4)
    line = p.step_info("images")
    p.stop()
    assert re.fullmatch(r" batch_cost: \d+\.\d{5} s ips: \d+\.\d{3} images/s", line)
    assert p.profiler_result is None and called == []


def test_default_on_trace_ready_writes_to_profiler_log(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    with profiler.Profiler(scheduler=(0, 1)) as p:
        for _ in range(2):
            paddle.ones([2]).sum()
            p.step()
    files = list((tmp_path / "profiler_log").iterdir())
    assert len(files) == 1 and files[0].name.endswith(".paddle_trace.json")
    assert json.loads(files[0].read_text())["traceEvents"]


def test_with_flops_prints_the_flops_section(tmp_path, capsys):
    with profiler.Profiler(with_flops=True, on_trace_ready=lambda p: None) as p:
        paddle.matmul(paddle.ones([16, 16]), paddle.ones([16, 16]))
    p.summary(views=profiler.SummaryView.OverView)
    out = capsys.readouterr().out
    assert "Flops Profiler Begin" in out
    assert re.search(r"aten::mm\s+8192", out)  # 2 * 16**3


def test_reached_as_paddle_profiler():
    assert paddle.profiler is profiler
    with pytest.raises(AttributeError, match="profiler"):
        profiler.no_such_name  # noqa: B018


@pytest.mark.parametrize("name", _MODULES)
def test_docstring_examples_run(name, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)  # Profiler() makes ./profiler_log, as Paddle's
    suffix = "" if name == "__init__" else "." + name
    module = importlib.import_module("paddlefish.profiler" + suffix)
    result = doctest.testmod(module, optionflags=doctest.ELLIPSIS)
    assert result.failed == 0, result


def test_data_loader_batches_are_dataloader_events():
    ds = paddle.io.TensorDataset([paddle.arange(16, dtype="float32").reshape([8, 2])])
    loader = paddle.io.DataLoader(ds, batch_size=2)
    with profiler.Profiler(on_trace_ready=lambda p: None) as p:
        rows = [b[0][:, 0].tolist() for b in loader]
        first = next(iter(loader()))  # an abandoned pass
    assert rows == [[0.0, 2.0], [4.0, 6.0], [8.0, 10.0], [12.0, 14.0]]
    assert first[0].shape == [2, 2]
    events = [e for e in p.profiler_result.events if e.type == T.Dataloader]
    assert {e.name for e in events} == {"_DataLoaderIterSingleProcess"}
    assert len(events) >= 5 and all(e.duration_ns > 0 for e in events)
