"""``Bernoulli``: probabilities clipped to ``[eps, 1 - eps]`` as Paddle 2.6 does."""

from __future__ import annotations

import numpy as np

from .. import tensor as _T
from ..eager.dispatch import get_recorder
from . import _functional as _F
from ._distribution import check_eager_sampling
from ._exponential_family import ExponentialFamily

__all__ = ["Bernoulli"]

_EPS = {"float32": float(np.finfo(np.float32).eps), "float64": float(np.finfo(np.float64).eps)}


def _dtype_name(dtype) -> str:
    return str(dtype).replace("paddle.", "")


class Bernoulli(ExponentialFamily):
    """The Bernoulli distribution with success probability ``probs`` (float or Tensor).

    ``probs`` must lie in ``[0, 1]`` and is clipped to ``[eps, 1 - eps]`` of its dtype, so
    ``log_prob`` stays finite. ``rsample(shape, temperature)`` returns Paddle's relaxed
    samples in logit space: ``(logit(u) + logit(p)) / temperature`` (no sigmoid applied).

    >>> import paddlefish as paddle
    >>> b = paddle.distribution.Bernoulli(paddle.to_tensor([0.3, 0.9]))
    >>> b.sample([5]).shape
    [5, 2]
    >>> [round(v, 4) for v in b.prob(paddle.to_tensor([1.0, 0.0])).numpy().tolist()]
    [0.3, 0.1]
    """

    def __init__(self, probs, name=None):
        self.name = name or "Bernoulli"
        if self._validate_args(probs):
            self.probs = probs
            self.dtype = _dtype_name(probs.dtype)
        else:
            [self.probs] = self._to_tensor(probs)
            self.dtype = _T.get_default_dtype()
        # checked eagerly only: while recording a program the values are unknown (as Paddle)
        if get_recorder() is None and (
            bool(_T.any(self.probs < 0))
            or bool(_T.any(self.probs > 1))
            or bool(_T.any(_T.isnan(self.probs)))
        ):
            raise ValueError(
                f"Bernoulli: the arg of `probs` must be in range [0, 1], got {self.probs.numpy()}"
            )
        eps = _EPS.get(self.dtype, _EPS["float32"])
        self.probs = _T.clip(self.probs, min=eps, max=1 - eps).astype(self.dtype)
        self.logits = self._probs_to_logits(self.probs, is_binary=True)
        super().__init__(batch_shape=self.probs.shape, event_shape=())

    @property
    def mean(self):
        return self.probs

    @property
    def variance(self):
        return self.probs * (1 - self.probs)

    def sample(self, shape):
        """0/1 samples (in the probabilities' dtype) of shape ``shape + batch_shape``."""
        check_eager_sampling("Bernoulli.sample")
        shape = self._extend_shape(tuple(shape))
        return _T.bernoulli(self.probs.detach().expand(list(shape)))

    def rsample(self, shape, temperature=1.0):
        check_eager_sampling("Bernoulli.rsample")
        shape = list(self._extend_shape(tuple(shape)))
        probs = self.probs.expand(shape)
        u = _T.rand(shape, dtype=self.dtype)
        logit_u = u.log() - (-u).log1p()
        return (logit_u + (probs.log() - (-probs).log1p())) / _T.full(
            [], temperature, dtype=self.dtype
        )

    def cdf(self, value):
        value = self._check_values_dtype_in_probs(self.probs, value)
        probs, value = _T.broadcast_tensors([self.probs, value])
        zeros, ones = _T.zeros_like(probs), _T.ones_like(probs)
        return _T.where(value < 0, zeros, _T.where(value < 1, ones - probs, ones))

    def log_prob(self, value):
        value = self._check_values_dtype_in_probs(self.probs, value)
        logits, value = _T.broadcast_tensors([self.logits, value])
        return -_F.bce_with_logits(logits, value)

    def prob(self, value):
        return self.log_prob(value).exp()

    def entropy(self):
        return _F.bce_with_logits(self.logits, self.probs)

    def kl_divergence(self, other):
        a, b = self.logits, other.logits
        log_pa, log_pb = -_F.softplus(-a), -_F.softplus(-b)
        pa, one_minus_pa = _F.sigmoid(a), _F.sigmoid(-a)
        log_1mpa, log_1mpb = -_F.softplus(a), -_F.softplus(b)
        return (log_pa * pa - log_pb * pa) + (log_1mpa * one_minus_pa - log_1mpb * one_minus_pa)
