"""Dynamic vs static mode: ``paddle.enable_static()`` / ``disable_static()`` / ``in_dynamic_mode()``.

Static mode installs the current main program's recorder on the calling thread's dispatch hook
(NOTE [thread-local recording] in eager/dispatch.py): from then on layers and functional calls
append ops to ``paddle.static.default_main_program()`` (or the ``program_guard``'s program) and
return static ``Variable``s; ``paddle.static.Executor`` runs the programs. The mode therefore
belongs to the thread that enabled it: other threads (data-loader workers) keep running eagerly.

>>> in_dynamic_mode()
True
>>> enable_static(); in_dynamic_mode()
False
>>> disable_static(); in_dynamic_mode()
True
"""

from __future__ import annotations

import contextlib

from ..eager.device import get_device, set_device
from ..eager.dispatch import get_recorder, set_recorder
from ._program import StaticRecorder, default_main_program, static_mode_on

__all__ = ["disable_static", "dygraph_guard", "enable_static", "in_dynamic_mode", "in_static_mode"]


def in_dynamic_mode() -> bool:
    """Whether ops run eagerly in this thread (False between ``enable_static()`` and
    ``disable_static()``)."""
    return not static_mode_on()


def in_static_mode() -> bool:
    return static_mode_on()


def enable_static() -> None:
    """Switch this thread to static-graph mode: layer calls build the default main program."""
    rec = get_recorder()
    if rec is not None and not isinstance(rec, StaticRecorder):
        raise RuntimeError("paddle.enable_static() cannot be called while a forward is being "
                           "converted (jit.save / to_static)")
    set_recorder(default_main_program()._recorder())


def disable_static(place=None) -> None:
    """Switch (back) to dynamic mode, optionally on ``place``; a no-op when already dynamic."""
    if static_mode_on():
        set_recorder(None)
    if place is not None:
        set_device(place)


@contextlib.contextmanager
def dygraph_guard(place=None):
    """``paddle.base.dygraph.guard(place)``: run a block in dynamic mode (on ``place``)."""
    previous = get_device()
    old = get_recorder() if static_mode_on() else None
    disable_static(place)
    try:
        yield
    finally:
        set_device(previous)
        if old is not None:
            set_recorder(old)
