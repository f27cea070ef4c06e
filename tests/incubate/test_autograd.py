"""``paddle.incubate.autograd`` vs real Paddle 2.6: ``vjp``, ``jvp``, lazily evaluated
``Jacobian`` / ``Hessian`` (several inputs, batch axis, slicing), their errors, and the static-only
prim switch. One Paddle subprocess for the module (``_shared.run_oracle``)."""

from __future__ import annotations

import pytest

from ._shared import compare, run_fish, run_oracle

pytestmark = pytest.mark.oracle

SCENARIO = r"""
def _err(fn):
    try:
        fn()
    except Exception as e:  # the kind of error is what is compared
        return type(e).__name__
    return "no error"


def main(paddle, np):
    A = paddle.incubate.autograd
    rng = np.random.RandomState(0)
    x = paddle.to_tensor(rng.rand(2, 3).astype("float32"))
    y = paddle.to_tensor(rng.rand(2, 3).astype("float32"))
    W = paddle.to_tensor(rng.rand(6, 6).astype("float32"))
    v = paddle.to_tensor(rng.rand(2, 3).astype("float32"))
    out = {}

    def cube(t):
        return t * t * t

    def two(a, b):
        return a * b + a * a * b

    ys, g = A.vjp(cube, x, v)
    out["vjp"] = [ys.numpy(), g.numpy()]
    ys, g = A.vjp(cube, x)
    out["vjp_default"] = [ys.numpy(), g.numpy()]
    ys, gs = A.vjp(two, [x, y], v)
    out["vjp_two"] = [ys.numpy()] + [t.numpy() for t in gs]
    ys, t = A.jvp(cube, x, v)
    out["jvp"] = [ys.numpy(), t.numpy()]
    ys, t = A.jvp(two, [x, y], [v, v * 2])
    out["jvp_two"] = [ys.numpy(), t.numpy()]
    ys, t = A.jvp(two, [x, y])
    out["jvp_default"] = [ys.numpy(), t.numpy()]

    def mat(t):
        return paddle.tanh(paddle.matmul(t.reshape([1, 6]), W)).reshape([2, 3])

    J = A.Jacobian(mat, x)
    out["J_shape"] = list(J.shape)
    out["J"] = [J[:].numpy(), J[0].numpy(), J[:, 1].numpy(), J[1:5:2, ::2].numpy(),
                J[-1, -1].numpy(), J[2:4].numpy()]
    J2 = A.Jacobian(two, [x, y])
    out["J2_shape"] = list(J2.shape)
    out["J2"] = [J2[:].numpy(), J2[3, 4:9].numpy()]

    xb = paddle.to_tensor(rng.rand(4, 3).astype("float32"))
    yb = paddle.to_tensor(rng.rand(4, 2).astype("float32"))

    def batched(a, b):
        return paddle.concat([a[:, :2] * b, a[:, 2:] * a[:, 2:]], axis=1)

    JB = A.Jacobian(batched, [xb, yb], is_batched=True)
    out["JB_shape"] = list(JB.shape)
    out["JB"] = [JB[:].numpy(), JB[:, 1].numpy(), JB[0, :, 2].numpy(), JB[1:3, 0:2, 3:].numpy()]

    H = A.Hessian(lambda t: (t * t * paddle.tanh(t)).sum(), x)
    out["H_shape"] = list(H.shape)
    out["H"] = [H[:].numpy(), H[2].numpy(), H[1:3, 4].numpy()]
    H2 = A.Hessian(lambda a, b: (a * a * b).sum(), [x, y])
    out["H2"] = [H2[:].numpy()]
    HB = A.Hessian(lambda t: (t * t * t).sum(axis=1, keepdim=True), xb, is_batched=True)
    out["HB_shape"] = list(HB.shape)
    out["HB"] = [HB[:].numpy(), HB[2, 1].numpy()]

    out["errors"] = {
        "hessian_not_scalar": _err(lambda: A.Hessian(cube, x)[:]),
        "func_not_callable": _err(lambda: A.vjp(1, x)),
        "xs_not_tensor": _err(lambda: A.vjp(cube, 3.0)),
        "v_bad_shape": _err(lambda: A.vjp(cube, x, paddle.ones([3]))),
        "v_bad_len": _err(lambda: A.jvp(two, [x, y], [v])),
        "ellipsis": _err(lambda: J[..., 0]),
        "prim_dygraph": _err(A.enable_prim),
        "prim_enabled_dygraph": _err(A.prim_enabled),
        "grad_dygraph": _err(lambda: A.grad(x, x)),
    }
    paddle.enable_static()
    try:
        A.enable_prim()
        on = A.prim_enabled()
        A.disable_prim()
        out["prim_static"] = [on, A.prim_enabled()]
    finally:
        paddle.disable_static()
    return out
"""


@pytest.fixture(scope="module")
def both(tmp_path_factory):
    ref = run_oracle(SCENARIO, tmp_path_factory.mktemp("incubate_autograd"))
    return run_fish(SCENARIO), ref


@pytest.mark.parametrize(
    "what",
    ["vjp", "vjp_default", "vjp_two", "jvp", "jvp_two", "jvp_default"],
)
def test_vjp_jvp_match_paddle(both, what):
    compare(both[0][what], both[1][what], what)


@pytest.mark.parametrize(
    "what",
    ["J_shape", "J", "J2_shape", "J2", "JB_shape", "JB", "H_shape", "H", "H2", "HB_shape", "HB"],
)
def test_jacobian_hessian_match_paddle(both, what):
    compare(both[0][what], both[1][what], what)


def test_error_kinds_match_paddle(both):
    assert both[0]["errors"] == both[1]["errors"]
    assert both[1]["errors"]["prim_dygraph"] == "AssertionError"


def test_prim_switch_in_static_mode(both):
    assert both[0]["prim_static"] == both[1]["prim_static"] == [True, False]
