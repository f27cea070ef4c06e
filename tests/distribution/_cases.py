"""The case tables shared by the Paddle 2.6 oracle and paddlefish: ``name: expr`` evaluated with
``paddle``, ``np``, ``T`` (= ``paddle.to_tensor``), ``D`` (= ``paddle.distribution``), ``S``
(a sample's ``[dtype, shape]``) and the fixed arrays of ``PRELUDE`` bound."""

PRELUDE = r"""
import numpy as np
rng = np.random.default_rng(0)
f32 = lambda a: np.asarray(a, 'float32')
loc3 = f32(rng.standard_normal(3))
sc3 = f32(rng.random(3) + 0.5)
loc23 = f32(rng.standard_normal((2, 3)))
sc23 = f32(rng.random((2, 3)) + 0.5)
sc21 = f32(rng.random((2, 1)) + 0.5)
v3 = f32(rng.standard_normal(3))
v23 = f32(rng.standard_normal((2, 3)))
v423 = f32(rng.standard_normal((4, 2, 3)))
pos3 = f32(rng.random(3) * 2 + 0.2)
pos23 = f32(rng.random((2, 3)) * 2 + 0.2)
p3 = f32(rng.random(3) * 0.8 + 0.1)
p23 = f32(rng.random((2, 3)) * 0.8 + 0.1)
w4 = f32(rng.random(4) + 0.1)
w34 = f32(rng.random((3, 4)) + 0.1)
idx = np.array([0, 3, 1], 'int64')
idx2 = np.array([[0, 1], [2, 3], [3, 3]], 'int64')
simplex3 = f32(pos3 / pos3.sum())
simplex4 = f32(w4 / w4.sum())
counts4 = f32([1, 2, 0, 2])
T = paddle.to_tensor
D = paddle.distribution
def S(t):
    return [str(t.dtype).replace('paddle.', ''), list(t.shape)]
def N(loc=loc23, sc=sc23):
    return D.Normal(T(loc), T(sc))
"""

_normal = {
    "n_f_logp": "D.Normal(0.5, 2.0).log_prob(T(v3))",
    "n_f_probs": "D.Normal(0.5, 2.0).probs(T(v23))",
    "n_f_entropy": "D.Normal(0.5, 2.0).entropy()",
    "n_f_mean": "D.Normal(0.5, 2.0).mean",
    "n_f_var": "D.Normal(0.5, 2.0).variance",
    "n_int": "D.Normal(1, 2).entropy()",
    "n_list_logp": "D.Normal([0.0, 1.0, 2.0], 1.5).log_prob(T(v23))",
    "n_list_shape": "D.Normal([0.0, 1.0, 2.0], [[1.0], [2.0]]).batch_shape",
    "n_list_entropy": "D.Normal([0.0, 1.0, 2.0], [[1.0], [2.0]]).entropy()",
    "n_np64_logp": "D.Normal(loc3.astype('float64'), sc3).log_prob(T(v3))",
    "n_np64_entropy": "D.Normal(1.0, sc3.astype('float64')).entropy()",
    "n_t_logp": "N().log_prob(T(v423))",
    "n_t_probs": "N().probs(T(v23))",
    "n_t_prob": "N().prob(T(v3))",
    "n_t_bcast_logp": "N(loc3, sc21).log_prob(T(v23))",
    "n_t_bcast_shape": "N(loc3, sc21).batch_shape",
    "n_t_bcast_entropy": "N(loc3, sc21).entropy()",
    "n_t_var": "N().variance",
    "n_t_mixed": "D.Normal(T(loc3), 1.0)",
    "n_kl": "N().kl_divergence(N(loc3, sc3))",
    "n_kl_fn": "D.kl_divergence(N(loc3, sc3), D.Normal(0.0, 1.0))",
    "n_sample_f": "S(D.Normal(0.5, 2.0).sample([4, 2]))",
    "n_sample_f0": "S(D.Normal(0.5, 2.0).sample())",
    "n_sample_t": "S(N(loc3, sc21).sample([4]))",
    "n_rsample_t": "S(N(loc3, sc21).rsample([4]))",
    "n_rsample_f": "S(D.Normal(0.5, 2.0).rsample([4]))",
    "n_sample_64": "S(D.Normal(loc3.astype('float64'), 1.0).sample([2]))",
}

