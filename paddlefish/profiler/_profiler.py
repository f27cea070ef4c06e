"""``Profiler``: Paddle 2.6's state machine over steps, recording through ``Tracer``.

NOTE [profiler transitions]: on each ``step()`` the scheduler gives the new state and the
transition from the previous one acts exactly as Paddle's ``_trigger_action``: entering a
recording state starts the tracer; leaving RECORD_AND_RETURN stops it, keeps the result and calls
``on_trace_ready``; RECORD -> CLOSED stops without a callback (Paddle warns "Improper
schedule"); ``stop()`` in RECORD or RECORD_AND_RETURN also stops and calls ``on_trace_ready``.
Each step is a ``ProfileStep#<n>`` event.
"""

from __future__ import annotations

import warnings
from collections.abc import Callable, Iterable
from typing import Any

from .. import optimizer as _optimizer
from ..eager.tensor import Tensor as _Tensor
from ..io import DataLoader as _DataLoader
from ..nn import Layer as _Layer
from . import _record
from ._enums import ProfilerState, ProfilerTarget, SortedKeys, TracerEventType
from ._export import export_chrome_tracing
from ._record import RecordEvent
from ._result import ProfilerResult
from ._scheduler import scheduler_from
from ._summary import build_table
from ._timer import benchmark
from ._tracer import Tracer, gpu_available

__all__ = ["Profiler"]

S = ProfilerState


def _supported_targets() -> list[ProfilerTarget]:
    if gpu_available():
        return [ProfilerTarget.CPU, ProfilerTarget.GPU, ProfilerTarget.CUSTOM_DEVICE]
    return [ProfilerTarget.CPU, ProfilerTarget.CUSTOM_DEVICE]


