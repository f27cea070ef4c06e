"""``paddle.optimizer.AdamW``: decoupled weight decay, then the Adam update.

Paddle's kernel first decays ``param *= 1 - lr * lr_ratio * coeff`` (only for parameters that
``apply_decay_param_fun(param.name)`` accepts), then applies Adam; ``weight_decay`` is that
``coeff`` (not a regularizer added to the gradient).
"""

from __future__ import annotations

from ._common import F32, scalar
from .adam import Adam, _bias_corrected

__all__ = ["AdamW"]


class AdamW(Adam):
    """AdamW.

    >>> import paddlefish as paddle
    >>> net = paddle.nn.Linear(2, 1)
    >>> opt = paddle.optimizer.AdamW(learning_rate=0.01, parameters=net.parameters(),
    ...                              weight_decay=0.01)
    >>> net(paddle.ones([1, 2])).sum().backward(); opt.step()
    >>> len(opt.state_dict())
    8
    """

    def __init__(
        self,
        learning_rate=0.001,
        beta1=0.9,
        beta2=0.999,
        epsilon=1e-8,
        parameters=None,
        weight_decay=0.01,
        lr_ratio=None,
        apply_decay_param_fun=None,
        grad_clip=None,
        lazy_mode: bool = False,
        multi_precision: bool = False,
        amsgrad: bool = False,
        name: str | None = None,
    ) -> None:
        if weight_decay is None:
            raise ValueError("AdamW: weight_decay should not be None; use 0.0 for no decay")
        if lr_ratio is not None and not callable(lr_ratio):
            raise TypeError("AdamW: lr_ratio must be a callable param -> float")
        super().__init__(
            learning_rate,
            beta1,
            beta2,
            epsilon,
            parameters,
            None,
            grad_clip,
            lazy_mode,
            multi_precision,
            False,
            amsgrad,
            name,
        )
        self.type = "adamw"
        self._coeff = weight_decay
        self._lr_ratio = lr_ratio
        self._apply_decay_param_fun = apply_decay_param_fun
        self.regularization = None
        self._default_dict["coeff"] = weight_decay

    def _regularize(self, param, grad):
        return grad  # AdamW decays inside the update

    def _update(self, param, grad, lr, hp) -> None:
        b1, b2, eps = scalar(hp["beta1"]), scalar(hp["beta2"]), scalar(hp["epsilon"])
        ratio = F32(1.0 if self._lr_ratio is None else self._lr_ratio(param))
        fun = self._apply_decay_param_fun
        if fun is None or fun(param.name):
            coeff = scalar(hp.get("coeff", self._coeff))
            param._t.mul_(float(F32(1) - F32(F32(lr * ratio) * coeff)))
        b1p_t = self._get_accumulator(self._beta1_pow_acc_str, param)
        b2p_t = self._get_accumulator(self._beta2_pow_acc_str, param)
        lr_t, eps_t = _bias_corrected(F32(lr * ratio), eps, b1p_t, b2p_t)
        self._adam_core(param, grad, b1, b2, lr_t, eps_t)
        b1p_t.mul_(float(b1))
        b2p_t.mul_(float(b2))
