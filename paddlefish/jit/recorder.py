"""The recorder lives in ``static/recorder.py`` (L5), shared by ``jit`` and static mode."""

from ..static.recorder import COMMON_ATTRS as COMMON_ATTRS
from ..static.recorder import DYN_A as DYN_A
from ..static.recorder import DYN_B as DYN_B
from ..static.recorder import Recorder as Recorder
from ..static.recorder import coerce_attr as coerce_attr
from ..static.recorder import flatten_outputs as flatten_outputs

__all__ = ["COMMON_ATTRS", "DYN_A", "DYN_B", "Recorder", "coerce_attr", "flatten_outputs"]
