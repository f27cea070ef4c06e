"""``on_trace_ready`` callbacks that write each recorded period to a directory."""

from __future__ import annotations

import datetime
import os
import socket
from collections.abc import Callable

__all__ = ["export_chrome_tracing", "export_protobuf"]


def _make_dir(dir_name: str) -> None:
    try:
        os.makedirs(dir_name, exist_ok=True)
    except OSError as e:
        raise RuntimeError(
            f"Can not create directory '{dir_name}' for saving profiling results: {e}. "
            "Pass a writable directory to export_chrome_tracing(dir_name)."
        ) from e


def export_chrome_tracing(dir_name: str, worker_name: str | None = None) -> Callable:
    """An ``on_trace_ready`` callback that writes each recorded period to
    ``dir_name/{worker_name}_time_{%Y_%m_%d_%H_%M_%S_%f}.paddle_trace.json`` (chrome tracing;
    ``worker_name`` defaults to ``host_{hostname}pid_{pid}``, Paddle's file names).

    >>> import os, tempfile
    >>> import paddlefish as paddle
    >>> import paddlefish.profiler as profiler
    >>> log = tempfile.mkdtemp()
    >>> with profiler.Profiler(scheduler=(1, 3), on_trace_ready=profiler.export_chrome_tracing(log)) as p:
    ...     for i in range(4):
    ...         y = paddle.ones([2, 2]) * 3
    ...         p.step()
    >>> [f.endswith('.paddle_trace.json') for f in os.listdir(log)]
    [True]
    """
    dir_name = os.fspath(dir_name)
    _make_dir(dir_name)

    def handle_fn(prof) -> None:
        nonlocal worker_name
        if not worker_name:
            worker_name = f"host_{socket.gethostname()}pid_{os.getpid()}"
        now = datetime.datetime.now().strftime("%Y_%m_%d_%H_%M_%S_%f")
        prof.export(os.path.join(dir_name, f"{worker_name}_time_{now}.paddle_trace.json"), "json")

    return handle_fn


def export_protobuf(dir_name: str, worker_name: str | None = None) -> Callable:
    """Not supported: Paddle's protobuf trace format (``*.paddle_trace.pb``) is not written by
    paddlefish. Raises ``NotImplementedError`` at once (before any training step runs); use
    ``export_chrome_tracing(dir_name, worker_name)``, whose JSON ``load_profiler_result`` reads.

    >>> import paddlefish.profiler as profiler
    >>> try:
    ...     profiler.export_protobuf('./log')
    ... except NotImplementedError as e:
    ...     print('export_chrome_tracing' in str(e))
    True
    """
    raise NotImplementedError(
        f"paddle.profiler.export_protobuf({dir_name!r}): Paddle's protobuf trace format is not "
        "supported by paddlefish. Use on_trace_ready=paddle.profiler.export_chrome_tracing("
        f"{dir_name!r}) instead: it writes chrome-tracing JSON that chrome://tracing, Perfetto "
        "and paddle.profiler.load_profiler_result read."
    )
