"""``paddle.incubate.nn``: Paddle 2.6's fused layers (parameters as Paddle's; most forwards are
GPU-only in Paddle, see NOTE [incubate GPU-only kernels]) and ``functional``.

>>> import paddlefish as paddle
>>> sorted(paddle.incubate.nn.FusedLinear(2, 3).state_dict())
['bias', 'weight']
"""

from ..._core.missing import module_getattr
from . import functional as functional
from ._fused_layers import FusedDropout as FusedDropout
from ._fused_layers import FusedDropoutAdd as FusedDropoutAdd
from ._fused_layers import FusedLinear as FusedLinear
from ._fused_transformer import FusedBiasDropoutResidualLayerNorm as FusedBiasDropoutResidualLayerNorm
from ._fused_transformer import FusedFeedForward as FusedFeedForward
from ._fused_transformer import FusedMultiHeadAttention as FusedMultiHeadAttention
from ._fused_transformer import FusedTransformerEncoderLayer as FusedTransformerEncoderLayer

__all__ = [
    "FusedBiasDropoutResidualLayerNorm",
    "FusedDropoutAdd",
    "FusedFeedForward",
    "FusedLinear",
    "FusedMultiHeadAttention",
    "FusedTransformerEncoderLayer",
]

__getattr__ = module_getattr("paddle.incubate.nn")
