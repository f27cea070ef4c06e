"""``paddle.sparse.nn.functional``: sparse activations; conv/pool/attention raise
NotImplementedError naming the reason."""

from ...._core.missing import module_getattr as _module_getattr
from .activation import leaky_relu, relu, relu6, softmax
from .conv import attention, conv2d, conv3d, max_pool3d, subm_conv2d, subm_conv3d

__all__ = [
    "attention",
    "conv2d",
    "conv3d",
    "leaky_relu",
    "max_pool3d",
    "relu",
    "relu6",
    "softmax",
    "subm_conv2d",
    "subm_conv3d",
]

__getattr__ = _module_getattr("paddle.sparse.nn.functional")
