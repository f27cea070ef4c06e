"""``paddle.optimizer.Momentum`` (L2 decay fused into the update, as Paddle's momentum kernel)."""

from __future__ import annotations

from ._common import F32
from .optimizer import Optimizer
from .regularizer import L2Decay

__all__ = ["Momentum"]


def _l2_coeff(weight_decay) -> tuple[str, float]:
    if isinstance(weight_decay, L2Decay):
        return "l2_decay", weight_decay.coeff
    if isinstance(weight_decay, (int, float)) and not isinstance(weight_decay, bool):
        return "l2_decay", float(weight_decay)
    return "", 0.0


class Momentum(Optimizer):
    """Momentum SGD: ``v = mu*v + g; param -= lr*v`` (Nesterov: ``param -= lr*(g + mu*v)``).

    An L2 weight decay (float or ``L2Decay``) is applied inside the update as Paddle's kernel
    does (``g = g*rescale_grad + coeff*param``), other regularizers through the gradient.

    >>> import paddlefish as paddle
    >>> net = paddle.nn.Linear(2, 1)
    >>> opt = paddle.optimizer.Momentum(0.1, momentum=0.9, parameters=net.parameters())
    >>> net(paddle.ones([1, 2])).sum().backward(); opt.step()
    >>> list(opt.state_dict())[0].endswith('_velocity_0')
    True
    """

    def __init__(
        self,
        learning_rate=0.001,
        momentum: float = 0.9,
        parameters=None,
        use_nesterov: bool = False,
        weight_decay=None,
        grad_clip=None,
        multi_precision: bool = False,
        rescale_grad: float = 1.0,
        use_multi_tensor: bool = False,
        name: str | None = None,
    ) -> None:
        if isinstance(weight_decay, int):
            weight_decay = float(weight_decay)
        parameters = self._convert_groups(parameters, weight_decay)
        method, coeff = _l2_coeff(weight_decay)
        py_regular = None if method else weight_decay
        super().__init__(learning_rate, parameters, py_regular, grad_clip, name)
        self.type = "momentum"
        self._momentum = momentum
        self._use_nesterov = bool(use_nesterov)
        self._rescale_grad = rescale_grad
        self._multi_precision = multi_precision
        self._default_dict = {
            "momentum": momentum,
            "use_nesterov": use_nesterov,
            "rescale_grad": rescale_grad,
            "regularization_method": method,
            "regularization_coeff": coeff,
        }
        self._init_groups()

    @staticmethod
    def _convert_groups(parameters, weight_decay):
        if not (isinstance(parameters, list) and parameters and isinstance(parameters[0], dict)):
            return parameters
        out = []
        for group in parameters:
            group = dict(group)
            decay = group.get("weight_decay", weight_decay)
            method, coeff = _l2_coeff(decay)
            group["regularization_method"], group["regularization_coeff"] = method, coeff
            group["weight_decay"] = None if method else decay
            out.append(group)
        return out

    def _regularize(self, param, grad):
        if isinstance(getattr(param, "regularizer", None), L2Decay):
            return grad  # fused into the update below
        return super()._regularize(param, grad)

    def _create_accumulators(self, params, hp) -> None:
        for p in params:
            self._add_accumulator("velocity", p)

    def _update(self, param, grad, lr, hp) -> None:
        method, coeff = hp["regularization_method"], hp["regularization_coeff"]
        reg = getattr(param, "regularizer", None)
        if isinstance(reg, L2Decay):
            method, coeff = "l2_decay", reg.coeff
        elif reg is not None:
            method, coeff = "", 0.0
        mu = float(F32(hp["momentum"]))
        p, v = param._t, self._get_accumulator("velocity", param)
        g = grad * float(F32(hp["rescale_grad"]))
        if method == "l2_decay":
            g = g + p * float(F32(coeff))
        v.mul_(mu).add_(g)
        if hp["use_nesterov"]:
            p.sub_((g + v * mu) * float(lr))
        else:
            p.sub_(v * float(lr))