_uniform = {
    "u_logp": "D.Uniform(T(loc3), T(loc3 + sc3)).log_prob(T(v3))",
    "u_boundary_logp": "D.Uniform(0.0, 1.0).log_prob(T([0.0, 0.5, 1.0]))",
    "u_boundary_probs": "D.Uniform(0.0, 1.0).probs(T([0.0, 0.5, 1.0, 2.0]))",
    "u_list_probs": "D.Uniform([0.0, 1.0], [[2.0], [3.0]]).probs(T([1.5]))",
    "u_entropy": "D.Uniform(T(loc23), T(loc23 + sc23)).entropy()",
    "u_np64": "D.Uniform(np.zeros(2), 3.0).entropy()",
    "u_prob": "D.Uniform(T(loc3), T(loc3 + 3)).prob(T(v3))",
    "u_mean": "D.Uniform(0.0, 1.0).mean",
    "u_sample_f": "S(D.Uniform(0.0, 1.0).sample([3]))",
    "u_sample_t": "S(D.Uniform(T(loc3), T(loc3 + 1)).sample([2, 2]))",
    "u_kl": "D.kl_divergence(D.Uniform(0.0, 1.0), D.Uniform(0.0, 2.0))",
}

_categorical = {
    "c_probs1": "D.Categorical(T(w4)).probs(T(idx))",
    "c_logp1": "D.Categorical(T(w4)).log_prob(T(idx))",
    "c_prob1": "D.Categorical(T(w4)).prob(T(idx))",
    "c_probs2_1d": "D.Categorical(T(w34)).probs(T(idx))",
    "c_probs2_2d": "D.Categorical(T(w34)).probs(T(idx2))",
    "c_entropy1": "D.Categorical(T(w4)).entropy()",
    "c_entropy2": "D.Categorical(T(w34)).entropy()",
    "c_kl": "D.Categorical(T(w34)).kl_divergence(D.Categorical(T(w34[::-1].copy())))",
    "c_kl_fn": "D.kl_divergence(D.Categorical(T(w4)), D.Categorical(T(w4[::-1].copy())))",
    "c_list": "D.Categorical([1.0, 2.0, 3.0]).probs(T([2, 0]))",
    "c_np64": "D.Categorical(w4.astype('float64')).log_prob(T(idx))",
    "c_sample1": "S(D.Categorical(T(w4)).sample([5]))",
    "c_sample2": "S(D.Categorical(T(w34)).sample([5, 2]))",
}

_bernoulli = {
    "b_f": "D.Bernoulli(0.3).log_prob(T([0.0, 1.0]))",
    "b_logp": "D.Bernoulli(T(p3)).log_prob(T([0.0, 1.0, 1.0]))",
    "b_prob_bcast": "D.Bernoulli(T(p3)).prob(T(np.ones((2, 3), 'float32')))",
    "b_clip": "D.Bernoulli(T([0.0, 1.0])).log_prob(T([1.0, 1.0]))",
    "b_cdf": "D.Bernoulli(T(p3)).cdf(T([-0.5, 0.5, 1.0]))",
    "b_entropy": "D.Bernoulli(T(p23)).entropy()",
    "b_mean": "D.Bernoulli(T(p3)).mean",
    "b_var": "D.Bernoulli(T(p3)).variance",
    "b_kl": "D.Bernoulli(T(p23)).kl_divergence(D.Bernoulli(T(p3)))",
    "b_kl_fn": "D.kl_divergence(D.Bernoulli(T(p3)), D.Bernoulli(0.5))",
    "b_sample": "S(D.Bernoulli(T(p23)).sample([4]))",
    "b_rsample": "S(D.Bernoulli(T(p3)).rsample([4], temperature=0.5))",
    "b_bad": "D.Bernoulli(T([1.5]))",
}

_beta = {
    "be_logp": "D.Beta(T(pos3), T(pos3[::-1].copy())).log_prob(T(p3))",
    "be_prob_f": "D.Beta(2.0, 3.0).prob(T(0.3))",
    "be_logp_bcast": "D.Beta(T(pos23), T(pos3)).log_prob(T(p3))",
    "be_mean": "D.Beta(T(pos3), 2.0).mean",
    "be_var": "D.Beta(T(pos3), T(pos3 + 1)).variance",
    "be_entropy": "D.Beta(T(pos23), T(pos3)).entropy()",
    "be_kl": "D.kl_divergence(D.Beta(T(pos3), T(pos3 + 1)), D.Beta(T(pos3 + 0.5), T(pos3)))",
    "be_sample": "S(D.Beta(T(pos3), T(pos3)).sample([4]))",
    "be_sample_f": "S(D.Beta(2.0, 3.0).sample([4]))",
    "be_shape": "D.Beta(T(pos23), 1.0).batch_shape",
}

