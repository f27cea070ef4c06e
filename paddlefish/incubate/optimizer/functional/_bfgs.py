"""``minimize_bfgs``: Paddle 2.6's BFGS with a strong-Wolfe line search (ported as is)."""

from __future__ import annotations

import numpy as np

from ....tensor import assign, dot, eye, full, matmul, unsqueeze
from ....tensor.linalg import norm
from ._control import assign_into, cond, while_loop
from ._line_search import strong_wolfe
from ._utils import check_initial_inverse_hessian_estimate, check_input_type, value_and_gradient

__all__ = ["minimize_bfgs"]


def minimize_bfgs(
    objective_func,
    initial_position,
    max_iters=50,
    tolerance_grad=1e-7,
    tolerance_change=1e-9,
    initial_inverse_hessian_estimate=None,
    line_search_fn="strong_wolfe",
    max_line_search_iters=50,
    initial_step_length=1.0,
    dtype="float32",
    name=None,
):
    """Minimise ``objective_func`` from ``initial_position`` (1-D) with BFGS.

    Returns ``(is_converge, num_func_calls, position, objective_value, objective_gradient,
    inverse_hessian_estimate)``.

    >>> import paddlefish as paddle
    >>> func = lambda x: paddle.dot(x, x)
    >>> out = paddle.incubate.optimizer.functional.minimize_bfgs(func, paddle.to_tensor([1.0, 2.0]))
    >>> bool(out[0]), out[2].numpy().tolist()
    (True, [0.0, 0.0])
    """
    if dtype not in ("float32", "float64"):
        raise ValueError(f"The dtype must be 'float32' or 'float64', but the specified is {dtype}.")
    op_name = "minimize_bfgs"
    check_input_type(initial_position, "initial_position", op_name)
    I = eye(initial_position.shape[0], dtype=dtype)
    if initial_inverse_hessian_estimate is None:
        initial_inverse_hessian_estimate = I
    else:
        check_input_type(
            initial_inverse_hessian_estimate, "initial_inverse_hessian_estimate", op_name
        )
        check_initial_inverse_hessian_estimate(initial_inverse_hessian_estimate)
    Hk = assign(initial_inverse_hessian_estimate)
    xk = assign(initial_position.detach())
    value, g1 = value_and_gradient(objective_func, xk)
    num_func_calls = full(shape=[1], fill_value=1, dtype="int64")
    k = full(shape=[1], fill_value=0, dtype="int64")
    done = full(shape=[1], fill_value=False, dtype="bool")
    is_converge = full(shape=[1], fill_value=False, dtype="bool")

    def cond_fn(k, done, is_converge, num_func_calls, xk, value, g1, Hk):
        return (k < max_iters) & ~done

    def body(k, done, is_converge, num_func_calls, xk, value, g1, Hk):
        pk = -matmul(Hk, g1)
        if line_search_fn != "strong_wolfe":
            raise NotImplementedError(
                "Currently only support line_search_fn = 'strong_wolfe', but the specified is "
                f"'{line_search_fn}'"
            )
        alpha, value, g2, ls_func_calls = strong_wolfe(
            f=objective_func,
            xk=xk,
            pk=pk,
            max_iters=max_line_search_iters,
            initial_step_length=initial_step_length,
            dtype=dtype,
        )
        num_func_calls = num_func_calls + ls_func_calls
        sk = alpha * pk
        yk = g2 - g1
        xk = xk + sk
        g1 = g2
        sk = unsqueeze(sk, 0)
        yk = unsqueeze(yk, 0)
        rhok_inv = dot(yk, sk)
        rhok = cond(
            rhok_inv == 0.0,
            lambda: full(shape=[1], fill_value=1000.0, dtype=dtype),
            lambda: 1.0 / rhok_inv,
        )
        Vk_transpose = I - rhok * sk * yk.t()
        Vk = I - rhok * yk * sk.t()
        Hk = matmul(matmul(Vk_transpose, Hk), Vk) + rhok * sk * sk.t()
        k = k + 1
        gnorm = norm(g1, p=np.inf)
        pk_norm = norm(pk, p=np.inf)
        assign_into(done | (gnorm < tolerance_grad) | (pk_norm < tolerance_change), done)
        assign_into(done, is_converge)
        assign_into(done | (alpha == 0.0), done)
        return [k, done, is_converge, num_func_calls, xk, value, g1, Hk]

    while_loop(cond_fn, body, [k, done, is_converge, num_func_calls, xk, value, g1, Hk])
    return is_converge, num_func_calls, xk, value, g1, Hk
