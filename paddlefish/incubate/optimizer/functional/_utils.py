"""Input checks and ``value, gradient`` of the objective (Paddle 2.6's ``functional/utils.py``)."""

from __future__ import annotations

from ....eager.autograd import grad
from ....eager.tensor import Tensor
from ....tensor import all as all_
from ....tensor import equal
from ....tensor.linalg import cholesky

__all__ = ["check_initial_inverse_hessian_estimate", "check_input_type", "value_and_gradient"]


def check_input_type(value, name: str, op_name: str) -> None:
    if not isinstance(value, Tensor):
        raise ValueError(  # noqa: TRY004 - Paddle raises ValueError here
            f"{op_name}: the input {name} ({value!r}) must be tensor."
        )


def check_initial_inverse_hessian_estimate(H0) -> None:
    msg = (
        "The initial_inverse_hessian_estimate should be symmetric and positive definite, but "
        "the specified is not."
    )
    if not bool(all_(equal(H0, H0.t()))):
        raise ValueError(msg)
    try:
        cholesky(H0)
    except (RuntimeError, ValueError):
        raise ValueError(msg) from None


def value_and_gradient(f, x):
    x = x.detach()
    x.stop_gradient = False
    value = f(x)
    gradient = grad([value], [x], create_graph=False)[0]
    return value.detach(), gradient.detach()
