"""``Categorical``, with Paddle's two readings of ``logits`` (NOTE [categorical logits])."""

from __future__ import annotations

import numpy as np

from .. import tensor as _T
from ..eager.tensor import Tensor
from ._distribution import Distribution, check_eager_sampling

__all__ = ["Categorical"]


class Categorical(Distribution):
    """A categorical distribution over the last axis of ``logits``.

    NOTE [categorical logits]: Paddle 2.6 reads ``logits`` two ways. ``probs``/``log_prob``
    normalise them by their SUM (``logits / logits.sum(-1)``: pass non-negative weights),
    while ``sample``, ``entropy`` and ``kl_divergence`` take their softmax. ``kl_divergence``
    keeps the reduced axis (shape ``batch + [1]``); ``entropy`` does not.

    >>> import paddlefish as paddle
    >>> c = paddle.distribution.Categorical(paddle.to_tensor([1.0, 2.0, 1.0]))
    >>> c.probs(paddle.to_tensor([1, 0])).numpy().tolist()
    [0.5, 0.25]
    >>> c.sample([4]).shape, c.sample([4]).dtype
    ([4], paddle.int64)
    """

    def __init__(self, logits, name=None):
        self.name = name if name is not None else "Categorical"
        if self._validate_args(logits):
            self.logits = logits
            self.dtype = logits.dtype
        else:
            dtype = "float32"
            if isinstance(logits, np.ndarray) and str(logits.dtype) in ("float32", "float64"):
                dtype = str(logits.dtype)
            self.logits = self._to_tensor(logits)[0].astype(dtype)
            self.dtype = self.logits.dtype
        self._prob = self.logits / _T.sum(self.logits, axis=-1, keepdim=True)

    def sample(self, shape):
        """Category indices (int64) of shape ``shape + logits.shape[:-1]``."""
        check_eager_sampling("Categorical.sample")
        shape = [int(s) for s in shape]
        num_samples = int(np.prod(shape))
        logits_shape = list(self.logits.shape)
        if len(logits_shape) > 1:
            sample_shape = shape + logits_shape[:-1]
            logits = self.logits.reshape([int(np.prod(logits_shape[:-1])), logits_shape[-1]])
        else:
            sample_shape = shape
            logits = self.logits
        idx = _T.multinomial(self._logits_to_probs(logits), num_samples, True)
        if idx.dim() > 1:
            idx = idx.transpose([1, 0])
        return idx.reshape(sample_shape)

    def _log_softmax(self, logits):
        logits = logits - _T.max(logits, axis=-1, keepdim=True)
        z = _T.sum(_T.exp(logits), axis=-1, keepdim=True)
        return logits, z

    def kl_divergence(self, other):
        logits, z = self._log_softmax(self.logits)
        other_logits, other_z = self._log_softmax(other.logits)
        prob = _T.exp(logits) / z
        return _T.sum(
            prob * (logits - _T.log(z) - other_logits + _T.log(other_z)), axis=-1, keepdim=True
        )

    def entropy(self):
        logits, z = self._log_softmax(self.logits)
        prob = _T.exp(logits) / z
        return -_T.sum(prob * (logits - _T.log(z)), axis=-1)

    def probs(self, value: Tensor):
        """The sum-normalised probability of each index in ``value`` (NOTE [categorical
        logits]); a 1-D ``value`` is looked up in every batch row."""
        if len(self._prob.shape) == 1:
            return _T.gather(self._prob, value.reshape([-1])).reshape(value.shape)
        if len(value.shape) == 1:
            index = value.reshape([1] * (len(self._prob.shape) - 1) + [-1])
            return _T.take_along_axis(self._prob, index, axis=-1)
        return _T.take_along_axis(self._prob, value, axis=-1)

    def log_prob(self, value: Tensor):
        return _T.log(self.probs(value))
