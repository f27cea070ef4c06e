"""The checkpoint manager's exception types."""

from __future__ import annotations

from ..errors import PaddlefishError

__all__ = [
    "CheckpointError",
    "CheckpointSaveError",
    "DamagedCheckpointError",
    "NotACheckpointError",
]


class CheckpointError(PaddlefishError, RuntimeError):
    """A checkpoint cannot be saved or restored as asked (the message says why and what to do)."""


class NotACheckpointError(CheckpointError, FileNotFoundError):
    """A directory holds no committed checkpoint step."""


class DamagedCheckpointError(CheckpointError):
    """A committed step does not match its manifest (a file missing, truncated or changed)."""


class CheckpointSaveError(CheckpointError):
    """A background (async) save failed; raised by the next ``save`` or ``wait``."""
