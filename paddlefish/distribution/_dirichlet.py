"""``Dirichlet`` over the last axis of ``concentration``."""

from __future__ import annotations

from .. import tensor as _T
from . import _functional as _F
from ._distribution import check_eager_sampling
from ._exponential_family import ExponentialFamily

__all__ = ["Dirichlet"]


class Dirichlet(ExponentialFamily):
    """The Dirichlet distribution; ``concentration`` is a Tensor of at least one dimension,
    its last axis the event.

    >>> import paddlefish as paddle
    >>> d = paddle.distribution.Dirichlet(paddle.to_tensor([1.0, 2.0, 3.0]))
    >>> [round(v, 4) for v in d.mean.numpy().tolist()]
    [0.1667, 0.3333, 0.5]
    >>> d.sample([4]).shape
    [4, 3]
    """

    def __init__(self, concentration):
        if concentration.dim() < 1:
            raise ValueError(
                "Dirichlet: `concentration` parameter must be at least one dimensional, got "
                f"shape {concentration.shape}"
            )
        self.concentration = concentration
        super().__init__(concentration.shape[:-1], concentration.shape[-1:])

    @property
    def mean(self):
        return self.concentration / self.concentration.sum(-1, keepdim=True)

    @property
    def variance(self):
        c0 = self.concentration.sum(-1, keepdim=True)
        return self.concentration * (c0 - self.concentration) / (c0.pow(2) * (c0 + 1))

    def sample(self, shape=()):
        """Points of the simplex, shape ``shape + batch_shape + event_shape`` (no gradient)."""
        check_eager_sampling("Dirichlet.sample")
        shape = self._extend_shape(tuple(shape))
        return _F.dirichlet(self.concentration.expand(list(shape)))

    def prob(self, value):
        return _T.exp(self.log_prob(value))

    def log_prob(self, value):
        c = self.concentration
        return (_T.log(value) * (c - 1.0)).sum(-1) + _T.lgamma(c.sum(-1)) - _T.lgamma(c).sum(-1)

    def entropy(self):
        c = self.concentration
        c0 = c.sum(-1)
        k = c.shape[-1]
        return (
            _T.lgamma(c).sum(-1)
            - _T.lgamma(c0)
            - (k - c0) * _T.digamma(c0)
            - ((c - 1.0) * _T.digamma(c)).sum(-1)
        )

    @property
    def _natural_parameters(self):
        return (self.concentration,)

    def _log_normalizer(self, x):
        return x.lgamma().sum(-1) - _T.lgamma(x.sum(-1))
