"""``paddle.audio.functional``: mel scale, filter banks, dB, DCT and windows.

>>> from paddlefish.audio import functional as AF
>>> round(AF.hz_to_mel(1000.0), 4), AF.compute_fbank_matrix(16000, 512, n_mels=8).shape
(15.0, [8, 257])
"""

from ._functional import compute_fbank_matrix as compute_fbank_matrix
from ._functional import create_dct as create_dct
from ._functional import fft_frequencies as fft_frequencies
from ._functional import hz_to_mel as hz_to_mel
from ._functional import mel_frequencies as mel_frequencies
from ._functional import mel_to_hz as mel_to_hz
from ._functional import power_to_db as power_to_db
from .window import get_window as get_window

__all__ = [
    "compute_fbank_matrix",
    "create_dct",
    "fft_frequencies",
    "get_window",
    "hz_to_mel",
    "mel_frequencies",
    "mel_to_hz",
    "power_to_db",
]
