"""``RecordEvent``: a user-named time range in the trace, on ``torch.profiler.record_function``.

NOTE [event types]: torch knows only "user annotation" vs "op"; Paddle's trace and summary sort
events by ``TracerEventType``. Every annotation paddlefish opens goes through ``RecordEvent``,
which notes its name's type here (``ProfileStep#3`` -> ProfileStep, ``Optimization Step`` ->
Optimization, a user's name -> PythonUserDefined); the result builder reads the type back by
name. Torch ops become Operator (outermost) or OperatorInner (called inside another op).
"""

from __future__ import annotations

import functools
import warnings
from contextlib import ContextDecorator

import torch

from ._enums import TracerEventType

__all__ = ["RecordEvent", "event_type_of", "in_profiler_mode", "set_profiler_used"]

_ALLOWED = (
    TracerEventType.Dataloader,
    TracerEventType.ProfileStep,
    TracerEventType.Forward,
    TracerEventType.Backward,
    TracerEventType.Optimization,
    TracerEventType.PythonOp,
    TracerEventType.PythonUserDefined,
)
_state = {"used": False}
_EVENT_TYPES: dict[str, TracerEventType] = {}  # see NOTE [event types]


def in_profiler_mode() -> bool:
    """Whether a ``Profiler`` is started (RecordEvents only record then, as in Paddle)."""
    return _state["used"]


def set_profiler_used(used: bool) -> None:
    _state["used"] = used


def event_type_of(name: str) -> TracerEventType | None:
    """The type a ``RecordEvent`` named ``name`` was opened with (see NOTE [event types])."""
    return _EVENT_TYPES.get(name)


class RecordEvent(ContextDecorator):
    """A named time range that shows up in the trace and in the "UserDefined Summary" table.

    Use it as a context manager, a decorator, or with ``begin()``/``end()``. It records only
    while a ``Profiler`` is started and in a recording step, as in Paddle.

    >>> import paddlefish as paddle
    >>> import paddlefish.profiler as profiler
    >>> with profiler.Profiler(on_trace_ready=lambda prof: None) as prof:
    ...     with profiler.RecordEvent("record_add"):
    ...         result = paddle.ones([3]) + paddle.ones([3])
    ...     ev = profiler.RecordEvent("record_mul")
    ...     ev.begin()
    ...     result = result * 2
    ...     ev.end()
    >>> names = {e.name for e in prof.profiler_result.events}
    >>> {"record_add", "record_mul"} <= names
    True
    """

    def __init__(
        self, name: str, event_type: TracerEventType = TracerEventType.PythonUserDefined
    ) -> None:
        self.name = name
        self.event_type = event_type
        self.event = None

    def __enter__(self):
        self.begin()
        return self

    def __exit__(self, *exc: object) -> None:
        self.end()

    def begin(self) -> None:
        """Open the range (no-op while no ``Profiler`` is started)."""
        if not _state["used"]:
            return
        if self.event_type not in _ALLOWED:
            warnings.warn(
                f"RecordEvent({self.name!r}, event_type={self.event_type}): only "
                f"{', '.join(str(t) for t in _ALLOWED)} can be recorded; this range is skipped.",
                stacklevel=2,
            )
            self.event = None
            return
        _EVENT_TYPES[self.name] = self.event_type
        self.event = torch.autograd.profiler.record_function(self.name)
        self.event.__enter__()

    def end(self) -> None:
        """Close the range opened by ``begin``."""
        if self.event is not None:
            event, self.event = self.event, None
            event.__exit__(None, None, None)


def _optimization_step(step):
    @functools.wraps(step)
    def wrapper(*args, **kwargs):
        if not _state["used"]:
            return step(*args, **kwargs)
        with RecordEvent("Optimization Step", TracerEventType.Optimization):
            return step(*args, **kwargs)

    wrapper._profiler_wrapped = True
    return wrapper


def wrap_optimizers(module) -> None:
    """Paddle's ``wrap_optimizers``: every optimizer's ``step`` is timed as an
    "Optimization Step" event while a profiler runs (wrapped once, where it is defined)."""
    for name in getattr(module, "__all__", ()):
        cls = getattr(module, name)
        step = vars(cls).get("step") if isinstance(cls, type) else None
        if callable(step) and not getattr(step, "_profiler_wrapped", False):
            cls.step = _optimization_step(step)
