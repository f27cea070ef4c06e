"""``paddle.inference.Config`` and the small enums of Paddle Inference's Python API.

NOTE [inference switches]: every tuning switch Paddle users call is accepted. Those with a
meaning on a torch CPU build act: ``set_cpu_math_library_num_threads`` sets torch's intra-op
threads while the predictor runs; ``switch_ir_optim(False)`` turns off the program rewrites
(batch_norm folding, activation fusion) and the compiler; ``enable_mkldnn``/``disable_mkldnn``
choose whether the compiled graph is lowered to oneDNN (``torch.jit.optimize_for_inference``)
or only frozen. The rest are recorded and ignored because there is nothing for them to change
here: ``enable_memory_optim`` (the interpreter already frees every value after its last use),
``disable_glog_info`` (paddlefish does not log), ``switch_use_feed_fetch_ops``,
``switch_specify_input_names``, ``set_mkldnn_cache_capacity``. ``enable_use_gpu`` on this
CPU-only build warns and stays on CPU, as Paddle's CPU build does. paddlefish's own switches:
``switch_compile``, ``switch_onednn_graph`` (NOTE [inference onednn graph]) and
``keep_freed_memory`` (NOTE [inference memory]).
"""

from __future__ import annotations

import enum
import os
import warnings

import torch

__all__ = ["Config", "DataType", "PlaceType", "PrecisionType", "get_version"]

VERSION = "0.1.0"


class DataType(enum.IntEnum):
    """Element types of predictor tensors (``paddle.inference.DataType``)."""

    FLOAT32 = 0
    INT64 = 1
    INT32 = 2
    UINT8 = 3
    INT8 = 4
    FLOAT16 = 5
    BOOL = 6
    FLOAT64 = 7
    BFLOAT16 = 8


class PlaceType(enum.IntEnum):
    """Where a predictor tensor lives (``paddle.inference.PlaceType``)."""

    UNK = -1
    CPU = 0
    GPU = 1
    XPU = 2
    CUSTOM = 3


class PrecisionType(enum.IntEnum):
    """Inference precision (``paddle.inference.PrecisionType``); paddlefish runs Float32."""

    Float32 = 0
    Int8 = 1
    Half = 2
    Bfloat16 = 3


def get_version() -> str:
    """A version banner like Paddle's ``paddle.inference.get_version()``.

    >>> from paddlefish.inference import get_version
    >>> get_version().startswith("version: ")
    True
    """
    return f"version: paddlefish {VERSION}\ntorch: {torch.__version__}\nWITH_GPU: OFF"


