"""``paddle.signal`` (see ``paddlefish/tensor/signal.py``).

>>> import paddlefish as paddle
>>> paddle.signal.stft(paddle.ones([16]), n_fft=8).shape
[5, 9]
"""

from .._core.missing import module_getattr
from ..tensor.signal import frame as frame
from ..tensor.signal import istft as istft
from ..tensor.signal import overlap_add as overlap_add
from ..tensor.signal import stft as stft

__all__ = ["istft", "stft"]

__getattr__ = module_getattr("paddle.signal")
