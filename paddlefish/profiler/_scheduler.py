"""Step schedulers: which ``ProfilerState`` each step of a ``Profiler`` is in.

Pure functions of the step number, the same arithmetic as Paddle 2.6 (tests compare the state
sequences step by step with real Paddle).
"""

from __future__ import annotations

import warnings
from collections.abc import Callable

from ._enums import ProfilerState

__all__ = ["make_scheduler", "scheduler_from"]

Scheduler = Callable[[int], ProfilerState]


def make_scheduler(
    *, closed: int, ready: int, record: int, repeat: int = 0, skip_first: int = 0
) -> Scheduler:
    """A scheduler that cycles ``closed`` CLOSED steps, ``ready`` READY steps and ``record``
    recording steps (the last one RECORD_AND_RETURN), ``repeat`` times (0: forever), after
    ``skip_first`` CLOSED steps.

    >>> import paddlefish.profiler as profiler
    >>> s = profiler.make_scheduler(closed=1, ready=1, record=2, repeat=1)
    >>> [s(i).name for i in range(5)]
    ['CLOSED', 'READY', 'RECORD', 'RECORD_AND_RETURN', 'CLOSED']
    """
    # Paddle asserts these with the message "Invalid profiler scheduler arguments"; the
    # AssertionError type is kept so ``except AssertionError`` code keeps working.
    bad = [
        f"{name}={value!r} (must be {rule})"
        for name, value, rule, ok in (
            ("closed", closed, ">= 0", closed >= 0),
            ("ready", ready, ">= 0", ready >= 0),
            ("record", record, "> 0", record > 0),
            ("repeat", repeat, ">= 0", repeat >= 0),
            ("skip_first", skip_first, ">= 0", skip_first >= 0),
        )
        if not ok
    ]
    if bad:
        raise AssertionError(
            "Invalid profiler scheduler arguments: " + ", ".join(bad) + "; for example "
            "make_scheduler(closed=1, ready=1, record=4, repeat=1) records steps 2-5 once."
        )
    if ready == 0:
        warnings.warn(
            "Profiler will record data after enabling profiler immediately, some data "
            "collected at the beginning of profiling may be 'noisy' because of overhead.",
            stacklevel=2,
        )
    period = closed + ready + record

    def get_schedule_state(step: int) -> ProfilerState:
        if step < 0:
            raise AssertionError(f"profiler step numbers start at 0, got {step}")
        if step < skip_first:
            return ProfilerState.CLOSED
        step -= skip_first
        if repeat > 0 and step // period >= repeat:
            return ProfilerState.CLOSED
        pos = step % period
        if pos < closed:
            return ProfilerState.CLOSED
        if pos < closed + ready:
            return ProfilerState.READY
        return ProfilerState.RECORD if pos < period - 1 else ProfilerState.RECORD_AND_RETURN

    return get_schedule_state


def _record_always(step: int) -> ProfilerState:
    """Paddle's default: record from ``start()`` to ``stop()``."""
    return ProfilerState.RECORD


def scheduler_from(scheduler) -> Scheduler:
    """``Profiler(scheduler=...)``: a callable as is, a ``(start, end)`` pair as Paddle builds it
    (record steps ``[start, end)``, one READY step before when ``start >= 1``), None: always."""
    if callable(scheduler):
        return scheduler
    if isinstance(scheduler, (tuple, list)):
        if len(scheduler) != 2 or not scheduler[1] > scheduler[0]:
            raise AssertionError(
                f"Profiler(scheduler={scheduler!r}): a tuple scheduler is (start_batch, "
                "end_batch) with end_batch > start_batch, e.g. (3, 10) records steps 3-9."
            )
        start, end = scheduler
        start = max(start, 0)
        if start >= 1:
            return make_scheduler(closed=max(start - 1, 0), ready=1, record=end - start, repeat=1)
        return make_scheduler(closed=0, ready=0, record=end - start, repeat=1)
    if scheduler is None:
        return _record_always
    raise TypeError(
        f"Profiler(scheduler=...) takes a callable step -> ProfilerState, a (start_batch, "
        f"end_batch) tuple or None; got {type(scheduler).__name__} {scheduler!r}."
    )