class Config:
    """Where the model is and how to run it (``paddle.inference.Config``).

    ``Config(model_dir)`` (a 1.x directory, or a ``jit.save`` prefix ``dir/model`` whose
    ``.pdmodel`` / ``.json`` exists), ``Config(prog_file, params_file)`` (``.pdmodel`` or PIR
    ``.json`` plus ``.pdiparams``), or ``Config()`` then ``set_model``. See NOTE [inference
    switches] for what each switch does.

    >>> from paddlefish.inference import Config
    >>> c = Config("m.pdmodel", "m.pdiparams"); c.disable_gpu(); c.enable_mkldnn()
    >>> c.prog_file(), c.use_gpu(), c.mkldnn_enabled()
    ('m.pdmodel', False, True)
    """

    def __init__(self, model_dir_or_prog=None, params_file=None):
        self._model_dir: str | None = None
        self._prog_file: str | None = None
        self._params_file: str | None = None
        self._threads = 1
        self._mkldnn = True
        self._ir_optim = True
        self._memory_optim = False
        self._glog = True
        self._use_gpu = False
        self._compile = True
        self._onednn_graph = True
        self._keep_memory = True
        if model_dir_or_prog is not None:
            if params_file is None:
                self.set_model(model_dir_or_prog)
            else:
                self.set_model(model_dir_or_prog, params_file)

    # ---- model location ----------------------------------------------------------------------
    def set_model(self, model_dir_or_prog, params_file=None) -> None:
        if params_file is None:
            self._model_dir = os.fspath(model_dir_or_prog)
            self._prog_file = self._params_file = None
        else:
            self._model_dir = None
            self._prog_file = os.fspath(model_dir_or_prog)
            self._params_file = os.fspath(params_file)

    def set_model_dir(self, model_dir) -> None:
        self.set_model(model_dir)

    def set_prog_file(self, prog_file) -> None:
        self._model_dir, self._prog_file = None, os.fspath(prog_file)

    def set_params_file(self, params_file) -> None:
        self._params_file = os.fspath(params_file)

    def model_dir(self) -> str:
        return self._model_dir or ""

    def prog_file(self) -> str:
        return self._prog_file or ""

    def params_file(self) -> str:
        return self._params_file or ""

    # ---- devices -----------------------------------------------------------------------------
    def disable_gpu(self) -> None:
        self._use_gpu = False

    def enable_use_gpu(self, memory_pool_init_size_mb=100, device_id=0, precision=None) -> None:
        warnings.warn(
            "Config.enable_use_gpu: this paddlefish build runs on CPU only (torch has no CUDA "
            "here); the predictor will run on CPU. Call config.disable_gpu() to silence this.",
            RuntimeWarning,
            stacklevel=2,
        )
        self._use_gpu = False

    def use_gpu(self) -> bool:
        return self._use_gpu

    def gpu_device_id(self) -> int:
        return 0

    def enable_xpu(self, *args, **kwargs) -> None:
        raise NotImplementedError(
            "Config.enable_xpu: paddlefish runs on CPU only; use "
            "config.disable_gpu() (the CPU predictor)"
        )

    # ---- CPU tuning --------------------------------------------------------------------------
    def set_cpu_math_library_num_threads(self, n: int) -> None:
        n = int(n)
        if n < 1:
            raise ValueError(f"set_cpu_math_library_num_threads: need at least 1 thread, got {n}")
        self._threads = n

    def cpu_math_library_num_threads(self) -> int:
        return self._threads

    def enable_mkldnn(self) -> None:
        self._mkldnn = True

    def disable_mkldnn(self) -> None:
        self._mkldnn = False

    def mkldnn_enabled(self) -> bool:
        return self._mkldnn

    def set_mkldnn_cache_capacity(self, capacity: int = 0) -> None:
        """Accepted and ignored (see NOTE [inference switches])."""

    def switch_ir_optim(self, x: bool = True) -> None:
        self._ir_optim = bool(x)

    def ir_optim(self) -> bool:
        return self._ir_optim

    def enable_memory_optim(self, x: bool = True) -> None:
        """Accepted and ignored (see NOTE [inference switches])."""
        self._memory_optim = bool(x)

    def enable_memory_optim_enabled(self) -> bool:
        return self._memory_optim

    def disable_glog_info(self) -> None:
        """Accepted and ignored (see NOTE [inference switches])."""
        self._glog = False

    def glog_info_disabled(self) -> bool:
        return not self._glog

    def switch_use_feed_fetch_ops(self, x: bool = True) -> None:
        """Accepted and ignored (see NOTE [inference switches])."""

    def switch_specify_input_names(self, x: bool = True) -> None:
        """Accepted and ignored (see NOTE [inference switches])."""

    # ---- paddlefish ---------------------------------------------------------------------------
    def switch_compile(self, x: bool = True) -> None:
        """paddlefish only: compile the program with torch.jit (default on when ir_optim is on);
        off runs the interpreter over the optimized program."""
        self._compile = bool(x)

    def switch_onednn_graph(self, x: bool = True) -> None:
        """paddlefish only (default on): compile convolutional programs per input shape with
        oneDNN Graph, the fastest path, which costs seconds at creation; off uses the per-op
        oneDNN lowering, built in milliseconds (NOTE [inference onednn graph])."""
        self._onednn_graph = bool(x)

    def onednn_graph_enabled(self) -> bool:
        return self._onednn_graph

    def keep_freed_memory(self, x: bool = True) -> None:
        """paddlefish only (default on): keep freed activation memory in the process for the
        next run, as Paddle Inference's allocator does, instead of returning it to the OS and
        page-faulting it in again (NOTE [inference memory]; process-wide, glibc only)."""
        self._keep_memory = bool(x)

    def keep_freed_memory_enabled(self) -> bool:
        return self._keep_memory

    def summary(self) -> str:
        where = self._model_dir or f"{self._prog_file}, {self._params_file}"
        return (
            f"model: {where}\nthreads: {self._threads}\nmkldnn: {self._mkldnn}\n"
            f"ir_optim: {self._ir_optim}\ncompile: {self._compile}\n"
            f"onednn_graph: {self._onednn_graph}\nuse_gpu: False"
        )
