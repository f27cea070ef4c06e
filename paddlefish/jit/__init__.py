"""``paddle.jit``: dynamic-to-static recording, ``save``/``load`` and ``TranslatedLayer``.

``INFER_*_SUFFIX`` live in ``paddle.jit.api`` / ``paddle.jit.translated_layer`` in real Paddle;
they are re-exported here too.
"""

from .._core.missing import module_getattr as _module_getattr
from ..static.dy2static._logging import set_code_level as set_code_level
from ..static.dy2static._logging import set_verbosity as set_verbosity
from .api import INFER_MODEL_SUFFIX as INFER_MODEL_SUFFIX
from .api import INFER_PARAMS_INFO_SUFFIX as INFER_PARAMS_INFO_SUFFIX
from .api import INFER_PARAMS_SUFFIX as INFER_PARAMS_SUFFIX
from .api import StaticFunction as StaticFunction
from .api import enable_to_static as enable_to_static
from .api import ignore_module as ignore_module
from .api import not_to_static as not_to_static
from .api import to_static as to_static
from .convert import convert_program as convert_program
from .load import load as load
from .load import resolve_model_files as resolve_model_files
from .save import save as save
from .translated_layer import TranslatedLayer as TranslatedLayer

__all__ = [
    "INFER_MODEL_SUFFIX",
    "INFER_PARAMS_INFO_SUFFIX",
    "INFER_PARAMS_SUFFIX",
    "StaticFunction",
    "TranslatedLayer",
    "convert_program",
    "enable_to_static",
    "ignore_module",
    "load",
    "not_to_static",
    "resolve_model_files",
    "save",
    "set_code_level",
    "set_verbosity",
    "to_static",
]

__getattr__ = _module_getattr("paddle.jit")
