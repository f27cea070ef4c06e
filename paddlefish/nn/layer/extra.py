"""Layers added to close the API gap (docs/API_GAP.md): thin wrappers over the functionals of
``functional/extra*.py``, with Paddle's constructor signatures and parameter names.

>>> import paddlefish as paddle
>>> paddle.nn.Hardshrink(0.5)(paddle.to_tensor([-1.0, 0.2, 0.7])).tolist()
[-1.0, 0.0, 0.699999988079071]
"""

from __future__ import annotations

from ..functional import extra as FE
from ..functional import extra_losses as FL
from ..functional import extra_ops as FO
from .layers import Layer

__all__ = [
    "CELU",
    "GLU",
    "AdaptiveMaxPool3D",
    "Bilinear",
    "CTCLoss",
    "ChannelShuffle",
    "CosineEmbeddingLoss",
    "Fold",
    "GaussianNLLLoss",
    "Hardshrink",
    "LocalResponseNorm",
    "MaxUnPool1D",
    "MaxUnPool2D",
    "MaxUnPool3D",
    "Maxout",
    "MultiLabelSoftMarginLoss",
    "MultiMarginLoss",
    "PairwiseDistance",
    "PixelUnshuffle",
    "PoissonNLLLoss",
    "RReLU",
    "SoftMarginLoss",
    "Softmax2D",
    "Softshrink",
    "ThresholdedReLU",
    "TripletMarginLoss",
    "TripletMarginWithDistanceLoss",
    "Unfold",
]


class _Wrap(Layer):
    """A layer that calls ``_fn(*inputs, **self._kw)``."""

    _fn = None

    def __init__(self, **kw):
        super().__init__()
        kw.pop("name", None)
        self._kw = kw

    def forward(self, *inputs):
        return type(self)._fn(*inputs, **self._kw)

    def extra_repr(self) -> str:
        return ", ".join(f"{k}={v!r}" for k, v in self._kw.items())


class CELU(_Wrap):
    _fn = staticmethod(FE.celu)

    def __init__(self, alpha=1.0, name=None):
        super().__init__(alpha=alpha)


class GLU(_Wrap):
    _fn = staticmethod(FE.glu)

    def __init__(self, axis=-1, name=None):
        super().__init__(axis=axis)


class Hardshrink(_Wrap):
    _fn = staticmethod(FE.hardshrink)

    def __init__(self, threshold=0.5, name=None):
        super().__init__(threshold=threshold)


class Softshrink(_Wrap):
    _fn = staticmethod(FE.softshrink)

    def __init__(self, threshold=0.5, name=None):
        super().__init__(threshold=threshold)


class ThresholdedReLU(_Wrap):
    _fn = staticmethod(FE.thresholded_relu)

    def __init__(self, threshold=1.0, value=0.0, name=None):
        super().__init__(threshold=threshold, value=value)


class RReLU(Layer):
    """Randomized leaky ReLU: random slopes in training, their mean in eval."""

    def __init__(self, lower=1.0 / 8.0, upper=1.0 / 3.0, name=None):
        super().__init__()
        self._lower, self._upper = lower, upper

    def forward(self, x):
        return FO.rrelu(x, self._lower, self._upper, training=self.training)


class Softmax2D(Layer):
    """Softmax over the channel axis of ``[N, C, H, W]`` or ``[C, H, W]``."""

    def __init__(self, name=None):
        super().__init__()

    def forward(self, x):
        from ..functional.activation import softmax

        if len(x.shape) not in (3, 4):
            raise ValueError(
                f"Softmax2D requires a 3D or 4D tensor as input. Received: {len(x.shape)}D."
            )
        return softmax(x, axis=-3)


class Maxout(_Wrap):
    _fn = staticmethod(FE.maxout)

    def __init__(self, groups, axis=1, name=None):
        super().__init__(groups=groups, axis=axis)


class PixelUnshuffle(_Wrap):
    _fn = staticmethod(FE.pixel_unshuffle)

    def __init__(self, downscale_factor, data_format="NCHW", name=None):
        super().__init__(downscale_factor=downscale_factor, data_format=data_format)


class ChannelShuffle(_Wrap):
    _fn = staticmethod(FE.channel_shuffle)

    def __init__(self, groups, data_format="NCHW", name=None):
        super().__init__(groups=groups, data_format=data_format)


class Unfold(_Wrap):
    _fn = staticmethod(FE.unfold)

    def __init__(self, kernel_sizes, dilations=1, paddings=0, strides=1, name=None):
        super().__init__(
            kernel_sizes=kernel_sizes, dilations=dilations, paddings=paddings, strides=strides
        )


class Fold(_Wrap):
    _fn = staticmethod(FE.fold)

    def __init__(self, output_sizes, kernel_sizes, dilations=1, paddings=0, strides=1, name=None):
        super().__init__(
            output_sizes=output_sizes,
            kernel_sizes=kernel_sizes,
            dilations=dilations,
            paddings=paddings,
            strides=strides,
        )


class LocalResponseNorm(_Wrap):
    _fn = staticmethod(FO.local_response_norm)

    def __init__(self, size, alpha=0.0001, beta=0.75, k=1.0, data_format="NCHW", name=None):
        super().__init__(size=size, alpha=alpha, beta=beta, k=k, data_format=data_format)


