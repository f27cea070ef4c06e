"""Sampling: the moments of many samples against the analytic mean/variance (Paddle's RNG is
not reproduced, so no bitwise comparison), gradients through ``rsample``, and the extension
points (``register_kl``, ``ExponentialFamily``, transforms called on distributions)."""

from __future__ import annotations

import math

import numpy as np
import pytest

import paddlefish as paddle

D = paddle.distribution
T = paddle.to_tensor
N = 40000


@pytest.fixture(autouse=True)
def _seed():
    paddle.seed(2024)


def _moments(x, axis=0):
    a = x.numpy().astype("float64")
    return a.mean(axis), a.var(axis)


LOC = np.array([-1.0, 0.5, 2.0], "float32")
SCALE = np.array([0.5, 1.0, 2.0], "float32")
P = np.array([0.2, 0.5, 0.9], "float32")

# (distribution, analytic mean, analytic variance) — numpy arrays over the batch
MOMENT_CASES = {
    "normal": (lambda: D.Normal(T(LOC), T(SCALE)), LOC, SCALE**2),
    "normal_float": (lambda: D.Normal(0.5, 2.0), 0.5, 4.0),
    "uniform": (lambda: D.Uniform(T(LOC), T(LOC + SCALE)), LOC + SCALE / 2, SCALE**2 / 12),
    "bernoulli": (lambda: D.Bernoulli(T(P)), P, P * (1 - P)),
    "beta": (lambda: D.Beta(T(SCALE + 1), T(SCALE[::-1] + 1)), None, None),
    "laplace": (lambda: D.Laplace(T(LOC), T(SCALE)), LOC, 2 * SCALE**2),
    "lognormal": (
        lambda: D.LogNormal(T(LOC / 4), T(SCALE / 4)),
        np.exp(LOC / 4 + (SCALE / 4) ** 2 / 2),
        np.expm1((SCALE / 4) ** 2) * np.exp(2 * LOC / 4 + (SCALE / 4) ** 2),
    ),
    "gumbel": (
        lambda: D.Gumbel(T(LOC), T(SCALE)),
        LOC + SCALE * np.euler_gamma,
        SCALE**2 * math.pi**2 / 6,
    ),
    "geometric": (lambda: D.Geometric(T(P)), 1 / P - 1, (1 / P - 1) / P),
    "dirichlet": (lambda: D.Dirichlet(T(SCALE)), None, None),
    "multinomial": (lambda: D.Multinomial(6, T(SCALE)), None, None),
}


@pytest.mark.parametrize("name", sorted(MOMENT_CASES))
def test_sample_moments_match_the_analytic_ones(name):
    make, mean, var = MOMENT_CASES[name]
    d = make()
    if mean is None:  # the distribution's own mean/variance (checked against Paddle elsewhere)
        mean, var = d.mean.numpy(), d.variance.numpy()
    x = d.sample([N])
    assert x.shape == [N, *d.batch_shape, *d.event_shape]
    m, v = _moments(x)
    se = np.sqrt(np.asarray(var, "float64") / N)
    assert np.all(np.abs(m - mean) < 6 * se + 1e-6), (m, mean)
    assert np.allclose(v, var, rtol=0.08), (v, var)


def test_categorical_samples_follow_the_softmax_of_the_logits():
    logits = np.array([[1.0, 2.0, 0.5], [0.1, 0.1, 3.0]], "float32")
    x = D.Categorical(T(logits)).sample([N])
    assert x.shape == [N, 2] and x.dtype == paddle.int64
    freq = np.stack([(x.numpy() == k).mean(0) for k in range(3)], -1)
    soft = np.exp(logits) / np.exp(logits).sum(-1, keepdims=True)
    assert np.allclose(freq, soft, atol=0.015)


def test_cauchy_sample_quartiles():
    x = D.Cauchy(T(LOC), T(SCALE)).sample([N]).numpy()
    q1, med, q3 = np.percentile(x, [25, 50, 75], axis=0)
    assert np.allclose(med, LOC, atol=0.06 * SCALE + 0.02)
    assert np.allclose((q3 - q1) / 2, SCALE, rtol=0.06)


def test_float64_parameters_sample_float64():
    d = D.Normal(LOC.astype("float64"), 1.0)
    assert d.sample([2]).dtype == paddle.float64 and d.rsample([2]).dtype == paddle.float64
    assert D.Laplace(T(LOC.astype("float64")), 1.0).sample([2]).shape == [2, 3]


def _leaf(a):
    return paddle.to_tensor(a, stop_gradient=False)


