"""``FusedMultiHeadAttention``, ``FusedFeedForward``, ``FusedTransformerEncoderLayer`` and
``FusedBiasDropoutResidualLayerNorm``: Paddle 2.6's parameters (names, shapes, initializers,
so ``state_dict`` files cross both ways); their forward needs Paddle's GPU-only fused kernels
and raises the error Paddle's CPU build raises (see NOTE [incubate GPU-only kernels]).
"""

from __future__ import annotations

from ...nn.initializer import Constant
from ...nn.layer.layers import Layer
from ...nn.layer.transformer import _convert_param_attr_to_list
from . import functional as incubate_f

__all__ = [
    "FusedBiasDropoutResidualLayerNorm",
    "FusedFeedForward",
    "FusedMultiHeadAttention",
    "FusedTransformerEncoderLayer",
]


class FusedBiasDropoutResidualLayerNorm(Layer):
    """``layer_norm(residual + dropout(x + bias))`` with parameters ``linear_bias``,
    ``ln_scale``, ``ln_bias`` (forward is GPU-only in Paddle).

    >>> import paddlefish as paddle
    >>> sorted(paddle.incubate.nn.FusedBiasDropoutResidualLayerNorm(4).state_dict())
    ['linear_bias', 'ln_bias', 'ln_scale']
    """

    def __init__(
        self, embed_dim, dropout_rate=0.5, weight_attr=None, bias_attr=None, epsilon=1e-5, name=None
    ):
        super().__init__()
        assert embed_dim > 0, f"Expected embed_dim to be greater than 0, but received {embed_dim}"
        self.embed_dim = embed_dim
        self.linear_bias = self.create_parameter([embed_dim], bias_attr, is_bias=True)
        self.ln_scale = self.create_parameter(
            [embed_dim], weight_attr, default_initializer=Constant(1.0)
        )
        self.ln_bias = self.create_parameter([embed_dim], bias_attr, is_bias=True)
        self.dropout_rate = dropout_rate
        self._epsilon = epsilon
        self.name = name

    def forward(self, x, residual):
        return incubate_f.fused_bias_dropout_residual_layer_norm(
            x,
            residual,
            self.linear_bias,
            self.ln_scale,
            self.ln_bias,
            self.dropout_rate,
            self._epsilon,
            self.training,
            "upscale_in_train",
            self.name,
        )


