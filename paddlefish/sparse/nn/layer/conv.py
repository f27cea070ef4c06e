"""Sparse conv/pool/norm layers: not implemented (constructing one raises NotImplementedError)."""

from __future__ import annotations

__all__ = [
    "BatchNorm",
    "Conv2D",
    "Conv3D",
    "MaxPool3D",
    "SubmConv2D",
    "SubmConv3D",
    "SyncBatchNorm",
]


def _left(name: str, why: str):
    class _Left:
        def __init__(self, *args, **kwargs):
            raise NotImplementedError(
                f"paddle.sparse.nn.{name} is not implemented in paddlefish: {why}. Densify "
                "(x.to_dense()) and use the dense paddle.nn layer, or run it on real Paddle"
            )

    _Left.__name__ = _Left.__qualname__ = name
    _Left.__doc__ = (
        f"Not implemented: constructing ``paddle.sparse.nn.{name}`` raises NotImplementedError."
    )
    return _Left


_CONV = (
    "sparse conv needs Paddle's rulebook (gather-GEMM-scatter over active sites), which "
    "torch sparse tensors do not provide"
)
Conv2D = _left("Conv2D", _CONV)
Conv3D = _left("Conv3D", _CONV)
SubmConv2D = _left("SubmConv2D", _CONV)
SubmConv3D = _left("SubmConv3D", _CONV)
MaxPool3D = _left("MaxPool3D", "sparse pooling uses the same rulebook as sparse conv")
BatchNorm = _left(
    "BatchNorm",
    "its running statistics over the stored values of a channel-last "
    "COO tensor are not written yet",
)
SyncBatchNorm = _left("SyncBatchNorm", "it is the multi-device form of sparse BatchNorm")
