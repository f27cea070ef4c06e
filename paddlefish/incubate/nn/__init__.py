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
from ._fused_transformer import (
    FusedBiasDropoutResidualLayerNorm as FusedBiasDropoutResidualLayerNorm,
)
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

_GPU = "GPU-only in Paddle 2.6 and not built in paddlefish; use paddle.nn.TransformerEncoder"
_NOT_BUILT = {
    "FusedMultiTransformer": _GPU,
    "FusedEcMoe": "GPU-only in Paddle 2.6 (the CPU build has no 'moe' op); not built in paddlefish",
    "memory_efficient_attention": "use paddle.nn.functional.scaled_dot_product_attention",
    "attn_bias": "use paddle.nn.functional.scaled_dot_product_attention with attn_mask",
}

__getattr__ = module_getattr("paddle.incubate.nn", _NOT_BUILT)
