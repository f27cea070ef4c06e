"""``paddle.incubate``: Paddle 2.6's experimental APIs that run on its CPU build.

``LookAhead``/``ModelAverage`` and ``minimize_bfgs``/``minimize_lbfgs`` (``optimizer``,
``optimizer.functional``), the function transforms of ``autograd``,
``softmax_mask_fuse``, ``identity_loss``, ``segment_*`` and the ``graph_*`` operators; ``nn``
holds the fused layers (Paddle's parameters; most forwards are GPU-only in Paddle and refused
here with Paddle's error kind).

>>> import paddlefish as paddle
>>> paddle.incubate.segment_sum(paddle.to_tensor([[1.0], [2.0], [4.0]]),
...                             paddle.to_tensor([0, 0, 1])).numpy().tolist()
[[3.0], [4.0]]
"""

from .._core.missing import module_getattr
from ..tensor.geometric import segment_max as segment_max
from ..tensor.geometric import segment_mean as segment_mean
from ..tensor.geometric import segment_min as segment_min
from ..tensor.geometric import segment_sum as segment_sum
from . import autograd as autograd
from . import nn as nn
from . import optimizer as optimizer
from ._graph import graph_khop_sampler as graph_khop_sampler
from ._graph import graph_reindex as graph_reindex
from ._graph import graph_sample_neighbors as graph_sample_neighbors
from ._graph import graph_send_recv as graph_send_recv
from ._loss import identity_loss as identity_loss
from ._softmax_mask import softmax_mask_fuse as softmax_mask_fuse
from ._softmax_mask import softmax_mask_fuse_upper_triangle as softmax_mask_fuse_upper_triangle
from .optimizer import LookAhead as LookAhead
from .optimizer import ModelAverage as ModelAverage

__all__ = [
    "LookAhead",
    "ModelAverage",
    "graph_khop_sampler",
    "graph_reindex",
    "graph_sample_neighbors",
    "graph_send_recv",
    "identity_loss",
    "segment_max",
    "segment_mean",
    "segment_min",
    "segment_sum",
    "softmax_mask_fuse",
    "softmax_mask_fuse_upper_triangle",
]

_DIST = "distributed training internals (fleet) are not built in paddlefish; see paddle.distributed"
_NOT_BUILT = {
    "asp": "2:4 structured sparsity (ASP) needs Paddle's sparse kernels; prune with torch or Paddle",
    "autotune": "kernel auto-tuning is Paddle's CUDA runtime; paddlefish leaves it to torch",
    "layers": "paddle.incubate.layers are 1.x static-graph helpers; use paddle.nn / paddle.static",
    "multiprocessing": "use torch.multiprocessing (tensors share memory the same way)",
    "xpu": "Kunlun XPU kernels are not available on PyTorch",
    "checkpoint": "auto_checkpoint is Paddle's cloud job checkpointing; use paddlefish.checkpoint",
    "auto_checkpoint": "auto_checkpoint is Paddle's cloud job checkpointing; use paddlefish.checkpoint",
    "DistributedFusedLamb": _DIST,
    "fleet": _DIST,
    "distributed": _DIST,
    "passes": "IR passes over Paddle's C++ graph (fuse_resnet_unit_pass) have no paddlefish meaning",
    "fuse_resnet_unit_pass": "IR passes over Paddle's C++ graph have no paddlefish meaning",
    "LayerHelper": "use paddle.nn.Layer.create_parameter or paddle.static.create_parameter",
}

__getattr__ = module_getattr("paddle.incubate", _NOT_BUILT)
