"""Common layers: Embedding, dropouts, Upsample*, Pad1D/2D/3D, ZeroPad2D, Flatten, Unflatten,
CosineSimilarity, PixelShuffle."""

from __future__ import annotations

from ... import tensor as M
from ..functional import common as F
from ..functional.input import embedding
from .layers import Layer

__all__ = [
    "AlphaDropout",
    "CosineSimilarity",
    "Dropout",
    "Dropout2D",
    "Dropout3D",
    "Embedding",
    "Flatten",
    "Pad1D",
    "Pad2D",
    "Pad3D",
    "PixelShuffle",
    "Unflatten",
    "Upsample",
    "UpsamplingBilinear2D",
    "UpsamplingNearest2D",
    "ZeroPad2D",
]


class Embedding(Layer):
    """Lookup table ``[num_embeddings, embedding_dim]`` (XavierUniform init, Paddle's default).

    >>> import paddlefish as paddle
    >>> emb = paddle.nn.Embedding(10, 4, padding_idx=0)
    >>> emb(paddle.to_tensor([[0, 3]])).shape
    [1, 2, 4]
    """

    def __init__(
        self,
        num_embeddings,
        embedding_dim,
        padding_idx=None,
        sparse=False,
        weight_attr=None,
        name=None,
    ):
        super().__init__()
        self._num_embeddings, self._embedding_dim = num_embeddings, embedding_dim
        if padding_idx is not None and padding_idx < 0:
            padding_idx += num_embeddings
        self._padding_idx, self._sparse = padding_idx, sparse
        self.weight = self.create_parameter([num_embeddings, embedding_dim], attr=weight_attr)

    def forward(self, x):
        return embedding(x, self.weight, self._padding_idx, self._sparse)

    def extra_repr(self) -> str:
        return f"{self._num_embeddings}, {self._embedding_dim}, padding_idx={self._padding_idx}"


class Dropout(Layer):
    def __init__(self, p=0.5, axis=None, mode="upscale_in_train", name=None):
        super().__init__()
        self.p, self.axis, self.mode = p, axis, mode

    def forward(self, x):
        return F.dropout(x, self.p, self.axis, self.training, self.mode)


class Dropout2D(Layer):
    def __init__(self, p=0.5, data_format="NCHW", name=None):
        super().__init__()
        self.p, self.data_format = p, data_format

    def forward(self, x):
        return F.dropout2d(x, self.p, self.training, self.data_format)


class Dropout3D(Layer):
    def __init__(self, p=0.5, data_format="NCDHW", name=None):
        super().__init__()
        self.p, self.data_format = p, data_format

    def forward(self, x):
        return F.dropout3d(x, self.p, self.training, self.data_format)


class AlphaDropout(Layer):
    def __init__(self, p=0.5, name=None):
        super().__init__()
        self.p = p

    def forward(self, x):
        return F.alpha_dropout(x, self.p, self.training)


class Upsample(Layer):
    def __init__(
        self,
        size=None,
        scale_factor=None,
        mode="nearest",
        align_corners=False,
        align_mode=0,
        data_format="NCHW",
        name=None,
    ):
        super().__init__()
        self._args = (size, scale_factor, mode, align_corners, align_mode, data_format)

    def forward(self, x):
        return F.interpolate(x, *self._args)


class UpsamplingNearest2D(Upsample):
    def __init__(self, size=None, scale_factor=None, data_format="NCHW", name=None):
        super().__init__(size, scale_factor, "nearest", False, 0, data_format)


class UpsamplingBilinear2D(Upsample):
    def __init__(self, size=None, scale_factor=None, data_format="NCHW", name=None):
        super().__init__(size, scale_factor, "bilinear", True, 0, data_format)


class _PadNd(Layer):
    _nd, _default = 2, "NCHW"

    def __init__(self, padding, mode="constant", value=0.0, data_format=None, name=None):
        super().__init__()
        self._pad = [padding] * (2 * self._nd) if isinstance(padding, int) else list(padding)
        self._mode, self._value = mode, value
        self._data_format = data_format or self._default

    def forward(self, x):
        return F.pad(x, self._pad, self._mode, self._value, self._data_format)


class Pad1D(_PadNd):
    _nd, _default = 1, "NCL"


class Pad2D(_PadNd):
    """Pad the last two axes by ``[left, right, top, bottom]``.

    >>> import paddlefish as paddle
    >>> paddle.nn.Pad2D([1, 1, 2, 0], mode='reflect')(paddle.ones([1, 1, 3, 3])).shape
    [1, 1, 5, 5]
    """


class Pad3D(_PadNd):
    _nd, _default = 3, "NCDHW"


class ZeroPad2D(_PadNd):
    def __init__(self, padding, data_format="NCHW", name=None):
        super().__init__(padding, "constant", 0.0, data_format)


class Flatten(Layer):
    def __init__(self, start_axis=1, stop_axis=-1):
        super().__init__()
        self.start_axis, self.stop_axis = start_axis, stop_axis

    def forward(self, x):
        return M.flatten(x, self.start_axis, self.stop_axis)


class Unflatten(Layer):
    def __init__(self, axis, shape, name=None):
        super().__init__()
        self.axis, self.shape = axis, list(shape)

    def forward(self, x):
        a = self.axis % x.ndim
        return M.reshape(x, list(x.shape[:a]) + self.shape + list(x.shape[a + 1 :]))


class CosineSimilarity(Layer):
    def __init__(self, axis=1, eps=1e-8):
        super().__init__()
        self._axis, self._eps = axis, eps

    def forward(self, x1, x2):
        return F.cosine_similarity(x1, x2, self._axis, self._eps)


class PixelShuffle(Layer):
    def __init__(self, upscale_factor, data_format="NCHW", name=None):
        super().__init__()
        self._factor, self._data_format = upscale_factor, data_format

    def forward(self, x):
        return F.pixel_shuffle(x, self._factor, self._data_format)
