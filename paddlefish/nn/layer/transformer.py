"""Attention and Transformer layers with Paddle 2.x semantics and parameter names.

NOTE [attention mask]: a bool or int mask marks the positions to KEEP (True / 1); it becomes the
additive float mask ``(cast(mask) - 1) * 1e9`` (0 where kept, -1e9 where masked). A float mask is
added to the attention logits as is (``-inf`` or a large negative number where masked).
"""

from __future__ import annotations

import collections
import copy

import numpy as np

from ..._core.dtypes import convert_dtype
from ...tensor import creation
from ...tensor import manipulation as M
from ...tensor import math as Mt
from .. import functional as F
from ..param_attr import ParamAttr
from .common import Dropout
from .container import LayerList
from .layers import Layer
from .linear import Linear
from .norm import LayerNorm

__all__ = [
    "MultiHeadAttention",
    "Transformer",
    "TransformerDecoder",
    "TransformerDecoderLayer",
    "TransformerEncoder",
    "TransformerEncoderLayer",
]


def _convert_param_attr_to_list(param_attr, n: int) -> list:
    """Paddle's expansion of one attr (or a list of n) into n attrs; a named attr gets ``_i``."""
    if isinstance(param_attr, (list, tuple)):
        if len(param_attr) != n:
            raise ValueError(
                f"length of param_attr should be {n} when it is a list/tuple, got {len(param_attr)}"
            )
        return [
            (ParamAttr._to_attr(None) if a else False)
            if isinstance(a, bool)
            else ParamAttr._to_attr(a)
            for a in param_attr
        ]
    if isinstance(param_attr, bool):
        return [ParamAttr._to_attr(None) for _ in range(n)] if param_attr else [False] * n
    attr = ParamAttr._to_attr(param_attr)
    out = []
    for i in range(n):
        a = copy.deepcopy(attr)
        if attr.name:
            a.name = f"{a.name}_{i}"
        out.append(a)
    return out


def _convert_attention_mask(attn_mask, dtype):
    """See NOTE [attention mask]."""
    if attn_mask is None or attn_mask.dtype == dtype:
        return attn_mask
    name = convert_dtype(attn_mask.dtype).name
    if name == "bool" or "int" in name:
        return (Mt.cast(attn_mask, dtype) - 1.0) * 1e9
    return Mt.cast(attn_mask, dtype)


