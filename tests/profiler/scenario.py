"""The deterministic parts of ``paddle.profiler``, run unchanged under real Paddle 2.6 and under
paddlefish: ``run(paddle, profiler, workdir)`` returns a JSON-able dict of what happened."""

import contextlib
import io
import os
import re
import socket
import warnings

MAKE_ARGS = [
    {"closed": 1, "ready": 1, "record": 2, "repeat": 1},
    {"closed": 0, "ready": 1, "record": 3},
    {"closed": 2, "ready": 0, "record": 1, "repeat": 2, "skip_first": 3},
    {"closed": 0, "ready": 0, "record": 1},
    {"closed": 1, "ready": 2, "record": 3, "repeat": 0, "skip_first": 1},
    {"closed": 3, "ready": 1, "record": 1, "repeat": 3},
]
TUPLES = [(0, 3), (1, 4), (3, 10), (2, 3), [5, 6], (-2, 2)]
BAD_MAKE = [
    {"closed": -1, "ready": 1, "record": 1},
    {"closed": 1, "ready": -1, "record": 1},
    {"closed": 1, "ready": 1, "record": 0},
    {"closed": 1, "ready": 1, "record": 1, "repeat": -1},
    {"closed": 1, "ready": 1, "record": 1, "skip_first": -2},
]
BAD_TUPLES = [(3, 1), (2, 2), (1, 2, 3)]


def _norm(text):
    """Numbers -> N and runs of blanks -> one space: the structure of a timing line."""
    return re.sub(r"[ \t]+", " ", re.sub(r"\d+\.\d+|\binf\b", "N", text)).strip()


def _drive(profiler, scheduler, steps, stop_early=False):
    """Per step: (step_num, state); and the step_num/state at each on_trace_ready call."""
    calls = []
    p = profiler.Profiler(
        scheduler=scheduler,
        on_trace_ready=lambda prof: calls.append([prof.step_num, prof.current_state.name]),
    )
    seen = []
    p.start()
    seen.append([p.step_num, p.current_state.name])
    for _ in range(steps):
        p.step()
        seen.append([p.step_num, p.current_state.name])
    p.stop()
    return {"states": seen, "calls": calls}


def _error(fn):
    try:
        fn()
    except Exception as e:  # noqa: BLE001 - the type is what is compared
        return type(e).__name__
    return None


def run(paddle, profiler, workdir):
    out = {}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        out["make"] = [[profiler.make_scheduler(**a)(i).name for i in range(30)] for a in MAKE_ARGS]
        out["drive_make"] = [_drive(profiler, profiler.make_scheduler(**a), 14) for a in MAKE_ARGS]
        out["drive_tuple"] = [_drive(profiler, t, 12) for t in TUPLES]
        # stop() while a period is still recording hands it to on_trace_ready
        out["drive_cut"] = _drive(profiler, (2, 8), 5)
        out["drive_default"] = _drive(profiler, None, 3)
        out["bad_make"] = [_error(lambda a=a: profiler.make_scheduler(**a)) for a in BAD_MAKE]
        out["bad_positional"] = _error(lambda: profiler.make_scheduler(1, 1, 1))
        out["bad_tuple"] = [
            _error(lambda t=t: profiler.Profiler(scheduler=t, on_trace_ready=print))
            for t in BAD_TUPLES
        ]
        blocker = os.path.join(workdir, "a_file")
        open(blocker, "w").close()
        out["bad_dir"] = _error(lambda: profiler.export_chrome_tracing(os.path.join(blocker, "x")))
    with warnings.catch_warnings(record=True) as w:
        warnings.simplefilter("always")
        p = profiler.Profiler(
            targets=[profiler.ProfilerTarget.CPU, profiler.ProfilerTarget.XPU],
            on_trace_ready=print,
        )
        out["target_warnings"] = [str(x.message) for x in w]
        out["targets"] = sorted(t.name for t in p.targets)
        del p  # Paddle keeps one native profiler: the next Profiler needs this one gone
    out["enums"] = {
        e.__name__: [[m.name, m.value] for m in e]
        for e in (
            profiler.ProfilerState,
            profiler.ProfilerTarget,
            profiler.SortedKeys,
            profiler.SummaryView,
        )
    }

    # exported file names: default worker name and a given one
    host, pid = socket.gethostname(), str(os.getpid())
    names = []
    for worker in (None, "trainer0"):
        d = os.path.join(workdir, f"log_{worker}")
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            with profiler.Profiler(
                scheduler=(1, 3), on_trace_ready=profiler.export_chrome_tracing(d, worker)
            ) as p:
                for _ in range(4):
                    with profiler.RecordEvent("my_block"):
                        x = paddle.ones([4, 4])
                        paddle.matmul(x, x).sum()
                    p.step()
        del p  # see above: one live Profiler at a time in Paddle
        for f in sorted(os.listdir(d)):
            f = f.replace(host, "HOST").replace(pid, "PID")
            names.append(re.sub(r"\d{4}(_\d{2}){5}_\d{6}", "TIME", f))
    out["export_names"] = names

    # the benchmark line and the stop() table of timer_only
    lines = {}
    buf = io.StringIO()
    with contextlib.redirect_stdout(buf):
        p = profiler.Profiler(timer_only=True)
        p.start()
        for i in range(15):
            sum(range(2000))
            p.step(num_samples=4)
            if i in (0, 7):
                lines[f"samples_{i}"] = p.step_info(unit="images")
        lines["default_unit"] = p.step_info()
        p.stop()
        del p
        q = profiler.Profiler(timer_only=True)
        q.start()
        for _ in range(12):
            sum(range(2000))
            q.step()
        lines["steps"] = q.step_info()
        q.stop()
    # with a DataLoader the line and the table gain reader_cost
    buf_reader = io.StringIO()
    with contextlib.redirect_stdout(buf_reader):
        data = paddle.arange(64, dtype="float32").reshape([32, 2])
        loader = paddle.io.DataLoader(paddle.io.TensorDataset([data]), batch_size=2)
        p = profiler.Profiler(timer_only=True)
        p.start()
        for i, (xb,) in enumerate(loader()):
            sum(range(2000))
            p.step(num_samples=int(xb.shape[0]))
            if i == 12:
                lines["reader"] = p.step_info(unit="rows")
        p.stop()
        del p
    out["reader_summary"] = [_norm(x) for x in buf_reader.getvalue().splitlines() if x.strip()]
    out["step_info"] = {k: _norm(v) for k, v in lines.items()}
    out["perf_summary"] = [_norm(x) for x in buf.getvalue().splitlines() if x.strip()]
    return out
