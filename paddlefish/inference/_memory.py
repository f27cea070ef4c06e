"""Keeping freed activation memory in the process, as Paddle Inference's allocator does.

NOTE [inference memory]: torch's CPU allocator is plain ``malloc``/``free``. glibc serves a block
above its mmap threshold (dynamic, at most 32 MiB) with a fresh ``mmap`` and returns it to the
kernel on ``free``, so every run of a predictor whose activations are large page-faults all of them
in again: MobileNetV2 at batch 16 took 34,500 minor faults per run here and ran 1.44x slower
(264 ms vs 183 ms, 1 thread) than with the memory kept. Paddle Inference never pays this: its
auto-growth allocator keeps what it freed for the next run. ``keep_freed_memory()`` tells glibc the
same (``mallopt``: serve blocks up to 1 GiB from the heap, never trim the heap's top below 2 GiB),
once per process, when the first predictor is created. The cost is the same as Paddle's: the
process keeps its peak activation memory after a run. It is a process-wide setting; turn it off
with ``Config.keep_freed_memory(False)`` before ``create_predictor``. Not glibc (macOS, musl):
nothing happens.
"""

from __future__ import annotations

import ctypes

__all__ = ["keep_freed_memory"]

_M_TRIM_THRESHOLD = -1
_M_MMAP_THRESHOLD = -3
_MMAP_MAX = 1 << 30  # blocks above this still get their own mapping
_TRIM = (1 << 31) - 1  # mallopt takes an int

_state: bool | None = None


def keep_freed_memory() -> bool:
    """Ask glibc's malloc to keep freed blocks for reuse (see NOTE [inference memory]); True if
    it took (now or earlier in this process)."""
    global _state
    if _state is None:
        try:
            mallopt = ctypes.CDLL(None).mallopt
        except (OSError, AttributeError):  # not glibc
            _state = False
            return _state
        mallopt.argtypes = [ctypes.c_int, ctypes.c_int]
        mallopt.restype = ctypes.c_int
        # older glibc refuses thresholds above half its arena size (32 MiB): take what it allows
        took = mallopt(_M_MMAP_THRESHOLD, _MMAP_MAX) or mallopt(_M_MMAP_THRESHOLD, 32 << 20)
        _state = bool(took) and bool(mallopt(_M_TRIM_THRESHOLD, _TRIM))
    return _state
