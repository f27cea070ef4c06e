"""``paddle.nn.functional``. Each module adds its names below (explicit re-exports)."""

from ...tensor.math import relu as relu
from ...tensor.math import sigmoid as sigmoid
from ...tensor.math import tanh as tanh
from .linear import linear as linear
