"""``nn.functional.hsigmoid_loss``, ``nn.HSigmoidLoss`` and ``nn.SpectralNorm`` against real
Paddle 2.6 and 3.3: one script (``SOURCE``) runs unchanged under both libraries and records
losses, outputs and gradients; every array must match (rtol 1e-5)."""

from __future__ import annotations

import pytest

import paddlefish as paddle
from tests.oracle.scripts import mismatches, run_both

SOURCE = r"""
import numpy as np

def run(paddle):
    F = paddle.nn.functional
    rng = np.random.default_rng(7)
    out = {}

    def grads(name, loss, *ts):
        loss.sum().backward()
        out[name] = loss.numpy()
        for i, t in enumerate(ts):
            out[f"{name}.grad{i}"] = t.grad.numpy()

    def leaf(a):
        t = paddle.to_tensor(a)
        t.stop_gradient = False
        return t

    for n, num_classes in enumerate([2, 5, 6, 8, 13]):
        x = leaf(rng.standard_normal((7, 4)).astype("float32"))
        w = leaf(rng.standard_normal((num_classes - 1, 4)).astype("float32"))
        b = leaf(rng.standard_normal((num_classes - 1, 1)).astype("float32"))
        lab = paddle.to_tensor(rng.integers(0, num_classes, (7, 1)).astype("int64"))
        grads(f"default{num_classes}", F.hsigmoid_loss(x, lab, num_classes, w, b), x, w, b)
        x2 = leaf(x.numpy()); w2 = leaf(w.numpy())
        grads(f"default{num_classes}_nobias", F.hsigmoid_loss(x2, lab, num_classes, w2), x2, w2)
    # values beyond the [-40, 40] clip
    x = leaf((rng.standard_normal((3, 4)) * 30).astype("float32"))
    w = leaf((rng.standard_normal((5, 4)) * 3).astype("float32"))
    grads("clipped", F.hsigmoid_loss(x, paddle.to_tensor([[0], [3], [5]]), 6, w), x, w)
    # a custom tree: rows end at the first negative node id
    table = paddle.to_tensor(np.array([[0, 1, 3, -1], [0, 2, -1, -1], [0, 1, 4, 5], [0, 2, 6, -1]], "int64"))
    code = paddle.to_tensor(np.array([[1, 0, 1, 0], [0, 1, 0, 0], [1, 1, 0, 1], [0, 0, 1, 1]], "int64"))
    x = leaf(rng.standard_normal((4, 3)).astype("float32"))
    w = leaf(rng.standard_normal((7, 3)).astype("float32"))
    b = leaf(rng.standard_normal((7, 1)).astype("float32"))
    lab = paddle.to_tensor(np.array([[1], [2], [0], [3]], "int64"))
    grads("custom", F.hsigmoid_loss(x, lab, 7, w, b, path_table=table, path_code=code), x, w, b)
    # the layer: parameter shapes/names order, loss with set weights
    layer = paddle.nn.HSigmoidLoss(4, 6)
    out["layer_shapes"] = np.array([p.shape for p in layer.parameters()], "int64")
    layer.weight.set_value(rng.standard_normal((5, 4)).astype("float32"))
    layer.bias.set_value(rng.standard_normal((5, 1)).astype("float32"))
    xl = paddle.to_tensor(rng.standard_normal((3, 4)).astype("float32"))
    out["layer"] = layer(xl, paddle.to_tensor([[0], [5], [2]])).numpy()
    custom = paddle.nn.HSigmoidLoss(3, 7, is_custom=True)
    out["custom_layer_shapes"] = np.array([p.shape for p in custom.parameters()], "int64")
    # SpectralNorm: u, v set, several dims / iterations; gradients w.r.t. the weight
    for dim, iters, shape in [(0, 1, (4, 3)), (1, 2, (2, 5, 3, 3)), (1, 3, (3, 2, 4)), (0, 0, (3, 4))]:
        sn = paddle.nn.SpectralNorm(list(shape), dim=dim, power_iters=iters)
        h = shape[dim]
        sn.weight_u.set_value(rng.standard_normal(h).astype("float32"))
        sn.weight_v.set_value(rng.standard_normal(int(np.prod(shape)) // h).astype("float32"))
        wt = leaf(rng.standard_normal(shape).astype("float32"))
        y = sn(wt)
        (y * paddle.to_tensor(rng.standard_normal(shape).astype("float32"))).sum().backward()
        out[f"sn{dim}_{iters}"] = y.numpy()
        out[f"sn{dim}_{iters}.grad"] = wt.grad.numpy()
        out[f"sn{dim}_{iters}.u_unchanged"] = sn.weight_u.numpy()
    out["sn_param_count"] = np.array([len(sn.parameters()), int(sn.weight_u.stop_gradient)])
    return out
"""


@pytest.mark.oracle
@pytest.mark.parametrize("version", ["2.6", "3.3"])
def test_hsigmoid_and_spectral_norm_match_paddle(tmp_path, version):
    ours, theirs = run_both(SOURCE, version, tmp_path)
    bad = mismatches(ours, theirs)
    assert not bad, f"differences from Paddle {version}:\n" + "\n".join(bad)


def test_bad_input():
    F = paddle.nn.functional
    x, w = paddle.ones([2, 3]), paddle.ones([4, 3])
    with pytest.raises(ValueError, match="num_classes >= 2"):
        F.hsigmoid_loss(x, paddle.to_tensor([[0], [1]]), 1, w)
    with pytest.raises(ValueError, match=r"labels must be in \[0, 5\)"):
        F.hsigmoid_loss(x, paddle.to_tensor([[0], [7]]), 5, w)
    with pytest.raises(ValueError, match="weight has only 2 rows"):
        F.hsigmoid_loss(x, paddle.to_tensor([[0], [4]]), 5, paddle.ones([2, 3]))
    with pytest.raises(ValueError, match="together"):
        F.hsigmoid_loss(x, paddle.to_tensor([[0], [1]]), 5, w, path_table=paddle.ones([2, 2]))
    with pytest.raises(ValueError, match="cannot be equal to 0"):
        paddle.nn.SpectralNorm([0, 3])
    with pytest.raises(ValueError, match="can only be 0 or 1"):
        paddle.nn.SpectralNorm([2, 3, 4], dim=2)(paddle.ones([2, 3, 4]))
