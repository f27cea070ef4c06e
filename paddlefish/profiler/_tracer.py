"""The recording backend: Paddle's ``_Profiler`` (prepare/start/stop) on ``torch.profiler``.

``stop()`` turns torch's ``FunctionEvent``s into ``Event``s (see NOTE [event types]).
"""

from __future__ import annotations

import os
import threading
import time

import torch
from torch.autograd import DeviceType
from torch.profiler import ProfilerActivity

from ._enums import TracerEventType
from ._record import event_type_of
from ._result import Event, ProfilerResult

__all__ = ["Tracer", "gpu_available"]


def gpu_available() -> bool:
    return torch.cuda.is_available()


class Tracer:
    """One torch profiler session per recorded period."""

    def __init__(self, *, gpu: bool, record_shapes: bool, profile_memory: bool, with_flops: bool):
        self.activities = [ProfilerActivity.CPU] + ([ProfilerActivity.CUDA] if gpu else [])
        self.options = {
            "record_shapes": record_shapes,
            "profile_memory": profile_memory,
            "with_flops": with_flops,
        }
        self._prof = None
        self._cpu0 = self._wall0 = 0.0

    def prepare(self) -> None:
        if self._prof is None:
            self._prof = torch.profiler.profile(activities=self.activities, **self.options)

    def start(self) -> None:
        self.prepare()
        self._cpu0, self._wall0 = time.process_time(), time.perf_counter()
        self._prof.start()

    def stop(self) -> ProfilerResult | None:
        prof, self._prof = self._prof, None
        if prof is None or prof.profiler is None:
            return None
        prof.stop()
        wall = max(time.perf_counter() - self._wall0, 1e-9)
        cpu = (time.process_time() - self._cpu0) / wall / (os.cpu_count() or 1)
        return self._result(prof, cpu)

    def _result(self, prof, cpu_utilisation: float) -> ProfilerResult:
        kineto = getattr(prof.profiler, "kineto_results", None)
        base = kineto.trace_start_ns() if kineto is not None else time.time_ns()
        main = threading.main_thread().native_id
        events = []
        for fe in prof.events():
            start = base + round(fe.time_range.start * 1e3)
            end = base + round(fe.time_range.end * 1e3)
            gpu = fe.device_type != DeviceType.CPU
            events.append(
                Event(
                    name=fe.name,
                    type=self._type(fe, gpu),
                    start_ns=start,
                    end_ns=max(end, start),
                    thread=f"GPU:{fe.device_index}" if gpu else str(fe.thread),
                    device="GPU" if gpu else "CPU",
                    input_shapes=fe.input_shapes if self.options["record_shapes"] else None,
                    flops=int(fe.flops or 0) if self.options["with_flops"] else 0,
                )
            )
        extra = {
            "pid": os.getpid(),
            "main_thread": main,
            "Process Cpu Utilization": f"{cpu_utilisation:.6f}",
        }
        return ProfilerResult(events, extra)

    @staticmethod
    def _type(fe, gpu: bool) -> TracerEventType:
        if gpu:
            low = fe.name.lower()
            if "memcpy" in low:
                return TracerEventType.Memcpy
            if "memset" in low:
                return TracerEventType.Memset
            return TracerEventType.Kernel
        if fe.is_user_annotation:
            return event_type_of(fe.name) or TracerEventType.UserDefined
        parent = fe.cpu_parent
        if parent is not None and not parent.is_user_annotation:
            return TracerEventType.OperatorInner
        return TracerEventType.Operator
