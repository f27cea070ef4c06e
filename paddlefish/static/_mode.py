"""Dynamic vs static mode: ``paddle.enable_static()`` / ``disable_static()`` / ``in_dynamic_mode()``.

paddlefish runs the dynamic graph. Static mode (building a ``paddle.static.Program`` by calling
layers, then running it with an ``Executor``) belongs to the static-graph work; until it lands,
``enable_static()`` refuses with a message that names what works instead, and ``disable_static()``
(which Paddle programs call defensively) is always fine.

>>> in_dynamic_mode()
True
>>> disable_static()
>>> in_dynamic_mode()
True
"""

from __future__ import annotations

import contextlib

from ..eager.device import get_device, set_device

__all__ = ["disable_static", "dygraph_guard", "enable_static", "in_dynamic_mode", "in_static_mode"]


def in_dynamic_mode() -> bool:
    """Whether ops run eagerly (always, in paddlefish today)."""
    return True


def in_static_mode() -> bool:
    return not in_dynamic_mode()


def enable_static() -> None:
    """Switch to static-graph mode: not available yet in paddlefish (see the module docstring)."""
    raise NotImplementedError(
        "paddle.enable_static(): paddlefish does not run static-graph programs built with "
        "paddle.static yet. Keep the dynamic graph and export with paddle.jit.save(layer, path, "
        "input_spec=[...]); load exported or Paddle-written models with paddle.jit.load(path)."
    )


def disable_static(place=None) -> None:
    """Switch (back) to dynamic mode, optionally on ``place``; a no-op when already dynamic."""
    if place is not None:
        set_device(place)


@contextlib.contextmanager
def dygraph_guard(place=None):
    """``paddle.base.dygraph.guard(place)``: run a block in dynamic mode (on ``place``)."""
    previous = get_device()
    disable_static(place)
    try:
        yield
    finally:
        set_device(previous)
