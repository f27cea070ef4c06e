"""``kl_divergence`` and ``register_kl``: a table of KL functions keyed by class pairs,
dispatched to the most specific registered pair (as Paddle, and torch.distributions)."""

from __future__ import annotations

import functools
import warnings

from ..eager.autograd import grad
from ._bernoulli import Bernoulli
from ._beta import Beta
from ._categorical import Categorical
from ._cauchy import Cauchy
from ._dirichlet import Dirichlet
from ._distribution import Distribution, sum_rightmost
from ._exponential_family import ExponentialFamily, natural_leaves
from ._geometric import Geometric
from ._laplace import Laplace
from ._lognormal import LogNormal
from ._normal import Normal
from ._uniform import Uniform

__all__ = ["kl_divergence", "register_kl"]

_REGISTER_TABLE: dict = {}


def kl_divergence(p, q):
    """``KL(p || q)``, from the function registered for the closest pair of classes.

    >>> import paddlefish as paddle
    >>> D = paddle.distribution
    >>> round(float(D.kl_divergence(D.Normal(0.0, 1.0), D.Normal(1.0, 1.0))), 4)
    0.5
    """
    return _dispatch(type(p), type(q))(p, q)


def register_kl(cls_p, cls_q):
    """Decorator registering ``f(p, q)`` as ``kl_divergence`` for ``cls_p``/``cls_q``.

    >>> import paddlefish as paddle
    >>> D = paddle.distribution
    >>> class MyNormal(D.Normal):
    ...     pass
    >>> @D.register_kl(MyNormal, MyNormal)
    ... def _kl(p, q):
    ...     return paddle.zeros([])
    >>> float(D.kl_divergence(MyNormal(0.0, 1.0), MyNormal(2.0, 1.0)))
    0.0
    """
    if not (isinstance(cls_p, type) and issubclass(cls_p, Distribution)) or not (
        isinstance(cls_q, type) and issubclass(cls_q, Distribution)
    ):
        raise TypeError(f"cls_p and cls_q must be subclass of Distribution, got {cls_p}, {cls_q}")

    def decorator(f):
        _REGISTER_TABLE[cls_p, cls_q] = f
        return f

    return decorator


def _dispatch(cls_p, cls_q):
    matches = [
        (sp, sq) for sp, sq in _REGISTER_TABLE if issubclass(cls_p, sp) and issubclass(cls_q, sq)
    ]
    if not matches:
        raise NotImplementedError(
            f"no kl_divergence registered for ({cls_p.__name__}, {cls_q.__name__}); "
            "add one with @paddle.distribution.register_kl"
        )
    left_p, left_q = min(_Compare(*m) for m in matches).classes
    right_q, right_p = min(_Compare(*reversed(m)) for m in matches).classes
    if _REGISTER_TABLE[left_p, left_q] is not _REGISTER_TABLE[right_p, right_q]:
        warnings.warn(
            f"Ambiguous kl_divergence({cls_p.__name__}, {cls_q.__name__}). Please "
            f"register_kl({left_p.__name__}, {right_q.__name__})",
            RuntimeWarning,
            stacklevel=3,
        )
    return _REGISTER_TABLE[left_p, left_q]


@functools.total_ordering
class _Compare:
    def __init__(self, *classes):
        self.classes = classes

    def __eq__(self, other):
        return self.classes == other.classes

    def __le__(self, other):
        for x, y in zip(self.classes, other.classes):
            if not issubclass(x, y):
                return False
            if x is not y:
                break
        return True


def _method_kl(p, q):
    return p.kl_divergence(q)


for _cls in (Bernoulli, Categorical, Cauchy, Normal, Uniform, Laplace, Geometric):
    register_kl(_cls, _cls)(_method_kl)


@register_kl(Beta, Beta)
def _kl_beta_beta(p, q):
    pa, pb, qa, qb = p.alpha, p.beta, q.alpha, q.beta
    return (
        qa.lgamma()
        + qb.lgamma()
        + (pa + pb).lgamma()
        - (pa.lgamma() + pb.lgamma() + (qa + qb).lgamma())
        + (pa - qa) * pa.digamma()
        + (pb - qb) * pb.digamma()
        + (qa + qb - (pa + pb)) * (pa + pb).digamma()
    )


@register_kl(Dirichlet, Dirichlet)
def _kl_dirichlet_dirichlet(p, q):
    pc, qc = p.concentration, q.concentration
    return (
        pc.sum(-1).lgamma()
        - qc.sum(-1).lgamma()
        - (pc.lgamma() - qc.lgamma()).sum(-1)
        + ((pc - qc) * (pc.digamma() - pc.sum(-1).digamma().unsqueeze(-1))).sum(-1)
    )


@register_kl(ExponentialFamily, ExponentialFamily)
def _kl_expfamily_expfamily(p, q):
    """The Bregman divergence of the log-normaliser (same class only)."""
    if type(p) is not type(q):
        raise NotImplementedError(
            f"kl_divergence({type(p).__name__}, {type(q).__name__}): no registered function "
            "and the Bregman form needs both of one class; use register_kl"
        )
    p_params = natural_leaves(p._natural_parameters)
    p_log_norm = p._log_normalizer(*p_params)
    try:
        p_grads = grad(p_log_norm, p_params, create_graph=True)
    except RuntimeError as e:
        raise TypeError(
            f"Cann't compute kl_divergence({type(p).__name__}, {type(q).__name__}) use bregman "
            f"divergence. Please register_kl({type(p).__name__}, {type(q).__name__})."
        ) from e
    kl = q._log_normalizer(*q._natural_parameters) - p_log_norm
    for p_param, q_param, p_grad in zip(p_params, q._natural_parameters, p_grads):
        kl = kl - sum_rightmost((q_param - p_param) * p_grad, len(q.event_shape))
    return kl


@register_kl(LogNormal, LogNormal)
def _kl_lognormal_lognormal(p, q):
    return p._base.kl_divergence(q._base)
