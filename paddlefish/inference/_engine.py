"""The predictor's engine: the optimized program, its weights, the interpreter and the per-shape
compiled graphs. Shared by a predictor and its clones (weights are read-only here).

NOTE [inference paths]: four ways to run, tried in this order, each falling back to the next:
(0) for programs the lowering takes (convolutions), per input signature, the traced program
compiled by oneDNN Graph (``_graph``, NOTE [inference onednn graph]: 1.1-1.8x faster than (1),
several seconds to build); (1) the oneDNN lowering (``_lower.Lowered``, NOTE [inference lowering]) when the program has
convolutions it can fuse and oneDNN is on and present: fused conv + residual add + activation
with prepacked channels-last weights, no C++ compiler, no tracing; (2) the TorchScript compile
below, per input signature; (3) the interpreter. Chosen by measurement (bench/bench_predictor.py
and the report of issue 11): on ResNet-18 batch 1 (1 thread) the lowering is ~18% faster than (2)
and level with ``torch.compile``/inductor (freezing, C++ wrapper, channels-last), which takes
10-45 s to compile per shape (12 s with a warm on-disk cache) against the lowering's 0.1 s; on
MobileNetV2 all three are within noise. (2) stays the path for programs without fusable convs
(MLPs, op chains, RNNs), where it removes the interpreter's per-op Python cost.

NOTE [inference verify]: whatever runs compiled is first compared with the interpreter (rtol
1e-4); on a difference the engine falls back and warns once. The TorchScript graphs are
specialized to the shapes they were traced with, so every signature is verified. The lowering
is not shape-specialized (the same steps and kernels run for every shape; a fused conv checks
its shape conditions on every call and runs the plain ops otherwise; only the weight packing is
per input shape), so it is verified once per engine, on the first input; when every feed's batch
dimension is declared dynamic (-1) the check runs on the first sample of that input (batch 1),
which keeps the verification cost of a batch-16 predictor's creation at a batch-1 run.

NOTE [inference compile]: for each input signature (shapes and dtypes of the feeds) the program
is traced once through the interpreter with ``torch.jit.trace``, frozen (weights become
constants) and, with oneDNN on, handed to ``torch.jit.optimize_for_inference`` (conv/bn/add/relu
fusion, prepacked oneDNN weights). It needs no C++ compiler. A trace is
only trusted when it is exact: programs with sub-blocks (cond/while), and traces during which a
kernel turned a tensor into a Python value (a TracerWarning: the value could steer the result),
run on the interpreter instead; and the first run of every compiled graph is compared with the
interpreter (rtol 1e-4) — on any difference the signature falls back to the interpreter and a
warning says so once. Never a wrong answer, at worst the interpreter's speed.
"""

from __future__ import annotations

import collections
import threading
import warnings

import numpy as np
import torch

from .. import ir
from ..eager._dtype import numpy_to_torch
from ..static.interpreter import CompiledBlock, feed_targets, fetch_sources
from . import _graph, _lower
from ._config import Config
from ._passes import fold_batch_norm, fold_conv_bias, fuse_fc

__all__ = ["Engine"]

_MAX_SIGNATURES = 16
_FALLBACK = object()
_CONTROL_FLOW = {"conditional_block", "while", "select_input", "select_output"}
RTOL, ATOL = 1e-4, 1e-5


class _Traceable(torch.nn.Module):
    """The program as a module whose weights are buffers (so ``freeze`` folds them)."""

    def __init__(self, compiled: CompiledBlock, params: dict, feeds: list, fetches: list):
        super().__init__()
        self._compiled, self._feeds, self._fetches = compiled, feeds, fetches
        self._names = []
        for i, (name, t) in enumerate(params.items()):
            self.register_buffer(f"p{i}", t)
            self._names.append((name, f"p{i}"))

    def forward(self, *xs):
        scope = {name: getattr(self, attr) for name, attr in self._names}
        scope.update(zip(self._feeds, xs))
        self._compiled.run(scope)
        out = tuple(scope[n] for n in self._fetches)
        self.last = out  # the interpreter's answer while tracing (NOTE [inference verify])
        return out


def _has_control_flow(program: ir.Program) -> bool:
    return len(program.blocks) > 1 or any(
        op.type in _CONTROL_FLOW for op in program.global_block().ops
    )


