"""``paddle.save`` / ``paddle.load`` (L5): Paddle's pickle checkpoints, read and written; also
``paddle.async_save`` and ``paddle.create_parameter``."""

from ._async_save import async_save as async_save
from ._async_save import clear_async_save_task_queue as clear_async_save_task_queue
from ._create_parameter import create_parameter as create_parameter
from ._save import STALE_TMP_SECONDS as STALE_TMP_SECONDS
from ._save import remove_stale_tmp as remove_stale_tmp
from .io import load as load
from .io import save as save

__all__ = [
    "STALE_TMP_SECONDS",
    "async_save",
    "clear_async_save_task_queue",
    "create_parameter",
    "load",
    "remove_stale_tmp",
    "save",
]
