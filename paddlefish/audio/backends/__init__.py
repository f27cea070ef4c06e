"""``paddle.audio.backends``: the ``wave_backend`` (PCM16 WAV, the standard library); Paddle's
optional ``soundfile`` backend comes with the ``paddleaudio`` package and is not provided.

>>> from paddlefish.audio import backends
>>> backends.list_available_backends(), backends.get_current_backend()
(['wave_backend'], 'wave_backend')
"""

from . import _wave
from ._wave import AudioInfo as AudioInfo

__all__ = ["get_current_backend", "list_available_backends", "set_backend"]


def list_available_backends() -> list:
    return ["wave_backend"]


def get_current_backend() -> str:
    return "wave_backend"


def set_backend(backend_name: str) -> None:
    if backend_name not in list_available_backends():
        raise NotImplementedError(
            f"audio backend {backend_name!r} is not available: paddlefish has the wave_backend "
            "(PCM16 WAV) only"
        )


info, load, save = _wave.info, _wave.load, _wave.save
