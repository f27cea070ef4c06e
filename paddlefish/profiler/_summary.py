"""``Profiler.summary``: Paddle 2.6's summary tables over a ``ProfilerResult``.

The views and their columns are Paddle's (Device, Overview, Model, Operator, Kernel and
UserDefined summaries; "Total / Avg / Max / Min / Ratio(%)" cells); the operators are torch's
(``aten::addmm`` where Paddle says ``matmul dygraph``). Memory and distributed views print
nothing: their data is not collected.
"""

from __future__ import annotations

import collections
import dataclasses

from ._enums import SortedKeys, SummaryView, TracerEventType
from ._result import Event, ProfilerResult

__all__ = ["build_table"]

_UNITS = {"s": 1e9, "ms": 1e6, "us": 1e3, "ns": 1.0}
_GPU_TYPES = (TracerEventType.Kernel, TracerEventType.Memcpy, TracerEventType.Memset)
_MODEL_TYPES = (TracerEventType.Forward, TracerEventType.Backward, TracerEventType.Optimization)


@dataclasses.dataclass
class _Stat:
    calls: int = 0
    total: float = 0.0
    max: float = 0.0
    min: float = float("inf")
    gpu: float = 0.0
    flops: int = 0

    def add(self, e: Event) -> None:
        d = e.duration_ns
        self.calls += 1
        self.total += d
        self.max = max(self.max, d)
        self.min = min(self.min, d)
        self.flops += e.flops

    @property
    def avg(self) -> float:
        return self.total / self.calls if self.calls else 0.0

    def key(self, sorted_by: SortedKeys) -> float:
        if sorted_by.value >= SortedKeys.GPUTotal.value:
            return self.gpu
        return (self.total, self.avg, self.max, self.min)[sorted_by.value]


def _outermost(events: list[Event]) -> list[Event]:
    """The events not inside another of ``events`` on the same thread (a model's forward, not
    each sublayer's)."""
    out, cover = [], {}
    for e in sorted(events, key=lambda e: (e.start_ns, -e.end_ns)):
        if e.start_ns >= cover.get(e.thread, -1):
            out.append(e)
            cover[e.thread] = e.end_ns
    return out


def _merged_length(intervals: list[tuple[int, int]]) -> int:
    total, end = 0, None
    for s, e in sorted(intervals):
        if end is None or s > end:
            total += e - s
            end = e
        elif e > end:
            total += e - end
            end = e
    return total


def _parents(events: list[Event]) -> dict[int, Event | None]:
    """id(event) -> its direct enclosing event on the same thread."""
    out: dict[int, Event | None] = {}
    stacks: dict[str, list[Event]] = collections.defaultdict(list)
    for e in sorted(events, key=lambda e: (e.start_ns, -e.end_ns)):
        stack = stacks[e.thread]
        while stack and stack[-1].end_ns <= e.start_ns:
            stack.pop()
        out[id(e)] = stack[-1] if stack else None
        stack.append(e)
    return out


class _Table:
    """Paddle's layout: title rule, "Time unit", dashes, header, dashes, rows, dashes."""

    def __init__(self, title: str, headers: list[str], rows: list[list[str]], unit: str | None):
        self.title, self.headers, self.rows, self.unit = title, headers, rows, unit

    def render(self, notes: str = "") -> str:
        widths = [
            max(len(h), *(len(r[i]) for r in self.rows)) + 2 if self.rows else len(h) + 2
            for i, h in enumerate(self.headers)
        ]
        line = "".join("-" * w + "  " for w in widths)
        fmt = lambda cells: "".join(c.ljust(w) + "  " for c, w in zip(cells, widths))
        out = [self.title.center(len(line), "-")]
        if self.unit:
            out.append(f"Time unit: {self.unit}")
        out += [line, fmt(self.headers), line]
        out += [fmt(r) if isinstance(r, list) else r.center(len(line), "-") for r in self.rows]
        out.append(line)
        if notes:
            out.append(notes)
        out.append("-" * len(line))
        return "\n".join(out) + "\n\n"


def _cell(stat: _Stat, scale: float, ref: float, gpu: bool = False) -> str:
    if gpu:
        return (
            "0.00 / 0.00 / 0.00 / 0.00 / 0.00"
            if not stat.gpu
            else (f"{stat.gpu / scale:.2f} / - / - / - / -")
        )
    ratio = stat.total / ref * 100 if ref else 0.0
    mn = stat.min if stat.calls else 0.0
    return (
        f"{stat.total / scale:.2f} / {stat.avg / scale:.2f} / {stat.max / scale:.2f} / "
        f"{mn / scale:.2f} / {ratio:.2f}"
    )


