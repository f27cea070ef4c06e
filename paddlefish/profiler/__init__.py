"""``paddle.profiler``: Paddle 2.6's profiler API on ``torch.profiler``.

Schedules, states, ``RecordEvent``, chrome-trace export, summary tables and the
``step_info``/``timer_only`` benchmark line are Paddle's; the recorded operators are torch's.
Paddle's protobuf dumps (``export_protobuf``, ``format='pb'``) are not supported.

>>> import paddlefish as paddle
>>> import paddlefish.profiler as profiler
>>> with profiler.Profiler(scheduler=(0, 2), on_trace_ready=lambda p: None) as prof:
...     for _ in range(3):
...         with profiler.RecordEvent("train_step"):
...             loss = (paddle.ones([4, 4]) @ paddle.ones([4, 4])).sum()
...         prof.step()
>>> sum(e.name == "train_step" for e in prof.profiler_result.events)
2
"""

from .._core.missing import module_getattr as _module_getattr
from ._enums import ProfilerState as ProfilerState
from ._enums import ProfilerTarget as ProfilerTarget
from ._enums import SortedKeys as SortedKeys
from ._enums import SummaryView as SummaryView
from ._enums import TracerEventType as TracerEventType
from ._export import export_chrome_tracing as export_chrome_tracing
from ._export import export_protobuf as export_protobuf
from ._profiler import Profiler as Profiler
from ._record import RecordEvent as RecordEvent
from ._result import load_profiler_result as load_profiler_result
from ._scheduler import make_scheduler as make_scheduler

__all__ = [
    "Profiler",
    "ProfilerState",
    "ProfilerTarget",
    "RecordEvent",
    "SortedKeys",
    "SummaryView",
    "export_chrome_tracing",
    "export_protobuf",
    "load_profiler_result",
    "make_scheduler",
]

__getattr__ = _module_getattr("paddle.profiler")