class FusedMultiHeadAttention(Layer):
    """Paddle's fused attention block: ``qkv_weight`` ``[3, heads, head_dim, embed]`` (or
    ``[embed, 3 * embed]`` with ``transpose_qkv_wb``), ``qkv_bias``, ``linear_weight``,
    ``linear_bias`` and the (pre-)layer-norm ``scale``/``bias`` (forward is GPU-only in Paddle).

    >>> import paddlefish as paddle
    >>> attn = paddle.incubate.nn.FusedMultiHeadAttention(8, 2)
    >>> {k: v.shape for k, v in attn.state_dict().items()}["qkv_weight"]
    [3, 2, 4, 8]
    """

    def __init__(
        self,
        embed_dim,
        num_heads,
        dropout_rate=0.5,
        attn_dropout_rate=0.5,
        kdim=None,
        vdim=None,
        normalize_before=False,
        need_weights=False,
        qkv_weight_attr=None,
        qkv_bias_attr=None,
        linear_weight_attr=None,
        linear_bias_attr=None,
        pre_ln_scale_attr=None,
        pre_ln_bias_attr=None,
        ln_scale_attr=None,
        ln_bias_attr=None,
        epsilon=1e-5,
        nranks=1,
        ring_id=-1,
        transpose_qkv_wb=False,
        name=None,
    ):
        super().__init__()
        assert embed_dim > 0, f"Expected embed_dim to be greater than 0, but received {embed_dim}"
        assert num_heads > 0, f"Expected nhead to be greater than 0, but received {num_heads}"
        self.normalize_before = normalize_before
        self._epsilon = epsilon
        self._ring_id = ring_id
        self.embed_dim = embed_dim
        self.head_dim = embed_dim // num_heads
        self.kdim, self.vdim = kdim, vdim
        self.need_weights = need_weights
        assert self.head_dim * num_heads == embed_dim, "embed_dim must be divisible by num_heads"
        assert need_weights is False, "Only support need_weight is False now."
        self.num_heads = num_heads // nranks
        self.transpose_qkv_wb = transpose_qkv_wb
        width = self.num_heads * self.head_dim
        if transpose_qkv_wb:
            qkv_w, qkv_b = [embed_dim, 3 * width], [3 * width]
        else:
            qkv_w, qkv_b = (
                [3, self.num_heads, self.head_dim, embed_dim],
                [3, self.num_heads, self.head_dim],
            )
        self.qkv_weight = self.create_parameter(qkv_w, qkv_weight_attr)
        self.qkv_bias = self.create_parameter(qkv_b, qkv_bias_attr, is_bias=True)
        self.linear_weight = self.create_parameter([width, embed_dim], linear_weight_attr)
        self.linear_bias = self.create_parameter([embed_dim], linear_bias_attr, is_bias=True)
        one = Constant(1.0)
        if normalize_before:
            self.pre_ln_scale = self.create_parameter(
                [embed_dim], pre_ln_scale_attr, default_initializer=one
            )
            self.pre_ln_bias = self.create_parameter([embed_dim], pre_ln_bias_attr, is_bias=True)
            self.ln_scale = self.ln_bias = None
        else:
            self.pre_ln_scale = self.pre_ln_bias = None
            self.ln_scale = self.create_parameter(
                [embed_dim], ln_scale_attr, default_initializer=one
            )
            self.ln_bias = self.create_parameter([embed_dim], ln_bias_attr, is_bias=True)
        self.dropout_rate = dropout_rate
        self.attn_dropout_rate = attn_dropout_rate
        self.name = name

    def forward(self, query, key=None, value=None, attn_mask=None, cache=None):
        return incubate_f.fused_multi_head_attention(query, self.qkv_weight, self.linear_weight)


class FusedFeedForward(Layer):
    """Paddle's fused FFN block: ``_linear1_weight`` ``[d_model, dim_feedforward]``,
    ``_linear1_bias``, ``_linear2_weight``, ``_linear2_bias`` and ``_ln1_*`` (pre-norm) or
    ``_ln2_*`` (post-norm) (forward is GPU-only in Paddle).

    >>> import paddlefish as paddle
    >>> list(paddle.incubate.nn.FusedFeedForward(8, 16).state_dict())
    ['_linear1_weight', '_linear1_bias', '_linear2_weight', '_linear2_bias', '_ln2_scale', '_ln2_bias']
    """

    def __init__(
        self,
        d_model,
        dim_feedforward,
        dropout_rate=0.1,
        epsilon=1e-05,
        activation="relu",
        act_dropout_rate=None,
        normalize_before=False,
        linear1_weight_attr=None,
        linear1_bias_attr=None,
        linear2_weight_attr=None,
        linear2_bias_attr=None,
        ln1_scale_attr=None,
        ln1_bias_attr=None,
        ln2_scale_attr=None,
        ln2_bias_attr=None,
        nranks=1,
        ring_id=-1,
        name=None,
    ):
        super().__init__()
        assert d_model > 0, f"Expected d_model to be greater than 0, but received {d_model}"
        assert dim_feedforward > 0, (
            f"Expected dim_feedforward to be greater than 0, but received {dim_feedforward}"
        )
        self._d_model = d_model
        dim_feedforward = dim_feedforward // nranks
        self._dim_feedforward = dim_feedforward
        self._dropout_rate = dropout_rate
        self._act_dropout_rate = dropout_rate if act_dropout_rate is None else act_dropout_rate
        self._act_method = activation
        self._normalize_before = normalize_before
        self._epsilon = epsilon
        self._ring_id = ring_id
        self._linear1_weight = self.create_parameter(
            [d_model, dim_feedforward], linear1_weight_attr
        )
        self._linear1_bias = self.create_parameter(
            [dim_feedforward], linear1_bias_attr, is_bias=True
        )
        self._linear2_weight = self.create_parameter(
            [dim_feedforward, d_model], linear2_weight_attr
        )
        self._linear2_bias = self.create_parameter([d_model], linear2_bias_attr, is_bias=True)
        one = Constant(1.0)
        if normalize_before:
            self._ln1_scale = self.create_parameter(
                [d_model], ln1_scale_attr, default_initializer=one
            )
            self._ln1_bias = self.create_parameter([d_model], ln1_bias_attr, is_bias=True)
            self._ln2_scale = self._ln2_bias = None
        else:
            self._ln1_scale = self._ln1_bias = None
            self._ln2_scale = self.create_parameter(
                [d_model], ln2_scale_attr, default_initializer=one
            )
            self._ln2_bias = self.create_parameter([d_model], ln2_bias_attr, is_bias=True)
        self.name = name

    def forward(self, src, cache=None):
        return incubate_f.fused_feedforward(src, self._linear1_weight, self._linear2_weight)


