"""``paddle.nn.functional``. Each module adds its names below (explicit re-exports)."""

from ..._core.missing import module_getattr as _module_getattr
from ...tensor.math import relu as relu
from ...tensor.math import sigmoid as sigmoid
from ...tensor.math import tanh as tanh
from .activation import elu as elu
from .activation import gelu as gelu
from .activation import hardsigmoid as hardsigmoid
from .activation import hardswish as hardswish
from .activation import hardtanh as hardtanh
from .activation import leaky_relu as leaky_relu
from .activation import log_sigmoid as log_sigmoid
from .activation import log_softmax as log_softmax
from .activation import mish as mish
from .activation import prelu as prelu
from .activation import relu6 as relu6
from .activation import selu as selu
from .activation import silu as silu
from .activation import softmax as softmax
from .activation import softplus as softplus
from .activation import softsign as softsign
from .activation import swish as swish
from .activation import tanhshrink as tanhshrink
from .common import alpha_dropout as alpha_dropout
from .common import cosine_similarity as cosine_similarity
from .common import dropout as dropout
from .common import dropout2d as dropout2d
from .common import dropout3d as dropout3d
from .common import interpolate as interpolate
from .common import label_smooth as label_smooth
from .common import pad as pad
from .common import pixel_shuffle as pixel_shuffle
from .common import upsample as upsample
from .conv import conv1d as conv1d
from .conv import conv1d_transpose as conv1d_transpose
from .conv import conv2d as conv2d
from .conv import conv2d_transpose as conv2d_transpose
from .conv import conv3d as conv3d
from .conv import conv3d_transpose as conv3d_transpose
from .extra import celu as celu
from .hsigmoid import hsigmoid_loss as hsigmoid_loss
from .rnnt import rnnt_loss as rnnt_loss
from .extra import channel_shuffle as channel_shuffle
from .extra import diag_embed as diag_embed
from .extra import fold as fold
from .extra import glu as glu
from .extra import hardshrink as hardshrink
from .extra import log_loss as log_loss
from .extra import maxout as maxout
from .extra import pairwise_distance as pairwise_distance
from .extra import pixel_unshuffle as pixel_unshuffle
from .extra import relu_ as relu_
from .extra import soft_margin_loss as soft_margin_loss
from .extra import softshrink as softshrink
from .extra import square_error_cost as square_error_cost
from .extra import tanh_ as tanh_
from .extra import thresholded_relu as thresholded_relu
from .extra import unfold as unfold
from .extra import zeropad2d as zeropad2d
from .extra_losses import cosine_embedding_loss as cosine_embedding_loss
from .extra_losses import dice_loss as dice_loss
from .extra_losses import gaussian_nll_loss as gaussian_nll_loss
from .extra_losses import multi_label_soft_margin_loss as multi_label_soft_margin_loss
from .extra_losses import multi_margin_loss as multi_margin_loss
from .extra_losses import npair_loss as npair_loss
from .extra_losses import poisson_nll_loss as poisson_nll_loss
from .extra_losses import sigmoid_focal_loss as sigmoid_focal_loss
from .extra_losses import triplet_margin_loss as triplet_margin_loss
from .extra_losses import triplet_margin_with_distance_loss as triplet_margin_with_distance_loss
from .extra_ops import adaptive_max_pool3d as adaptive_max_pool3d
from .extra_ops import affine_grid as affine_grid
from .extra_ops import bilinear as bilinear
from .extra_ops import ctc_loss as ctc_loss
from .extra_ops import elu_ as elu_
from .extra_ops import gather_tree as gather_tree
from .extra_ops import grid_sample as grid_sample
from .extra_ops import gumbel_softmax as gumbel_softmax
from .extra_ops import hardtanh_ as hardtanh_
from .extra_ops import leaky_relu_ as leaky_relu_
from .extra_ops import local_response_norm as local_response_norm
from .extra_ops import max_unpool1d as max_unpool1d
from .extra_ops import max_unpool2d as max_unpool2d
from .extra_ops import max_unpool3d as max_unpool3d
from .extra_ops import rrelu as rrelu
from .extra_ops import scaled_dot_product_attention as scaled_dot_product_attention
from .extra_ops import sequence_mask as sequence_mask
from .extra_ops import softmax_ as softmax_
from .extra_ops import temporal_shift as temporal_shift
from .extra_ops import thresholded_relu_ as thresholded_relu_
from .input import embedding as embedding
from .input import one_hot as one_hot
from .linear import linear as linear
from .loss import binary_cross_entropy as binary_cross_entropy
from .loss import binary_cross_entropy_with_logits as binary_cross_entropy_with_logits
from .loss import cross_entropy as cross_entropy
from .loss import hinge_embedding_loss as hinge_embedding_loss
from .loss import kl_div as kl_div
from .loss import l1_loss as l1_loss
from .loss import margin_ranking_loss as margin_ranking_loss
from .loss import mse_loss as mse_loss
from .loss import nll_loss as nll_loss
from .loss import smooth_l1_loss as smooth_l1_loss
from .loss import softmax_with_cross_entropy as softmax_with_cross_entropy
from .norm import batch_norm as batch_norm
from .norm import group_norm as group_norm
from .norm import instance_norm as instance_norm
from .norm import layer_norm as layer_norm
from .norm import normalize as normalize
from .pooling import adaptive_avg_pool1d as adaptive_avg_pool1d
from .pooling import adaptive_avg_pool2d as adaptive_avg_pool2d
from .pooling import adaptive_avg_pool3d as adaptive_avg_pool3d
from .pooling import adaptive_max_pool1d as adaptive_max_pool1d
from .pooling import adaptive_max_pool2d as adaptive_max_pool2d
from .pooling import avg_pool1d as avg_pool1d
from .pooling import avg_pool2d as avg_pool2d
from .pooling import avg_pool3d as avg_pool3d
from .pooling import max_pool1d as max_pool1d
from .pooling import max_pool2d as max_pool2d
from .pooling import max_pool3d as max_pool3d

