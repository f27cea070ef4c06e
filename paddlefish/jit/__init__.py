"""``paddle.jit``: dynamic-to-static recording, ``save``/``load`` and ``TranslatedLayer``."""

from .api import StaticFunction as StaticFunction
from .api import enable_to_static as enable_to_static
from .api import ignore_module as ignore_module
from .api import not_to_static as not_to_static
from .api import to_static as to_static
from .load import load as load
from .load import resolve_model_files as resolve_model_files
from .save import save as save
from .translated_layer import TranslatedLayer as TranslatedLayer
