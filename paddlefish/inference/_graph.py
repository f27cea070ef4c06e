"""The predictor's fastest CNN path: the program traced to TorchScript and compiled by oneDNN Graph.

NOTE [inference onednn graph]: torch ships oneDNN Graph ("LLGA") as a TorchScript fuser
(``torch.jit.enable_onednn_fusion``): on a frozen traced graph it hands whole partitions (conv +
bias + add + activation chains, pooling, linear) to oneDNN, which compiles each once for the
input shape and then runs it with no per-op dispatch. Measured against the per-op oneDNN lowering
(NOTE [inference lowering], whose calls pay ~40 us of primitive-descriptor setup each in ideep):
MobileNetV2 at batch 1, 1 thread, 8.6 vs 15.0 ms (the summed oneDNN kernel time is ~8 ms: the
lowering spends as long again around the kernels); batch 16 125 vs 168 ms; ResNet-18 batch 16
415 vs 496 ms, batch 1 33 vs 37 ms (first measurements; bench/bench_predictor.py has the
side-by-side numbers, bench/onednn_breakdown.py the time inside oneDNN).

How it is used here, per input signature:

* the program is traced through the interpreter (``torch.jit.trace`` of the engine's module; a
  kernel that reads tensor values while tracing makes the program untraceable, as for the
  TorchScript path) and frozen;
* the fuser is switched on only while the graph runs its profiling run and its first optimized
  run (TorchScript's profiling executor compiles on the second call and keeps that plan), then
  restored, so other TorchScript code in the process is not affected;
* the optimized run must contain a ``prim::oneDNNFusionGroup`` — if nothing was fused the
  signature gains nothing over the lowering and is not used;
* its output is compared with the interpreter's outputs recorded during the trace (NOTE [inference
  verify]; no extra interpreter run). A failure anywhere (a torch bug in a pattern oneDNN Graph
  does not take, a mismatch) returns None and the engine uses the next path.

Only programs the lowering takes (they have convolutions) use it: in a one-off measurement (not in
bench/) on an MLP it gained nothing over
the TorchScript path (0.54-0.61 vs 0.50-0.52 ms at batch 16) and on a Transformer encoder torch's
fuser stopped on an internal assert ("isIntList() INTERNAL ASSERT FAILED").

Memory: oneDNN keeps each signature's weights in its own packed layout (up to 16 signatures,
as the other paths), the same per-shape cache Paddle Inference's oneDNN keeps.

Cost: creation pays one interpreter run (the trace), one unfused TorchScript run and the partition
compile: 1-2 s at batch 1 and 5-8 s at batch 16 for ResNet-18/MobileNetV2 on this machine, several
times Paddle's creation. ``Config.switch_onednn_graph(False)`` keeps the cheaper lowering.
"""

from __future__ import annotations

import threading
import warnings

import torch

__all__ = ["available", "compile_signature"]

_FUSION_GROUP = "prim::oneDNNFusionGroup"
_SWITCH = threading.Lock()  # the fuser flag is process-wide: one compile at a time


def available() -> bool:
    """This torch build has the oneDNN Graph TorchScript fuser."""
    return bool(
        torch.backends.mkldnn.is_available()
        and hasattr(torch.jit, "enable_onednn_fusion")
        and hasattr(torch._C, "_jit_llga_enabled")
        and hasattr(torch.jit, "last_executed_optimized_graph")
    )


def compile_signature(frozen, xs: list, want: list, close) -> tuple[object, list, str | None]:
    """Warm ``frozen`` (a frozen traced module) up on ``xs`` with the fuser on; returns
    ``(frozen, outputs on xs, None)`` when the optimized run fused something and equals ``want``
    by ``close``, else ``(None, None, why)``."""
    runs = 1 + (
        torch._C._jit_get_num_profiled_runs()
        if hasattr(torch._C, "_jit_get_num_profiled_runs")
        else 1
    )
    with _SWITCH:
        before = torch._C._jit_llga_enabled()
        torch.jit.enable_onednn_fusion(True)
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                for _ in range(runs):
                    got = frozen(*xs)
                graph = str(torch.jit.last_executed_optimized_graph())
        except Exception as e:  # noqa: BLE001 - torch's fuser raises anything; next path runs
            return None, None, f"oneDNN Graph failed ({type(e).__name__}: {str(e)[:160]})"
        finally:
            torch.jit.enable_onednn_fusion(before)
    if _FUSION_GROUP not in graph:
        return None, None, "oneDNN Graph fused nothing in this program"
    got = list(got)
    if not close(want, got):
        return None, None, "the oneDNN Graph compiled program differs from the interpreter"
    return frozen, got, None
