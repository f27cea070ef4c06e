"""``paddle.incubate.nn.functional``: Paddle's fused ops (most are GPU-only in Paddle 2.6; see
NOTE [incubate GPU-only kernels] in ``_kernels.py``).

>>> import paddlefish as paddle
>>> F = paddle.incubate.nn.functional
>>> F.fused_dropout_add(paddle.ones([2]), paddle.ones([2]), p=0.0).numpy().tolist()
[2.0, 2.0]
"""

from ...._core.missing import module_getattr
from ._fused_ops import block_multihead_attention as block_multihead_attention
from ._fused_ops import (
    fused_bias_dropout_residual_layer_norm as fused_bias_dropout_residual_layer_norm,
)
from ._fused_ops import fused_dropout_add as fused_dropout_add
from ._fused_ops import fused_ec_moe as fused_ec_moe
from ._fused_ops import fused_feedforward as fused_feedforward
from ._fused_ops import fused_layer_norm as fused_layer_norm
from ._fused_ops import fused_linear as fused_linear
from ._fused_ops import fused_linear_activation as fused_linear_activation
from ._fused_ops import fused_matmul_bias as fused_matmul_bias
from ._fused_ops import fused_multi_head_attention as fused_multi_head_attention
from ._fused_ops import fused_multi_transformer as fused_multi_transformer
from ._fused_ops import fused_rms_norm as fused_rms_norm
from ._fused_ops import fused_rotary_position_embedding as fused_rotary_position_embedding
from ._fused_ops import masked_multihead_attention as masked_multihead_attention
from ._fused_ops import (
    variable_length_memory_efficient_attention as variable_length_memory_efficient_attention,
)
from ._kernels import FusedKernelMissing as FusedKernelMissing

__all__ = [
    "block_multihead_attention",
    "fused_bias_dropout_residual_layer_norm",
    "fused_dropout_add",
    "fused_ec_moe",
    "fused_feedforward",
    "fused_layer_norm",
    "fused_linear",
    "fused_linear_activation",
    "fused_matmul_bias",
    "fused_multi_head_attention",
    "fused_multi_transformer",
    "fused_rms_norm",
    "fused_rotary_position_embedding",
    "masked_multihead_attention",
    "variable_length_memory_efficient_attention",
]

__getattr__ = module_getattr("paddle.incubate.nn.functional")
