"""The console progress bar of ``paddle.Model`` (Paddle's ``paddle.hapi.progressbar``).

NOTE [progress line format]: the text is Paddle's, character for character, because users grep
their logs for it: ``step  2/5 - loss: 1.1323 - acc: 0.1875 - 10ms/step``. ``verbose=1`` redraws
one line in place (``\\b``/``\\r``) with a ``[====>....]`` bar and an ETA; ``verbose=2`` and ``3``
print one line per update. Paddle treats every POSIX process as a live display (it tests
``'posix' in sys.modules``), so ``verbose=1`` always redraws in place there — we do the same, so
logs captured from both look alike. Floats print as ``%.4f`` (``%.4e`` when ``|v| <= 1e-3``).
"""

from __future__ import annotations

import os
import shutil
import struct
import sys
import time
from typing import Any

import numpy as np

__all__ = ["ProgressBar"]


def _max_width() -> int:
    terminal_width, _ = shutil.get_terminal_size()
    terminal_width = terminal_width if terminal_width > 0 else 80
    return min(int(terminal_width * 0.6), terminal_width - 50)


def _bf16_to_float(values: Any) -> list:
    arr = np.asarray(values)
    out = np.vectorize(
        lambda x: struct.unpack("<f", struct.pack("<I", int(x) << 16))[0], otypes=[np.float32]
    )(arr.flat)
    return list(np.reshape(out, arr.shape))


def _format_value(v: Any, *, ndarray_scalars: bool) -> str:
    if isinstance(v, (float, np.float32, np.float64)):
        return f" {v:.4f}" if abs(v) > 1e-3 else f" {v:.4e}"
    if ndarray_scalars and isinstance(v, np.ndarray) and v.size == 1 and v.dtype in (
        np.float32,
        np.float64,
    ):
        return f" {v.item():.4f}" if abs(v.item()) > 1e-3 else f" {v.item():.4e}"
    return f" {v}"


def _format_values(values, *, ndarray_scalars: bool) -> str:
    info = ""
    for k, val in values:
        info += f" - {k}:"
        for v in val if isinstance(val, list) else [val]:
            info += _format_value(v, ndarray_scalars=ndarray_scalars)
    return info


def _eta(seconds: float) -> str:
    eta = int(seconds)
    if eta > 3600:
        return f"{eta // 3600}:{(eta % 3600) // 60:02}:{eta % 60:02}"
    if eta > 60:
        return f"{eta // 60}:{eta % 60:02}"
    return f"{eta}s"


class ProgressBar:
    """Progress of one pass over the data, printed as Paddle prints it (see NOTE [progress line
    format]).

    >>> from paddlefish.hapi.progressbar import ProgressBar
    >>> bar = ProgressBar(num=4, verbose=2)
    >>> bar.update(2, [("loss", [0.5])])  # doctest: +ELLIPSIS
    step 2/4 - loss: 0.5000 - ...s/step
    """

    def __init__(
        self,
        num: int | None = None,
        width: int = 30,
        verbose: int = 1,
        start: bool = True,
        file=sys.stdout,
        name: str = "step",
    ) -> None:
        if isinstance(num, int) and num <= 0:
            raise TypeError("num should be None or integer (> 0)")
        self._num = num
        self._width = min(width, _max_width())
        self._total_width = 0
        self._verbose = verbose
        self.file = file
        self._values: dict = {}
        self._values_order: list = []
        if start:
            self._start = time.time()
        self._last_update = 0.0
        self.name = name
        self._dynamic_display = (
            (hasattr(self.file, "isatty") and self.file.isatty())
            or "ipykernel" in sys.modules
            or "posix" in sys.modules
            or "PYCHARM_HOSTED" in os.environ
        )

    def start(self) -> None:
        self.file.flush()
        self._start = time.time()

    def _speed(self, time_per_unit: float) -> str:
        if time_per_unit >= 1 or time_per_unit == 0:
            return f" - {time_per_unit:.0f}s/{self.name}"
        if time_per_unit >= 1e-3:
            return f" - {time_per_unit * 1e3:.0f}ms/{self.name}"
        return f" - {time_per_unit * 1e6:.0f}us/{self.name}"

    def update(self, current_num: int, values=()) -> None:
        """Show progress ``current_num`` (of ``num``) with ``values``: ``[(name, value), ...]``."""
        now = time.time()
        values = list(values)
        for i, (k, val) in enumerate(values):
            if k == "loss":
                scalar = val[0] if isinstance(val, list) else val
                if isinstance(scalar, np.uint16):  # bfloat16 losses travel as uint16
                    values[i] = ("loss", _bf16_to_float(val))
        time_per_unit = (now - self._start) / current_num if current_num else 0
        fps = self._speed(time_per_unit)
        if self._verbose == 1:
            self._update_bar(current_num, values, time_per_unit, fps)
            self._last_update = now
        elif self._verbose in (2, 3):
            self._update_line(current_num, values, fps)

    def _update_bar(self, current_num: int, values, time_per_unit: float, fps: str) -> None:
        out = sys.stdout
        prev_total_width = self._total_width
        out.write("\b" * prev_total_width + "\r" if self._dynamic_display else "\n")
        if self._num is not None:
            numdigits = int(np.log10(self._num)) + 1
            bar = (self.name + " %" + str(numdigits) + "d/%d [") % (current_num, self._num)
            prog_width = int(self._width * (float(current_num) / self._num))
            if prog_width > 0:
                bar += "=" * (prog_width - 1)
                bar += ">" if current_num < self._num else "="
            bar += "." * (self._width - prog_width) + "]"
        else:
            bar = f"{self.name} {current_num:3}"
        self._total_width = len(bar)
        out.write(bar)
        info = _format_values(values, ndarray_scalars=False)
        if self._num is not None and current_num < self._num:
            info += f" - ETA: {_eta(time_per_unit * (self._num - current_num))}"
        info += fps
        self._total_width += len(info)
        if prev_total_width > self._total_width:
            info += " " * (prev_total_width - self._total_width)
        if self._num is None or current_num >= self._num:
            info += "\n"
        out.write(info)
        out.flush()

    def _update_line(self, current_num: int, values, fps: str) -> None:
        if self._num:
            numdigits = int(np.log10(self._num)) + 1
            count = (self.name + " %" + str(numdigits) + "d/%d") % (current_num, self._num)
        else:
            count = f"{self.name} {current_num:3}"
        info = count + _format_values(values, ndarray_scalars=True) + fps + "\n"
        sys.stdout.write(info)
        sys.stdout.flush()
