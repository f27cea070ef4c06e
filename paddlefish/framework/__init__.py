"""``paddle.save`` / ``paddle.load`` (L5): Paddle's pickle checkpoints, read and written."""

from ._save import STALE_TMP_SECONDS as STALE_TMP_SECONDS
from ._save import remove_stale_tmp as remove_stale_tmp
from .io import load as load
from .io import save as save
