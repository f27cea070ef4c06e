"""``paddle.nn``: Layer, layers, functional, initializers. Explicit re-exports, one line each."""

from .._core.missing import module_getattr as _module_getattr
from . import functional as functional
from . import initializer as initializer
from . import utils as utils
from .utils import spectral_norm as spectral_norm
from .clip import ClipGradByGlobalNorm as ClipGradByGlobalNorm
from .clip import ClipGradByNorm as ClipGradByNorm
from .clip import ClipGradByValue as ClipGradByValue
from .layer.activation import ELU as ELU
from .layer.activation import GELU as GELU
from .layer.activation import SELU as SELU
from .layer.activation import Hardsigmoid as Hardsigmoid
from .layer.activation import Hardswish as Hardswish
from .layer.activation import Hardtanh as Hardtanh
from .layer.activation import LeakyReLU as LeakyReLU
from .layer.activation import LogSigmoid as LogSigmoid
from .layer.activation import LogSoftmax as LogSoftmax
from .layer.activation import Mish as Mish
from .layer.activation import PReLU as PReLU
from .layer.activation import ReLU as ReLU
from .layer.activation import ReLU6 as ReLU6
from .layer.activation import Sigmoid as Sigmoid
from .layer.activation import SiLU as SiLU
from .layer.activation import Silu as Silu
from .layer.activation import Softmax as Softmax
from .layer.activation import Softplus as Softplus
from .layer.activation import Softsign as Softsign
from .layer.activation import Swish as Swish
from .layer.activation import Tanh as Tanh
from .layer.activation import Tanhshrink as Tanhshrink
from .layer.common import AlphaDropout as AlphaDropout
from .layer.common import CosineSimilarity as CosineSimilarity
from .layer.common import Dropout as Dropout
from .layer.common import Dropout2D as Dropout2D
from .layer.common import Dropout3D as Dropout3D
from .layer.common import Embedding as Embedding
from .layer.common import Flatten as Flatten
from .layer.common import Pad1D as Pad1D
from .layer.common import Pad2D as Pad2D
from .layer.common import Pad3D as Pad3D
from .layer.common import PixelShuffle as PixelShuffle
from .layer.common import Unflatten as Unflatten
from .layer.common import Upsample as Upsample
from .layer.common import UpsamplingBilinear2D as UpsamplingBilinear2D
from .layer.common import UpsamplingNearest2D as UpsamplingNearest2D
from .layer.common import ZeroPad2D as ZeroPad2D
from .layer.container import LayerDict as LayerDict
from .layer.container import LayerList as LayerList
from .layer.container import ParameterList as ParameterList
from .layer.container import Sequential as Sequential
from .layer.conv import Conv1D as Conv1D
from .layer.conv import Conv1DTranspose as Conv1DTranspose
from .layer.conv import Conv2D as Conv2D
from .layer.conv import Conv2DTranspose as Conv2DTranspose
from .layer.conv import Conv3D as Conv3D
from .layer.conv import Conv3DTranspose as Conv3DTranspose
from .decode import BeamSearchDecoder as BeamSearchDecoder
from .decode import dynamic_decode as dynamic_decode
from .layer.extra import CELU as CELU
from .layer.tree_and_spectral import HSigmoidLoss as HSigmoidLoss
from .layer.tree_and_spectral import RNNTLoss as RNNTLoss
from .layer.tree_and_spectral import SpectralNorm as SpectralNorm
from .layer.extra import GLU as GLU
from .layer.extra import AdaptiveMaxPool3D as AdaptiveMaxPool3D
from .layer.extra import Bilinear as Bilinear
from .layer.extra import ChannelShuffle as ChannelShuffle
from .layer.extra import CosineEmbeddingLoss as CosineEmbeddingLoss
from .layer.extra import CTCLoss as CTCLoss
from .layer.extra import Fold as Fold
from .layer.extra import GaussianNLLLoss as GaussianNLLLoss
from .layer.extra import Hardshrink as Hardshrink
from .layer.extra import LocalResponseNorm as LocalResponseNorm
from .layer.extra import Maxout as Maxout
from .layer.extra import MaxUnPool1D as MaxUnPool1D
from .layer.extra import MaxUnPool2D as MaxUnPool2D
from .layer.extra import MaxUnPool3D as MaxUnPool3D
from .layer.extra import MultiLabelSoftMarginLoss as MultiLabelSoftMarginLoss
from .layer.extra import MultiMarginLoss as MultiMarginLoss
from .layer.extra import PairwiseDistance as PairwiseDistance
from .layer.extra import PixelUnshuffle as PixelUnshuffle
from .layer.extra import PoissonNLLLoss as PoissonNLLLoss
from .layer.extra import RReLU as RReLU
from .layer.extra import SoftMarginLoss as SoftMarginLoss
from .layer.extra import Softmax2D as Softmax2D
from .layer.extra import Softshrink as Softshrink
from .layer.extra import ThresholdedReLU as ThresholdedReLU
from .layer.extra import TripletMarginLoss as TripletMarginLoss
from .layer.extra import TripletMarginWithDistanceLoss as TripletMarginWithDistanceLoss
from .layer.extra import Unfold as Unfold
from .layer.layers import Layer as Layer
from .layer.linear import Identity as Identity
from .layer.linear import Linear as Linear
from .layer.loss import BCELoss as BCELoss
from .layer.loss import BCEWithLogitsLoss as BCEWithLogitsLoss
from .layer.loss import CrossEntropyLoss as CrossEntropyLoss
from .layer.loss import HingeEmbeddingLoss as HingeEmbeddingLoss
from .layer.loss import KLDivLoss as KLDivLoss
from .layer.loss import L1Loss as L1Loss
from .layer.loss import MarginRankingLoss as MarginRankingLoss
from .layer.loss import MSELoss as MSELoss
from .layer.loss import NLLLoss as NLLLoss
from .layer.loss import SmoothL1Loss as SmoothL1Loss
from .layer.norm import BatchNorm as BatchNorm
from .layer.norm import BatchNorm1D as BatchNorm1D
from .layer.norm import BatchNorm2D as BatchNorm2D
from .layer.norm import BatchNorm3D as BatchNorm3D
from .layer.norm import GroupNorm as GroupNorm
from .layer.norm import InstanceNorm1D as InstanceNorm1D
from .layer.norm import InstanceNorm2D as InstanceNorm2D
from .layer.norm import InstanceNorm3D as InstanceNorm3D
from .layer.norm import LayerNorm as LayerNorm
from .layer.norm import SyncBatchNorm as SyncBatchNorm
from .layer.pooling import AdaptiveAvgPool1D as AdaptiveAvgPool1D
from .layer.pooling import AdaptiveAvgPool2D as AdaptiveAvgPool2D
from .layer.pooling import AdaptiveAvgPool3D as AdaptiveAvgPool3D
from .layer.pooling import AdaptiveMaxPool1D as AdaptiveMaxPool1D
from .layer.pooling import AdaptiveMaxPool2D as AdaptiveMaxPool2D
from .layer.pooling import AvgPool1D as AvgPool1D
from .layer.pooling import AvgPool2D as AvgPool2D
from .layer.pooling import AvgPool3D as AvgPool3D
from .layer.pooling import MaxPool1D as MaxPool1D
from .layer.pooling import MaxPool2D as MaxPool2D
from .layer.pooling import MaxPool3D as MaxPool3D
from .layer.rnn import GRU as GRU
from .layer.rnn import LSTM as LSTM
from .layer.rnn import RNN as RNN
from .layer.rnn import BiRNN as BiRNN
from .layer.rnn import GRUCell as GRUCell
from .layer.rnn import LSTMCell as LSTMCell
from .layer.rnn import RNNCellBase as RNNCellBase
from .layer.rnn import SimpleRNN as SimpleRNN
from .layer.rnn import SimpleRNNCell as SimpleRNNCell
from .layer.transformer import MultiHeadAttention as MultiHeadAttention
from .layer.transformer import Transformer as Transformer
from .layer.transformer import TransformerDecoder as TransformerDecoder
from .layer.transformer import TransformerDecoderLayer as TransformerDecoderLayer
from .layer.transformer import TransformerEncoder as TransformerEncoder
from .layer.transformer import TransformerEncoderLayer as TransformerEncoderLayer
from .param_attr import ParamAttr as ParamAttr