class MultiHeadAttention(Layer):
    """Multi-head attention with ``q/k/v/out_proj`` Linears (Paddle's names and layout).

    ``attn_mask``: bool/int (True = attend) or float (added to the logits); see
    NOTE [attention mask]. Returns ``out``, plus ``weights`` if ``need_weights``, plus the new
    cache if ``cache`` is given.

    >>> import paddlefish as paddle
    >>> mha = paddle.nn.MultiHeadAttention(8, 2)
    >>> mha(paddle.ones([2, 3, 8])).shape
    [2, 3, 8]
    """

    Cache = collections.namedtuple("Cache", ["k", "v"])
    StaticCache = collections.namedtuple("StaticCache", ["k", "v"])

    def __init__(
        self,
        embed_dim,
        num_heads,
        dropout=0.0,
        kdim=None,
        vdim=None,
        need_weights=False,
        weight_attr=None,
        bias_attr=None,
    ):
        super().__init__()
        if embed_dim <= 0 or num_heads <= 0:
            raise ValueError(
                "Expected embed_dim and num_heads to be greater than 0, but "
                f"received embed_dim={embed_dim}, num_heads={num_heads}"
            )
        self.embed_dim = embed_dim
        self.kdim = kdim if kdim is not None else embed_dim
        self.vdim = vdim if vdim is not None else embed_dim
        self.num_heads, self.dropout, self.need_weights = num_heads, dropout, need_weights
        self.head_dim = embed_dim // num_heads
        if self.head_dim * num_heads != embed_dim:
            raise ValueError(
                f"embed_dim must be divisible by num_heads, got embed_dim="
                f"{embed_dim}, num_heads={num_heads}"
            )
        self.q_proj = Linear(embed_dim, embed_dim, weight_attr, bias_attr=bias_attr)
        self.k_proj = Linear(self.kdim, embed_dim, weight_attr, bias_attr=bias_attr)
        self.v_proj = Linear(self.vdim, embed_dim, weight_attr, bias_attr=bias_attr)
        self.out_proj = Linear(embed_dim, embed_dim, weight_attr, bias_attr=bias_attr)

    def _heads(self, x):
        x = M.reshape(x, [0, 0, self.num_heads, self.head_dim])
        return M.transpose(x, [0, 2, 1, 3])

    def _prepare_qkv(self, query, key, value, cache=None):
        q = self._heads(self.q_proj(query))
        if isinstance(cache, self.StaticCache):
            k, v = cache.k, cache.v
        else:
            k, v = self.compute_kv(key, value)
        if isinstance(cache, self.Cache):
            k = M.concat([cache.k, k], axis=2)
            v = M.concat([cache.v, v], axis=2)
            cache = self.Cache(k, v)
        return (q, k, v) if cache is None else (q, k, v, cache)

    def compute_kv(self, key, value):
        """Project ``key``/``value`` to ``[batch, num_heads, seq, head_dim]``."""
        return self._heads(self.k_proj(key)), self._heads(self.v_proj(value))

    def gen_cache(self, key, value=None, type=Cache):
        """``StaticCache`` of projected ``key``/``value``, or an empty/given ``Cache``."""
        if type == MultiHeadAttention.StaticCache:
            return self.StaticCache(*self.compute_kv(key, value))
        if value is None:
            shape = [key.shape[0], self.num_heads, 0, self.head_dim]
            return self.Cache(
                creation.full(shape, 0, key.dtype), creation.full(shape, 0, key.dtype)
            )
        return self.Cache(key, value)

    def forward(self, query, key=None, value=None, attn_mask=None, cache=None):
        key = query if key is None else key
        value = query if value is None else value
        if cache is None:
            q, k, v = self._prepare_qkv(query, key, value, cache)
        else:
            q, k, v, cache = self._prepare_qkv(query, key, value, cache)
        product = Mt.matmul(q * (self.head_dim**-0.5), k, transpose_y=True)
        if attn_mask is not None:
            product = product + _convert_attention_mask(attn_mask, product.dtype)
        weights = F.softmax(product)
        if self.dropout:
            weights = F.dropout(
                weights, self.dropout, training=self.training, mode="upscale_in_train"
            )
        out = M.transpose(Mt.matmul(weights, v), [0, 2, 1, 3])
        out = self.out_proj(M.reshape(out, [0, 0, out.shape[2] * out.shape[3]]))
        outs = [out]
        if self.need_weights:
            outs.append(weights)
        if cache is not None:
            outs.append(cache)
        return out if len(outs) == 1 else tuple(outs)


def _check_sizes(d_model, nhead, dim_feedforward):
    for name, v in (("d_model", d_model), ("nhead", nhead), ("dim_feedforward", dim_feedforward)):
        if v <= 0:
            raise ValueError(f"Expected {name} to be greater than 0, but received {v}")


class _FFNBlock(Layer):
    """Shared construction of the position-wise feed-forward part (linear1/dropout/linear2)."""

    def _ffn(self, x):
        return self.linear2(self.dropout(self.activation(self.linear1(x))))

    def _sublayer(self, x, norm, fn, dropout):
        """Pre- or post-norm residual block: ``x + dropout(fn(norm?(x)))`` then ``norm?``."""
        residual = x
        if self.normalize_before:
            x = norm(x)
        x, extra = fn(x)
        x = residual + dropout(x)
        if not self.normalize_before:
            x = norm(x)
        return x, extra


