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
        # torch's raw kinetic events: ``prof.events()`` builds a FunctionEvent tree in Python,
        # twenty times slower than this pass (see bench/bench_profiler.py "export")
        raw = [e for e in prof.profiler.kineto_results.events() if not e.is_hidden_event()]
        raw.sort(key=lambda e: (e.start_ns(), -e.duration_ns()))
        shapes, flops = self.options["record_shapes"], self.options["with_flops"]
        stacks: dict[int, list] = {}
        events = []
        for ke in raw:
            start, end = ke.start_ns(), ke.start_ns() + max(ke.duration_ns(), 0)
            gpu = ke.device_type() != DeviceType.CPU
            if gpu:
                kind, thread = self._device_type(ke.name()), f"GPU:{ke.device_index()}"
            else:
                thread = str(ke.start_thread_id())
                stack = stacks.setdefault(ke.start_thread_id(), [])
                while stack and stack[-1][0] <= start:
                    stack.pop()
                kind = self._host_type(ke, stack[-1][1] if stack else None)
                stack.append((end, ke.is_user_annotation()))
            events.append(
                Event(
                    name=ke.name(),
                    type=kind,
                    start_ns=start,
                    end_ns=end,
                    thread=thread,
                    device="GPU" if gpu else "CPU",
                    input_shapes=ke.shapes() if shapes and not gpu else None,
                    flops=int(ke.flops() or 0) if flops else 0,
                )
            )
        extra = {
            "pid": os.getpid(),
            "main_thread": threading.main_thread().native_id,
            "Process Cpu Utilization": f"{cpu_utilisation:.6f}",
        }
        return ProfilerResult(events, extra)

    @staticmethod
    def _device_type(name: str) -> TracerEventType:
        low = name.lower()
        if "memcpy" in low:
            return TracerEventType.Memcpy
        if "memset" in low:
            return TracerEventType.Memset
        return TracerEventType.Kernel

    @staticmethod
    def _host_type(ke, parent_is_annotation: bool | None) -> TracerEventType:
        """See NOTE [event types]: ``parent_is_annotation`` is None for a top-level event."""
        if ke.is_user_annotation():
            return event_type_of(ke.name()) or TracerEventType.UserDefined
        if parent_is_annotation is False:
            return TracerEventType.OperatorInner
        return TracerEventType.Operator
