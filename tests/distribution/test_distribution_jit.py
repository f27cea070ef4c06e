"""Distributions inside an exported ``forward``: paddlefish's ``jit.save`` records log_prob,
entropy and KL as ordinary ops, and real Paddle 2.6 loads and runs the program to the same
numbers."""

from __future__ import annotations

import numpy as np
import pytest

import paddlefish as paddle
from paddlefish.static import InputSpec
from tests.oracle import run_paddle

D = paddle.distribution


class Policy(paddle.nn.Layer):
    def __init__(self):
        super().__init__()
        self.fc = paddle.nn.Linear(4, 3)

    def forward(self, x, a):
        mu = self.fc(x)
        d = D.Normal(mu, paddle.exp(mu * 0.1))
        q = D.Normal(mu * 0.0, paddle.ones_like(mu))
        bern = D.Bernoulli(paddle.nn.functional.sigmoid(mu))
        stick = D.StickBreakingTransform()
        return (
            d.log_prob(a) + d.entropy(),
            D.Categorical(paddle.exp(mu)).entropy(),
            D.kl_divergence(d, q),
            bern.entropy(),
            stick.forward_log_det_jacobian(mu),
        )


X = np.random.default_rng(0).standard_normal((2, 4)).astype("float32")
A = np.random.default_rng(1).standard_normal((2, 3)).astype("float32")


@pytest.mark.oracle
def test_exported_distribution_math_runs_in_paddle_26(tmp_path):
    paddle.seed(0)
    net = Policy()
    ref = [o.numpy() for o in net(paddle.to_tensor(X), paddle.to_tensor(A))]
    spec = [InputSpec([None, 4], "float32"), InputSpec([None, 3], "float32")]
    paddle.jit.save(net, str(tmp_path / "policy"), input_spec=spec)
    ours = [o.numpy() for o in paddle.jit.load(str(tmp_path / "policy"))(X, A)]
    for r, o in zip(ref, ours):
        np.testing.assert_allclose(o, r, rtol=1e-5, atol=1e-6)
    np.save(tmp_path / "x.npy", X)
    np.save(tmp_path / "a.npy", A)
    run_paddle(
        """
        import numpy as np, paddle
        m = paddle.jit.load('policy')
        outs = m(paddle.to_tensor(np.load('x.npy')), paddle.to_tensor(np.load('a.npy')))
        np.savez('paddle.npz', *[o.numpy() for o in outs])
        """,
        "2.6",
        cwd=tmp_path,
    )
    with np.load(tmp_path / "paddle.npz") as z:
        theirs = [z[f"arr_{k}"] for k in range(len(z.files))]
    assert len(theirs) == len(ref)
    for r, t in zip(ref, theirs):
        np.testing.assert_allclose(t, r, rtol=1e-5, atol=1e-6)


class Sampler(paddle.nn.Layer):
    def __init__(self):
        super().__init__()
        self.fc = paddle.nn.Linear(4, 3)

    def forward(self, x):
        return D.Normal(self.fc(x), 1.0 + 0.0 * self.fc(x)).sample([1])


def test_sampling_inside_an_exported_forward_is_refused_with_the_way_out(tmp_path):
    with pytest.raises(NotImplementedError, match="Normal.sample: sampling inside a forward"):
        paddle.jit.save(
            Sampler(), str(tmp_path / "s"), input_spec=[InputSpec([None, 4], "float32")]
        )