class Engine:
    def __init__(self, program: ir.Program, arrays: dict, config: Config):
        self.folds = 0
        if config.ir_optim():
            self.folds = fold_conv_bias(program, arrays) + fold_batch_norm(program, arrays)
            self.folds += fuse_fc(program, arrays)
        self.program = program
        block = program.global_block()
        self.feeds = feed_targets(block)
        self.fetches = fetch_sources(block)
        if not self.fetches:
            raise ValueError(
                "inference: the program has no fetch ops, so it has no outputs; "
                "save it with jit.save or save_inference_model(fetch_vars=...)"
            )
        self.specs = {n: block.find_var(n) for n in self.feeds}
        self.params = {}
        for name, arr in arrays.items():
            var = block.find_var(name)
            if not (isinstance(arr, np.ndarray) and arr.flags.writeable and arr.flags.c_contiguous):
                arr = np.array(arr)  # the engine owns ``arrays`` (create_predictor's own copy)
            self.params[name] = numpy_to_torch(arr, var.dtype if var else None)
        self.interp = CompiledBlock(block, keep=set(self.fetches), attr_override={"is_test": True})
        self.threads = config.cpu_math_library_num_threads()
        self.mkldnn = config.mkldnn_enabled()
        self.compile = config.ir_optim() and config._compile and not _has_control_flow(program)
        self._cache: collections.OrderedDict = collections.OrderedDict()
        self._lock = threading.Lock()
        self.notes: list[str] = []
        # (1) of NOTE [inference paths]: None = not used; _lowered_ok None = not verified yet
        self.lowered = None
        self._lowered_ok = None
        if self.compile and self.mkldnn and _lower.available():
            lowered = _lower.Lowered(block, self.params, self.feeds, self.fetches)
            if lowered.fused:
                self.lowered = lowered
        # (0): per-signature oneDNN Graph modules; False once it failed for this program
        self.graph = self.lowered is not None and config._onednn_graph and _graph.available()
        self._graph_cache: collections.OrderedDict = collections.OrderedDict()

    @property
    def path(self) -> str:
        """Which way the engine runs now: 'onednn-lowered', 'torchscript' or 'interpreter'."""
        if not self.compile:
            return "interpreter"
        if self.graph:
            return "onednn-graph"
        if self.lowered is not None and self._lowered_ok is not False:
            return "onednn-lowered"
        return "torchscript"

    # ---- running -----------------------------------------------------------------------------
    def interpret(self, xs: list[torch.Tensor]) -> list[torch.Tensor]:
        scope = dict(self.params)
        scope.update(zip(self.feeds, xs))
        self.interp.run(scope)
        return [scope[n] for n in self.fetches]

    def run(self, xs: list[torch.Tensor]) -> list[torch.Tensor]:
        if torch.get_num_threads() != self.threads:
            torch.set_num_threads(self.threads)
        if self.compile and self.graph:
            # no_grad, not inference_mode: oneDNN Graph's partitions ran slower on inference
            # tensors at batch 16 (MobileNetV2, one-off measurement: 211 vs 130-156 ms)
            with torch.no_grad():
                out = self._run_graph(xs)
            if out is not None:
                return out
        with torch.inference_mode():
            if not self.compile:
                return self.interpret(xs)
            if self.lowered is not None and self._lowered_ok is not False:
                if self._lowered_ok is None:
                    with self._lock:
                        if self._lowered_ok is None:
                            self._lowered_ok, first = self._verify_lowered(xs)
                            if first is not None:  # verified on these very inputs
                                return first
                if self._lowered_ok:
                    try:
                        return self.lowered.run(xs)
                    except Exception as e:  # noqa: BLE001 - the interpreter answers (or raises)
                        out = self.interpret(xs)
                        self._note(
                            f"inference: the oneDNN-lowered program failed on inputs "
                            f"{[tuple(x.shape) for x in xs]} ({type(e).__name__}: "
                            f"{str(e)[:200]}); these inputs ran on the interpreter"
                        )
                        return out
            sig = tuple((tuple(x.shape), x.dtype) for x in xs)
            with self._lock:
                fn = self._cache.get(sig)
                if fn is None:
                    fn = self._build(sig, xs)
                    self._cache[sig] = fn
                    while len(self._cache) > _MAX_SIGNATURES:
                        self._cache.popitem(last=False)
                else:
                    self._cache.move_to_end(sig)
            if fn is _FALLBACK:
                return self.interpret(xs)
            return list(fn(*xs))

    def _run_graph(self, xs):
        """Path (0): the signature's oneDNN Graph module (built on first use); None when the
        program cannot use it (then ``self.graph`` is False and the next path runs)."""
        sig = tuple((tuple(x.shape), x.dtype) for x in xs)
        with self._lock:
            fn = self._graph_cache.get(sig)
            if fn is None:
                fn, first = self._build_graph(xs)
                if fn is None:
                    return None
                self._graph_cache[sig] = fn
                while len(self._graph_cache) > _MAX_SIGNATURES:
                    self._graph_cache.popitem(last=False)
                return first
            self._graph_cache.move_to_end(sig)
        try:
            return list(fn(*xs))
        except Exception as e:  # noqa: BLE001 - the next path answers (or raises)
            self.graph = False
            self._note(
                f"inference: the oneDNN Graph program failed on inputs "
                f"{[tuple(x.shape) for x in xs]} ({type(e).__name__}: {str(e)[:200]}); "
                "using the oneDNN lowering"
            )
            return None

    def _build_graph(self, xs):
        with torch.inference_mode(False), torch.no_grad():
            try:
                frozen, want = self._traced([x.clone() for x in xs])
            except Exception as e:  # noqa: BLE001 - untraceable or a tracer failure
                self.graph = False
                self._note(
                    f"inference: oneDNN Graph not used ({type(e).__name__}: {str(e)[:200]}); "
                    "using the oneDNN lowering"
                )
                return None, None
        fn, first, why = _graph.compile_signature(frozen, xs, want, _close)
        if fn is None:
            self.graph = False
            self._note(f"inference: {why}; using the oneDNN lowering")
        return fn, first

    # ---- compiling ---------------------------------------------------------------------------
    def _verify_lowered(self, xs):
        """NOTE [inference verify]: the lowering against the interpreter, once per engine;
        returns (verdict, the lowered outputs when the check ran on ``xs`` itself, else None)."""
        probes = [xs]
        batch = {int(x.shape[0]) if x.dim() else 0 for x in xs}
        dynamic = all(
            self.specs[n] is not None and self.specs[n].shape and self.specs[n].shape[0] == -1
            for n in self.feeds
        )
        if dynamic and len(batch) == 1 and batch.pop() > 1:
            probes.insert(0, [x[:1] for x in xs])
        for i, probe in enumerate(probes):
            try:
                want = self.interpret(probe)
            except Exception:
                if i + 1 < len(probes):
                    continue
                raise  # the interpreter fails on the real input: that is run()'s error
            try:
                got = self.lowered.run(probe)
            except Exception as e:  # noqa: BLE001 - any failure: the next path instead
                self._note(
                    f"inference: the oneDNN lowering failed ({type(e).__name__}: "
                    f"{str(e)[:200]}); compiling with TorchScript instead"
                )
                return False, None
            if not _close(want, got):
                self._note(
                    "inference: the oneDNN-lowered program differs from the interpreter; "
                    "compiling with TorchScript instead"
                )
                return False, None
            return True, (got if probe is xs else None)
        return True, None

    def _build(self, sig, xs):
        with torch.inference_mode(False), torch.no_grad():
            xs_plain = [x.clone() for x in xs]
            try:
                fn = self._trace(xs_plain)
            except _Untraceable as e:
                self.compile = False  # program-wide: the same op would stop every signature
                self._note(f"inference: running on the interpreter, not compiled ({e})")
                return _FALLBACK
            except Exception as e:  # noqa: BLE001 - any compiler failure: interpreter instead
                self._note(
                    f"inference: compiling for inputs {sig} failed ({type(e).__name__}: "
                    f"{str(e)[:200]}); this signature runs on the interpreter"
                )
                return _FALLBACK
            want = self.interpret(xs_plain)
            got = list(fn(*xs_plain))
        if not _close(want, got):
            self._note(
                f"inference: the compiled graph for inputs {sig} differs from the "
                "interpreter; this signature runs on the interpreter"
            )
            return _FALLBACK
        return fn

    def _trace(self, xs):
        frozen, _ = self._traced(xs)
        if self.mkldnn and torch.backends.mkldnn.is_available():
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", DeprecationWarning)
                frozen = torch.jit.optimize_for_inference(frozen)
        return frozen

    def _traced(self, xs):
        """The program traced on ``xs`` and frozen, and the interpreter's outputs on ``xs``."""
        module = _Traceable(self.interp, self.params, self.feeds, self.fetches).eval()
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always", torch.jit.TracerWarning)
            traced = torch.jit.trace(module, tuple(xs), check_trace=False)
        bad = [w for w in caught if issubclass(w.category, torch.jit.TracerWarning)]
        if bad:
            raise _Untraceable(
                f"a kernel reads tensor values while tracing: "
                f"{str(bad[0].message).splitlines()[0][:160]}"
            )
        with warnings.catch_warnings():  # torch 2.x marks TorchScript deprecated; still works
            warnings.simplefilter("ignore", DeprecationWarning)
            frozen = torch.jit.freeze(traced)
        return frozen, list(module.last)

    def _note(self, msg: str) -> None:
        if msg not in self.notes:
            self.notes.append(msg)
            warnings.warn(msg, RuntimeWarning, stacklevel=4)


class _Untraceable(Exception):
    pass


def _close(want, got) -> bool:
    if len(want) != len(got):
        return False
    for a, b in zip(want, got):
        if a.shape != b.shape or a.dtype != b.dtype:
            return False
        if a.is_floating_point():
            if not torch.allclose(
                a,
                b,
                rtol=RTOL,
                atol=ATOL * max(1.0, float(a.abs().max()) if a.numel() else 1.0),
                equal_nan=True,
            ):
                return False
        elif not torch.equal(a, b):
            return False
    return True
