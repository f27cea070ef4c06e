"""``paddlefish.checkpoint``: a training checkpoint manager that survives crashes, preemption and
remote storage (paddlefish addition; Paddle has no equivalent). See ``CheckpointManager``."""

from ._errors import CheckpointError as CheckpointError
from ._errors import CheckpointSaveError as CheckpointSaveError
from ._errors import DamagedCheckpointError as DamagedCheckpointError
from ._errors import NotACheckpointError as NotACheckpointError
from ._manager import CheckpointManager as CheckpointManager
from ._manager import CheckpointWarning as CheckpointWarning
from ._manager import RestoredState as RestoredState

__all__ = [
    "CheckpointError",
    "CheckpointManager",
    "CheckpointSaveError",
    "CheckpointWarning",
    "DamagedCheckpointError",
    "NotACheckpointError",
    "RestoredState",
]
