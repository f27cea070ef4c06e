"""``paddle.hapi.callbacks`` (also ``paddle.callbacks``): the hooks ``Model.fit`` calls and
Paddle's stock callbacks.

>>> from paddlefish.hapi import callbacks
>>> sorted(c for c in callbacks.__all__ if c != "config_callbacks")[:3]
['Callback', 'CallbackList', 'EarlyStopping']
"""

from ._callbacks import Callback as Callback
from ._callbacks import CallbackList as CallbackList
from ._callbacks import EarlyStopping as EarlyStopping
from ._callbacks import LRScheduler as LRScheduler
from ._callbacks import ModelCheckpoint as ModelCheckpoint
from ._callbacks import ProgBarLogger as ProgBarLogger
from ._callbacks import ReduceLROnPlateau as ReduceLROnPlateau
from ._callbacks import VisualDL as VisualDL
from ._callbacks import WandbCallback as WandbCallback
from ._callbacks import config_callbacks as config_callbacks

__all__ = [
    "Callback",
    "CallbackList",
    "EarlyStopping",
    "LRScheduler",
    "ModelCheckpoint",
    "ProgBarLogger",
    "ReduceLROnPlateau",
    "VisualDL",
    "WandbCallback",
    "config_callbacks",
]
