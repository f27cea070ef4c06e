"""The strong-Wolfe line search of Paddle 2.6's ``incubate.optimizer.functional`` (a port of
``line_search.py``, keeping its in-place updates; see NOTE [eager while_loop aliasing])."""

from __future__ import annotations

from ....tensor import abs as abs_
from ....tensor import any as any_
from ....tensor import assign, dot, full, isinf, less_equal, maximum, minimum
from ._control import assign_into, cond, while_loop
from ._utils import value_and_gradient

__all__ = ["strong_wolfe"]


def cubic_interpolation_(x1, f1, g1, x2, f2, g2):
    """Minimiser of the cubic through ``(x1, f1, g1)`` and ``(x2, f2, g2)``, clamped."""
    xmin, xmax = cond(x1 <= x2, lambda: (x1, x2), lambda: (x2, x1))
    d1 = g1 + g2 - 3 * (f1 - f2) / (x1 - x2)
    d2_square = d1**2 - g1 * g2

    def true_func1():
        d2 = d2_square.sqrt()

        def true_fn2():
            return x2 - (x2 - x1) * ((g2 + d2 - d1) / (g2 - g1 + 2 * d2))

        def false_fn2():
            return x1 - (x1 - x2) * ((g1 + d2 - d1) / (g1 - g2 + 2 * d2))

        min_pos = cond(less_equal(x=x1, y=x2), true_fn2, false_fn2)
        return minimum(maximum(min_pos, xmin), xmax)

    def false_func1():
        return (xmin + xmax) / 2.0

    return cond(d2_square >= 0.0, true_func1, false_func1)


