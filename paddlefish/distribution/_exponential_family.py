"""``ExponentialFamily``: entropy (and, in ``_kl``, KL) from the log-normaliser by autograd."""

from __future__ import annotations

from ..eager.autograd import grad
from ._distribution import Distribution

__all__ = ["ExponentialFamily"]


def natural_leaves(params) -> list:
    """Detached copies of the natural parameters that require gradients (Bregman divergence)."""
    leaves = []
    for p in params:
        p = p.detach()
        p.stop_gradient = False
        leaves.append(p)
    return leaves


class ExponentialFamily(Distribution):
    """Base of exponential-family distributions ``p(x) = h(x) exp(<t(x), theta> - F(theta))``.

    A subclass provides ``_natural_parameters``, ``_log_normalizer(*theta)`` and
    ``_mean_carrier_measure``; ``entropy`` is then ``F(theta) - <theta, dF/dtheta> - E[log h]``.

    >>> import paddlefish as paddle
    >>> from paddlefish.distribution import ExponentialFamily
    >>> class Exp(ExponentialFamily):  # the exponential distribution, rate r
    ...     def __init__(self, rate):
    ...         self.rate = rate
    ...         super().__init__(rate.shape)
    ...     _natural_parameters = property(lambda self: (-self.rate,))
    ...     _mean_carrier_measure = 0.0
    ...     def _log_normalizer(self, x):
    ...         return -paddle.log(-x)
    >>> round(float(Exp(paddle.to_tensor([2.0])).entropy()), 4)  # 1 - log 2
    0.3069
    """

    @property
    def _natural_parameters(self):
        raise NotImplementedError

    def _log_normalizer(self, *natural_parameters):
        raise NotImplementedError

    @property
    def _mean_carrier_measure(self):
        raise NotImplementedError

    def entropy(self):
        entropy_value = -self._mean_carrier_measure
        natural_parameters = natural_leaves(self._natural_parameters)
        log_norm = self._log_normalizer(*natural_parameters)
        grads = grad(log_norm.sum(), natural_parameters, create_graph=True)
        entropy_value = entropy_value + log_norm
        for p, g in zip(natural_parameters, grads):
            entropy_value = entropy_value - p * g
        return entropy_value
