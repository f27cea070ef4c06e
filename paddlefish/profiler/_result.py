"""``ProfilerResult``: the events of one recorded period, and its chrome-tracing JSON codec.

NOTE [chrome trace layout]: the file is Paddle 2.6's ``*.paddle_trace.json`` layout: a top-level
object with ``displayTimeUnit``/``schemaVersion``/``span_indx``/``traceEvents``/``ExtraInfo``;
each event is ``ph: "X"`` with ``ts``/``dur`` in microseconds, ``cat`` the event type's name, and
the duration appended to the name (``"my_block[993.262 us]"``) as Paddle's chrometracing logger
writes it; thread names and sort indices are ``ph: "M"`` events. One difference: ``tid`` is an
integer (Paddle writes strings such as ``"25391(Python)"``, which Perfetto does not group well);
the thread's name is in its ``thread_name`` event, and the loader takes names from there. chrome://tracing and Perfetto
load it; ``load_profiler_result`` reads it back (also the files real Paddle writes) by taking
the ``[...]`` suffix off again.
"""

from __future__ import annotations

import dataclasses
import json
import os
import re

from .._core.fs import atomic_write
from ._enums import TracerEventType

__all__ = ["Event", "ProfilerResult", "load_profiler_result"]

_SUFFIX = re.compile(r"^(.*)\[[^\[\]]*\]$", re.DOTALL)


@dataclasses.dataclass
class Event:
    """One traced time range; times in nanoseconds since the epoch."""

    name: str
    type: TracerEventType
    start_ns: int
    end_ns: int
    thread: str
    device: str = "CPU"
    input_shapes: list | None = None
    flops: int = 0

    @property
    def duration_ns(self) -> int:
        return self.end_ns - self.start_ns


def _fmt_duration(ns: float) -> str:
    for unit, scale in (("s", 1e9), ("ms", 1e6), ("us", 1e3)):
        if ns >= scale:
            return f"{ns / scale:.3f} {unit}"
    return f"{ns:.3f} ns"


class ProfilerResult:
    """What a ``Profiler`` recorded in one period: ``events`` (a list of ``Event``) and
    ``extra_info`` (thread names, CPU utilisation). ``save(path, "json")`` writes a chrome trace.

    >>> import tempfile, os
    >>> from paddlefish.profiler._result import Event, ProfilerResult
    >>> from paddlefish.profiler import TracerEventType, load_profiler_result
    >>> r = ProfilerResult([Event("step", TracerEventType.UserDefined, 1000, 5000, "1")])
    >>> path = os.path.join(tempfile.mkdtemp(), "t.json")
    >>> r.save(path)
    >>> [(e.name, e.duration_ns) for e in load_profiler_result(path).events]
    [('step', 4000)]
    """

    def __init__(self, events: list[Event], extra_info: dict | None = None) -> None:
        self.events = sorted(events, key=lambda e: (e.start_ns, -e.end_ns))
        self.extra_info = dict(extra_info or {})

    def get_data(self) -> dict[str, list[Event]]:
        """Events by thread (Paddle returns a tree of nodes per thread; here a flat list)."""
        out: dict[str, list[Event]] = {}
        for e in self.events:
            out.setdefault(e.thread, []).append(e)
        return out

    def get_extra_info(self) -> dict:
        return dict(self.extra_info)

    def get_span_indx(self) -> int:
        return 0

    def save(self, path: str, format: str = "json") -> None:
        """Write the result to ``path``: ``"json"`` (chrome tracing); ``"pb"`` is refused."""
        if format == "pb":
            raise NotImplementedError(
                f"ProfilerResult.save({path!r}, 'pb'): Paddle's protobuf trace format is not "
                "supported by paddlefish; use format='json' (chrome tracing, loadable by "
                "chrome://tracing, Perfetto and paddle.profiler.load_profiler_result)."
            )
        if format != "json":
            raise ValueError(
                f"ProfilerResult.save({path!r}, {format!r}): format must be 'json' (chrome "
                "tracing) or 'pb' (not supported by paddlefish)."
            )
        data = json.dumps(self.to_chrome(), separators=(",", ":")).encode()
        with atomic_write(os.fspath(path)) as f:
            f.write(data)

    def to_chrome(self) -> dict:
        """The chrome-tracing object (see NOTE [chrome trace layout])."""
        pid = int(self.extra_info.get("pid", os.getpid()))
        t0 = min((e.start_ns for e in self.events), default=0)
        tids = _numeric_tids(sorted({e.thread for e in self.events}))
        trace = [self._chrome_event(e, pid, tids[e.thread], t0) for e in self.events]
        trace.append(
            {"name": "process_name", "pid": pid, "ph": "M", "args": {"name": f"Process {pid}"}}
        )
        for i, (thread, tid) in enumerate(tids.items()):
            for name, args in (
                ("thread_name", {"name": thread}),
                ("thread_sort_index", {"sort_index": i}),
            ):
                trace.append({"name": name, "pid": pid, "tid": tid, "ph": "M", "args": args})
        extra = {k: str(v) for k, v in self.extra_info.items()}
        return {
            "displayTimeUnit": "ms",
            "schemaVersion": "1.0.2",
            "span_indx": "0",
            "traceEvents": trace,
            "ExtraInfo": extra,
        }

    @staticmethod
    def _chrome_event(e: Event, pid: int, tid: int, t0: int) -> dict:
        args = {
            "start_time": f"{(e.start_ns - t0) / 1e3:.3f} us",
            "end_time": f"{(e.end_ns - t0) / 1e3:.3f} us",
        }
        if e.input_shapes is not None:
            args["input_shapes"] = e.input_shapes
        if e.flops:
            args["flops"] = e.flops
        return {
            "name": f"{e.name}[{_fmt_duration(e.duration_ns)}]",
            "pid": pid,
            "tid": tid,
            "ts": round(e.start_ns / 1e3, 3),
            "dur": round(e.duration_ns / 1e3, 3),
            "ph": "X",
            "cat": e.type.name,
            "cname": "thread_state_runnable",
            "args": args,
        }