_dirichlet = {
    "di_logp": "D.Dirichlet(T(pos23)).log_prob(T(simplex3))",
    "di_prob": "D.Dirichlet(T(pos3)).prob(T(simplex3))",
    "di_entropy": "D.Dirichlet(T(pos23)).entropy()",
    "di_mean": "D.Dirichlet(T(pos23)).mean",
    "di_var": "D.Dirichlet(T(pos23)).variance",
    "di_kl": "D.kl_divergence(D.Dirichlet(T(pos23)), D.Dirichlet(T(pos3)))",
    "di_sample": "S(D.Dirichlet(T(pos23)).sample([4]))",
    "di_shape": "(D.Dirichlet(T(pos23)).batch_shape, D.Dirichlet(T(pos23)).event_shape)",
}

_multinomial = {
    "mu_logp": "D.Multinomial(5, T(w4)).log_prob(T(counts4))",
    "mu_logp_int": "D.Multinomial(5, T(w34)).log_prob(T(counts4.astype('int64')))",
    "mu_logp_zero": "D.Multinomial(3, T([0.5, 0.5, 0.0])).log_prob(T([1.0, 2.0, 0.0]))",
    "mu_prob": "D.Multinomial(5, T(w4)).prob(T(counts4))",
    "mu_entropy": "D.Multinomial(5, T(w34)).entropy()",
    "mu_entropy1": "D.Multinomial(3, T(w4)).entropy()",
    "mu_mean": "D.Multinomial(5, T(w34)).mean",
    "mu_var": "D.Multinomial(5, T(w34)).variance",
    "mu_sample": "S(D.Multinomial(5, T(w34)).sample([2]))",
    "mu_bad": "D.Multinomial(0, T(w4))",
}

_laplace = {
    "la_logp": "D.Laplace(T(loc3), T(sc3)).log_prob(T(v23))",
    "la_logp_f": "D.Laplace(0.0, 1.0).log_prob(0.5)",
    "la_prob": "D.Laplace(T(loc3), T(sc3)).prob(T(v3))",
    "la_cdf": "D.Laplace(T(loc3), T(sc3)).cdf(T(v23))",
    "la_icdf": "D.Laplace(T(loc3), T(sc3)).icdf(T(p3))",
    "la_entropy": "D.Laplace(T(loc23), T(sc3)).entropy()",
    "la_mean": "D.Laplace(T(loc3), 2.0).mean",
    "la_var": "D.Laplace(T(loc3), T(sc3)).variance",
    "la_std": "D.Laplace(T(loc3), T(sc3)).stddev",
    "la_kl": "D.kl_divergence(D.Laplace(T(loc3), T(sc3)), D.Laplace(T(v3), T(pos3)))",
    "la_sample": "S(D.Laplace(T(loc23), T(sc23)).sample([4]))",
    "la_rsample": "S(D.Laplace(0.0, 1.0).rsample([4]))",
    "la_bad": "D.Laplace([0.0], 1.0)",
}

_lognormal = {
    "ln_logp": "D.LogNormal(T(loc3), T(sc3)).log_prob(T(pos23))",
    "ln_logp_f": "D.LogNormal(0.0, 1.0).log_prob(T(pos3))",
    "ln_probs": "D.LogNormal(T(loc3), T(sc3)).probs(T(pos3))",
    "ln_prob": "D.LogNormal(T(loc3), T(sc3)).prob(T(pos3))",
    "ln_mean": "D.LogNormal(T(loc3), T(sc3)).mean",
    "ln_var": "D.LogNormal(T(loc3), T(sc3)).variance",
    "ln_entropy": "D.LogNormal(T(loc23), T(sc23)).entropy()",
    "ln_kl": "D.kl_divergence(D.LogNormal(T(loc3), T(sc3)), D.LogNormal(T(v3), T(pos3)))",
    "ln_shape": "(D.LogNormal(T(loc23), T(sc23)).batch_shape, D.LogNormal(0.0, 1.0).event_shape)",
    "ln_sample": "S(D.LogNormal(T(loc23), T(sc23)).sample([4]))",
    "ln_rsample": "S(D.LogNormal(T(loc3), T(sc3)).rsample([4]))",
}

