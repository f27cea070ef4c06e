"""``paddle.audio.features``: spectrogram, mel, log-mel and MFCC layers.

>>> import paddlefish as paddle
>>> from paddlefish.audio.features import MFCC
>>> MFCC(sr=16000, n_mfcc=13, n_fft=256, n_mels=32)(paddle.ones([2, 1024])).shape
[2, 13, 17]
"""

from ._layers import MFCC as MFCC
from ._layers import LogMelSpectrogram as LogMelSpectrogram
from ._layers import MelSpectrogram as MelSpectrogram
from ._layers import Spectrogram as Spectrogram

__all__ = ["MFCC", "LogMelSpectrogram", "MelSpectrogram", "Spectrogram"]
