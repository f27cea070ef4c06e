"""Sparse convolution, pooling and attention: not implemented (see ``_left``)."""

from __future__ import annotations

__all__ = ["attention", "conv2d", "conv3d", "max_pool3d", "subm_conv2d", "subm_conv3d"]


def _left(name: str):
    def fn(*args, **kwargs):
        raise NotImplementedError(
            f"paddle.sparse.nn.functional.{name} is not implemented in paddlefish: Paddle's "
            "sparse conv/pool/attention kernels (rulebook gather-GEMM-scatter, cusparse SDDMM) "
            "have no torch sparse counterpart yet. Densify (x.to_dense()) and use "
            "paddle.nn.functional's dense op, or run it on real Paddle"
        )

    fn.__name__ = fn.__qualname__ = name
    fn.__doc__ = (
        f"Not implemented: ``paddle.sparse.nn.functional.{name}`` raises NotImplementedError."
    )
    return fn


conv2d = _left("conv2d")
conv3d = _left("conv3d")
subm_conv2d = _left("subm_conv2d")
subm_conv3d = _left("subm_conv3d")
max_pool3d = _left("max_pool3d")
attention = _left("attention")