def strong_wolfe(
    f,
    xk,
    pk,
    max_iters=20,
    tolerance_change=1e-8,
    initial_step_length=1.0,
    c1=1e-4,
    c2=0.9,
    alpha_max=10,
    dtype="float32",
):
    """Step length along ``pk`` satisfying the strong Wolfe conditions (Nocedal & Wright,
    Algorithms 3.5/3.6); returns ``(a_star, phi_star, derf_star, ls_func_calls)``."""

    def phi_and_derphi(a):
        phi_value, f_grad = value_and_gradient(f, xk + a * pk)
        return phi_value, f_grad, dot(f_grad, pk)

    def zoom(a_lo, phi_lo, derphi_lo, derf_lo, a_hi, phi_hi, derphi_hi, phi_0, derphi_0):
        j = full(shape=[1], fill_value=0, dtype="int64")
        done_zoom = full(shape=[1], fill_value=False, dtype="bool")

        def cond_zoom(j, done_zoom, a_lo, phi_lo, derphi_lo, derf_lo, a_hi, phi_hi, derphi_hi):
            pred = abs_(a_hi - a_lo) < tolerance_change
            assign_into(done_zoom | pred, done_zoom)
            return (j < max_iters) & ~done_zoom

        def body_zoom(j, done_zoom, a_lo, phi_lo, derphi_lo, derf_lo, a_hi, phi_hi, derphi_hi):
            aj = cubic_interpolation_(a_lo, phi_lo, derphi_lo, a_hi, phi_hi, derphi_hi)
            min_change = 0.1 * abs_(a_hi - a_lo)
            pred = minimum(abs_(aj - a_lo), abs_(aj - a_hi)) < min_change
            aj = cond(pred, lambda: 0.5 * (a_lo + a_hi), lambda: aj)
            phi_j, derf_j, derphi_j = phi_and_derphi(aj)

            def true_fn():
                assign_into(aj, a_hi)
                assign_into(phi_j, phi_hi)
                assign_into(derphi_j, derphi_hi)

            def false_fn(a_lo, done_zoom):
                assign_into(abs_(derphi_j) <= -c2 * derphi_0, done_zoom)

                def true_fn():
                    assign_into(a_lo, a_hi)
                    assign_into(phi_lo, phi_hi)
                    assign_into(derphi_lo, derphi_hi)

                cond(~done_zoom & (derphi_j * (a_hi - a_lo) >= 0), true_fn, None)
                assign_into(aj, a_lo)
                assign_into(phi_j, phi_lo)
                assign_into(derphi_j, derphi_lo)
                assign_into(derf_j, derf_lo)

            pred2 = (phi_j > phi_0 + c1 * aj * derphi_0) | (phi_j >= phi_lo)
            cond(pred2, true_fn, lambda: false_fn(a_lo, done_zoom))
            j = cond(done_zoom, lambda: j, lambda: j + 1)
            return [j, done_zoom, a_lo, phi_lo, derphi_lo, derf_lo, a_hi, phi_hi, derphi_hi]

        while_loop(
            cond_zoom,
            body_zoom,
            [j, done_zoom, a_lo, phi_lo, derphi_lo, derf_lo, a_hi, phi_hi, derphi_hi],
        )
        return j

    alpha_max = full(shape=[1], fill_value=alpha_max, dtype=dtype)
    a1 = full(shape=[1], fill_value=0.0, dtype=dtype)
    a2 = full(shape=[1], fill_value=initial_step_length, dtype=dtype)
    phi_1, derf_1, derphi_1 = phi_and_derphi(a1)
    phi_0 = assign(phi_1)
    derphi_0 = assign(derphi_1)
    ls_func_calls = full(shape=[1], fill_value=1, dtype="int64")
    a_star = full(shape=[1], fill_value=0, dtype=dtype)
    phi_star = assign(phi_1)
    derf_star = assign(derf_1)
    i = full(shape=[1], fill_value=0, dtype="int64")
    done = full(shape=[1], fill_value=False, dtype="bool")

    def cond_fn(i, ls_func_calls, a1, a2, phi_1, derf_1, done):
        return (i < max_iters) & ~done

    def body(i, ls_func_calls, a1, a2, phi_1, derf_1, done):
        phi_2, derf_2, derphi_2 = phi_and_derphi(a2)
        assign_into(ls_func_calls + 1, ls_func_calls)
        assign_into(done | any_(isinf(phi_2)), done)

        def true_fn1():
            j = zoom(a1, phi_1, derphi_1, derf_1, a2, phi_2, derphi_2, phi_0, derphi_0)
            assign_into(a1, a_star)
            assign_into(phi_1, phi_star)
            assign_into(derf_1, derf_star)
            assign_into(ls_func_calls + j, ls_func_calls)

        pred1 = ~done & ((phi_2 > phi_0 + c1 * a2 * derphi_0) | ((phi_2 >= phi_1) & (i > 1)))
        assign_into(done | pred1, done)
        cond(pred1, true_fn1, None)

        def true_fn2():
            assign_into(a2, a_star)
            assign_into(phi_2, phi_star)
            assign_into(derf_2, derf_star)

        pred2 = ~done & (abs_(derphi_2) <= -c2 * derphi_0)
        assign_into(done | pred2, done)
        cond(pred2, true_fn2, None)

        def true_fn3():
            j = zoom(a2, phi_2, derphi_2, derf_2, a1, phi_1, derphi_1, phi_0, derphi_0)
            assign_into(a2, a_star)
            assign_into(phi_2, phi_star)
            assign_into(derf_2, derf_star)
            assign_into(ls_func_calls + j, ls_func_calls)

        pred3 = ~done & (derphi_2 >= 0)
        assign_into(done | pred3, done)
        cond(pred3, true_fn3, None)

        def false_fn():
            assign_into(a2, a1)
            assign_into(phi_2, phi_1)
            assign_into(derf_2, derf_1)
            assign_into(minimum(2 * a2, alpha_max), a2)
            assign_into(i + 1, i)

        cond(done, None, false_fn)
        return [i, ls_func_calls, a1, a2, phi_1, derf_1, done]

    while_loop(cond_fn, body, [i, ls_func_calls, a1, a2, phi_1, derf_1, done])
    return a_star, phi_star, derf_star, ls_func_calls
