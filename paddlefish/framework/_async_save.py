"""``paddle.async_save`` and ``paddle.clear_async_save_task_queue`` (Paddle 2.6 / 3.3).

NOTE [async save]: Paddle's ``async_save(obj, path, protocol=4, sync_other_task=False,
**configs)`` takes a state dict or a Tensor (anything else: TypeError), warns that ``configs`` are
ignored, and runs ``paddle.save(obj, path, protocol)`` in a new non-daemon thread that
``clear_async_save_task_queue()`` joins. Ours keeps that signature and those refusals, and adds:

* **A snapshot before returning.** Every Tensor (and ndarray) in ``obj`` is copied and the copy is
  encoded before ``async_save`` returns, so training may update the parameters right away and
  the file still holds the values of the call (Paddle pickles the live tensors in the thread).
  Objects ``paddle.save`` refuses (a Layer inside the dict, a bad path or protocol) raise here,
  in the caller.
* **Atomic writes in call order.** The thread writes through the same atomic path as
  ``paddle.save``; two pending saves to one path (or one stream) run in the order they were
  made, so the newest call wins.
* **Errors surface.** An exception in the thread (disk full, permission denied) is kept and
  raised by the next ``clear_async_save_task_queue()`` (also run by ``sync_other_task=True``),
  the first one re-raised with notes naming its path and any other failures. An error nobody
  collected is reported as a RuntimeWarning when the interpreter exits; none vanishes silently.
"""

from __future__ import annotations

import atexit
import collections
import os
import threading
import warnings
from collections.abc import Callable
from typing import IO, Any

import numpy as np

from ..eager import Tensor
from . import _save
from ._configs import parse_save_configs

__all__ = ["async_save", "clear_async_save_task_queue"]


class _Task:
    """One background save; ``previous`` is the pending save of the same target, if any."""

    def __init__(
        self, target: Any, write: Callable[[IO[bytes]], None], previous: _Task | None
    ) -> None:
        self.target = target
        self.where = target if isinstance(target, str) else f"<{type(target).__name__}>"
        self.error: BaseException | None = None
        self.claimed = False
        self.thread = threading.Thread(
            target=self._run, args=(write, previous), name=f"paddle.async_save {self.where}"
        )

    def _run(self, write: Callable[[IO[bytes]], None], previous: _Task | None) -> None:
        if previous is not None:
            previous.thread.join()
        try:
            _save.write_to(write, self.target)
        except BaseException as e:  # noqa: BLE001 - re-raised by clear_async_save_task_queue
            self.error = e


_lock = threading.Lock()
_tasks: list[_Task] = []
_last: dict[Any, _Task] = {}  # target key -> its newest pending task


def _key(target: Any) -> Any:
    return ("path", os.path.abspath(target)) if isinstance(target, str) else ("stream", id(target))


def _snapshot(x: Any) -> Any:
    """A copy of ``x`` whose Tensors and ndarrays own their data (containers rebuilt)."""
    if isinstance(x, Tensor):
        return Tensor(x._t.detach().clone(), name=x.name)
    if isinstance(x, np.ndarray):
        return x.copy()
    if type(x) in (dict, collections.OrderedDict):
        return type(x)((k, _snapshot(v)) for k, v in x.items())
    if isinstance(x, dict):  # a dict subclass is saved as a plain dict anyway
        return {k: _snapshot(v) for k, v in x.items()}
    if type(x) in (list, tuple, set, frozenset):
        return type(x)(_snapshot(v) for v in x)
    return x


def async_save(
    obj: Any, path: Any, protocol: int = 4, sync_other_task: bool = False, **configs: Any
) -> None:
    """Save ``obj`` like ``paddle.save`` in a background thread, from a snapshot taken now.

    ``obj``: a state dict or a Tensor (as in Paddle). ``path``: a file name or a binary stream.
    ``sync_other_task=True`` first waits for the pending saves. ``configs`` are ignored with a
    warning, as in Paddle. Call ``clear_async_save_task_queue()`` to wait for every pending save;
    it raises the error of a save that failed (see NOTE [async save]).

    >>> import os, tempfile, paddlefish as paddle
    >>> net = paddle.nn.Linear(2, 2)
    >>> p = os.path.join(tempfile.mkdtemp(), 'net.pdparams')
    >>> async_save(net.state_dict(), p)
    >>> clear_async_save_task_queue()
    >>> paddle.load(p)['weight'].shape
    [2, 2]
    """
    if configs:
        warnings.warn(
            f"paddle.async_save: configs {sorted(configs)} are not supported in async mode and "
            "are ignored (as in Paddle); use paddle.save for use_binary_format/safetensors",
            stacklevel=2,
        )
    if not isinstance(obj, (dict, Tensor)):
        raise TypeError(
            f"paddle.async_save: currently async_save does not support this type: "
            f"{type(obj).__name__}; it saves a state dict or a Tensor (use paddle.save for other "
            "objects)"
        )
    cfg = parse_save_configs(protocol, {})
    target = _save.check_target(path)
    write = _save.prepare(_snapshot(obj), cfg)
    if sync_other_task:
        clear_async_save_task_queue()
    with _lock:
        key = _key(target)
        task = _Task(target, write, _last.get(key))
        _last[key] = task
        _tasks.append(task)
        task.thread.start()


def clear_async_save_task_queue() -> None:
    """Wait until every pending ``async_save`` has finished; raise the first error among them.

    The error is re-raised as it happened in the background thread (e.g. ``PermissionError``),
    with notes naming the path and any other saves that failed.

    >>> clear_async_save_task_queue()  # nothing pending: returns at once
    """
    with _lock:
        tasks = list(_tasks)
        _tasks.clear()
        _last.clear()
    for task in tasks:
        task.thread.join()
    failed = [t for t in tasks if t.error is not None]
    for t in failed:
        t.claimed = True
    if not failed:
        return
    first = failed[0].error
    assert first is not None
    first.add_note(f"raised by paddle.async_save(..., {failed[0].where!r}) in a background thread")
    for t in failed[1:]:
        first.add_note(
            f"paddle.async_save(..., {t.where!r}) also failed: {type(t.error).__name__}: {t.error}"
        )
    raise first


def _report_unclaimed() -> None:
    """At exit (after Python joined the save threads): warn about errors nobody collected."""
    with _lock:
        tasks = list(_tasks)
    for t in tasks:
        if t.error is not None and not t.claimed:
            warnings.warn(
                f"paddle.async_save(..., {t.where!r}) failed in the background and "
                f"clear_async_save_task_queue() was never called: {type(t.error).__name__}: "
                f"{t.error}",
                RuntimeWarning,
                stacklevel=1,
            )


atexit.register(_report_unclaimed)
