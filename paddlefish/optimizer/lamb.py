"""``paddle.optimizer.Lamb``: layer-wise adaptive moments."""

from __future__ import annotations

import torch

from ._common import F32, scalar
from .adam import Adam

__all__ = ["Lamb"]


class Lamb(Adam):
    """Lamb as Paddle's kernel computes it.

    ``r = m_hat / (sqrt(v_hat) + eps) + wd * param`` with bias-corrected moments; the step is
    ``lr * ||param|| / ||r||`` (1 when either norm is 0) times ``r``. Parameters for which
    ``exclude_from_weight_decay_fn(param)`` is true get ``wd = 0``; with ``always_adapt=False``
    they also skip the trust ratio.

    >>> import paddlefish as paddle
    >>> net = paddle.nn.Linear(2, 1)
    >>> opt = paddle.optimizer.Lamb(0.01, parameters=net.parameters())
    >>> net(paddle.ones([1, 2])).sum().backward(); opt.step()
    >>> len(opt.state_dict())
    8
    """

    def __init__(
        self,
        learning_rate=0.001,
        lamb_weight_decay: float = 0.01,
        beta1: float = 0.9,
        beta2: float = 0.999,
        epsilon: float = 1e-6,
        parameters=None,
        grad_clip=None,
        exclude_from_weight_decay_fn=None,
        multi_precision: bool = False,
        always_adapt: bool = False,
        name: str | None = None,
    ) -> None:
        super().__init__(
            learning_rate,
            beta1,
            beta2,
            epsilon,
            parameters,
            None,
            grad_clip,
            False,
            multi_precision,
            False,
            False,
            name,
        )
        self.type = "lamb"
        self._lamb_weight_decay = lamb_weight_decay
        self._exclude_from_weight_decay_fn = exclude_from_weight_decay_fn
        self.always_adapt = always_adapt
        self._default_dict["lamb_weight_decay"] = lamb_weight_decay
        self._default_dict["exclude_from_weight_decay_fn"] = exclude_from_weight_decay_fn

    def _update(self, param, grad, lr, hp) -> None:
        b1, b2, eps = scalar(hp["beta1"]), scalar(hp["beta2"]), scalar(hp["epsilon"])
        exclude = hp["exclude_from_weight_decay_fn"]
        skip = exclude is not None and exclude(param)
        wd = F32(0.0) if skip else F32(hp["lamb_weight_decay"])
        m = self._get_accumulator(self._moment1_acc_str, param)
        v = self._get_accumulator(self._moment2_acc_str, param)
        b1p_t = self._get_accumulator(self._beta1_pow_acc_str, param)
        b2p_t = self._get_accumulator(self._beta2_pow_acc_str, param)
        b1p, b2p = F32(b1p_t.item()), F32(b2p_t.item())
        p = param._t
        m.mul_(float(b1)).add_(grad, alpha=float(F32(1) - b1))
        v.mul_(float(b2)).addcmul_(grad, grad, value=float(F32(1) - b2))
        m_hat = m / float(F32(1) - b1p)
        v_hat = v / float(F32(1) - b2p)
        r = m_hat / (v_hat.sqrt() + float(eps)) + p * float(wd)
        step = r * float(lr)
        if self.always_adapt or not skip:
            p_norm, r_norm = torch.linalg.vector_norm(p), torch.linalg.vector_norm(r)
            ok = (p_norm > 0) & (r_norm > 0)
            ratio = torch.where(ok, p_norm / r_norm, torch.ones_like(p_norm))
            step = r * (ratio * float(lr))
        p.sub_(step)
        b1p_t.mul_(float(b1))
        b2p_t.mul_(float(b2))