_gumbel = {
    "gu_logp": "D.Gumbel(T(loc3), T(sc3)).log_prob(T(v23))",
    "gu_prob": "D.Gumbel(T(loc3), T(sc3)).prob(T(v3))",
    "gu_cdf": "D.Gumbel(T(loc3), T(sc3)).cdf(T(v23))",
    "gu_mean": "D.Gumbel(T(loc3), T(sc3)).mean",
    "gu_var": "D.Gumbel(T(loc3), T(sc3)).variance",
    "gu_std": "D.Gumbel(T(loc3), T(sc3)).stddev",
    "gu_entropy": "D.Gumbel(T(loc23), T(sc3)).entropy()",
    "gu_f": "D.Gumbel(0.5, 2.0).log_prob(T(v3))",
    "gu_shape": "D.Gumbel(T(loc23), T(sc3)).batch_shape",
    "gu_sample": "S(D.Gumbel(T(loc3), T(sc3)).sample([4]))",
    "gu_rsample": "S(D.Gumbel(T(loc23), T(sc23)).rsample([4]))",
}

_geometric = {
    "ge_pmf": "D.Geometric(T(p3)).pmf(T([0.0, 1.0, 3.0]))",
    "ge_pmf_int": "D.Geometric(T(p3)).pmf(2)",
    "ge_log_pmf": "D.Geometric(T(p23)).log_pmf(T([0.0, 1.0, 3.0]))",
    "ge_cdf": "D.Geometric(T(p3)).cdf(T([0.0, 1.0, 3.0]))",
    "ge_entropy": "D.Geometric(T(p23)).entropy()",
    "ge_mean": "D.Geometric(T(p3)).mean",
    "ge_var": "D.Geometric(T(p3)).variance",
    "ge_std": "D.Geometric(T(p3)).stddev",
    "ge_f": "D.Geometric(0.3).mean",
    "ge_kl": "D.kl_divergence(D.Geometric(T(p3)), D.Geometric(T(p3[::-1].copy())))",
    "ge_sample": "S(D.Geometric(T(p23)).sample([4]))",
    "ge_bad": "D.Geometric(T([0.0, 0.5]))",
    "ge_pmf_float": "D.Geometric(0.3).pmf(1.5)",
}

_cauchy = {
    "ca_logp": "D.Cauchy(T(loc3), T(sc3)).log_prob(T(v23))",
    "ca_prob": "D.Cauchy(T(loc3), T(sc3)).prob(T(v3))",
    "ca_cdf": "D.Cauchy(T(loc3), T(sc3)).cdf(T(v23))",
    "ca_entropy": "D.Cauchy(T(loc23), T(sc3)).entropy()",
    "ca_f": "D.Cauchy(0.0, 1.0).log_prob(T(v3))",
    "ca_kl": "D.kl_divergence(D.Cauchy(T(loc3), T(sc3)), D.Cauchy(T(v3), T(pos3)))",
    "ca_mean": "D.Cauchy(0.0, 1.0).mean",
    "ca_sample": "S(D.Cauchy(T(loc3), T(sc3)).sample([4]))",
    "ca_rsample": "S(D.Cauchy(0.0, 1.0).rsample([4, 2]))",
}

_independent = {
    "in_logp": "D.Independent(N(), 1).log_prob(T(v423))",
    "in_logp2": "D.Independent(N(), 2).log_prob(T(v423))",
    "in_entropy": "D.Independent(N(), 1).entropy()",
    "in_shape": "(D.Independent(N(), 1).batch_shape, D.Independent(N(), 1).event_shape)",
    "in_mean": "D.Independent(N(), 2).mean",
    "in_sample": "S(D.Independent(N(), 1).sample([4]))",
    "in_bad": "D.Independent(N(), 3)",
}

_AFF = "D.AffineTransform(T(0.5), T(2.0))"
_transformed = {
    "td_logp": f"D.TransformedDistribution(N(loc3, sc3), [{_AFF}, D.ExpTransform()])"
    ".log_prob(T(pos23))",
    "td_shape": f"D.TransformedDistribution(N(), [{_AFF}]).batch_shape",
    "td_sample": f"S(D.TransformedDistribution(N(loc3, sc3), [{_AFF}]).sample([4]))",
    "td_rsample": f"S(D.TransformedDistribution(N(loc3, sc3), [{_AFF}]).rsample([4]))",
    "td_call": "S(D.ExpTransform()(D.Normal(0.0, 1.0)).sample([3]))",
    "td_reshape_shape": "D.TransformedDistribution(D.Independent(N(), 2), "
    "[D.ReshapeTransform((2, 3), (3, 2))]).event_shape",
    "td_reshape_logp": "D.TransformedDistribution(D.Independent(N(), 2), "
    "[D.ReshapeTransform((2, 3), (3, 2))]).log_prob(T(v423.reshape(4, 3, 2)))",
}


