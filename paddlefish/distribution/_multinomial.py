"""``Multinomial``: counts of ``total_count`` categorical draws."""

from __future__ import annotations

from collections.abc import Iterable

from .. import tensor as _T
from . import _functional as _F
from ._categorical import Categorical
from ._distribution import Distribution

__all__ = ["Multinomial"]


class Multinomial(Distribution):
    """The multinomial distribution: ``total_count`` (int >= 1) draws with category
    probabilities ``probs`` (a Tensor, normalised over its last axis).

    >>> import paddlefish as paddle
    >>> m = paddle.distribution.Multinomial(4, paddle.to_tensor([0.2, 0.3, 0.5]))
    >>> [round(v, 4) for v in m.mean.numpy().tolist()]
    [0.8, 1.2, 2.0]
    >>> m.sample([2]).sum(-1).numpy().tolist()
    [4.0, 4.0]
    """

    def __init__(self, total_count, probs):
        if not isinstance(total_count, int) or total_count < 1:
            raise ValueError(
                "Multinomial: input parameter total_count must be int type and grater than "
                f"zero, got {total_count!r}"
            )
        if probs.dim() < 1:
            raise ValueError(
                f"Multinomial: probs must have at least one dimension, got shape {probs.shape}"
            )
        self.probs = probs / probs.sum(-1, keepdim=True)
        self.total_count = total_count
        self._categorical = Categorical(logits=self._probs_to_logits(probs))
        super().__init__(probs.shape[:-1], probs.shape[-1:])

    @property
    def mean(self):
        return self.probs * self.total_count

    @property
    def variance(self):
        return self.total_count * self.probs * (1 - self.probs)

    def prob(self, value):
        return _T.exp(self.log_prob(value))

    def log_prob(self, value):
        if not value.is_floating_point():
            value = value.astype(self.probs.dtype)
        logits, value = _T.broadcast_tensors([_T.log(self.probs), value])
        # 0 * log(0) counts as 0: a zero count of an impossible category is possible
        logits = _T.where((value == 0) & _T.isinf(logits), _T.zeros_like(logits), logits)
        return (
            _T.lgamma(value.sum(-1) + 1) - _T.lgamma(value + 1).sum(-1) + (value * logits).sum(-1)
        )

    def sample(self, shape=()):
        """Counts of shape ``shape + batch_shape + event_shape`` in ``probs``' dtype."""
        if not isinstance(shape, Iterable):
            raise TypeError(f"sample shape must be Iterable object, got {type(shape).__name__}")
        samples = self._categorical.sample([self.total_count] + list(shape))
        k = self.probs.shape[-1]
        return _F.one_hot(samples, k).astype(self.probs.dtype).sum(0)

    def entropy(self):
        n = _T.full([], self.total_count, dtype=self.probs.dtype)
        support = _T.arange(self.total_count + 1, dtype=self.probs.dtype).reshape(
            [-1] + [1] * len(self.probs.shape)
        )[1:]
        binomial_pmf = _T.exp(self._binomial_logpmf(n, support))
        return (
            n * self._categorical.entropy()
            - _T.lgamma(n + 1)
            + (binomial_pmf * _T.lgamma(support + 1)).sum([0, -1])
        )

    def _binomial_logpmf(self, count, value):
        logits = self._probs_to_logits(self.probs, is_binary=True)
        factor_n = _T.lgamma(count + 1)
        factor_k = _T.lgamma(value + 1)
        factor_nmk = _T.lgamma(count - value + 1)
        norm = count * _clip_by_zero(logits) + count * _T.log1p(_T.exp(-_T.abs(logits))) - factor_n
        return value * logits - factor_k - factor_nmk - norm


def _clip_by_zero(x):
    return (x.clip(min=0) + x - x.clip(max=0)) / 2
