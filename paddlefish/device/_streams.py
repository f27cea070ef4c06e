"""``paddle.device`` streams and events, and the places of devices paddlefish cannot drive.

Streams and events are CUDA's (``torch.cuda.Stream``/``Event`` under Paddle's names and
arguments) where torch has CUDA; on a CPU-only machine they raise ``TypeError`` as a CPU build of
Paddle does ("device should be gpu, xpu, ..."). ``stream_guard(None)`` is a no-op, as in
Paddle. ``XPUPlace``, ``IPUPlace`` and ``CustomPlace`` raise ``RuntimeError`` with Paddle's
explanation (a CPU build of Paddle prints it and aborts the process); ``CUDAPinnedPlace`` is
page-locked host memory where CUDA exists and refused otherwise, as Paddle refuses it.

>>> import paddlefish as paddle
>>> with paddle.device.stream_guard(None):
...     pass
"""

from __future__ import annotations

import contextlib

import torch

from ..eager.device import Place

__all__ = [
    "CUDAPinnedPlace",
    "CustomPlace",
    "Event",
    "IPUPlace",
    "Stream",
    "XPUPlace",
    "current_stream",
    "set_stream",
    "stream_guard",
]


def _cuda_device(device, what: str):
    if not torch.cuda.is_available():
        raise TypeError(
            f"paddle.device.{what}: device should be gpu, xpu, or a custom device; this machine "
            "has no CUDA device (torch was built or runs without CUDA)"
        )
    if device is None:
        return torch.device("cuda", torch.cuda.current_device())
    if isinstance(device, Place):
        return device._device
    if isinstance(device, int):
        return torch.device("cuda", device)
    name = str(device).replace("gpu", "cuda")
    return torch.device(name)


class Stream:
    """A CUDA stream (``paddle.device.Stream(device=None, priority=2)``; Paddle's priority 1 is
    high, 2 normal)."""

    def __init__(self, device=None, priority=2, stream_base=None):
        if stream_base is not None:
            self._s = stream_base
            return
        dev = _cuda_device(device, "Stream")
        self._s = torch.cuda.Stream(device=dev, priority=-1 if priority == 1 else 0)

    def wait_event(self, event):
        self._s.wait_event(event._e)

    def wait_stream(self, stream):
        self._s.wait_stream(stream._s)

    def record_event(self, event=None):
        event = event or Event()
        event._e.record(self._s)
        return event

    def query(self) -> bool:
        return self._s.query()

    def synchronize(self) -> None:
        self._s.synchronize()

    @property
    def cuda_stream(self):
        return self._s.cuda_stream

    def __eq__(self, other):
        return isinstance(other, Stream) and self._s == other._s

    def __hash__(self):
        return hash(self._s)


class Event:
    """A CUDA event (``paddle.device.Event(device=None, enable_timing=False, blocking=False,
    interprocess=False)``)."""

    def __init__(self, device=None, enable_timing=False, blocking=False, interprocess=False):
        _cuda_device(device, "Event")
        self._e = torch.cuda.Event(
            enable_timing=enable_timing, blocking=blocking, interprocess=interprocess
        )

    def record(self, stream=None):
        self._e.record(stream._s if stream is not None else None)

    def query(self) -> bool:
        return self._e.query()

    def elapsed_time(self, end_event) -> float:
        return self._e.elapsed_time(end_event._e)

    def synchronize(self) -> None:
        self._e.synchronize()


def current_stream(device=None) -> Stream:
    """The current CUDA stream of ``device``."""
    dev = _cuda_device(device, "current_stream")
    return Stream(stream_base=torch.cuda.current_stream(dev))


def set_stream(stream: Stream) -> Stream:
    """Make ``stream`` current; returns the previous one."""
    prev = current_stream(stream._s.device)
    torch.cuda.set_stream(stream._s)
    return prev


@contextlib.contextmanager
def stream_guard(stream):
    """Run the block on ``stream`` (``None``: unchanged)."""
    if stream is None:
        yield
        return
    prev = set_stream(stream)
    try:
        yield
    finally:
        torch.cuda.set_stream(prev._s)


def XPUPlace(dev_id=0):
    raise RuntimeError(
        "Cannot use XPU because you have installed CPU/GPU version PaddlePaddle. If you want to "
        "use XPU, please try to install XPU version PaddlePaddle by: pip install "
        "paddlepaddle-xpu. If you only have CPU, please change XPUPlace(0) to be CPUPlace(). "
        "(paddlefish runs on torch's CPU and CUDA devices only.)"
    )


def IPUPlace():
    raise RuntimeError(
        "Cannot use IPU because you didn't install IPU version PaddlePaddle. If you only have "
        "CPU, please change IPUPlace to be CPUPlace(). (paddlefish runs on torch's CPU and CUDA "
        "devices only.)"
    )


def CustomPlace(device_type, dev_id=0):
    raise RuntimeError(
        f"Invalid CustomPlace({device_type}, {dev_id}), the device type is not registered as a "
        "custom device (paddlefish has no custom-device plugins; use CPUPlace or CUDAPlace)."
    )


def CUDAPinnedPlace():
    if not torch.cuda.is_available():
        raise RuntimeError(
            "(PermissionDenied) Cannot use CUDAPinnedPlace in CPU only version, Please recompile "
            "or reinstall Paddle with CUDA support."
        )
    return Place(torch.device("cpu"))