def _transform_cases(tag: str, make: str, x: str, y: str, shape=None) -> dict:
    out = {
        f"t_{tag}_fwd": f"{make}.forward(T({x}))",
        f"t_{tag}_inv": f"{make}.inverse(T({y}))",
        f"t_{tag}_fldj": f"{make}.forward_log_det_jacobian(T({x}))",
        f"t_{tag}_ildj": f"{make}.inverse_log_det_jacobian(T({y}))",
    }
    if shape is not None:
        out[f"t_{tag}_fshape"] = f"{make}.forward_shape({shape})"
        out[f"t_{tag}_ishape"] = f"{make}.inverse_shape({shape})"
    return out


_STACK = "D.StackTransform([D.ExpTransform(), D.AffineTransform(T(1.0), T(2.0)), D.SigmoidTransform()], 1)"
_transforms = {
    **_transform_cases("abs", "D.AbsTransform()", "v23", "pos3", "(2, 3)"),
    **_transform_cases("aff", "D.AffineTransform(T(loc3), T(sc3))", "v23", "v423", "(4, 1, 3)"),
    **_transform_cases(
        "chain", f"D.ChainTransform([{_AFF}, D.ExpTransform()])", "v23", "pos23", "(2, 3)"
    ),
    **_transform_cases("exp", "D.ExpTransform()", "v23", "pos3", "(2, 3)"),
    **_transform_cases("ind", "D.IndependentTransform(D.ExpTransform(), 1)", "v23", "pos23"),
    **_transform_cases("pow", "D.PowerTransform(T(2.0))", "pos3", "pos23", "(2, 3)"),
    **_transform_cases(
        "reshape", "D.ReshapeTransform((2, 3), (3, 2))", "v423", "v423.reshape(4, 3, 2)"
    ),
    **_transform_cases("sig", "D.SigmoidTransform()", "v23", "p23", "(2, 3)"),
    **_transform_cases("softmax", "D.SoftmaxTransform()", "v23", "simplex3", "(2, 3)"),
    **_transform_cases("stack", _STACK, "v23", "p23"),
    **_transform_cases("stick", "D.StickBreakingTransform()", "v23", "simplex4", "(2, 3)"),
    **_transform_cases("tanh", "D.TanhTransform()", "v23", "p23 - 0.5", "(2, 3)"),
    "t_reshape_fshape": "D.ReshapeTransform((2, 3), (3, 2)).forward_shape((4, 2, 3))",
    "t_reshape_ishape": "D.ReshapeTransform((2, 3), (3, 2)).inverse_shape((4, 3, 2))",
    "t_reshape_bad": "D.ReshapeTransform((2, 3), (4, 2))",
    "t_call_chain": f"D.ExpTransform()({_AFF}).forward(T(v3))",
    "t_call_tensor": "D.TanhTransform()(T(v3))",
    "t_chain_fshape_aff": "D.ChainTransform([D.AffineTransform(T(loc3), T(sc3)), D.ExpTransform()])"
    ".forward_shape((2, 1))",
}

