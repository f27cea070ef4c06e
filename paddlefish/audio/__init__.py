"""``paddle.audio``: audio features (``features``), their math (``functional``) and PCM16 WAV
``load``/``save``/``info`` (``backends``). Paddle's datasets (ESC50, TESS) download at run time
and are not provided.

>>> import os, tempfile, paddlefish as paddle
>>> p = os.path.join(tempfile.mkdtemp(), "a.wav")
>>> paddle.audio.save(p, paddle.zeros([1, 800]), 8000)
>>> wav, sr = paddle.audio.load(p); wav.shape, sr
([1, 800], 8000)
"""

from .._core.missing import module_getattr
from . import backends as backends
from . import features as features
from . import functional as functional
from .backends import info as info
from .backends import load as load
from .backends import save as save

__all__ = ["backends", "features", "functional", "info", "load", "save"]  # datasets: see below

__getattr__ = module_getattr(
    "paddle.audio",
    {
        "datasets": "Paddle's audio datasets (ESC50, TESS) download their archives at run time; "
        "paddlefish ships no downloader — list the files and load them with paddle.audio.load",
    },
)