__all__ = [
    "BeamSearchDecoder",
    "dynamic_decode",
    "HSigmoidLoss",
    "RNNTLoss",
    "SpectralNorm",
    "spectral_norm",
    "AdaptiveAvgPool1D",
    "AdaptiveAvgPool2D",
    "AdaptiveAvgPool3D",
    "AdaptiveMaxPool1D",
    "AdaptiveMaxPool2D",
    "AdaptiveMaxPool3D",
    "AlphaDropout",
    "AvgPool1D",
    "AvgPool2D",
    "AvgPool3D",
    "BCELoss",
    "BCEWithLogitsLoss",
    "BatchNorm",
    "BatchNorm1D",
    "BatchNorm2D",
    "BatchNorm3D",
    "BiRNN",
    "Bilinear",
    "CELU",
    "CTCLoss",
    "ChannelShuffle",
    "ClipGradByGlobalNorm",
    "ClipGradByNorm",
    "ClipGradByValue",
    "Conv1D",
    "Conv1DTranspose",
    "Conv2D",
    "Conv2DTranspose",
    "Conv3D",
    "Conv3DTranspose",
    "CosineEmbeddingLoss",
    "CosineSimilarity",
    "CrossEntropyLoss",
    "Dropout",
    "Dropout2D",
    "Dropout3D",
    "ELU",
    "Embedding",
    "Flatten",
    "Fold",
    "GELU",
    "GLU",
    "GRU",
    "GRUCell",
    "GaussianNLLLoss",
    "GroupNorm",
    "Hardshrink",
    "Hardsigmoid",
    "Hardswish",
    "Hardtanh",
    "HingeEmbeddingLoss",
    "Identity",
    "InstanceNorm1D",
    "InstanceNorm2D",
    "InstanceNorm3D",
    "KLDivLoss",
    "L1Loss",
    "LSTM",
    "LSTMCell",
    "Layer",
    "LayerDict",
    "LayerList",
    "LayerNorm",
    "LeakyReLU",
    "Linear",
    "LocalResponseNorm",
    "LogSigmoid",
    "LogSoftmax",
    "MSELoss",
    "MarginRankingLoss",
    "MaxPool1D",
    "MaxPool2D",
    "MaxPool3D",
    "MaxUnPool1D",
    "MaxUnPool2D",
    "MaxUnPool3D",
    "Maxout",
    "Mish",
    "MultiHeadAttention",
    "MultiLabelSoftMarginLoss",
    "MultiMarginLoss",
    "NLLLoss",
    "PReLU",
    "Pad1D",
    "Pad2D",
    "Pad3D",
    "PairwiseDistance",
    "ParamAttr",
    "ParameterList",
    "PixelShuffle",
    "PixelUnshuffle",
    "PoissonNLLLoss",
    "RNN",
    "RNNCellBase",
    "RReLU",
    "ReLU",
    "ReLU6",
    "SELU",
    "Sequential",
    "SiLU",
    "Sigmoid",
    "Silu",
    "SimpleRNN",
    "SimpleRNNCell",
    "SmoothL1Loss",
    "SoftMarginLoss",
    "Softmax",
    "Softmax2D",
    "Softplus",
    "Softshrink",
    "Softsign",
    "Swish",
    "SyncBatchNorm",
    "Tanh",
    "Tanhshrink",
    "ThresholdedReLU",
    "Transformer",
    "TransformerDecoder",
    "TransformerDecoderLayer",
    "TransformerEncoder",
    "TransformerEncoderLayer",
    "TripletMarginLoss",
    "TripletMarginWithDistanceLoss",
    "Unflatten",
    "Unfold",
    "Upsample",
    "UpsamplingBilinear2D",
    "UpsamplingNearest2D",
    "ZeroPad2D",
    "functional",
    "initializer",
    "utils",
]

__getattr__ = _module_getattr("paddle.nn")