class Profiler:
    """Records steps of a training loop as Paddle's profiler does (see NOTE [profiler
    transitions]), and times them (``step_info``; ``timer_only=True`` times only).

    ``scheduler``: a callable ``step -> ProfilerState`` (``make_scheduler``), a
    ``(start_batch, end_batch)`` pair recording ``[start, end)``, or None (record from ``start``
    to ``stop``). ``on_trace_ready(prof)`` runs after each recorded period; the default writes a
    chrome trace to ``./profiler_log/``.

    >>> import paddlefish as paddle
    >>> import paddlefish.profiler as profiler
    >>> net = paddle.nn.Linear(8, 2)
    >>> opt = paddle.optimizer.SGD(learning_rate=0.1, parameters=net.parameters())
    >>> ready = []
    >>> p = profiler.Profiler(scheduler=profiler.make_scheduler(closed=1, ready=1, record=2),
    ...                       on_trace_ready=lambda prof: ready.append(prof.step_num))
    >>> p.start()
    >>> for i in range(8):
    ...     loss = net(paddle.randn([4, 8])).mean()
    ...     loss.backward()
    ...     opt.step()
    ...     opt.clear_grad()
    ...     p.step(num_samples=4)
    >>> p.stop()
    >>> ready
    [4, 8]
    >>> p.summary(views=profiler.SummaryView.OverView)  # doctest: +ELLIPSIS
    ---...Overview Summary...
    """

    def __init__(
        self,
        *,
        targets: Iterable[ProfilerTarget] | None = None,
        scheduler: Callable[[int], ProfilerState] | tuple | None = None,
        on_trace_ready: Callable[..., Any] | None = None,
        record_shapes: bool | None = False,
        profile_memory: bool | None = False,
        timer_only: bool | None = False,
        emit_nvtx: bool | None = False,
        custom_device_types: list | None = None,
        with_flops: bool | None = False,
    ) -> None:
        supported = _supported_targets()
        if targets:
            targets = list(targets)
            self.targets = set(targets)
            for t in targets:
                if t not in supported:
                    self.targets.discard(t)
                    warnings.warn(
                        f"Profiling {t} is not supported in current context.", stacklevel=2
                    )
        else:
            self.targets = set(supported)
        self.custom_device_types = list(custom_device_types or [])
        _record.instrument(_optimizer, _Layer, _Tensor)  # see NOTE [profiler model events]
        _record.instrument_loader(_DataLoader, benchmark())
        self.profiler = Tracer(
            gpu=ProfilerTarget.GPU in self.targets,
            record_shapes=bool(record_shapes or with_flops),
            profile_memory=bool(profile_memory),
            with_flops=bool(with_flops),
        )
        self.scheduler = scheduler_from(scheduler)
        self.on_trace_ready = (
            export_chrome_tracing("./profiler_log/") if on_trace_ready is None else on_trace_ready
        )
        self.step_num = 0
        self.previous_state = S.CLOSED
        self.current_state = self.scheduler(self.step_num)
        self.record_event: RecordEvent | None = None
        self.profiler_result: ProfilerResult | None = None
        self.timer_only = timer_only
        self.record_shapes = record_shapes
        self.profile_memory = profile_memory
        self.with_flops = with_flops
        self.emit_nvtx = emit_nvtx

    def __enter__(self):
        self.start()
        return self

    def __exit__(self, exc_type, exc_val, exc_tb) -> None:
        self.stop()

    def _begin_step_event(self) -> None:
        self.record_event = RecordEvent(f"ProfileStep#{self.step_num}", TracerEventType.ProfileStep)
        self.record_event.begin()

    def _end_step_event(self) -> None:
        if self.record_event is not None:
            self.record_event.end()
            self.record_event = None

    def start(self) -> None:
        """Start timing and enter step 0 in the scheduler's state for it.

        >>> import paddlefish.profiler as profiler
        >>> p = profiler.Profiler(scheduler=(2, 4), on_trace_ready=lambda prof: None)
        >>> p.start(); p.current_state.name
        'CLOSED'
        >>> p.stop()
        """
        benchmark().begin()
        if not self.timer_only or self.emit_nvtx:
            _record.set_profiler_used(True)
        if self.timer_only:
            return
        if self.current_state == S.READY:
            self.profiler.prepare()
        elif self.current_state in (S.RECORD, S.RECORD_AND_RETURN):
            self.profiler.start()
        self._begin_step_event()

    def stop(self) -> None:
        """Stop; a period still recording is kept and handed to ``on_trace_ready``
        (see NOTE [profiler transitions])."""
        benchmark().end()
        if self.timer_only:
            _record.set_profiler_used(False)
            return
        self._end_step_event()
        if self.current_state == S.READY:
            warnings.warn(
                "Inproper Profiler state transform: READY->CLOSED, profiler will start and stop "
                "without saving data",
                stacklevel=2,
            )
            self.profiler.stop()
        if self.current_state in (S.RECORD, S.RECORD_AND_RETURN):
            self.profiler_result = self.profiler.stop()
            if self.on_trace_ready:
                self.on_trace_ready(self)
        _record.set_profiler_used(False)

    def step(self, num_samples: int | None = None) -> None:
        """Mark the start of the next step (``num_samples``: the batch size, for ``ips``).

        >>> import paddlefish.profiler as profiler
        >>> p = profiler.Profiler(scheduler=(1, 3), on_trace_ready=lambda prof: None)
        >>> p.start()
        >>> states = []
        >>> for _ in range(4):
        ...     p.step()
        ...     states.append(p.current_state.name)
        >>> p.stop()
        >>> states
        ['RECORD', 'RECORD_AND_RETURN', 'CLOSED', 'CLOSED']
        """
        benchmark().step(num_samples)
        if self.timer_only:
            return
        self._end_step_event()
        self.previous_state = self.current_state
        self.step_num += 1
        self.current_state = self.scheduler(self.step_num)
        self._trigger_action()
        self._begin_step_event()

    def step_info(self, unit: str | None = None) -> str:
        """Average ``reader_cost``/``batch_cost``/``ips`` since the previous call, as Paddle's
        line (see NOTE [benchmark line]); ``unit`` names the samples (``"images"`` ->
        ``images/s``) when ``step`` got ``num_samples``.

        >>> import re
        >>> import paddlefish.profiler as profiler
        >>> p = profiler.Profiler(timer_only=True)
        >>> p.start()
        >>> for _ in range(3):
        ...     p.step(num_samples=8)
        >>> line = p.step_info(unit="images")
        >>> p.stop()
        >>> bool(re.fullmatch(r" batch_cost: \\d+\\.\\d{5} s ips: \\d+\\.\\d{3} images/s", line))
        True
        """
        return benchmark().step_info("samples" if unit is None else unit)

    def _trigger_action(self) -> None:
        prev, cur, tracer = self.previous_state, self.current_state, self.profiler
        recording = (S.RECORD, S.RECORD_AND_RETURN)
        if prev == S.CLOSED:
            if cur == S.READY:
                tracer.prepare()
            elif cur in recording:
                tracer.start()
        elif prev == S.READY:
            if cur == S.CLOSED:
                warnings.warn(
                    "Improper schedule: READY->CLOSED, profiler will start and stop without "
                    "saving data",
                    stacklevel=3,
                )
                tracer.stop()
            elif cur in recording:
                tracer.start()
        elif prev == S.RECORD:
            if cur == S.CLOSED:
                warnings.warn(
                    "Improper schedule: RECORD->CLOSED, profiler will not saving data", stacklevel=3
                )
                tracer.stop()
            elif cur == S.READY:
                warnings.warn(
                    "Improper schedule: RECORD->READY, profiler will stop and re-prepare",
                    stacklevel=3,
                )
                tracer.stop()
                tracer.prepare()
        else:  # RECORD_AND_RETURN: the period is over whatever comes next
            self.profiler_result = tracer.stop()
            if cur == S.READY:
                tracer.prepare()
            elif cur in recording:
                tracer.start()
            if self.on_trace_ready:
                self.on_trace_ready(self)

    def export(self, path: str = "", format: str = "json") -> None:
        """Write the last recorded period to ``path``; ``format='json'`` (chrome tracing).
        ``'pb'`` (Paddle's protobuf) raises ``NotImplementedError``.

        >>> import os, tempfile, json
        >>> import paddlefish.profiler as profiler
        >>> with profiler.Profiler(on_trace_ready=lambda prof: None) as p:
        ...     with profiler.RecordEvent("exported"):
        ...         pass
        >>> path = os.path.join(tempfile.mkdtemp(), "trace.json")
        >>> p.export(path, format="json")
        >>> any(e["name"].startswith("exported[") for e in json.load(open(path))["traceEvents"])
        True
        """
        if format not in ("json", "pb"):
            raise ValueError(
                f"Profiler.export({path!r}, format={format!r}): format must be 'json' (chrome "
                "tracing) or 'pb' (Paddle's protobuf, not supported by paddlefish)."
            )
        if self.profiler_result is None:
            warnings.warn(
                f"Profiler.export({path!r}): nothing was recorded yet (no step was in a RECORD "
                "state before stop() or the end of a period), so no file is written.",
                stacklevel=2,
            )
            return
        self.profiler_result.save(path, format)

    def summary(
        self,
        sorted_by: SortedKeys = SortedKeys.CPUTotal,
        op_detail: bool = True,
        thread_sep: bool = False,
        time_unit: str = "ms",
        views=None,
    ) -> None:
        """Print Paddle's summary tables for the last recorded period (``views``: a
        ``SummaryView`` or a list of them; None prints all).

        >>> import paddlefish as paddle
        >>> import paddlefish.profiler as profiler
        >>> with profiler.Profiler(on_trace_ready=lambda prof: None) as p:
        ...     with profiler.RecordEvent("fwd"):
        ...         y = paddle.ones([3, 3]) @ paddle.ones([3, 3])
        >>> p.summary(views=[profiler.SummaryView.UDFView], time_unit="us")  # doctest: +ELLIPSIS
        ---...UserDefined Summary...fwd...
        """
        if self.profiler_result is not None:
            print(
                build_table(
                    self.profiler_result,
                    sorted_by=sorted_by,
                    op_detail=op_detail,
                    thread_sep=thread_sep,
                    time_unit=time_unit,
                    views=views,
                )
            )
        if self.with_flops:
            self._print_flops()

    def _print_flops(self) -> None:
        print(" Flops Profiler Begin ".center(100, "-"))
        events = self.profiler_result.events if self.profiler_result else []
        totals: dict[str, int] = {}
        for e in events:
            if e.flops:
                totals[e.name] = totals.get(e.name, 0) + e.flops
        for name, flops in sorted(totals.items(), key=lambda kv: -kv[1]):
            print(f"{name:<50}{flops}")
        print("- Flops Profiler End -".center(100, "-"))
