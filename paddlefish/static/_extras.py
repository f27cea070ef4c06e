"""``paddle.static.Print``, ``py_func``, and the executor-tuning classes ``BuildStrategy`` /
``ExecutionStrategy`` (accepted, no effect: they tune Paddle's graph executor, which paddlefish
does not have; ``CompiledProgram`` runs as its program).

NOTE [py_func]: Paddle's ``py_func`` op holds the index of a Python callable registered in the
process (``forward_callable_id``); so does ours (``_CALLABLES``). A program holding one runs only in
the process that built it, as in Paddle. The function gets the inputs as numpy-convertible
tensors and returns arrays (or Tensors), cast to the ``out`` variables' dtypes. With a
``backward_func`` (``backward_callable_id``) the op is differentiable: where Paddle's backward
appends a ``py_func`` grad op calling ``backward_func(*x, *out, *out_grads)`` (minus the
``skip_vars_in_backward_input`` variables, named in ``backward_skip_vars``; an output the
targets do not depend on gets a zero gradient, as Paddle's fill-zeros) and takes its results (one per ``x``, None for no
gradient) as the gradients of ``x``, our kernel runs as a ``torch.autograd.Function`` whose
``backward`` makes that same call, so ``minimize`` / ``append_backward`` / ``gradients`` train
through it. Without a ``backward_func`` the outputs are constants: nothing upstream of a
``py_func`` gets a gradient through it (in Paddle too: no grad op).
"""

from __future__ import annotations

import numpy as np
import torch

from ..eager._dtype import numpy_to_torch, to_torch_dtype
from ..eager.tensor import Tensor, wrap
from ..ops._registry import AttrType, op
from ..tensor._run import run
from ._program import default_main_program
from .variable import Variable

__all__ = ["BuildStrategy", "ExecutionStrategy", "Print", "py_func"]

_PHASES = ("forward", "backward", "both")


def Print(input, first_n=-1, message=None, summarize=20, print_tensor_name=True,  # noqa: N802
          print_tensor_type=True, print_tensor_shape=True, print_tensor_lod=True,
          print_phase="both"):
    """Append Paddle's ``print`` op: each run prints ``input`` (name, shape, dtype, the first
    ``summarize`` values; only the first ``first_n`` runs unless -1) to stdout as Paddle does,
    and the op's output is ``input``'s value.

    >>> import numpy as np, paddlefish as paddle
    >>> paddle.enable_static()
    >>> main = paddle.static.Program()
    >>> with paddle.static.program_guard(main, paddle.static.Program()):
    ...     x = paddle.static.data('x', [None, 2], 'float32')
    ...     y = paddle.static.Print(x, message='in', print_tensor_lod=False)
    >>> out = paddle.static.Executor().run(main, feed={'x': np.ones((1, 2), 'float32')},
    ...                                    fetch_list=[y])
    Variable: x
      - message: in
      - place: Place(cpu)
      - shape: [1, 2]
      - layout: NCHW
      - dtype: float32
      - data: [1 1]
    >>> paddle.disable_static()
    """
    if str(print_phase).lower() not in _PHASES:
        raise ValueError(f"Print: print_phase must be one of {list(_PHASES)}, got "
                         f"{print_phase!r}")
    return run("print", input, first_n=int(first_n), message=message or "",
               summarize=int(summarize), print_tensor_name=bool(print_tensor_name),
               print_tensor_type=bool(print_tensor_type),
               print_tensor_shape=bool(print_tensor_shape), print_tensor_layout=True,
               print_tensor_lod=bool(print_tensor_lod), print_phase=str(print_phase).upper(),
               is_forward=True)


# ---- py_func ---------------------------------------------------------------------------------
_CALLABLES: list = []  # NOTE [py_func]: (function, out dtype names, out shapes)
_SKIPS: dict[int, tuple[set, set]] = {}  # forward id -> skipped (x positions, out positions)


def _register(fn, dtypes=(), shapes=()) -> int:
    if fn is None:
        return -1
    if not callable(fn):
        raise TypeError(f"py_func: expected a callable, got {type(fn).__name__}")
    _CALLABLES.append((fn, list(dtypes), [list(s) for s in shapes]))
    return len(_CALLABLES) - 1


def _to_torch(r) -> torch.Tensor:
    return r._t.detach() if isinstance(r, Tensor) else numpy_to_torch(np.asarray(r))


def _call_forward(fid: int, xs) -> list[torch.Tensor]:
    fn, dtypes, _ = _CALLABLES[fid]
    with torch.no_grad():
        res = fn(*[wrap(t.detach()) for t in xs])
    res = list(res) if isinstance(res, (list, tuple)) else [res]
    if len(res) != len(dtypes):
        raise ValueError(f"py_func: the function returned {len(res)} values for "
                         f"{len(dtypes)} out variables")
    return [_to_torch(r).to(to_torch_dtype(dt)) for r, dt in zip(res, dtypes)]