class TransformerEncoderLayer(_FFNBlock):
    """Self-attention + feed-forward, post-norm by default (``normalize_before`` for pre-norm).

    >>> import paddlefish as paddle
    >>> layer = paddle.nn.TransformerEncoderLayer(8, 2, 16)
    >>> layer(paddle.ones([2, 3, 8])).shape
    [2, 3, 8]
    """

    def __init__(
        self,
        d_model,
        nhead,
        dim_feedforward,
        dropout=0.1,
        activation="relu",
        attn_dropout=None,
        act_dropout=None,
        normalize_before=False,
        weight_attr=None,
        bias_attr=None,
        layer_norm_eps=1e-5,
    ):
        config = dict(locals())
        config.pop("self")
        config.pop("__class__", None)
        super().__init__()
        self._config = config
        _check_sizes(d_model, nhead, dim_feedforward)
        attn_dropout = dropout if attn_dropout is None else attn_dropout
        act_dropout = dropout if act_dropout is None else act_dropout
        self.normalize_before = normalize_before
        w = _convert_param_attr_to_list(weight_attr, 2)
        b = _convert_param_attr_to_list(bias_attr, 2)
        self.self_attn = MultiHeadAttention(
            d_model, nhead, dropout=attn_dropout, weight_attr=w[0], bias_attr=b[0]
        )
        self.linear1 = Linear(d_model, dim_feedforward, w[1], bias_attr=b[1])
        self.dropout = Dropout(act_dropout, mode="upscale_in_train")
        self.linear2 = Linear(dim_feedforward, d_model, w[1], bias_attr=b[1])
        self.norm1 = LayerNorm(d_model, layer_norm_eps)
        self.norm2 = LayerNorm(d_model, layer_norm_eps)
        self.dropout1 = Dropout(dropout, mode="upscale_in_train")
        self.dropout2 = Dropout(dropout, mode="upscale_in_train")
        self.activation = getattr(F, activation)

    def forward(self, src, src_mask=None, cache=None):
        src_mask = _convert_attention_mask(src_mask, src.dtype)

        def attn(x):
            if cache is None:
                return self.self_attn(x, x, x, src_mask), None
            return self.self_attn(x, x, x, src_mask, cache)

        src, new_cache = self._sublayer(src, self.norm1, attn, self.dropout1)
        src, _ = self._sublayer(src, self.norm2, lambda x: (self._ffn(x), None), self.dropout2)
        return src if cache is None else (src, new_cache)

    def gen_cache(self, src):
        """An empty incremental ``MultiHeadAttention.Cache`` for the self-attention."""
        return self.self_attn.gen_cache(src, type=self.self_attn.Cache)


class TransformerEncoder(Layer):
    """``num_layers`` copies of ``encoder_layer`` (the first is the given one), then ``norm``.

    >>> import paddlefish as paddle
    >>> enc = paddle.nn.TransformerEncoder(paddle.nn.TransformerEncoderLayer(8, 2, 16), 2)
    >>> enc(paddle.ones([2, 3, 8])).shape, list(enc.state_dict())[0]
    ([2, 3, 8], 'layers.0.self_attn.q_proj.weight')
    """

    def __init__(self, encoder_layer, num_layers, norm=None):
        super().__init__()
        self.layers = LayerList(
            [
                encoder_layer if i == 0 else type(encoder_layer)(**encoder_layer._config)
                for i in range(num_layers)
            ]
        )
        self.num_layers = num_layers
        self.norm = norm

    def forward(self, src, src_mask=None, cache=None):
        src_mask = _convert_attention_mask(src_mask, src.dtype)
        output, new_caches = src, []
        for i, mod in enumerate(self.layers):
            if cache is None:
                output = mod(output, src_mask=src_mask)
            else:
                output, c = mod(output, src_mask=src_mask, cache=cache[i])
                new_caches.append(c)
        if self.norm is not None:
            output = self.norm(output)
        return output if cache is None else (output, new_caches)

    def gen_cache(self, src):
        return [layer.gen_cache(src) for layer in self.layers]


