"""``Variable`` lives in ``static/variable.py`` (L5), shared by ``jit`` and static mode."""

from ..static.variable import Variable as Variable
from ..static.variable import user_line as user_line

__all__ = ["Variable", "user_line"]