class _PyFuncGrad(torch.autograd.Function):
    """A ``py_func`` with a ``backward_func`` (NOTE [py_func])."""

    @staticmethod
    def forward(ctx, fid, bid, *xs):
        outs = _call_forward(fid, xs)
        ctx.fid, ctx.bid, ctx.n_x = fid, bid, len(xs)
        ctx.save_for_backward(*xs, *outs)
        for o in outs:
            if not o.is_floating_point():
                ctx.mark_non_differentiable(o)
        return tuple(outs)

    @staticmethod
    def backward(ctx, *out_grads):
        saved = ctx.saved_tensors
        xs, outs = saved[: ctx.n_x], saved[ctx.n_x:]
        skip_x, skip_out = _SKIPS.get(ctx.fid, (set(), set()))
        args = ([x for i, x in enumerate(xs) if i not in skip_x]
                + [o for i, o in enumerate(outs) if i not in skip_out] + list(out_grads))
        fn = _CALLABLES[ctx.bid][0]
        with torch.no_grad():
            res = fn(*[None if a is None else wrap(a.detach()) for a in args])
        res = list(res) if isinstance(res, (list, tuple)) else [res]
        if len(res) != len(xs):
            raise ValueError(f"py_func: backward_func returned {len(res)} values; it must "
                             f"return one gradient (or None) per input x, {len(xs)}")
        grads = []
        for i, (r, x) in enumerate(zip(res, xs)):
            g = None if r is None else _to_torch(r).to(x.dtype)
            if g is not None and g.shape != x.shape:
                raise ValueError(f"py_func: backward_func's gradient {i} has shape "
                                 f"{list(g.shape)}; input x[{i}] has shape {list(x.shape)}")
            grads.append(g)
        return (None, None, *grads)


@op("py_func", pir=None, duplicable=("X", "Out"),
    attr_types={"backward_skip_vars": AttrType.STRINGS})
def _py_func_kernel(X, *, forward_callable_id=-1, backward_callable_id=-1,
                    backward_skip_vars=()):
    """Call the registered forward function (NOTE [py_func]) on ``X``; outputs as ``Out``."""
    _, dtypes, shapes = _CALLABLES[forward_callable_id]
    if any(t.is_meta for t in X):  # recording: the declared outputs
        return [torch.empty([1 if d < 0 else d for d in s], dtype=to_torch_dtype(dt),
                            device="meta") for s, dt in zip(shapes, dtypes)]
    if (backward_callable_id >= 0 and torch.is_grad_enabled()
            and any(t.requires_grad for t in X)):
        return list(_PyFuncGrad.apply(forward_callable_id, backward_callable_id, *X))
    return _call_forward(forward_callable_id, X)


def py_func(func, x, out, backward_func=None, skip_vars_in_backward_input=None):
    """Append an op calling ``func(*x)`` (numpy-convertible tensors in, arrays out) each run,
    writing the ``out`` variables (from ``program.current_block().create_var(name=, dtype=,
    shape=)``); returns ``out`` (NOTE [py_func]).

    >>> import numpy as np, paddlefish as paddle
    >>> paddle.enable_static()
    >>> main = paddle.static.Program()
    >>> with paddle.static.program_guard(main, paddle.static.Program()):
    ...     x = paddle.static.data('x', [None, 2], 'float32')
    ...     o = main.current_block().create_var(name='o', dtype='float32', shape=[-1, 2])
    ...     _ = paddle.static.py_func(lambda a: np.array(a) * 10, x, o)
    ...     z = o + 1.0
    >>> paddle.static.Executor().run(main, feed={'x': np.ones((1, 2), 'float32')},
    ...                              fetch_list=[z, 'o'])[0].tolist()
    [[11.0, 11.0]]

    With a ``backward_func`` (here given ``x`` and the output's gradient: ``o`` is skipped)
    gradients flow through the op:

    >>> main = paddle.static.Program()
    >>> with paddle.static.program_guard(main, paddle.static.Program()):
    ...     x = paddle.static.data('x', [None, 2], 'float32')
    ...     x.stop_gradient = False
    ...     o = main.current_block().create_var(name='o', dtype='float32', shape=[-1, 2])
    ...     _ = paddle.static.py_func(lambda a: np.array(a) ** 2, x, o,
    ...                               backward_func=lambda a, do: 2 * np.array(a) * np.array(do),
    ...                               skip_vars_in_backward_input=[o])
    ...     dx = paddle.static.gradients([paddle.sum(o * 3.0)], [x])
    >>> paddle.static.Executor().run(main, feed={'x': np.array([[1, -2]], 'float32')},
    ...                              fetch_list=dx)[0].tolist()
    [[6.0, -12.0]]
    >>> paddle.disable_static()
    """
    xs = [] if x is None else (list(x) if isinstance(x, (list, tuple)) else [x])
    single = not isinstance(out, (list, tuple))
    outs = [] if out is None else ([out] if single else list(out))
    program = default_main_program()
    block = program.global_block()
    descs = []
    for o in outs:
        name = getattr(o, "name", o)
        d = block.find_var(name) if isinstance(name, str) else None
        if d is None or d.shape is None or d.dtype is None:
            raise ValueError(f"py_func: out variable {name!r} must be declared with a dtype and "
                             "shape (program.current_block().create_var(name=..., dtype=..., "
                             "shape=...))")
        descs.append(d)
    fid = _register(func, [d.dtype.name for d in descs], [d.shape for d in descs])
    bid = _register(backward_func)
    skip = _skip_names(skip_vars_in_backward_input, xs, descs) if bid >= 0 else []
    if not descs:
        return None
    x_names = [getattr(v, "name", None) for v in xs]
    _SKIPS[fid] = ({i for i, n in enumerate(x_names) if n in skip},
                   {i for i, d in enumerate(descs) if d.name in skip})
    res = run("py_func", xs, forward_callable_id=fid, backward_callable_id=bid,
              backward_skip_vars=sorted(skip))
    res = list(res) if isinstance(res, (list, tuple)) else [res]
    rec = program._recorder()
    targets = []
    for r, o, d in zip(res, outs, descs):
        target = o if isinstance(o, Variable) else rec.input_variable(d.name, list(d.shape),
                                                                         d.dtype)
        rec.assign_to(r, target)
        targets.append(target)
    return targets[0] if single else targets