class TransformerDecoderLayer(_FFNBlock):
    """Self-attention, cross-attention over ``memory``, feed-forward.

    >>> import paddlefish as paddle
    >>> layer = paddle.nn.TransformerDecoderLayer(8, 2, 16)
    >>> layer(paddle.ones([2, 4, 8]), paddle.ones([2, 3, 8])).shape
    [2, 4, 8]
    """

    def __init__(
        self,
        d_model,
        nhead,
        dim_feedforward,
        dropout=0.1,
        activation="relu",
        attn_dropout=None,
        act_dropout=None,
        normalize_before=False,
        weight_attr=None,
        bias_attr=None,
        layer_norm_eps=1e-5,
    ):
        config = dict(locals())
        config.pop("self")
        config.pop("__class__", None)
        super().__init__()
        self._config = config
        _check_sizes(d_model, nhead, dim_feedforward)
        attn_dropout = dropout if attn_dropout is None else attn_dropout
        act_dropout = dropout if act_dropout is None else act_dropout
        self.normalize_before = normalize_before
        w = _convert_param_attr_to_list(weight_attr, 3)
        b = _convert_param_attr_to_list(bias_attr, 3)
        self.self_attn = MultiHeadAttention(
            d_model, nhead, dropout=attn_dropout, weight_attr=w[0], bias_attr=b[0]
        )
        self.cross_attn = MultiHeadAttention(
            d_model, nhead, dropout=attn_dropout, weight_attr=w[1], bias_attr=b[1]
        )
        self.linear1 = Linear(d_model, dim_feedforward, w[2], bias_attr=b[2])
        self.dropout = Dropout(act_dropout, mode="upscale_in_train")
        self.linear2 = Linear(dim_feedforward, d_model, w[2], bias_attr=b[2])
        self.norm1 = LayerNorm(d_model, layer_norm_eps)
        self.norm2 = LayerNorm(d_model, layer_norm_eps)
        self.norm3 = LayerNorm(d_model, layer_norm_eps)
        self.dropout1 = Dropout(dropout, mode="upscale_in_train")
        self.dropout2 = Dropout(dropout, mode="upscale_in_train")
        self.dropout3 = Dropout(dropout, mode="upscale_in_train")
        self.activation = getattr(F, activation)

    def forward(self, tgt, memory, tgt_mask=None, memory_mask=None, cache=None):
        tgt_mask = _convert_attention_mask(tgt_mask, tgt.dtype)
        memory_mask = _convert_attention_mask(memory_mask, memory.dtype)

        def self_attn(x):
            if cache is None:
                return self.self_attn(x, x, x, tgt_mask, None), None
            return self.self_attn(x, x, x, tgt_mask, cache[0])

        def cross_attn(x):
            if cache is None:
                return self.cross_attn(x, memory, memory, memory_mask, None), None
            return self.cross_attn(x, memory, memory, memory_mask, cache[1])

        tgt, incremental = self._sublayer(tgt, self.norm1, self_attn, self.dropout1)
        tgt, static = self._sublayer(tgt, self.norm2, cross_attn, self.dropout2)
        tgt, _ = self._sublayer(tgt, self.norm3, lambda x: (self._ffn(x), None), self.dropout3)
        return tgt if cache is None else (tgt, (incremental, static))

    def gen_cache(self, memory):
        """``(Cache, StaticCache)`` for incremental decoding against ``memory``."""
        incremental = self.self_attn.gen_cache(memory, type=self.self_attn.Cache)
        static = self.cross_attn.gen_cache(memory, memory, type=self.cross_attn.StaticCache)
        return incremental, static


