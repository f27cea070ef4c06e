"""``paddle.utils``: nested-structure helpers, unique names, ``try_import``, ``deprecated``,
``run_check`` — thin re-exports of what ``paddlefish._core`` and ``framework`` define.

>>> import paddlefish as paddle
>>> paddle.utils.flatten([1, {"b": 2, "a": 3}])
[1, 3, 2]
>>> with paddle.utils.unique_name.guard():
...     paddle.utils.unique_name.generate("fc")
'fc_0'
"""

import sys as _sys

from .._core import unique_name as unique_name
from .._core.missing import module_getattr
from .._core.nest import assert_same_structure as assert_same_structure
from .._core.nest import flatten as flatten
from .._core.nest import is_sequence as is_sequence
from .._core.nest import map_structure as map_structure
from .._core.nest import pack_sequence_as as pack_sequence_as
from .._core.pyutils import deprecated as deprecated
from .._core.pyutils import require_version as require_version
from .._core.pyutils import try_import as try_import
from ..framework._run_check import run_check as run_check

__all__ = [
    "assert_same_structure",
    "deprecated",
    "flatten",
    "is_sequence",
    "map_structure",
    "pack_sequence_as",
    "require_version",
    "run_check",
    "try_import",
    "unique_name",
]

# ``import paddle.utils.unique_name`` must find the one module (NOTE [stand-in identity]).
_sys.modules[__name__ + ".unique_name"] = unique_name

__getattr__ = module_getattr("paddle.utils")
