"""``paddle.fft`` (see ``paddlefish/tensor/fft.py``).

>>> import paddlefish as paddle
>>> paddle.fft.fftfreq(4).numpy().tolist()
[0.0, 0.25, -0.5, -0.25]
"""

from .._core.missing import module_getattr
from ..tensor.fft import *
from ..tensor.fft import __all__ as __all__

__getattr__ = module_getattr("paddle.fft")