class TransformerDecoder(Layer):
    """``num_layers`` copies of ``decoder_layer`` (the first is the given one), then ``norm``.

    >>> import paddlefish as paddle
    >>> dec = paddle.nn.TransformerDecoder(paddle.nn.TransformerDecoderLayer(8, 2, 16), 2)
    >>> dec(paddle.ones([2, 4, 8]), paddle.ones([2, 3, 8])).shape
    [2, 4, 8]
    """

    def __init__(self, decoder_layer, num_layers, norm=None):
        super().__init__()
        self.layers = LayerList(
            [
                decoder_layer if i == 0 else type(decoder_layer)(**decoder_layer._config)
                for i in range(num_layers)
            ]
        )
        self.num_layers = num_layers
        self.norm = norm

    def forward(self, tgt, memory, tgt_mask=None, memory_mask=None, cache=None):
        tgt_mask = _convert_attention_mask(tgt_mask, tgt.dtype)
        memory_mask = _convert_attention_mask(memory_mask, memory.dtype)
        output, new_caches = tgt, []
        for i, mod in enumerate(self.layers):
            if cache is None:
                output = mod(output, memory, tgt_mask=tgt_mask, memory_mask=memory_mask, cache=None)
            else:
                output, c = mod(
                    output, memory, tgt_mask=tgt_mask, memory_mask=memory_mask, cache=cache[i]
                )
                new_caches.append(c)
        if self.norm is not None:
            output = self.norm(output)
        return output if cache is None else (output, new_caches)

    def gen_cache(self, memory, do_zip=False):
        cache = [layer.gen_cache(memory) for layer in self.layers]
        return list(zip(*cache)) if do_zip else cache


def _split_attr(attr, n_enc=2, n_dec=3):
    """Paddle's Transformer rule for a list of 1, 2 or 3 attrs -> (encoder attrs, decoder attrs)."""
    if not isinstance(attr, (list, tuple)):
        return attr, attr
    if len(attr) == 1:
        return [attr[0]] * n_enc, [attr[0]] * n_dec
    if len(attr) == 2:
        return attr, [attr[0], attr[0], attr[-1]]
    if len(attr) == 3:
        return [attr[0], attr[-1]], attr
    raise ValueError(
        f"length of weight_attr/bias_attr should be 1 or 2 or 3 when it is a "
        f"list/tuple, got {len(attr)}"
    )


class Transformer(Layer):
    """Encoder-decoder Transformer (``encoder``/``decoder`` sublayers with final LayerNorms).

    >>> import paddlefish as paddle
    >>> t = paddle.nn.Transformer(8, 2, 1, 1, 16)
    >>> t(paddle.ones([2, 3, 8]), paddle.ones([2, 4, 8])).shape
    [2, 4, 8]
    """

    def __init__(
        self,
        d_model=512,
        nhead=8,
        num_encoder_layers=6,
        num_decoder_layers=6,
        dim_feedforward=2048,
        dropout=0.1,
        activation="relu",
        attn_dropout=None,
        act_dropout=None,
        normalize_before=False,
        weight_attr=None,
        bias_attr=None,
        custom_encoder=None,
        custom_decoder=None,
    ):
        super().__init__()
        _check_sizes(d_model, nhead, dim_feedforward)
        enc_b, dec_b = _split_attr(bias_attr)
        enc_w, dec_w = _split_attr(weight_attr)
        common = (
            d_model,
            nhead,
            dim_feedforward,
            dropout,
            activation,
            attn_dropout,
            act_dropout,
            normalize_before,
        )
        if custom_encoder is not None:
            self.encoder = custom_encoder
        else:
            layer = TransformerEncoderLayer(*common, enc_w, enc_b)
            self.encoder = TransformerEncoder(layer, num_encoder_layers, LayerNorm(d_model))
        if custom_decoder is not None:
            self.decoder = custom_decoder
        else:
            layer = TransformerDecoderLayer(*common, dec_w, dec_b)
            self.decoder = TransformerDecoder(layer, num_decoder_layers, LayerNorm(d_model))
        self.d_model, self.nhead = d_model, nhead

    def forward(self, src, tgt, src_mask=None, tgt_mask=None, memory_mask=None):
        src_mask = _convert_attention_mask(src_mask, src.dtype)
        memory = self.encoder(src, src_mask=src_mask)
        tgt_mask = _convert_attention_mask(tgt_mask, tgt.dtype)
        memory_mask = _convert_attention_mask(memory_mask, memory.dtype)
        return self.decoder(tgt, memory, tgt_mask=tgt_mask, memory_mask=memory_mask)

    def generate_square_subsequent_mask(self, length):
        """``[length, length]`` float mask: 0 on and below the diagonal, ``-inf`` above."""
        full = creation.full([length, length], -np.inf, creation.get_default_dtype())
        return creation.triu(full, 1)
