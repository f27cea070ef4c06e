"""``paddle.optimizer.Adam`` with Paddle's CPU kernel arithmetic.

``lr_t = lr * sqrt(1 - beta2_pow) / (1 - beta1_pow)`` and
``param -= lr_t * m / (sqrt(v) + epsilon * sqrt(1 - beta2_pow))`` in float32; the beta-pow
accumulators (shape [1]) start at beta and are multiplied by beta after each step.
"""

from __future__ import annotations

import numpy as np
import torch

from ._common import F32, is_tensor, scalar
from .optimizer import Optimizer

__all__ = ["Adam"]


class Adam(Optimizer):
    """Adam.

    >>> import paddlefish as paddle
    >>> net = paddle.nn.Linear(2, 1)
    >>> opt = paddle.optimizer.Adam(learning_rate=0.01, parameters=net.parameters())
    >>> net(paddle.ones([1, 2])).sum().backward(); opt.step()
    >>> [k.split('_', 3)[-1] for k in opt.state_dict()][::2]
    ['moment1_0', 'moment2_0', 'beta1_pow_acc_0', 'beta2_pow_acc_0']
    """

    _moment1_acc_str = "moment1"
    _moment2_acc_str = "moment2"
    _moment2_acc_max_str = "moment2_max"
    _beta1_pow_acc_str = "beta1_pow_acc"
    _beta2_pow_acc_str = "beta2_pow_acc"

    def __init__(
        self,
        learning_rate=0.001,
        beta1=0.9,
        beta2=0.999,
        epsilon=1e-8,
        parameters=None,
        weight_decay=None,
        grad_clip=None,
        lazy_mode: bool = False,
        multi_precision: bool = False,
        use_multi_tensor: bool = False,
        amsgrad: bool = False,
        name: str | None = None,
    ) -> None:
        _check_betas(beta1, beta2, epsilon)
        super().__init__(learning_rate, parameters, weight_decay, grad_clip, name)
        self.type = "adam"
        self._beta1, self._beta2, self._epsilon = beta1, beta2, epsilon
        self._lazy_mode = lazy_mode
        self._multi_precision = multi_precision
        self._amsgrad = amsgrad
        self._default_dict = {
            "beta1": beta1,
            "beta2": beta2,
            "epsilon": epsilon,
            "lazy_mode": lazy_mode,
        }
        self._init_groups()

    def _create_accumulators(self, params, hp) -> None:
        for p in params:
            self._add_moments_pows(p, hp)

    def _add_moments_pows(self, p, hp) -> None:
        self._add_accumulator(self._moment1_acc_str, p)
        self._add_accumulator(self._moment2_acc_str, p)
        if self._amsgrad:
            self._add_accumulator(self._moment2_acc_max_str, p)
        # NOTE [beta pow fill]: Paddle fills the pow accumulators with 0.9 / 0.999 (not the
        # tensor's value) when beta1/beta2 are given as Tensors; we do the same.
        b1, b2 = hp["beta1"], hp["beta2"]
        self._add_accumulator(
            self._beta1_pow_acc_str,
            p,
            fill_value=0.9 if is_tensor(b1) else b1,
            shape=[1],
            device="cpu",
        )
        self._add_accumulator(
            self._beta2_pow_acc_str,
            p,
            fill_value=0.999 if is_tensor(b2) else b2,
            shape=[1],
            device="cpu",
        )

    def _update(self, param, grad, lr, hp) -> None:
        b1, b2, eps = scalar(hp["beta1"]), scalar(hp["beta2"]), scalar(hp["epsilon"])
        b1p_t = self._get_accumulator(self._beta1_pow_acc_str, param)
        b2p_t = self._get_accumulator(self._beta2_pow_acc_str, param)
        lr_t, eps_t = _bias_corrected(lr, eps, b1p_t, b2p_t)
        self._adam_core(param, grad, b1, b2, lr_t, eps_t)
        b1p_t.mul_(float(b1))
        b2p_t.mul_(float(b2))

    def _adam_core(self, param, grad, b1, b2, lr_t, eps_t) -> None:
        m = self._get_accumulator(self._moment1_acc_str, param)
        v = self._get_accumulator(self._moment2_acc_str, param)
        m.mul_(float(b1)).add_(grad, alpha=float(F32(1) - b1))
        v.mul_(float(b2)).addcmul_(grad, grad, value=float(F32(1) - b2))
        if self._amsgrad:
            vmax = self._get_accumulator(self._moment2_acc_max_str, param)
            torch.maximum(vmax, v, out=vmax)
            v = vmax
        denom = v.sqrt().add_(float(eps_t))
        param._t.addcdiv_(m, denom, value=-float(lr_t))


def _bias_corrected(lr, eps, b1p_t, b2p_t) -> tuple[np.float32, np.float32]:
    b1p, b2p = F32(b1p_t.item()), F32(b2p_t.item())
    root = F32(np.sqrt(F32(1) - b2p))
    lr_t = F32(lr * F32(root / (F32(1) - b1p)))
    return lr_t, F32(eps * root)


def _check_betas(beta1, beta2, epsilon) -> None:
    if not is_tensor(beta1) and not 0 <= beta1 < 1:
        raise ValueError(f"Invalid value of beta1 ({beta1}), expect beta1 in [0,1).")
    if not is_tensor(beta2) and not 0 <= beta2 < 1:
        raise ValueError(f"Invalid value of beta2 ({beta2}), expect beta2 in [0,1).")
    if not is_tensor(epsilon) and not 0 <= epsilon:
        raise ValueError(f"Invalid value of epsilon ({epsilon}), expect epsilon >= 0.")
