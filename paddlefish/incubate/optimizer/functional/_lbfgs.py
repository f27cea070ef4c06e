"""``minimize_lbfgs``: Paddle 2.6's limited-memory BFGS (ported; the history is a ring buffer
indexed by ``head``/``tail`` modulo ``history_size``).

NOTE [lbfgs ring buffer]: when the buffer is full Paddle 2.6 advances ``tail`` without the
modulo (``tail + 1``), so once more than ``history_size - 1`` updates are kept ``tail`` reaches
``history_size`` and the two-loop recursion (``while i != tail`` with ``i`` taken modulo
``history_size``) never ends: real Paddle hangs. paddlefish advances ``tail`` modulo
``history_size`` and starts the forward loop at ``(tail + 1) % history_size`` (else it would
skip slot 0 after a wrap), keeping the newest pairs; while the buffer has not wrapped (every run
Paddle finishes) both are exactly Paddle's steps.
"""

from __future__ import annotations

import numpy as np

from ....tensor import assign, dot, eye, full, matmul, zeros
from ....tensor.linalg import norm
from ._control import assign_into, cond, while_loop
from ._line_search import strong_wolfe
from ._utils import check_initial_inverse_hessian_estimate, check_input_type, value_and_gradient

__all__ = ["minimize_lbfgs"]


def minimize_lbfgs(
    objective_func,
    initial_position,
    history_size=100,
    max_iters=50,
    tolerance_grad=1e-8,
    tolerance_change=1e-8,
    initial_inverse_hessian_estimate=None,
    line_search_fn="strong_wolfe",
    max_line_search_iters=50,
    initial_step_length=1.0,
    dtype="float32",
    name=None,
):
    """Minimise ``objective_func`` from ``initial_position`` (1-D) with L-BFGS.

    Returns ``(is_converge, num_func_calls, position, objective_value, objective_gradient)``.

    >>> import paddlefish as paddle
    >>> func = lambda x: paddle.dot(x, x)
    >>> out = paddle.incubate.optimizer.functional.minimize_lbfgs(func, paddle.to_tensor([1.0, 2.0]))
    >>> bool(out[0]), out[2].numpy().tolist()
    (True, [0.0, 0.0])
    """
    if dtype not in ("float32", "float64"):
        raise ValueError(f"The dtype must be 'float32' or 'float64', but the specified is {dtype}.")
    op_name = "minimize_lbfgs"
    check_input_type(initial_position, "initial_position", op_name)
    if initial_inverse_hessian_estimate is None:
        H0 = eye(initial_position.shape[0], dtype=dtype)
    else:
        check_input_type(
            initial_inverse_hessian_estimate, "initial_inverse_hessian_estimate", op_name
        )
        check_initial_inverse_hessian_estimate(initial_inverse_hessian_estimate)
        H0 = initial_inverse_hessian_estimate
    xk = assign(initial_position.detach())
    value, g1 = value_and_gradient(objective_func, xk)
    k = full(shape=[1], fill_value=0, dtype="int64")
    done = full(shape=[1], fill_value=False, dtype="bool")
    is_converge = full(shape=[1], fill_value=False, dtype="bool")
    num_func_calls = full(shape=[1], fill_value=1, dtype="int64")
    history = full(shape=[], fill_value=history_size, dtype="int64")
    head = full(shape=[1], fill_value=1, dtype="int64")
    tail = full(shape=[1], fill_value=0, dtype="int64")
    n = initial_position.shape[0]
    sk_vec = zeros((history_size + 1, n), dtype=dtype)
    yk_vec = zeros((history_size + 1, n), dtype=dtype)
    rhok_vec = zeros((history_size + 1, 1), dtype=dtype)
    ai_vec = zeros((history_size + 1, 1), dtype=dtype)

    def cond_fn(
        k, done, is_converge, num_func_calls, value, xk, g1, sk_vec, yk_vec, rhok_vec, head, tail
    ):
        return (k < max_iters) & ~done

    def body(
        k, done, is_converge, num_func_calls, value, xk, g1, sk_vec, yk_vec, rhok_vec, head, tail
    ):
        q = assign(g1)
        i = full(shape=[], fill_value=(head - 1).mod(history).item(), dtype="int64")

        def cond_back(i, q, ai_vec):
            return i != tail

        def body_back(i, q, ai_vec):
            ai_vec[i] = rhok_vec[i] * dot(sk_vec[i], q)
            q = q - ai_vec[i] * yk_vec[i]
            i = (i - 1).mod(history)
            return i, q, ai_vec

        while_loop(cond_back, body_back, [i, q, ai_vec])
        r = matmul(H0, q)
        i = full(shape=[], fill_value=((tail + 1) % history).item(), dtype="int64")

        def cond_fwd(i, r):
            return i != head

        def body_fwd(i, r):
            beta = rhok_vec[i] * dot(yk_vec[i], r)
            r = r + sk_vec[i] * (ai_vec[i] - beta)
            i = (i + 1).mod(history)
            return i, r

        while_loop(cond_fwd, body_fwd, [i, r])
        pk = -r
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
        assign_into(num_func_calls + ls_func_calls, num_func_calls)
        sk = alpha * pk
        yk = g2 - g1
        rhok_inv = dot(yk, sk)
        rhok = cond(
            rhok_inv == 0.0,
            lambda: full(shape=[1], fill_value=1000.0, dtype=dtype),
            lambda: 1.0 / rhok_inv,
        )
        sk_vec[head] = sk
        yk_vec[head] = yk
        rhok_vec[head] = rhok
        head = (head + 1) % history

        def true_fn(tail):  # see NOTE [lbfgs ring buffer]
            assign_into((tail + 1) % history, tail)

        cond(head == tail, lambda: true_fn(tail), None)
        xk = xk + sk
        g1 = g2
        k = k + 1
        gnorm = norm(g1, p=np.inf)
        pk_norm = norm(pk, p=np.inf)
        assign_into(done | (gnorm < tolerance_grad) | (pk_norm < tolerance_change), done)
        assign_into(done, is_converge)
        assign_into(done | (alpha == 0.0), done)
        return [
            k,
            done,
            is_converge,
            num_func_calls,
            value,
            xk,
            g1,
            sk_vec,
            yk_vec,
            rhok_vec,
            head,
            tail,
        ]

    while_loop(
        cond_fn,
        body,
        [k, done, is_converge, num_func_calls, value, xk, g1, sk_vec, yk_vec, rhok_vec, head, tail],
    )
    return is_converge, num_func_calls, xk, value, g1
