"""Layers and functionals added to close the API gap (``nn/layer/extra.py``,
``nn/functional/extra_ops.py`` / ``extra_losses.py``) against real Paddle 2.6 and 3.3: values,
dtypes, shapes and which calls fail, through the table machinery of
``tests/tensor/test_functional_oracle.py`` (one Paddle subprocess per version)."""

from __future__ import annotations

import pytest

from tests.tensor.test_functional_oracle import ORACLE, _oracle, compare, run_cases

pytestmark = pytest.mark.oracle

X4 = "T(np.arange(48.0, dtype='float32').reshape(1, 3, 4, 4) / 10 - 2)"
P = "T(np.abs(a) + 0.5)"
LAB = "T(np.array([1, 0, 3], 'int64'))"
CASES = {
    # activations / layers over existing functionals
    "CELU": "paddle.nn.CELU(0.5)(T(a))",
    "GLU": "paddle.nn.GLU()(T(a))",
    "Hardshrink": "paddle.nn.Hardshrink(0.4)(T(a))",
    "Softshrink": "paddle.nn.Softshrink(0.4)(T(a))",
    "ThresholdedReLU": "paddle.nn.ThresholdedReLU(0.3)(T(a))",
    "RReLU_eval": "(lambda m: (m.eval(), m(T(a)))[1])(paddle.nn.RReLU(0.1, 0.3))",
    "F_rrelu_eval": "paddle.nn.functional.rrelu(T(a), 0.2, 0.4, training=False)",
    "Softmax2D": f"paddle.nn.Softmax2D()({X4})",
    "Softmax2D_bad": "paddle.nn.Softmax2D()(T(a))",
    "Maxout": f"paddle.nn.Maxout(3)({X4}.tile([1, 2, 1, 1]))",
    "PixelUnshuffle": f"paddle.nn.PixelUnshuffle(2)({X4})",
    "ChannelShuffle": f"paddle.nn.ChannelShuffle(3)({X4})",
    "Unfold": f"paddle.nn.Unfold([2, 2], strides=2)({X4})",
    "Fold": "paddle.nn.Fold([3, 3], [2, 2])(T(np.arange(32.0, dtype='float32').reshape(1, 8, 4)))",
    "LocalResponseNorm": f"paddle.nn.LocalResponseNorm(3)({X4})",
    "LRN_nhwc": f"paddle.nn.functional.local_response_norm({X4}.transpose([0, 2, 3, 1]), 2, "
    "data_format='NHWC')",
    "LRN_3d": "paddle.nn.functional.local_response_norm(T(c), 3, alpha=0.1, beta=0.5, k=2.0)",
    "PairwiseDistance": "paddle.nn.PairwiseDistance(p=3)(T(a), T(a * 0.5))",
    "AdaptiveMaxPool3D": "paddle.nn.AdaptiveMaxPool3D(2, return_mask=True)("
    "T(np.arange(128.0, dtype='float32').reshape(1, 2, 4, 4, 4) % 7))",
    "max_unpool2d": f"paddle.nn.functional.max_unpool2d(*paddle.nn.functional.max_pool2d({X4}, 2, "
    "return_mask=True), 2)",
    "MaxUnPool1D": "paddle.nn.MaxUnPool1D(2)(*paddle.nn.functional.max_pool1d("
    "T(np.sin(np.arange(16.0, dtype='float32')).reshape(1, 2, 8)), 2, return_mask=True))",
    "MaxUnPool3D": "paddle.nn.MaxUnPool3D(2)(*paddle.nn.functional.max_pool3d("
    "T(np.cos(np.arange(128.0, dtype='float32')).reshape(1, 2, 4, 4, 4)), 2, "
    "return_mask=True))",
    "unpool_out_size": f"paddle.nn.functional.max_unpool2d(*paddle.nn.functional.max_pool2d({X4}, 2, "
    "return_mask=True), 2, output_size=[5, 5])",
    "F_bilinear": "paddle.nn.functional.bilinear(T(a), T(a[:, :3]), T(np.arange(24.0, "
    "dtype='float32').reshape(2, 4, 3) / 10), T(np.array([[0.5, -0.5]], 'float32')))",
    "Bilinear_shapes": "[p for p in paddle.nn.Bilinear(4, 3, 5).parameters()][0].shape and "
    "paddle.to_tensor([len(paddle.nn.Bilinear(4, 3, 5)(T(a), T(a[:, :3])).shape)])",
    "elu_": "paddle.nn.functional.elu_(T(a), 0.5)",
    "hardtanh_": "paddle.nn.functional.hardtanh_(T(a), -0.5, 0.5)",
    "leaky_relu_": "paddle.nn.functional.leaky_relu_(T(a), 0.2)",
    "softmax_": "paddle.nn.functional.softmax_(T(a), axis=0)",
    "thresholded_relu_": "paddle.nn.functional.thresholded_relu_(T(a), 0.3)",
    "gumbel_shape": "paddle.to_tensor(paddle.nn.functional.gumbel_softmax(T(a), hard=True)"
    ".sum(axis=-1).numpy().round())",
    "affine_grid": "paddle.nn.functional.affine_grid(T(np.array([[[1.0, 0.2, 0.1], [-0.1, 0.9, "
    "0.0]]], 'float32')), [1, 2, 3, 4])",
    "affine_grid_ac": "paddle.nn.functional.affine_grid(T(np.array([[[1.0, 0.2, 0.1], [-0.1, 0.9, "
    "0.0]]], 'float32')), [1, 2, 3, 4], align_corners=False)",
    "grid_sample": f"paddle.nn.functional.grid_sample({X4}, T(np.tanh(c[:1].reshape(1, 2, 3, 2)) "
    "* 1.1))",
    "grid_sample_nearest_border": f"paddle.nn.functional.grid_sample({X4}, T(np.tanh(c[:1]"
    ".reshape(1, 2, 3, 2)) * 1.1), mode='nearest', "
    "padding_mode='border', align_corners=False)",
    "grid_sample_reflect": f"paddle.nn.functional.grid_sample({X4}, T(np.tanh(c[:1].reshape(1, "
    "2, 3, 2)) * 1.3), padding_mode='reflection')",
    "temporal_shift": "paddle.nn.functional.temporal_shift(T(np.arange(96.0, dtype='float32')"
    ".reshape(4, 4, 2, 3)), 2, 0.25)",
    "temporal_shift_nhwc": "paddle.nn.functional.temporal_shift(T(np.arange(96.0, "
    "dtype='float32').reshape(4, 2, 3, 4)), 2, 0.25, data_format='NHWC')",
    "sequence_mask": "paddle.nn.functional.sequence_mask(T(np.array([[1, 3], [0, 2]])))",
    "sequence_mask_len": "paddle.nn.functional.sequence_mask(T(np.array([1, 3])), maxlen=5, "
    "dtype='float32')",
    "gather_tree": "paddle.nn.functional.gather_tree(T(np.array([[[2, 2], [6, 1]], [[3, 9], "
    "[6, 1]], [[0, 1], [9, 0]]], 'int64')), T(np.array([[[0, 0], [1, 1]], [[1, 0], "
    "[1, 0]], [[0, 0], [0, 1]]], 'int64')))",
    # losses
    "CosineEmbeddingLoss": "paddle.nn.CosineEmbeddingLoss(margin=0.1)(T(a), T(a[::-1].copy()), "
    "T(np.array([1, -1, 1], 'int64')))",
    "cosine_embedding_none": "paddle.nn.functional.cosine_embedding_loss(T(a), T(a * 0.3 + 1), "
    "T(np.array([1, -1, -1], 'int64')), reduction='none')",
    "SoftMarginLoss": "paddle.nn.SoftMarginLoss('sum')(T(a), T(np.sign(a)))",
    "MultiLabelSoftMarginLoss": "paddle.nn.MultiLabelSoftMarginLoss()(T(a), "
    "T(bm.astype('float32')))",
    "multilabel_weight": "paddle.nn.functional.multi_label_soft_margin_loss(T(a), "
    "T(bm.astype('float32')), weight=T(np.abs(v4)), reduction='none')",
    "MultiMarginLoss": f"paddle.nn.MultiMarginLoss()(T(a), {LAB})",
    "multi_margin_p2_w": f"paddle.nn.functional.multi_margin_loss(T(a), {LAB}, p=2, margin=0.5, "
    "weight=T(np.abs(v4)), reduction='none')",
    "TripletMarginLoss": "paddle.nn.TripletMarginLoss(swap=True)(T(a), T(a * 0.5), T(a[::-1]"
    ".copy()))",
    "triplet_p1": "paddle.nn.functional.triplet_margin_loss(T(a), T(a + 1), T(a * 2), p=1, "
    "reduction='none')",
    "TripletMarginWithDistanceLoss": "paddle.nn.TripletMarginWithDistanceLoss(margin=0.5)(T(a), "
    "T(a * 0.5), T(a[::-1].copy()))",
    "PoissonNLLLoss": f"paddle.nn.PoissonNLLLoss()(T(a), {P})",
    "poisson_full_nolog": f"paddle.nn.functional.poisson_nll_loss({P}, T(np.abs(a) * 3), "
    "log_input=False, full=True, reduction='none')",
    "GaussianNLLLoss": f"paddle.nn.GaussianNLLLoss()(T(a), T(a * 0.5), {P})",
    "gaussian_full_sum": f"paddle.nn.functional.gaussian_nll_loss(T(a), T(a * 0.5), {P}, "
    "full=True, reduction='sum')",
    "dice_loss": "paddle.nn.functional.dice_loss(paddle.nn.functional.softmax(T(a)), "
    "T(np.array([[1], [0], [3]], 'int64')))",
    "npair_loss": "paddle.nn.functional.npair_loss(T(a), T(a * 0.5 + 0.1), "
    "T(np.array([1, 2, 1], 'float32')))",
    "sigmoid_focal_loss": "paddle.nn.functional.sigmoid_focal_loss(T(a), T(bm.astype('float32')))",
    "sigmoid_focal_norm": "paddle.nn.functional.sigmoid_focal_loss(T(a), T(bm.astype('float32')), "
    "normalizer=T(np.array([3.0], 'float32')), alpha=0.5, gamma=1.0, "
    "reduction='mean')",
    "ctc_loss": "paddle.nn.functional.ctc_loss(T(c.transpose(1, 0, 2).copy()), "
    "T(np.array([[1, 2], [3, 1]], 'int32')), T(np.array([3, 2], 'int64')), "
    "T(np.array([2, 1], 'int64')))",
    "CTCLoss_none": "paddle.nn.CTCLoss(reduction='none')(T(c.transpose(1, 0, 2).copy()), "
    "T(np.array([[1, 2], [3, 1]], 'int32')), T(np.array([3, 3], 'int64')), "
    "T(np.array([2, 2], 'int64')))",
}