class FusedTransformerEncoderLayer(Layer):
    """``fused_attn`` (``FusedMultiHeadAttention``) followed by ``ffn`` (``FusedFeedForward``);
    forward is GPU-only in Paddle.

    >>> import paddlefish as paddle
    >>> layer = paddle.incubate.nn.FusedTransformerEncoderLayer(8, 2, 16)
    >>> [k for k in layer.state_dict()][:2]
    ['fused_attn.qkv_weight', 'fused_attn.qkv_bias']
    """

    def __init__(
        self,
        d_model,
        nhead,
        dim_feedforward,
        dropout_rate=0.1,
        activation="relu",
        attn_dropout_rate=None,
        act_dropout_rate=None,
        normalize_before=False,
        weight_attr=None,
        bias_attr=None,
    ):
        self._config = {k: v for k, v in locals().items() if k not in ("self", "__class__")}
        super().__init__()
        assert d_model > 0, f"Expected d_model to be greater than 0, but received {d_model}"
        assert nhead > 0, f"Expected nhead to be greater than 0, but received {nhead}"
        assert dim_feedforward > 0, (
            f"Expected dim_feedforward to be greater than 0, but received {dim_feedforward}"
        )
        attn_dropout_rate = dropout_rate if attn_dropout_rate is None else attn_dropout_rate
        act_dropout_rate = dropout_rate if act_dropout_rate is None else act_dropout_rate
        self.normalize_before = normalize_before
        w = _convert_param_attr_to_list(weight_attr, 2)
        b = _convert_param_attr_to_list(bias_attr, 2)
        self.fused_attn = FusedMultiHeadAttention(
            d_model,
            nhead,
            dropout_rate=dropout_rate,
            attn_dropout_rate=attn_dropout_rate,
            normalize_before=normalize_before,
            qkv_weight_attr=w[0],
            qkv_bias_attr=b[0],
            linear_weight_attr=w[0],
            linear_bias_attr=b[0],
            pre_ln_scale_attr=w[0],
            pre_ln_bias_attr=b[0],
            ln_scale_attr=w[0],
            ln_bias_attr=b[0],
        )
        self.ffn = FusedFeedForward(
            d_model,
            dim_feedforward,
            dropout_rate=dropout_rate,
            activation=activation,
            act_dropout_rate=act_dropout_rate,
            normalize_before=normalize_before,
            linear1_weight_attr=w[1],
            linear1_bias_attr=b[1],
            linear2_weight_attr=w[1],
            linear2_bias_attr=b[1],
        )

    def forward(self, src, src_mask=None, cache=None):
        return self.ffn(self.fused_attn(src, attn_mask=src_mask))