_float64 = {
    "f64_normal": "D.Normal(T(loc3.astype('float64')), T(sc3.astype('float64'))).log_prob(T(v23))",
    "f64_uniform": "D.Uniform(T(loc3.astype('float64')), T(loc3.astype('float64') + 1))"
    ".probs(T(v3.astype('float64')))",
    "f64_categorical": "D.Categorical(T(w34.astype('float64'))).log_prob(T(idx2))",
    "f64_categorical_kl": "D.Categorical(T(w34.astype('float64'))).kl_divergence("
    "D.Categorical(T(w34[::-1].astype('float64'))))",
    "f64_bernoulli": "D.Bernoulli(T([0.0, 0.5, 1.0], dtype='float64')).log_prob(T([1.0, 1.0, 0.0], "
    "dtype='float64'))",
    "f64_bernoulli_entropy": "D.Bernoulli(T(p3.astype('float64'))).entropy()",
    "f64_beta": "D.Beta(T(pos3.astype('float64')), T(pos3[::-1].astype('float64')))"
    ".log_prob(T(p3.astype('float64')))",
    "f64_beta_entropy": "D.Beta(T(pos3.astype('float64')), T(pos3.astype('float64'))).entropy()",
    "f64_dirichlet": "D.Dirichlet(T(pos23.astype('float64'))).entropy()",
    "f64_multinomial": "D.Multinomial(4, T(w4.astype('float64'))).entropy()",
    "f64_multinomial_logp": "D.Multinomial(5, T(w4.astype('float64'))).log_prob(T(counts4.astype('float64')))",
    "f64_laplace": "D.Laplace(T(loc3.astype('float64')), T(sc3.astype('float64'))).cdf(T(v3))",
    "f64_laplace_sample": "S(D.Laplace(T(loc3.astype('float64')), T(sc3.astype('float64')))"
    ".rsample([2]))",
    "f64_gumbel": "D.Gumbel(T(loc3.astype('float64')), T(sc3.astype('float64'))).variance",
    "f64_gumbel_logp": "D.Gumbel(T(loc3.astype('float64')), T(sc3.astype('float64')))"
    ".log_prob(T(v3.astype('float64')))",
    "f64_geometric": "D.Geometric(T(p3.astype('float64'))).entropy()",
    "f64_geometric_sample": "S(D.Geometric(T(p3.astype('float64'))).sample([2]))",
    "f64_cauchy": "D.Cauchy(T(loc3.astype('float64')), T(sc3.astype('float64'))).log_prob(T(v3))",
    "f64_cauchy_sample": "S(D.Cauchy(T(loc3.astype('float64')), T(sc3.astype('float64'))).sample([2]))",
    "f64_lognormal": "D.LogNormal(T(loc3.astype('float64')), T(sc3.astype('float64')))"
    ".log_prob(T(pos3.astype('float64')))",
    "f64_stick": "D.StickBreakingTransform().forward(T(v23.astype('float64')))",
    "f64_stick_fldj": "D.StickBreakingTransform().forward_log_det_jacobian(T(v23.astype('float64')))",
    "f64_tanh_fldj": "D.TanhTransform().forward_log_det_jacobian(T(v23.astype('float64')))",
    "f64_value_into_f32": "N(loc3, sc3).log_prob(T(v3.astype('float64')))",
    "f32_value_into_f64_cauchy": "D.Cauchy(T(loc3.astype('float64')), T(sc3.astype('float64')))"
    ".cdf(T(v3))",
}

_python_numbers = {
    "int_beta": "D.Beta(2, 3).mean",
    "int_laplace": "D.Laplace(0, 1).entropy()",
    "int_gumbel": "D.Gumbel(0, 2).variance",
    "int_cauchy": "D.Cauchy(0, 1).entropy()",
    "int_geometric": "D.Geometric(1).mean",
    "int_uniform": "D.Uniform(0, 4).entropy()",
    "np_scalar_normal": "D.Normal(np.float64(0.5), 2.0).entropy()",
    "int_list_categorical": "D.Categorical([1, 2, 3]).probs(T([2]))",
    "list_bernoulli": "D.Bernoulli([0.2, 0.7]).entropy()",
    "n_sample_seed": "S(D.Normal(0.0, 1.0).sample([2], seed=3))",
    "u_sample_seed": "S(D.Uniform(np.zeros(2), 1.0).sample([2], seed=3))",
    "n_sample_int": "D.Normal(0.0, 1.0).sample(3)",
}

CASES = {
    **_python_numbers,
    **_float64,
    **_normal,
    **_uniform,
    **_categorical,
    **_bernoulli,
    **_beta,
    **_dirichlet,
    **_multinomial,
    **_laplace,
    **_lognormal,
    **_gumbel,
    **_geometric,
    **_cauchy,
    **_independent,
    **_transformed,
    **_transforms,
    "kl_mixed": "D.kl_divergence(D.Normal(0.0, 1.0), D.Laplace(0.0, 1.0))",
}