def test_rsample_gradients_are_the_reparameterisation_ones():
    loc, scale = _leaf(LOC), _leaf(SCALE)
    x = D.Normal(loc, scale).rsample([1000])
    gl, gs = paddle.grad([x.sum()], [loc, scale])
    eps = (x.detach() - loc.detach()) / scale.detach()
    assert np.allclose(gl.numpy(), 1000.0)
    assert np.allclose(gs.numpy(), eps.numpy().sum(0), rtol=1e-4, atol=1e-3)

    loc, scale = _leaf(LOC), _leaf(SCALE)
    x = D.Laplace(loc, scale).rsample([1000])
    gl, gs = paddle.grad([x.sum()], [loc, scale])
    assert np.allclose(gl.numpy(), 1000.0)
    z = (x.detach() - loc.detach()) / scale.detach()
    assert np.allclose(gs.numpy(), z.numpy().sum(0), rtol=1e-4, atol=1e-3)

    loc, scale = _leaf(LOC), _leaf(SCALE)
    x = D.Gumbel(loc, scale).rsample([1000])
    gl, gs = paddle.grad([x.sum()], [loc, scale])
    assert np.allclose(gl.numpy(), 1000.0)
    z = (x.detach() - loc.detach()) / scale.detach()
    assert np.allclose(gs.numpy(), z.numpy().sum(0), rtol=1e-4, atol=1e-3)


def test_rsample_gradients_reach_lognormal_cauchy_and_bernoulli_parameters():
    loc, scale = _leaf(LOC), _leaf(SCALE)
    x = D.LogNormal(loc, scale).rsample([500])
    (gl,) = paddle.grad([x.sum()], [loc])
    assert np.allclose(gl.numpy(), x.detach().numpy().sum(0), rtol=1e-4)
    loc = _leaf(LOC)
    (gl,) = paddle.grad([D.Cauchy(loc, 1.0).rsample([7]).sum()], [loc])
    assert np.allclose(gl.numpy(), 7.0)
    p = _leaf(P)
    x = D.Bernoulli(p).rsample([5], temperature=0.5)
    (gp,) = paddle.grad([x.sum()], [p])
    assert np.allclose(gp.numpy(), 5 / (P * (1 - P)) / 0.5, rtol=1e-4)


def test_sample_has_no_gradient_where_paddle_uses_no_grad():
    loc = _leaf(LOC)
    assert D.Laplace(loc, 1.0).sample([3]).stop_gradient
    assert D.Gumbel(loc, 1.0).sample([3]).stop_gradient


def test_training_a_normal_by_maximum_likelihood():
    data = T(np.random.default_rng(0).normal(1.5, 0.5, 2000).astype("float32"))
    loc, log_scale = _leaf(np.zeros(1, "float32")), _leaf(np.zeros(1, "float32"))
    opt = paddle.optimizer.Adam(0.05, parameters=[loc, log_scale])
    for _ in range(300):
        loss = -D.Normal(loc, paddle.exp(log_scale)).log_prob(data).mean()
        loss.backward()
        opt.step()
        opt.clear_grad()
    assert abs(float(loc) - 1.5) < 0.05 and abs(math.exp(float(log_scale)) - 0.5) < 0.05


def test_register_kl_picks_the_most_specific_pair():
    class MyNormal(D.Normal):
        pass

    @D.register_kl(MyNormal, D.Normal)
    def _kl(p, q):
        return paddle.full([], 7.0)

    assert float(D.kl_divergence(MyNormal(0.0, 1.0), D.Normal(0.0, 1.0))) == 7.0
    assert float(D.kl_divergence(D.Normal(0.0, 1.0), D.Normal(1.0, 1.0))) == pytest.approx(0.5)
    with pytest.raises(TypeError, match="subclass of Distribution"):
        D.register_kl(int, D.Normal)


def test_exponential_family_fallbacks_use_the_log_normalizer():
    class Exponential(D.ExponentialFamily):
        def __init__(self, rate):
            self.rate = rate
            super().__init__(rate.shape)

        @property
        def _natural_parameters(self):
            return (-self.rate,)

        _mean_carrier_measure = 0.0

        def _log_normalizer(self, x):
            return -paddle.log(-x)

    r1, r2 = np.array([0.5, 2.0], "float32"), np.array([1.0, 1.0], "float32")
    e = Exponential(T(r1)).entropy()
    assert np.allclose(e.numpy(), 1 - np.log(r1), rtol=1e-5)
    kl = D.kl_divergence(Exponential(T(r1)), Exponential(T(r2)))
    assert np.allclose(kl.numpy(), np.log(r1 / r2) + r2 / r1 - 1, rtol=1e-5)


def test_transforms_compose_into_distributions():
    base = D.Normal(T(LOC), T(SCALE))
    d = D.ExpTransform()(base)
    assert isinstance(d, D.TransformedDistribution)
    y = T(np.array([0.5, 1.0, 3.0], "float32"))
    assert np.allclose(d.log_prob(y).numpy(), D.LogNormal(T(LOC), T(SCALE)).log_prob(y).numpy())
    # a transform with event rank 1 over a batch-only base reinterprets the batch axis
    sb = D.TransformedDistribution(base, [D.StickBreakingTransform()])
    assert sb.batch_shape == () and sb.event_shape == (4,)
    x = sb.sample([5])
    assert x.shape == [5, 4] and np.allclose(x.sum(-1).numpy(), 1.0, atol=1e-5)
    chain = D.ExpTransform()(D.AffineTransform(T(0.0), T(2.0)))
    assert isinstance(chain, D.ChainTransform)


def test_missing_names_say_so():
    with pytest.raises(AttributeError, match="paddle.distribution"):
        D.NoSuchDistribution  # noqa: B018
    assert "Normal" in D.__all__ and "StickBreakingTransform" in D.__all__