class PairwiseDistance(_Wrap):
    _fn = staticmethod(FE.pairwise_distance)

    def __init__(self, p=2.0, epsilon=1e-6, keepdim=False, name=None):
        super().__init__(p=p, epsilon=epsilon, keepdim=keepdim)


class AdaptiveMaxPool3D(_Wrap):
    _fn = staticmethod(FO.adaptive_max_pool3d)

    def __init__(self, output_size, return_mask=False, name=None):
        super().__init__(output_size=output_size, return_mask=return_mask)


class _Unpool(_Wrap):
    def __init__(
        self, kernel_size, stride=None, padding=0, data_format="NCHW", output_size=None, name=None
    ):
        super().__init__(
            kernel_size=kernel_size,
            stride=stride,
            padding=padding,
            data_format=data_format,
            output_size=output_size,
        )


class MaxUnPool1D(_Unpool):
    _fn = staticmethod(FO.max_unpool1d)

    def __init__(
        self, kernel_size, stride=None, padding=0, data_format="NCL", output_size=None, name=None
    ):
        super().__init__(kernel_size, stride, padding, data_format, output_size)


class MaxUnPool2D(_Unpool):
    _fn = staticmethod(FO.max_unpool2d)


class MaxUnPool3D(_Unpool):
    _fn = staticmethod(FO.max_unpool3d)

    def __init__(
        self, kernel_size, stride=None, padding=0, data_format="NCDHW", output_size=None, name=None
    ):
        super().__init__(kernel_size, stride, padding, data_format, output_size)


class Bilinear(Layer):
    """``out = x1^T W x2 + b``: weight ``[out, in1, in2]`` and bias ``[1, out]`` as in Paddle."""

    def __init__(
        self, in1_features, in2_features, out_features, weight_attr=None, bias_attr=None, name=None
    ):
        super().__init__()
        for what, v in (
            ("in1_features", in1_features),
            ("in2_features", in2_features),
            ("out_features", out_features),
        ):
            if int(v) <= 0:
                raise ValueError(f"Bilinear: {what} must be positive, got {v}")
        self.weight = self.create_parameter(
            [out_features, in1_features, in2_features], attr=weight_attr
        )
        self.bias = self.create_parameter([1, out_features], attr=bias_attr, is_bias=True)

    def forward(self, x1, x2):
        return FO.bilinear(x1, x2, self.weight, self.bias)


# ---- losses ---------------------------------------------------------------------------------
class CosineEmbeddingLoss(_Wrap):
    _fn = staticmethod(FL.cosine_embedding_loss)

    def __init__(self, margin=0, reduction="mean", name=None):
        super().__init__(margin=margin, reduction=reduction)


class SoftMarginLoss(_Wrap):
    _fn = staticmethod(FE.soft_margin_loss)

    def __init__(self, reduction="mean", name=None):
        super().__init__(reduction=reduction)


class MultiLabelSoftMarginLoss(Layer):
    def __init__(self, weight=None, reduction="mean", name=None):
        super().__init__()
        self._weight, self._reduction = weight, reduction

    def forward(self, input, label):
        return FL.multi_label_soft_margin_loss(input, label, self._weight, self._reduction)


class MultiMarginLoss(Layer):
    def __init__(self, p: int = 1, margin: float = 1.0, weight=None, reduction="mean", name=None):
        super().__init__()
        self._p, self._margin, self._weight, self._reduction = p, margin, weight, reduction

    def forward(self, input, label):
        return FL.multi_margin_loss(
            input, label, self._p, self._margin, self._weight, self._reduction
        )


class TripletMarginLoss(_Wrap):
    _fn = staticmethod(FL.triplet_margin_loss)

    def __init__(self, margin=1.0, p=2.0, epsilon=1e-6, swap=False, reduction="mean", name=None):
        super().__init__(margin=margin, p=p, epsilon=epsilon, swap=swap, reduction=reduction)


class TripletMarginWithDistanceLoss(_Wrap):
    _fn = staticmethod(FL.triplet_margin_with_distance_loss)

    def __init__(self, distance_function=None, margin=1.0, swap=False, reduction="mean", name=None):
        super().__init__(
            distance_function=distance_function, margin=margin, swap=swap, reduction=reduction
        )


class PoissonNLLLoss(_Wrap):
    _fn = staticmethod(FL.poisson_nll_loss)

    def __init__(self, log_input=True, full=False, epsilon=1e-8, reduction="mean", name=None):
        super().__init__(log_input=log_input, full=full, epsilon=epsilon, reduction=reduction)


class GaussianNLLLoss(_Wrap):
    _fn = staticmethod(FL.gaussian_nll_loss)

    def __init__(self, full=False, epsilon=1e-6, reduction="mean", name=None):
        super().__init__(full=full, epsilon=epsilon, reduction=reduction)


class CTCLoss(Layer):
    """CTC loss layer (see ``functional.ctc_loss``: inputs are unscaled logits)."""

    def __init__(self, blank=0, reduction="mean"):
        super().__init__()
        self._blank, self._reduction = blank, reduction

    def forward(self, log_probs, labels, input_lengths, label_lengths, norm_by_times=False):
        return FO.ctc_loss(
            log_probs,
            labels,
            input_lengths,
            label_lengths,
            self._blank,
            self._reduction,
            norm_by_times,
        )