# gradients of deterministic methods w.r.t. the parameters: each binds ``out`` and ``ins``
GRAD_CASES = {
    "normal_logp": "l, s = P(loc3), P(sc3); out = D.Normal(l, s).log_prob(T(v23)); ins = [l, s]",
    "normal_kl": "l, s = P(loc3), P(sc3); out = D.kl_divergence(D.Normal(l, s), N(v3, pos3)); "
    "ins = [l, s]",
    "uniform_entropy": "a, b = P(loc3), P(loc3 + 2); out = D.Uniform(a, b).entropy(); ins = [a, b]",
    "categorical_entropy": "w = P(w34); out = D.Categorical(w).entropy(); ins = [w]",
    "categorical_logp": "w = P(w34); out = D.Categorical(w).log_prob(T(idx2)); ins = [w]",
    # Paddle 2.6 segfaults in broadcast_tensors' backward when one input carries no gradient:
    # every broadcast input requires one here
    "bernoulli_kl": "p = P(p3); out = D.Bernoulli(p).kl_divergence(D.Bernoulli(T(p3[::-1].copy()))); "
    "ins = [p]",
    "bernoulli_entropy": "p = P(p3); out = D.Bernoulli(p).entropy(); ins = [p]",
    "beta_logp": "a, b = P(pos3), P(pos3 + 1); out = D.Beta(a, b).log_prob(T(p3)); ins = [a, b]",
    "dirichlet_entropy": "c = P(pos23); out = D.Dirichlet(c).entropy(); ins = [c]",
    "multinomial_logp": "p, v = P(w4), P(counts4); out = D.Multinomial(5, p).log_prob(v); "
    "ins = [p, v]",
    "laplace_cdf": "l, s, v = P(loc3), P(sc3), P(v3); out = D.Laplace(l, s).cdf(v); "
    "ins = [l, s, v]",
    "gumbel_logp": "l, s = P(loc3), P(sc3); out = D.Gumbel(l, s).log_prob(T(v23)); ins = [l, s]",
    "cauchy_logp": "l, s, v = P(loc3), P(sc3), P(v3); out = D.Cauchy(l, s).log_prob(v); "
    "ins = [l, s, v]",
    "lognormal_logp": "l, s = P(loc3), P(sc3); out = D.LogNormal(l, s).log_prob(T(pos3)); "
    "ins = [l, s]",
    "geometric_entropy": "p = P(p3); out = D.Geometric(p).entropy(); ins = [p]",
    "stick_fldj": "x = P(v23); out = D.StickBreakingTransform().forward_log_det_jacobian(x); "
    "ins = [x]",
    "tanh_fwd": "x = P(v23); out = D.TanhTransform().forward(x); ins = [x]",
    "normal_entropy": "s = P(sc23); out = D.Normal(T(loc23), s).entropy(); ins = [s]",
    "beta_kl": "a, b = P(pos3), P(pos3 + 1); out = D.kl_divergence(D.Beta(a, b), "
    "D.Beta(T(pos3 + 0.5), T(pos3))); ins = [a, b]",
    "dirichlet_kl": "c = P(pos23); out = D.kl_divergence(D.Dirichlet(c), D.Dirichlet(T(pos3))); "
    "ins = [c]",
    "multinomial_entropy": "p = P(w34); out = D.Multinomial(4, p).entropy(); ins = [p]",
    "laplace_kl": "l, s = P(loc3), P(sc3); out = D.kl_divergence(D.Laplace(l, s), "
    "D.Laplace(T(v3), T(pos3))); ins = [l, s]",
    "cauchy_kl": "l, s = P(loc3), P(sc3); out = D.kl_divergence(D.Cauchy(l, s), "
    "D.Cauchy(T(v3), T(pos3))); ins = [l, s]",
    "categorical_kl": "w = P(w34); out = D.kl_divergence(D.Categorical(w), "
    "D.Categorical(T(w34[::-1].copy()))); ins = [w]",
    "sigmoid_fldj": "x = P(v23); out = D.SigmoidTransform().forward_log_det_jacobian(x); ins = [x]",
    "power_fldj": "x = P(pos3); out = D.PowerTransform(T(3.0)).forward_log_det_jacobian(x); "
    "ins = [x]",
    "softmax_fwd": "x = P(v23); out = D.SoftmaxTransform().forward(x); ins = [x]",
    "td_logp": "l = P(loc3); out = D.TransformedDistribution(D.Normal(l, T(sc3)), "
    "[D.TanhTransform()]).log_prob(T(p3 - 0.5)); ins = [l]",
    "independent_logp": "l = P(loc23); out = D.Independent(D.Normal(l, T(sc23)), 1)"
    ".log_prob(T(v23)); ins = [l]",
}
