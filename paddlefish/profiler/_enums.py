"""The enumerations of ``paddle.profiler``: states, targets, views, sort keys and event types.

Values are Paddle 2.6's, so code that stores or compares ``.value`` behaves the same.
"""

from __future__ import annotations

from enum import Enum

__all__ = ["ProfilerState", "ProfilerTarget", "SortedKeys", "SummaryView", "TracerEventType"]


class ProfilerState(Enum):
    """The state a scheduler gives for a step.

    - ``CLOSED``: nothing is recorded.
    - ``READY``: the profiler is prepared but records nothing (keeps start-up overhead out of the
      data).
    - ``RECORD``: events are recorded.
    - ``RECORD_AND_RETURN``: the last recorded step of a period; the result is handed to
      ``on_trace_ready`` when the next step begins.

    >>> import paddlefish.profiler as profiler
    >>> profiler.ProfilerState.RECORD.value
    2
    """

    CLOSED = 0
    READY = 1
    RECORD = 2
    RECORD_AND_RETURN = 3


class ProfilerTarget(Enum):
    """The devices a ``Profiler`` traces. ``CPU`` always works; ``GPU`` works when torch sees
    CUDA; ``XPU`` never does and ``CUSTOM_DEVICE`` is accepted and records nothing extra, as in
    Paddle's CPU build (an unsupported target is dropped with a warning).

    >>> import paddlefish.profiler as profiler
    >>> [t.name for t in profiler.ProfilerTarget]
    ['CPU', 'GPU', 'XPU', 'CUSTOM_DEVICE']
    """

    CPU = 0
    GPU = 1
    XPU = 2
    CUSTOM_DEVICE = 3


class SummaryView(Enum):
    """The tables ``Profiler.summary(views=...)`` can print.

    >>> import paddlefish.profiler as profiler
    >>> profiler.SummaryView.OperatorView.value
    5
    """

    DeviceView = 0
    OverView = 1
    ModelView = 2
    DistributedView = 3
    KernelView = 4
    OperatorView = 5
    MemoryView = 6
    MemoryManipulationView = 7
    UDFView = 8


class SortedKeys(Enum):
    """How ``Profiler.summary(sorted_by=...)`` orders the rows of its tables.

    >>> import paddlefish.profiler as profiler
    >>> profiler.SortedKeys.CPUTotal.value
    0
    """

    CPUTotal = 0
    CPUAvg = 1
    CPUMax = 2
    CPUMin = 3
    GPUTotal = 4
    GPUAvg = 5
    GPUMax = 6
    GPUMin = 7


class TracerEventType(Enum):
    """The category of a traced event (the ``cat`` field of the chrome trace).

    >>> import paddlefish.profiler as profiler
    >>> profiler.TracerEventType.PythonUserDefined.value
    14
    """

    Operator = 0
    Dataloader = 1
    ProfileStep = 2
    CudaRuntime = 3
    Kernel = 4
    Memcpy = 5
    Memset = 6
    UserDefined = 7
    OperatorInner = 8
    Forward = 9
    Backward = 10
    Optimization = 11
    Communication = 12
    PythonOp = 13
    PythonUserDefined = 14