def _numeric_tids(threads: list[str]) -> dict[str, int]:
    """Integer ``tid``s (Perfetto wants numbers): a numeric thread keeps its number, others
    (``GPU:0``) get one past the largest; ``thread_name`` metadata carries the names."""
    numeric = {t: int(t) for t in threads if t.isdigit()}
    nxt = max(numeric.values(), default=0) + 1
    for t in threads:
        if t not in numeric:
            numeric[t], nxt = nxt, nxt + 1
    return numeric


def _event_from_chrome(ev: dict, names: dict) -> Event:
    m = _SUFFIX.match(ev["name"])
    name = m.group(1) if m else ev["name"]
    kind = TracerEventType.__members__.get(ev.get("cat", ""), TracerEventType.UserDefined)
    start = round(float(ev["ts"]) * 1e3)
    args = ev.get("args") or {}
    return Event(
        name=name,
        type=kind,
        start_ns=start,
        end_ns=start + round(float(ev.get("dur", 0)) * 1e3),
        thread=names.get(ev.get("tid"), str(ev.get("tid", ""))),
        device="GPU"
        if kind in (TracerEventType.Kernel, TracerEventType.Memcpy, TracerEventType.Memset)
        else "CPU",
        input_shapes=args.get("input_shapes") or None,
        flops=int(args.get("flops", 0) or 0),
    )


def load_profiler_result(filename: str) -> ProfilerResult:
    """Read a chrome-tracing JSON written by ``Profiler.export`` (paddlefish or real Paddle)
    back into a ``ProfilerResult``. Paddle's protobuf (``.pb``) dumps are not supported.

    >>> import paddlefish.profiler as profiler, tempfile, os
    >>> with profiler.Profiler(on_trace_ready=lambda prof: None) as prof:
    ...     with profiler.RecordEvent("load_me"):
    ...         pass
    >>> path = os.path.join(tempfile.mkdtemp(), "trace.json")
    >>> prof.export(path, format="json")
    >>> "load_me" in {e.name for e in profiler.load_profiler_result(path).events}
    True
    """
    filename = os.fspath(filename)
    with open(filename, "rb") as f:
        head = f.read()
    if not head.lstrip()[:1] == b"{":
        raise NotImplementedError(
            f"load_profiler_result({filename!r}): the file is not a chrome-tracing JSON; "
            "Paddle's protobuf (.pb) profiler dumps are not supported by paddlefish. Export "
            "with Profiler.export(path, format='json') or export_chrome_tracing(dir) instead."
        )
    try:
        data = json.loads(head)
        raw = data["traceEvents"]
    except (ValueError, KeyError, TypeError) as e:
        raise ValueError(
            f"load_profiler_result({filename!r}): not a chrome trace (expected a JSON object "
            f"with a 'traceEvents' list): {e}"
        ) from e
    raw = [ev for ev in raw if isinstance(ev, dict)]
    names = {  # tid -> thread name from the metadata events
        ev.get("tid"): str(ev["args"]["name"])
        for ev in raw
        if ev.get("ph") == "M" and ev.get("name") == "thread_name" and "name" in ev.get("args", {})
    }
    events = [_event_from_chrome(ev, names) for ev in raw if ev.get("ph") == "X"]
    extra = data.get("ExtraInfo") or {}
    return ProfilerResult(events, extra if isinstance(extra, dict) else {})
