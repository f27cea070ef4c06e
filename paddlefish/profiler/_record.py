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


def _timed(fn, name_of, event_type: TracerEventType):
    """``fn`` inside a ``RecordEvent(name_of(args), event_type)`` while a profiler runs."""

    @functools.wraps(fn)
    def wrapper(*args, **kwargs):
        if not _state["used"]:
            return fn(*args, **kwargs)
        with RecordEvent(name_of(args), event_type):
            return fn(*args, **kwargs)

    wrapper._profiler_wrapped = True
    return wrapper


def _wrap(cls: type, attr: str, name_of, event_type: TracerEventType) -> None:
    fn = vars(cls).get(attr)
    if callable(fn) and not getattr(fn, "_profiler_wrapped", False):
        setattr(cls, attr, _timed(fn, name_of, event_type))


def _timed_batches(iter_fn, reader_timer):
    """``DataLoader.__iter__`` whose every batch is timed as Paddle's iterators time theirs: a
    Dataloader event and the step timer's ``before_reader``/``after_reader`` (reader_cost)."""

    @functools.wraps(iter_fn)
    def __iter__(self):
        inner = iter_fn(self)
        name = "_DataLoaderIterMultiProcess" if self.num_workers else "_DataLoaderIterSingleProcess"
        while True:
            event = RecordEvent(name, TracerEventType.Dataloader)
            event.begin()
            reader_timer.before_reader()
            try:
                batch = next(inner)
            except StopIteration:
                return
            finally:
                event.end()
            reader_timer.after_reader()
            yield batch

    __iter__._profiler_wrapped = True
    return __iter__


def instrument_loader(loader_cls: type, reader_timer) -> None:
    """See NOTE [profiler model events]; ``reader_timer``: the step timer (``benchmark()``)."""
    fn = vars(loader_cls).get("__iter__")
    if callable(fn) and not getattr(fn, "_profiler_wrapped", False):
        loader_cls.__iter__ = _timed_batches(fn, reader_timer)


def instrument(optimizer_module, layer_cls: type, tensor_cls: type) -> None:
    """NOTE [profiler model events]: Paddle 2.6 times every ``Layer`` call as a Forward event
    named after the layer's class (``nn/layer/layers.py``), ``Tensor.backward`` as "Gradient
    Backward" (Backward) and, through ``wrap_optimizers`` (which patches the optimizer classes
    the first time a ``Profiler`` is made), each ``step`` as "Optimization Step". paddlefish does
    the same by wrapping those methods once, where they are defined, when the first ``Profiler``
    is made; while no profiler runs the wrappers only check a flag. Paddle's DataLoader
    iterators report each batch's load time (reader_cost) and a Dataloader event; paddlefish's
    ``DataLoader.__iter__`` is wrapped the same way (``instrument_loader``)."""
    for name in getattr(optimizer_module, "__all__", ()):
        cls = getattr(optimizer_module, name)
        if isinstance(cls, type):
            _wrap(cls, "step", lambda args: "Optimization Step", TracerEventType.Optimization)
    _wrap(layer_cls, "__call__", lambda args: type(args[0]).__name__, TracerEventType.Forward)
    _wrap(tensor_cls, "backward", lambda args: "Gradient Backward", TracerEventType.Backward)