# Paddle 2.6 returns a [N, N] broadcast for a weighted multi_margin_loss (fixed in 3.x; we follow 3.x)
PADDLE_BUGS = {"2.6": {"multi_margin_p2_w"}, "3.3": set()}


@pytest.mark.parametrize("version", ["2.6", "3.3"])
def test_gap_layers_match_paddle(tmp_path, version):
    import paddlefish as paddle

    cases = {k: v for k, v in CASES.items() if k not in PADDLE_BUGS[version]}
    ref = _oracle(tmp_path, ORACLE, cases, version)
    ours = run_cases(paddle, cases)
    bad = compare(ours, ref, cases)
    assert not bad, f"{len(bad)} of {len(CASES)} cases differ from Paddle {version}:\n" + "\n".join(
        bad
    )


def test_cases_ran():
    """Guard against a table that silently errors everywhere: most cases produce values."""
    import paddlefish as paddle

    _, meta = run_cases(paddle, CASES)
    errors = [k for k, v in meta.items() if "error" in v]
    assert errors == ["Softmax2D_bad"], errors


def test_bad_reduction_is_refused():
    """Paddle 2.6/3.3 return None for an unknown reduction here; paddlefish says what is wrong."""
    import paddlefish as paddle

    a = paddle.ones([2, 3])
    with pytest.raises(ValueError, match="'sum', 'mean' or 'none'"):
        paddle.nn.functional.cosine_embedding_loss(a, a, paddle.to_tensor([1, -1]), reduction="avg")