def _skip_names(skip, xs, descs) -> list[str]:
    """The names of ``skip_vars_in_backward_input``; each must be one of ``x`` or ``out``."""
    if skip is None:
        return []
    skip = list(skip) if isinstance(skip, (list, tuple)) else [skip]
    known = [getattr(v, "name", None) for v in xs] + [d.name for d in descs]
    names = []
    for v in skip:
        name = getattr(v, "name", v)
        if name not in known:
            raise ValueError(f"py_func: skip_vars_in_backward_input names {name!r}, which is "
                             f"not among the forward inputs and outputs {known}")
        names.append(name)
    return names


# ---- strategies ------------------------------------------------------------------------------
class _Settings:
    """Attribute bag with Paddle's defaults; unknown attribute names are refused."""

    _DEFAULTS: dict = {}

    def __init__(self):
        for k, v in self._DEFAULTS.items():
            object.__setattr__(self, k, v)

    def __setattr__(self, name, value):
        if name not in self._DEFAULTS:
            raise AttributeError(f"{type(self).__name__} has no option {name!r}; known: "
                                 f"{sorted(self._DEFAULTS)}")
        object.__setattr__(self, name, value)

    def __repr__(self):
        return f"{type(self).__name__}({', '.join(f'{k}={getattr(self, k)!r}' for k in self._DEFAULTS)})"


class BuildStrategy(_Settings):
    """``paddle.static.BuildStrategy``: Paddle's graph-pass switches. Accepted and kept; no
    effect (paddlefish runs the program as written).

    >>> import paddlefish as paddle
    >>> bs = paddle.static.BuildStrategy(); bs.fuse_elewise_add_act_ops = True
    >>> bs.fuse_elewise_add_act_ops
    True
    """

    class ReduceStrategy:
        AllReduce, Reduce, _NoReduce = 0, 1, 2

    class GradientScaleStrategy:
        CoeffNumDevice, One, Customized = 0, 1, 2

    _DEFAULTS = {
        "reduce_strategy": 0, "gradient_scale_strategy": 0, "debug_graphviz_path": "",
        "enable_sequential_execution": False, "fuse_elewise_add_act_ops": False,
        "fuse_bn_act_ops": False, "fuse_bn_add_act_ops": True, "enable_auto_fusion": False,
        "fuse_relu_depthwise_conv": False, "fuse_broadcast_ops": False,
        "fuse_all_optimizer_ops": False, "fuse_all_reduce_ops": False,
        "fuse_gemm_epilogue": False, "fuse_adamw": False, "fused_attention": False,
        "fused_feedforward": False, "fuse_dot_product_attention": False,
        "fuse_resunit": False, "sync_batch_norm": False, "memory_optimize": None,
        "enable_inplace": None, "enable_addto": False, "enable_backward_optimizer_op_deps": True,
        "cache_runtime_context": False, "num_trainers": 1, "trainer_id": 0,
        "sequential_run": False, "remove_unnecessary_lock": True, "mkldnn_enabled_op_types": [],
        "allow_cuda_graph_capture": False, "build_cinn_pass": False,
    }


class ExecutionStrategy(_Settings):
    """``paddle.static.ExecutionStrategy``: Paddle's executor thread/scope knobs. Accepted and
    kept; no effect.

    >>> import paddlefish as paddle
    >>> es = paddle.static.ExecutionStrategy(); es.num_threads = 4
    >>> es.num_threads
    4
    """

    _DEFAULTS = {"num_threads": 0, "use_thread_barrier": False,
                 "num_iteration_per_drop_scope": 100, "num_iteration_per_run": 1}