__all__ = [
    "hsigmoid_loss",
    "rnnt_loss",
    "adaptive_avg_pool1d",
    "adaptive_avg_pool2d",
    "adaptive_avg_pool3d",
    "adaptive_max_pool1d",
    "adaptive_max_pool2d",
    "adaptive_max_pool3d",
    "affine_grid",
    "alpha_dropout",
    "avg_pool1d",
    "avg_pool2d",
    "avg_pool3d",
    "batch_norm",
    "bilinear",
    "binary_cross_entropy",
    "binary_cross_entropy_with_logits",
    "celu",
    "channel_shuffle",
    "conv1d",
    "conv1d_transpose",
    "conv2d",
    "conv2d_transpose",
    "conv3d",
    "conv3d_transpose",
    "cosine_embedding_loss",
    "cosine_similarity",
    "cross_entropy",
    "ctc_loss",
    "diag_embed",
    "dice_loss",
    "dropout",
    "dropout2d",
    "dropout3d",
    "elu",
    "elu_",
    "embedding",
    "fold",
    "gather_tree",
    "gaussian_nll_loss",
    "gelu",
    "glu",
    "grid_sample",
    "group_norm",
    "gumbel_softmax",
    "hardshrink",
    "hardsigmoid",
    "hardswish",
    "hardtanh",
    "hardtanh_",
    "hinge_embedding_loss",
    "instance_norm",
    "interpolate",
    "kl_div",
    "l1_loss",
    "label_smooth",
    "layer_norm",
    "leaky_relu",
    "leaky_relu_",
    "linear",
    "local_response_norm",
    "log_loss",
    "log_sigmoid",
    "log_softmax",
    "margin_ranking_loss",
    "max_pool1d",
    "max_pool2d",
    "max_pool3d",
    "max_unpool1d",
    "max_unpool2d",
    "max_unpool3d",
    "maxout",
    "mish",
    "mse_loss",
    "multi_label_soft_margin_loss",
    "multi_margin_loss",
    "nll_loss",
    "normalize",
    "npair_loss",
    "one_hot",
    "pad",
    "pairwise_distance",
    "pixel_shuffle",
    "pixel_unshuffle",
    "poisson_nll_loss",
    "prelu",
    "relu",
    "relu6",
    "relu_",
    "rrelu",
    "scaled_dot_product_attention",
    "selu",
    "sequence_mask",
    "sigmoid",
    "sigmoid_focal_loss",
    "silu",
    "smooth_l1_loss",
    "soft_margin_loss",
    "softmax",
    "softmax_",
    "softmax_with_cross_entropy",
    "softplus",
    "softshrink",
    "softsign",
    "square_error_cost",
    "swish",
    "tanh",
    "tanh_",
    "tanhshrink",
    "temporal_shift",
    "thresholded_relu",
    "thresholded_relu_",
    "triplet_margin_loss",
    "triplet_margin_with_distance_loss",
    "unfold",
    "upsample",
    "zeropad2d",
]

__getattr__ = _module_getattr("paddle.nn.functional")
