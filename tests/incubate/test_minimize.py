"""``paddle.incubate.optimizer.functional.minimize_bfgs`` / ``minimize_lbfgs`` vs real Paddle 2.6
(one subprocess): convergence flag, function-call count, position, value, gradient and (BFGS)
inverse-Hessian estimate on a quadratic and the Rosenbrock function, float64 and float32, a
short L-BFGS history (ring buffer wrapping, where Paddle hangs: paddlefish only), and the
errors."""

from __future__ import annotations

import numpy as np
import pytest

from ._shared import compare, run_fish, run_oracle

pytestmark = pytest.mark.oracle

SCENARIO = r"""
def _kind(fn):
    try:
        fn()
    except Exception as e:  # the kind of error is what is compared
        return type(e).__name__
    return "no error"


def main(paddle, np):
    F = paddle.incubate.optimizer.functional
    rng = np.random.RandomState(0)
    m = rng.rand(4, 4)
    A64 = m @ m.T + 4 * np.eye(4)
    b64 = rng.rand(4)
    out = {}

    def quad(dtype):
        A = paddle.to_tensor(A64.astype(dtype))
        b = paddle.to_tensor(b64.astype(dtype))
        return lambda x: 0.5 * paddle.dot(x, paddle.matmul(A, x)) - paddle.dot(b, x)

    def rosen(x):
        return (1 - x[0]) ** 2 + 100 * (x[1] - x[0] ** 2) ** 2

    def run(fn, *args, **kw):
        return [t.numpy() for t in fn(*args, **kw)]

    def converged(fn, *args, **kw):
        # the last iterations run on steps of rounding size, where BLAS summation order decides
        # call counts and the inverse-Hessian estimate: compare flag, position and value only
        flag, _calls, x, value = run(fn, *args, **kw)[:4]
        return [flag, x.round(6), value.round(8)]

    x0 = paddle.to_tensor(np.array([1.0, -2.0, 0.5, 3.0]))
    r0 = paddle.to_tensor(np.array([-1.2, 1.0]))
    x32 = x0.astype("float32")
    out["bfgs_quad64"] = converged(F.minimize_bfgs, quad("float64"), x0, dtype="float64")
    out["bfgs_rosen64"] = converged(F.minimize_bfgs, rosen, r0, dtype="float64", max_iters=60)
    out["lbfgs_quad64"] = converged(F.minimize_lbfgs, quad("float64"), x0, dtype="float64")
    out["lbfgs_rosen64"] = converged(F.minimize_lbfgs, rosen, r0, dtype="float64", max_iters=60)
    out["bfgs_quad32"] = converged(F.minimize_bfgs, quad("float32"), x32)
    out["lbfgs_quad32"] = converged(F.minimize_lbfgs, quad("float32"), x32)
    # every output, on runs stopped before that regime
    out["bfgs_quad64_it3"] = run(F.minimize_bfgs, quad("float64"), x0, dtype="float64",
                                 max_iters=3)
    out["bfgs_rosen64_it12"] = run(F.minimize_bfgs, rosen, r0, dtype="float64", max_iters=12)
    out["lbfgs_rosen64_it12"] = run(F.minimize_lbfgs, rosen, r0, dtype="float64", max_iters=12)
    out["bfgs_quad32_it2"] = run(F.minimize_bfgs, quad("float32"), x32, max_iters=2)
    H0 = paddle.to_tensor(np.diag([0.5, 0.5, 2.0, 1.0]))
    out["bfgs_H0"] = run(F.minimize_bfgs, quad("float64"), x0, dtype="float64",
                         initial_inverse_hessian_estimate=H0, max_iters=3)
    out["lbfgs_H0"] = run(F.minimize_lbfgs, quad("float64"), x0, dtype="float64",
                          initial_inverse_hessian_estimate=H0, max_iters=3)
    bad = paddle.to_tensor(np.array([[1.0, 2.0], [0.0, 1.0]]))
    out["errors"] = {
        "dtype": _kind(lambda: F.minimize_bfgs(rosen, r0, dtype="int32")),
        "not_tensor": _kind(lambda: F.minimize_lbfgs(rosen, [1.0, 2.0])),
        "not_symmetric": _kind(lambda: F.minimize_bfgs(rosen, r0, dtype="float64",
                                                       initial_inverse_hessian_estimate=bad)),
        "line_search": _kind(lambda: F.minimize_lbfgs(rosen, r0, dtype="float64",
                                                      line_search_fn="hager_zhang")),
    }
    return out
"""


@pytest.fixture(scope="module")
def both(tmp_path_factory):
    ref = run_oracle(SCENARIO, tmp_path_factory.mktemp("incubate_minimize"))
    return run_fish(SCENARIO), ref


@pytest.mark.parametrize(
    "what",
    [
        "bfgs_quad64",
        "bfgs_rosen64",
        "lbfgs_quad64",
        "lbfgs_rosen64",
        "bfgs_quad32",
        "lbfgs_quad32",
        "bfgs_quad64_it3",
        "bfgs_rosen64_it12",
        "lbfgs_rosen64_it12",
        "bfgs_quad32_it2",
        "bfgs_H0",
        "lbfgs_H0",
        "errors",
    ],
)
def test_minimizers_match_paddle(both, what):
    compare(both[0][what], both[1][what], what)


def test_lbfgs_short_history_wraps_and_converges():
    # Paddle 2.6 never returns here (NOTE [lbfgs ring buffer]); paddlefish keeps the last pairs
    import paddlefish as paddle

    def rosen(x):
        return (1 - x[0]) ** 2 + 100 * (x[1] - x[0] ** 2) ** 2

    F = paddle.incubate.optimizer.functional
    for history in (3, 5, 10):
        converged, calls, x, _value, _g = F.minimize_lbfgs(
            rosen,
            paddle.to_tensor([-1.2, 1.0], dtype="float64"),
            history_size=history,
            max_iters=300,
            dtype="float64",
        )
        assert bool(converged) and int(calls) > 20, history
        np.testing.assert_allclose(x.numpy(), [1.0, 1.0], rtol=1e-6)
