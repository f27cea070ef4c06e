"""Refusals for Paddle 2.6's GPU-only fused kernels.

NOTE [incubate GPU-only kernels]: Paddle 2.6's CPU build lacks most ``incubate.nn`` fused kernels.
Two kinds of failure come out of it, and paddlefish raises the same kind on CPU: ops missing
from the CPU build's legacy op table (``fused_attention``, ``fused_feedforward``,
``fused_gemm_epilogue``) fail with ``AttributeError`` -> ``FusedKernelMissing`` (an
``AttributeError`` and a ``NotImplementedError``); ops with no CPU kernel registered
(``fused_dropout_add``, ``fused_rms_norm``, ``fused_bias_dropout_residual_layer_norm``, ...)
fail with ``RuntimeError`` -> ``NotImplementedError`` (a ``RuntimeError`` subclass). Only the
simple fused linear/dropout-add ops are composed on CUDA; the others are refused everywhere.
"""

from __future__ import annotations

__all__ = ["FusedKernelMissing", "refuse"]


class FusedKernelMissing(AttributeError, NotImplementedError):
    """A fused op missing from Paddle's CPU build (``AttributeError`` there)."""


def refuse(op: str, *, attribute: bool, instead: str, cuda_too: bool = False) -> None:
    """Raise the error Paddle 2.6's CPU build gives for ``op`` (see NOTE above)."""
    where = "on any device" if cuda_too else "on CPU"
    msg = (
        f"{op}: Paddle 2.6 has this fused kernel only for GPU (its CPU build "
        f"{'has no op ' + repr(op) if attribute else 'registers no CPU kernel for it'}), and "
        f"paddlefish does not run it {where}. Compute it unfused instead: {instead}."
    )
    if attribute:
        raise FusedKernelMissing(msg)
    raise NotImplementedError(msg)