class _Summary:
    def __init__(self, result: ProfilerResult, sorted_by, op_detail, thread_sep, time_unit):
        if time_unit not in _UNITS:
            raise ValueError(
                f"Profiler.summary(time_unit={time_unit!r}): time_unit must be one of "
                f"{sorted(_UNITS)}."
            )
        if not isinstance(sorted_by, SortedKeys):
            raise TypeError(
                f"Profiler.summary(sorted_by={sorted_by!r}): pass a paddle.profiler.SortedKeys "
                "member, e.g. SortedKeys.CPUTotal."
            )
        self.result, self.sorted_by, self.op_detail = result, sorted_by, op_detail
        self.thread_sep, self.unit, self.scale = thread_sep, time_unit, _UNITS[time_unit]
        self.events = result.events
        self.by_type: dict[TracerEventType, list[Event]] = collections.defaultdict(list)
        for e in self.events:
            self.by_type[e.type].append(e)
        steps = self.by_type.get(TracerEventType.ProfileStep, [])
        if steps:
            self.step_total = float(sum(e.duration_ns for e in steps))
        elif self.events:
            self.step_total = float(
                max(e.end_ns for e in self.events) - min(e.start_ns for e in self.events)
            )
        else:
            self.step_total = 0.0

    def _headers(self, first: str) -> list[str]:
        c = "CPU Total / Avg / Max / Min / Ratio(%)"
        return [first, "Calls", c, c.replace("CPU", "GPU")]

    def device(self) -> str:
        rows = [["CPU(Process)", self.result.extra_info.get("Process Cpu Utilization", "0.00")]]
        rows[0][1] = f"{float(rows[0][1]) * 100:.2f}"
        if any(e.device == "GPU" for e in self.events):
            gpu = _merged_length([(e.start_ns, e.end_ns) for e in self.events if e.device == "GPU"])
            rows.append(["GPU", f"{gpu / self.step_total * 100 if self.step_total else 0:.2f}"])
        return _Table("Device Summary", ["Device", "Utilization (%)"], rows, None).render(
            "Note:\nCPU(Process) Utilization = Current process CPU time over all cpu cores / "
            "elapsed time, so max utilization can be reached 100% * number of cpu cores."
        )

    def overview(self) -> str:
        rows = []
        order = sorted(
            (t for t in self.by_type if t not in _GPU_TYPES),
            key=lambda t: (
                t != TracerEventType.ProfileStep,
                -_merged_length([(e.start_ns, e.end_ns) for e in self.by_type[t]]),
            ),
        )
        for t in order:
            evs = self.by_type[t]
            length = _merged_length([(e.start_ns, e.end_ns) for e in evs])
            indent = "" if t == TracerEventType.ProfileStep else "  "
            ratio = length / self.step_total * 100 if self.step_total else 0.0
            rows.append(
                [indent + t.name, str(len(evs)), f"{length / self.scale:.2f}", f"{ratio:.2f}"]
            )
        return _Table(
            "Overview Summary", ["Event Type", "Calls", "CPU Time", "Ratio (%)"], rows, self.unit
        ).render(
            "Note:\nIn this table, We sum up all collected events in terms of event type.\n"
            "Events with different types may overlap or inclusion, e.g. Operator includes "
            "OperatorInner, so the sum of ratios is not 100%."
        )

    def model(self) -> str:
        rows = []
        step = _Stat()
        for e in self.by_type.get(TracerEventType.ProfileStep, []):
            step.add(e)
        ref = step.total or self.step_total
        rows.append(
            [
                "ProfileStep",
                str(step.calls),
                _cell(step, self.scale, ref),
                _cell(step, self.scale, ref, gpu=True),
            ]
        )
        covered = 0.0
        for t in _MODEL_TYPES:
            st = _Stat()
            for e in _outermost(self.by_type.get(t, [])):
                st.add(e)
            covered += _merged_length([(e.start_ns, e.end_ns) for e in self.by_type.get(t, [])])
            rows.append(
                [
                    "  " + t.name,
                    str(st.calls),
                    _cell(st, self.scale, ref),
                    _cell(st, self.scale, ref, gpu=True),
                ]
            )
        others = max(ref - covered, 0.0)
        share = others / ref * 100 if ref else 0.0
        cpu = f"{others / self.scale:.2f} / - / - / - / {share:.2f}"
        rows.append(["  Others", "-", cpu, "0.00 / - / - / - / 0.00"])
        return _Table("Model Summary", self._headers("Name"), rows, self.unit).render()

    def _grouped(self, events: list[Event]) -> dict[str, _Stat]:
        stats: dict[str, _Stat] = collections.defaultdict(_Stat)
        for e in events:
            stats[e.name].add(e)
        return stats

    def _thread_groups(self, events: list[Event]) -> list[tuple[str, list[Event]]]:
        if not self.thread_sep:
            return [("All threads merged", events)]
        by_thread = collections.defaultdict(list)
        for e in events:
            by_thread[e.thread].append(e)
        return [(t, by_thread[t]) for t in sorted(by_thread)]

    def _sorted(self, stats: dict[str, _Stat]) -> list[tuple[str, _Stat]]:
        return sorted(stats.items(), key=lambda kv: -kv[1].key(self.sorted_by))

    def operator(self) -> str:
        ops = self.by_type.get(TracerEventType.Operator, [])
        parents = _parents(self.events) if self.op_detail else {}
        children: dict[str, list[Event]] = collections.defaultdict(list)
        for e in self.by_type.get(TracerEventType.OperatorInner, []):
            p = parents.get(id(e))
            if p is not None and p.type == TracerEventType.Operator:
                children[p.name].append(e)
        rows: list = []
        for thread, evs in self._thread_groups(ops):
            rows.append(f"Thread: {thread}")
            stats = self._grouped(evs)
            ref = sum(s.total for s in stats.values())
            for name, st in self._sorted(stats):
                rows.append(
                    [
                        name,
                        str(st.calls),
                        _cell(st, self.scale, ref),
                        _cell(st, self.scale, ref, gpu=True),
                        str(st.flops),
                    ]
                )
                if self.op_detail:
                    for cname, cst in self._sorted(self._grouped(children.get(name, []))):
                        rows.append(
                            [
                                "  " + cname,
                                str(cst.calls),
                                _cell(cst, self.scale, st.total),
                                _cell(cst, self.scale, st.total, gpu=True),
                                "-",
                            ]
                        )
        headers = self._headers("Name") + ["FLOPs"]
        return _Table("Operator Summary", headers, rows, self.unit).render()

    def _named_view(self, title: str, types: tuple) -> str:
        evs = [e for t in types for e in self.by_type.get(t, [])]
        if not evs:
            return ""
        rows: list = []
        for thread, group in self._thread_groups(evs):
            rows.append(f"Thread: {thread}")
            for name, st in self._sorted(self._grouped(group)):
                rows.append(
                    [
                        name,
                        str(st.calls),
                        _cell(st, self.scale, self.step_total),
                        _cell(st, self.scale, self.step_total, gpu=True),
                    ]
                )
        return _Table(title, self._headers("Name"), rows, self.unit).render()

    def kernel(self) -> str:
        return self._named_view("Kernel Summary", _GPU_TYPES)

    def udf(self) -> str:
        return self._named_view(
            "UserDefined Summary", (TracerEventType.PythonUserDefined, TracerEventType.UserDefined)
        )


def build_table(
    result: ProfilerResult,
    sorted_by: SortedKeys = SortedKeys.CPUTotal,
    op_detail: bool = True,
    thread_sep: bool = False,
    time_unit: str = "ms",
    views=None,
) -> str:
    """The summary text for ``result`` (what ``Profiler.summary`` prints)."""
    s = _Summary(result, sorted_by, op_detail, thread_sep, time_unit)
    if isinstance(views, SummaryView):
        views = [views]
    wanted = set(SummaryView) if views is None else set(views)
    for v in wanted:
        if not isinstance(v, SummaryView):
            raise TypeError(
                f"Profiler.summary(views=...): {v!r} is not a paddle.profiler.SummaryView; pass "
                "e.g. views=[SummaryView.OperatorView, SummaryView.UDFView] or None for all."
            )
    parts = [
        (SummaryView.DeviceView, s.device),
        (SummaryView.OverView, s.overview),
        (SummaryView.ModelView, s.model),
        (SummaryView.OperatorView, s.operator),
        (SummaryView.KernelView, s.kernel),
        (SummaryView.UDFView, s.udf),
    ]
    return "".join(fn() for view, fn in parts if view in wanted)
