"""Gradient clip classes: numerics against numpy, need_clip, auto_skip_clip."""

from __future__ import annotations

import numpy as np
import pytest

import paddlefish as paddle


def _pairs(*arrays):
    out = []
    for a in arrays:
        p = paddle.Parameter(paddle.to_tensor(np.zeros_like(a)), name=None)
        out.append((p, paddle.to_tensor(a)))
    return out


G1 = np.array([3.0, 4.0], "float32")
G2 = np.array([[12.0]], "float32")


def test_global_norm_scales_all():
    res = paddle.nn.ClipGradByGlobalNorm(clip_norm=6.5)(_pairs(G1, G2))
    scale = 6.5 / 13.0
    np.testing.assert_allclose(res[0][1].numpy(), G1 * scale, rtol=1e-6)
    np.testing.assert_allclose(res[1][1].numpy(), G2 * scale, rtol=1e-6)


def test_global_norm_no_scale_below_and_auto_skip():
    for skip in (False, True):
        res = paddle.nn.ClipGradByGlobalNorm(100.0, auto_skip_clip=skip)(_pairs(G1, G2))
        np.testing.assert_allclose(res[0][1].numpy(), G1, rtol=1e-6)


def test_global_norm_excludes_need_clip_false():
    pairs = _pairs(G1, G2)
    pairs[1][0].need_clip = False
    res = paddle.nn.ClipGradByGlobalNorm(2.5)(pairs)
    np.testing.assert_allclose(res[0][1].numpy(), G1 * 0.5, rtol=1e-6)
    np.testing.assert_array_equal(res[1][1].numpy(), G2)


def test_clip_by_norm_per_tensor():
    res = paddle.nn.ClipGradByNorm(5.0)(_pairs(G1, G2))
    np.testing.assert_allclose(res[0][1].numpy(), G1, rtol=1e-6)  # norm 5: unchanged
    np.testing.assert_allclose(res[1][1].numpy(), [[5.0]], rtol=1e-6)


def test_clip_by_value_default_min():
    clip = paddle.nn.ClipGradByValue(max=3.5)
    assert clip.min == -3.5
    res = clip(_pairs(np.array([-9.0, 1.0, 9.0], "float32")))
    np.testing.assert_array_equal(res[0][1].numpy(), [-3.5, 1.0, 3.5])
    with pytest.raises(ValueError, match="min"):
        paddle.nn.ClipGradByValue(max=1.0, min=2.0)


def test_none_grad_passes_through():
    p = paddle.Parameter(paddle.to_tensor(np.zeros(2, "float32")))
    assert paddle.nn.ClipGradByGlobalNorm(1.0)([(p, None)]) == [(p, None)]
