"""When to save and which steps to keep: small policy objects (STYLE.md rule 9)."""

from __future__ import annotations

import math
import time
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

__all__ = ["ASYNC_MODES", "KeepPolicy", "SavePolicy", "resolve_async_mode"]

ASYNC_MODES = ("auto", "fork", "copy")


def _positive(name: str, v: Any, kind: type | tuple = int) -> None:
    if v is None:
        return
    ok = isinstance(v, kind) and not isinstance(v, bool) and v > 0
    if not ok or (isinstance(v, float) and not math.isfinite(v)):
        raise ValueError(f"CheckpointManager: {name} must be a positive number or None, got {v!r}")


@dataclass
class SavePolicy:
    """Save at steps that are multiples of ``interval_steps``, or once ``interval_seconds`` have
    passed since the last save (either one suffices); with neither, save every call."""

    interval_steps: int | None = None
    interval_seconds: float | None = None

    def __post_init__(self) -> None:
        _positive("save_interval_steps", self.interval_steps)
        _positive("save_interval_seconds", self.interval_seconds, (int, float))
        self.last_time = time.monotonic()

    def should_save(self, step: int) -> bool:
        if self.interval_steps is None and self.interval_seconds is None:
            return True
        if self.interval_steps is not None and step % self.interval_steps == 0:
            return True
        if self.interval_seconds is not None:
            return time.monotonic() - self.last_time >= self.interval_seconds
        return False

    def saved(self) -> None:
        self.last_time = time.monotonic()


@dataclass
class KeepPolicy:
    """Keep the newest ``max_to_keep`` steps plus the best ``k`` by a metric (``keep_best =
    (metric, mode, k)``, mode ``'min'`` or ``'max'``); a step without that metric never counts as
    best. ``max_to_keep=None`` keeps every step unless ``keep_best`` is given, in which case the
    best ``k`` and the newest step (for resuming) are kept."""

    max_to_keep: int | None = None
    keep_best: tuple[str, str, int] | None = None

    def __post_init__(self) -> None:
        _positive("max_to_keep", self.max_to_keep)
        if self.keep_best is not None:
            kb = self.keep_best
            if not (isinstance(kb, (tuple, list)) and len(kb) == 3):
                raise ValueError(
                    f"CheckpointManager: keep_best must be (metric, mode, k), e.g. "
                    f"('loss', 'min', 3); got {kb!r}"
                )
            metric, mode, k = kb
            if not isinstance(metric, str) or mode not in ("min", "max"):
                raise ValueError(
                    f"CheckpointManager: keep_best=(metric, mode, k) needs a metric name and mode "
                    f"'min' or 'max'; got metric={metric!r}, mode={mode!r}"
                )
            _positive("keep_best's k", k)
            self.keep_best = (metric, mode, k)

    def to_keep(self, steps: Mapping[int, Mapping[str, Any]]) -> set[int]:
        """The steps to keep, given every committed step's metrics."""
        ordered = sorted(steps)
        if self.max_to_keep is None and self.keep_best is None:
            return set(ordered)
        keep = set(ordered[-(self.max_to_keep or 1) :])
        if self.keep_best is not None:
            metric, mode, k = self.keep_best
            scored = [(s, m[metric]) for s, m in steps.items() if _is_number(m.get(metric))]
            scored.sort(key=lambda sv: (sv[1] if mode == "min" else -sv[1], -sv[0]))
            keep |= {s for s, _ in scored[:k]}
        return keep


def _is_number(v: Any) -> bool:
    return isinstance(v, (int, float)) and not isinstance(v, bool) and math.isfinite(v)


def resolve_async_mode(mode: Any, local: bool, can_fork: bool) -> str:
    """How a background save snapshots the state: ``"fork"`` (a copy-on-write child process
    writes it, see NOTE [fork snapshot] in ``_fork.py``) or ``"copy"`` (copied into host buffers
    and written by a thread, see NOTE [staging buffers] in ``_state.py``). ``"auto"`` forks for a
    local directory on a platform with ``os.fork`` and copies otherwise."""
    if mode not in ASYNC_MODES:
        raise ValueError(
            f"CheckpointManager: async_mode must be one of {', '.join(map(repr, ASYNC_MODES))}, "
            f"got {mode!r}"
        )
    if mode == "fork" and not can_fork:
        raise ValueError(
            "CheckpointManager: async_mode='fork' needs os.fork, which this platform lacks; use "
            "async_mode='auto' or 'copy'"
        )
    if mode == "fork" and not local:
        raise ValueError(
            "CheckpointManager: async_mode='fork' writes from a forked child process, which only "
            "works for a local directory (fsspec clients do not survive fork, and memory:// "
            "would be written in the child's memory only); use async_mode='auto' or 'copy'"
        )
    if mode == "auto":
        return "fork" if local and can_fork else "copy"
    return mode
