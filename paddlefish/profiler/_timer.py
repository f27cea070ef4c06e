"""The step timer behind ``Profiler.step_info`` and ``Profiler(timer_only=True)``.

NOTE [benchmark line]: Paddle 2.6's ``paddle.profiler.timer`` prints, per ``step_info`` call,
``" reader_cost: %.5f s batch_cost: %.5f s ips: %.3f <unit>/s"`` (each part only when its
average is non-zero; every part starts with a space), averaged over the steps since the previous
call; and at ``stop()`` a "Perf Summary" table over all steps after the first 10. Both are
reproduced here to the character so log parsers written for Paddle keep working.
``reader_cost`` is the data loader's time per batch (``before_reader``/``after_reader``, called
around each batch of ``paddle.io.DataLoader``, see NOTE [profiler model events]); without a
``DataLoader`` the line has no reader part, as Paddle's.
"""

from __future__ import annotations

import timeit

__all__ = ["Benchmark", "benchmark"]

_SKIP_STEPS = 10  # steps left out of the summary table, as Paddle


class _Averager:
    """Totals since the last ``step_info``."""

    def __init__(self) -> None:
        self.reset()

    def reset(self) -> None:
        self.iters, self.time, self.samples = 0, 0.0, 0

    def record(self, seconds: float, num_samples: int | None = None) -> None:
        self.iters += 1
        self.time += seconds
        if num_samples:
            self.samples += num_samples

    def average(self) -> float:
        return self.time / self.iters if self.iters else 0

    def ips(self) -> float:
        return self.samples / self.time if self.samples and self.iters else 0

    def steps_per_second(self) -> float:
        return self.iters / self.time if self.iters else 0


def _records(with_total: bool = True) -> dict:
    out = {"max": 0, "min": float("inf")}
    if with_total:
        out["total"] = 0
    return out


def _update(value: float, records: dict) -> None:
    # Paddle's ``elif``: a new maximum is never also taken as the minimum (kept as is)
    if value > records["max"]:
        records["max"] = value
    elif value < records["min"]:
        records["min"] = value
    if "total" in records:
        records["total"] += value


class _Event:
    """One timed run (``start`` to ``stop``); nested runs stack."""

    def __init__(self) -> None:
        self.reader = _Averager()
        self.batch = _Averager()
        self.total_samples = 0
        self.total_iters = 0
        self.reader_records = _records()
        self.batch_records = _records()
        self.speed_records = _records(with_total=False)
        self.speed_mode = "samples/s"
        self.speed_unit = "samples/s"

    def record_reader(self, seconds: float) -> None:
        self.reader.record(seconds)
        if self.total_iters >= _SKIP_STEPS:
            _update(seconds, self.reader_records)

    def record_batch(self, seconds: float, num_samples: int | None) -> None:
        if num_samples is None:
            self.speed_mode = self.speed_unit = "steps/s"
        self.batch.record(seconds, num_samples)
        self.total_iters += 1
        if self.total_iters >= _SKIP_STEPS:
            _update(seconds, self.batch_records)
            if self.speed_mode == "samples/s":
                speed = float(num_samples) / seconds
                self.total_samples += num_samples
            else:
                speed = 1.0 / seconds
            _update(speed, self.speed_records)

    def speed_average(self) -> float:
        return self.batch.ips() if self.speed_mode == "samples/s" else self.batch.steps_per_second()

    def summary(self) -> dict | None:
        if self.total_iters <= _SKIP_STEPS:
            return None
        iters = self.total_iters - _SKIP_STEPS
        reader_avg = self.reader_records["total"] / iters
        batch_avg = self.batch_records["total"] / iters
        done = self.total_samples if self.speed_mode == "samples/s" else iters
        speed_avg = float(done) / self.batch_records["total"]

        def row(r, avg):
            return {"max": r["max"], "min": r["min"], "avg": avg}

        return {
            "reader": row(self.reader_records, reader_avg),
            "batch": row(self.batch_records, batch_avg),
            "ips": row(self.speed_records, speed_avg),
            "reader_ratio": reader_avg / batch_avg * 100,
        }


def _table_row(*cells: str) -> str:
    # print('|', a, '|', b, ...) of Paddle: cells centred in 15 columns, joined by spaces
    return " ".join(["|"] + [x for c in cells for x in (c.center(15), "|")])


class Benchmark:
    """Step timing: ``begin`` at ``Profiler.start``, ``step`` at every ``Profiler.step``,
    ``end`` at ``Profiler.stop`` (prints the "Perf Summary" table), see NOTE [benchmark line].

    >>> from paddlefish.profiler._timer import Benchmark
    >>> b = Benchmark()
    >>> b.begin()
    >>> b.step(num_samples=8)
    >>> b.step_info("images").startswith(" batch_cost: ")
    True
    """

    def __init__(self) -> None:
        self.events: list[_Event] = []
        self.num_samples: int | None = None
        self._start = self._start_reader = timeit.default_timer()

    @property
    def current_event(self) -> _Event | None:
        return self.events[-1] if self.events else None

    def begin(self) -> None:
        self.events.append(_Event())
        self._start = timeit.default_timer()

    def before_reader(self) -> None:
        self._start_reader = timeit.default_timer()

    def after_reader(self) -> None:
        cost = timeit.default_timer() - self._start_reader
        if self.current_event is not None and cost != 0:
            self.current_event.record_reader(cost)

    def step(self, num_samples: int | None = None) -> None:
        self.num_samples = num_samples
        if self.current_event is None:
            return
        cost = timeit.default_timer() - self._start
        self.current_event.record_batch(cost, num_samples)
        self._start = timeit.default_timer()

    def step_info(self, unit: str) -> str:
        event = self.current_event
        if event is None:
            raise RuntimeError(
                "Profiler.step_info() was called before Profiler.start(): start the profiler "
                "(or enter its `with` block) and call step() once per batch first."
            )
        message = ""
        reader_avg, batch_avg = event.reader.average(), event.batch.average()
        if reader_avg:
            message += f" reader_cost: {reader_avg:.5f} s"
        if batch_avg:
            event.speed_unit = "steps/s" if event.speed_mode == "steps/s" else unit + "/s"
            message += f" batch_cost: {batch_avg:.5f} s"
        speed = event.speed_average()
        if speed:
            message += f" ips: {speed:.3f} {event.speed_unit}"
        event.reader.reset()
        event.batch.reset()
        return message

    def end(self) -> None:
        if not self.events:
            return
        self._print_summary(self.events[-1])
        self.events.pop()
        self._start = timeit.default_timer()

    @staticmethod
    def _print_summary(event: _Event) -> None:
        s = event.summary()
        if s is None:
            return
        print("Perf Summary".center(100, "="))
        if s["reader_ratio"] != 0:
            print(f"Reader Ratio: {s['reader_ratio']:.3f}%")
        print(f"Time Unit: s, IPS Unit: {event.speed_unit}")
        print(_table_row("", "avg", "max", "min"))
        rows = [("reader_cost", s["reader"])] if s["reader"]["avg"] != 0 else []
        rows += [("batch_cost", s["batch"]), ("ips", s["ips"])]
        for name, r in rows:
            print(_table_row(name, *(f"{r[k]:.5f}" for k in ("avg", "max", "min"))))


_BENCHMARK = Benchmark()


def benchmark() -> Benchmark:
    """The process-wide step timer (Paddle has one too: nested profilers stack their runs)."""
    return _BENCHMARK
