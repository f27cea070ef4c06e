"""``paddle.incubate.nn.functional``'s fused ops (see NOTE [incubate GPU-only kernels]).

``fused_matmul_bias`` without a bias and ``fused_dropout_add`` with ``p=0`` are what Paddle 2.6
runs on CPU (a plain matmul, ``x + y``); with a bias, or with dropout, Paddle needs its GPU
kernels, so on CPU these raise its error kind and on CUDA they are composed from the unfused ops.
"""

from __future__ import annotations

from ....nn import functional as F
from ....tensor import matmul
from ._kernels import refuse

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

_ACTS = {"none": lambda t: t, "relu": F.relu, "gelu": F.gelu}


def fused_matmul_bias(x, y, bias=None, transpose_x=False, transpose_y=False, name=None):
    """``matmul(x, y) + bias`` (one GEMM epilogue kernel in Paddle, GPU only with a bias).

    >>> import paddlefish as paddle
    >>> F = paddle.incubate.nn.functional
    >>> F.fused_matmul_bias(paddle.ones([2, 3]), paddle.ones([3, 4])).shape
    [2, 4]
    """
    if bias is None:
        return matmul(x, y, transpose_x, transpose_y)
    if not x._t.is_cuda:
        refuse("fused_gemm_epilogue", attribute=True, instead="paddle.matmul(x, y) + bias")
    return matmul(x, y, transpose_x, transpose_y) + bias


def fused_linear(x, weight, bias=None, transpose_weight=False, name=None):
    """``x @ weight + bias`` (``weight`` ``[in, out]``, or ``[out, in]`` with ``transpose_weight``).

    >>> import paddlefish as paddle
    >>> F = paddle.incubate.nn.functional
    >>> F.fused_linear(paddle.ones([2, 3]), paddle.ones([3, 4])).shape
    [2, 4]
    """
    return fused_matmul_bias(x, weight, bias, False, transpose_weight)


def fused_linear_activation(x, y, bias, trans_x=False, trans_y=False, activation=None):
    """``act(matmul(x, y) + bias)`` with ``activation`` in ``none``/``relu``/``gelu`` (GPU only)."""
    act = "none" if activation is None else activation
    if act not in _ACTS:
        raise ValueError(
            f"fused_linear_activation: activation must be one of {list(_ACTS)}, got {act!r}"
        )
    if not x._t.is_cuda:
        refuse("fused_gemm_epilogue", attribute=True, instead="F.relu(paddle.matmul(x, y) + bias)")
    return _ACTS[act](matmul(x, y, trans_x, trans_y) + bias)


def fused_dropout_add(x, y, p=0.5, training=True, mode="upscale_in_train", name=None):
    """``dropout(x, p) + y``; ``p == 0`` is ``x + y`` on every device, as in Paddle.

    >>> import paddlefish as paddle
    >>> F = paddle.incubate.nn.functional
    >>> F.fused_dropout_add(paddle.ones([2]), paddle.ones([2]), p=0.0).numpy().tolist()
    [2.0, 2.0]
    """
    if isinstance(p, (int, float)):
        if p == 0:
            return x + y
        if p < 0 or p > 1:
            raise ValueError("p argument should between 0 and 1")
    if mode not in ("downscale_in_infer", "upscale_in_train"):
        raise ValueError("mode argument should be 'downscale_in_infer' or 'upscale_in_train'")
    if not x._t.is_cuda:
        refuse(
            "fused_dropout_add",
            attribute=False,
            instead="paddle.nn.functional.dropout(x, p, training=training, mode=mode) + y",
        )
    return F.dropout(x, p, training=training, mode=mode) + y


def _gpu_only(op: str, attribute: bool, instead: str):
    def fn(*args, **kwargs):
        refuse(op, attribute=attribute, instead=instead, cuda_too=True)

    fn.__name__ = op
    fn.__doc__ = (
        f"Paddle 2.6 runs ``{op}`` on GPU only; paddlefish refuses it on every device with the "
        f"error kind Paddle's CPU build gives (see NOTE [incubate GPU-only kernels]). Use: "
        f"{instead}."
    )
    return fn


fused_feedforward = _gpu_only(
    "fused_feedforward",
    True,
    "paddle.nn.Linear/LayerNorm/Dropout composed, as paddle.nn.TransformerEncoderLayer",
)
fused_multi_head_attention = _gpu_only("fused_attention", True, "paddle.nn.MultiHeadAttention")
fused_multi_transformer = _gpu_only(
    "fused_multi_transformer", False, "paddle.nn.TransformerEncoder"
)
fused_bias_dropout_residual_layer_norm = _gpu_only(
    "fused_bias_dropout_residual_layer_norm",
    False,
    "paddle.nn.functional.layer_norm(residual + paddle.nn.functional.dropout(x + bias), ...)",
)
fused_ec_moe = _gpu_only("fused_ec_moe", False, "a loop over experts with paddle.matmul")
fused_rms_norm = _gpu_only(
    "fused_rms_norm", False, "x * paddle.rsqrt((x * x).mean(-1, keepdim=True) + eps) * w"
)
fused_layer_norm = _gpu_only("fused_layer_norm", False, "paddle.nn.functional.layer_norm")
fused_rotary_position_embedding = _gpu_only(
    "fused_rotary_position_embedding", False, "the rotate-half formula with paddle.sin/cos"
)
variable_length_memory_efficient_attention = _gpu_only(
    "variable_length_memory_efficient_attention",
    False,
    "paddle.nn.functional.scaled_dot_product_attention",
)
masked_multihead_attention = _gpu_only(
    "masked_multihead_attention", False, "paddle.nn.functional.scaled_dot_product_attention"
)
block_multihead_attention = _gpu_only(
    "block_multihead_attention", False, "paddle.nn.functional.scaled_dot_product_attention"
)
