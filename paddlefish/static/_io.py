"""Static save/load: ``static.save``/``load``, program state, inference models, per-variable files.

Every function moves values between files (codecs in ``formats/``) and a ``Scope``; none runs
a program. Writes are atomic; a multi-file save commits all its files together.

NOTE [static.save optimizer file]: Paddle's ``.pdopt`` holds the program's persistable
non-parameter variables: the optimizer accumulators under their names (``fc_0.w_0_moment1_0``)
and the learning rate ``learning_rate_0`` (0-D float32). Our optimizer lives outside the program
(NOTE [static training] in _executor.py), so ``save`` adds its ``state_dict()`` accumulators and
the current learning rate under those names, and ``load`` hands the accumulators back to the
optimizer (``set_state_dict``: consumed when the accumulators are created at the next step).
"""

from __future__ import annotations

import io
import math
import os
import warnings
from collections.abc import Iterable

import numpy as np

from .. import formats, ir, ops
from .._core import flags, fs
from ..eager._dtype import numpy_to_torch
from ..eager.tensor import Parameter, Tensor, wrap
from ..errors import FormatError, ProgramError
from ..formats.pdparams import split_big_arrays
from ..formats.program_desc import paddle26_version_fields, program_from_bytes, program_to_bytes
from ._model_file import read_model_program
from ._program import Program, default_main_program
from ._scope import Scope, assign_value, global_scope
from .interpreter import feed_targets, fetch_sources
from .recorder import COMMON_ATTRS

__all__ = [
    "deserialize_persistables",
    "deserialize_program",
    "is_persistable",
    "load",
    "load_from_file",
    "load_inference_model",
    "load_program_state",
    "load_vars",
    "normalize_program",
    "save",
    "save_inference_model",
    "save_to_file",
    "save_vars",
    "serialize_persistables",
    "serialize_program",
    "set_program_state",
]

_LR_NAME = "learning_rate_0"
_PIR_SUFFIX = ".json"


def _pir_mode() -> bool:
    """NOTE [static PIR files]: with ``FLAGS_enable_pir_api`` on (environment or
    ``paddle.set_flags``; Paddle 3.x's default, paddlefish's is off) ``save_inference_model``
    writes the program as Paddle 3.x PIR ``PREFIX.json`` (``ir.lower_program``) beside
    ``PREFIX.pdiparams``, and ``static.save`` writes ``PREFIX.json`` in place of ``.pdmodel``, as
    Paddle 3.x static mode does. ``load_inference_model`` reads either dialect (a prefix with
    both opens the flag's); ``static.load`` reads only ``.pdparams`` / ``.pdopt``."""
    return bool(flags.get("FLAGS_enable_pir_api"))


def _pir_ready(program: ir.Program) -> ir.Program:
    """``program`` with what PIR has no form for rewritten as Paddle 3.x's program translator
    does: a 1.x ``mul`` as the ``matmul_v2`` it equals (``X``'s dims after ``x_num_col_dims``
    flattened by a ``reshape2`` first, ``Y`` of rank 2; other ``mul`` ops stay and lowering
    names them), and an ``elementwise_*``
    with a middle ``axis`` (``static.nn.conv2d``'s bias add) as a ``reshape2`` of ``Y`` then
    right-aligned broadcasting (``axis=-1``)."""
    def plain_mul(block, op):
        if op.type != "mul" or op.attrs.get("y_num_col_dims", 1) != 1:
            return False
        x, y = block.find_var(op.input("X")[0]), block.find_var(op.input("Y")[0])
        nfd = op.attrs.get("x_num_col_dims", 1)
        return (x is not None and y is not None and x.shape is not None and y.shape is not None
                and len(x.shape) >= nfd + 1 and -1 not in x.shape[nfd:] and len(y.shape) == 2)
    def mid_axis(block, op):
        if not op.type.startswith("elementwise_") or op.attrs.get("axis", -1) == -1:
            return False
        x, y = block.find_var(op.input("X")[0]), block.find_var(op.input("Y")[0])
        return x is not None and y is not None and x.shape is not None and y.shape is not None

    if not any(plain_mul(b, op) or mid_axis(b, op) for b in program.blocks for op in b.ops):
        return program
    out = program.clone()
    for block in out.blocks:
        new_ops = []
        for op in block.ops:
            if mid_axis(block, op):  # Y reshaped to broadcast from the right, axis -1
                x, y = block.find_var(op.input("X")[0]), block.find_var(op.input("Y")[0])
                axis, xr, yr = op.attrs["axis"], len(x.shape), len(y.shape)
                if yr < xr and axis + yr != xr and -1 not in y.shape:
                    shape = list(y.shape) + [1] * (xr - axis - yr)
                    view = f"{y.name}.pir_view_{len(new_ops)}"
                    block.create_var(view, dtype=y.dtype, shape=shape)
                    block.create_var(view + ".xshape", dtype=y.dtype, shape=[0, *y.shape])
                    new_ops.append(ir.OpDesc(
                        "reshape2", {"X": [y.name]}, {"Out": [view], "XShape": [view + ".xshape"]},
                        {"shape": shape}, {"shape": ir.AttrType.INTS}))
                    op.inputs["Y"] = [view]
                op.set_attr("axis", -1, ir.AttrType.INT)
            elif plain_mul(block, op):
                x = block.find_var(op.input("X")[0])
                nfd = op.attrs.get("x_num_col_dims", 1)
                if len(x.shape) > nfd + 1:  # flatten X's trailing dims first, as mul does
                    shape = [0] * nfd + [math.prod(x.shape[nfd:])]
                    view = f"{x.name}.pir_view_{len(new_ops)}"
                    block.create_var(view, dtype=x.dtype, shape=[*x.shape[:nfd], shape[-1]])
                    block.create_var(view + ".xshape", dtype=x.dtype, shape=[0, *x.shape])
                    new_ops.append(ir.OpDesc(
                        "reshape2", {"X": [x.name]}, {"Out": [view], "XShape": [view + ".xshape"]},
                        {"shape": shape}, {"shape": ir.AttrType.INTS}))
                    op.inputs["X"] = [view]
                op.type = "matmul_v2"
                for k in ("x_num_col_dims", "y_num_col_dims"):
                    op.attrs.pop(k, None)
                    op.attr_types.pop(k, None)
                op.set_attr("trans_x", False, ir.AttrType.BOOLEAN)
                op.set_attr("trans_y", False, ir.AttrType.BOOLEAN)
            new_ops.append(op)
        block.ops = new_ops
    return out


def _pir_bytes(program: ir.Program, scope: Scope | None, where: str) -> bytes:
    """``program`` lowered to PIR JSON; the ``p`` ops' flags come from the scope's tensors
    (parameters trainable unless marked otherwise)."""
    program = _pir_ready(program)
    info = {}
    for v in program.list_vars():
        if not is_persistable(v):
            continue
        t = scope._get(v.name) if scope is not None else None
        stop = bool(t.stop_gradient) if t is not None else bool(v.stop_gradient)
        entry = {"stop_gradient": stop}
        if isinstance(t, Parameter) or (t is None and v.is_parameter):
            entry["trainable"] = bool(getattr(t, "trainable", not stop))
        info[v.name] = entry
    module = ir.lower_program(program, ops.lookup, param_info=info, name=where)
    buf = io.BytesIO()
    formats.write_pir_json(module, buf)
    return buf.getvalue()


# ---- scope <-> arrays ------------------------------------------------------------------------
def _array(scope: Scope, name: str) -> np.ndarray:
    t = scope._get(name)
    if t is None:
        raise ProgramError(
            f"variable {name!r} has no value in the scope: run the startup program "
            "(exe.run(startup_program)) or load the parameters before saving"
        )
    return t._t.detach().cpu().numpy()


def _set_var(scope: Scope, var: ir.VarDesc | None, name: str, arr: np.ndarray,
             where: str) -> None:
    """Put ``arr`` into the scope as ``name``; shapes must match the program's variable."""
    arr = np.asarray(arr)
    if var is not None and var.shape is not None and -1 not in var.shape and \
            list(var.shape) != list(arr.shape):
        raise ValueError(
            f"{where}: the program's variable {name!r} has shape {list(var.shape)} but the "
            f"loaded value has shape {list(arr.shape)}; was the file saved from another model?"
        )
    dtype = var.dtype if var is not None and var.dtype is not None else None
    value = numpy_to_torch(arr, dtype) if dtype is not None else numpy_to_torch(arr)
    t = scope._get(name)
    if t is not None:
        assign_value(t, value.clone())
        return
    if var is not None and var.is_parameter:
        t = Parameter(value.clone(), name=name, trainable=not var.stop_gradient)
        t.stop_gradient = bool(var.stop_gradient)
    else:
        t = wrap(value.clone())
        t.name = name
        t.persistable = True
    scope._set(name, t)


def _names(vars_: Iterable) -> list[str]:
    out = []
    for v in vars_:
        name = v if isinstance(v, str) else getattr(v, "name", None)
        if not isinstance(name, str):
            raise TypeError(f"expected Variables or variable names, got {type(v).__name__}")
        out.append(name)
    return out


def _as_list(x) -> list:
    return list(x) if isinstance(x, (list, tuple)) else [x]


def is_persistable(var) -> bool:
    """Whether ``var`` is saved with the model (persistable and not a feed/fetch list)."""
    t = getattr(var, "type", ir.VarType.LOD_TENSOR)
    return bool(getattr(var, "persistable", False)) and t not in (
        ir.VarType.FEED_MINIBATCH, ir.VarType.FETCH_LIST, ir.VarType.READER, ir.VarType.RAW)


# ---- normalize / serialize -------------------------------------------------------------------
def _prune(block: ir.Block, feeds: list[str], fetch: list[str]) -> None:
    needed = set(fetch)
    kept = []
    for op in reversed(block.ops):
        if op.type in ("feed", "fetch"):
            continue
        if any(n in needed for n in op.output_names()):
            kept.append(op)
            needed.update(n for n in op.input_names() if n not in feeds)
    block.ops[:] = list(reversed(kept))
    used = set(feeds) | set(fetch) | {n for op in block.ops
                                      for n in op.input_names() + op.output_names()}
    block.vars = {k: v for k, v in block.vars.items() if k in used}


def _add_feed_fetch(block: ir.Block, feeds: list[str], fetch: list[str]) -> None:
    common = {k: (list(v) if isinstance(v, list) else v) for k, (v, _) in COMMON_ATTRS.items()}
    types = {k: t for k, (_, t) in COMMON_ATTRS.items()}
    types.update(col=ir.AttrType.INT, with_quant_attr=ir.AttrType.BOOLEAN)
    for i, name in reversed(list(enumerate(feeds))):
        attrs = dict(sorted(dict(common, col=i, with_quant_attr=False).items()))
        block.prepend_op("feed", {"X": ["feed"]}, {"Out": [name]}, attrs, types)
    for i, name in enumerate(fetch):
        attrs = dict(sorted(dict(common, col=i, with_quant_attr=False).items()))
        block.append_op("fetch", {"X": [name]}, {"Out": ["fetch"]}, attrs, types)
    block.vars = {"feed": ir.VarDesc("feed", type=ir.VarType.FEED_MINIBATCH, persistable=True),
                  "fetch": ir.VarDesc("fetch", type=ir.VarType.FETCH_LIST, persistable=True),
                  **block.vars}


def normalize_program(program, feed_vars, fetch_vars, **kwargs) -> Program:
    """The inference form of ``program``: pruned to what ``fetch_vars`` need (unless
    ``skip_prune_program=True``), ``is_test`` set, ``feed``/``fetch`` ops added.

    >>> import paddlefish as paddle
    >>> paddle.enable_static()
    >>> main = paddle.static.Program()
    >>> with paddle.static.program_guard(main, paddle.static.Program()):
    ...     x = paddle.static.data('x', [None, 2], 'float32')
    ...     y = paddle.nn.functional.relu(x)
    ...     z = y * 3.0
    >>> p = normalize_program(main, [x], [y])
    >>> [op.type for op in p.global_block().ops]
    ['feed', 'relu', 'fetch']
    >>> paddle.disable_static()
    """
    _check_kwargs("normalize_program", kwargs, {"skip_prune_program"})
    if not isinstance(program, ir.Program):
        raise TypeError(f"normalize_program: program must be a paddle.static.Program, got "
                        f"{type(program).__name__}")
    feeds, fetch = _names(_as_list(feed_vars)), _names(_as_list(fetch_vars))
    if not fetch:
        raise ValueError("normalize_program: fetch_vars is empty; pass the output Variables")
    out = Program.from_ir(program).clone(for_test=True)
    block = out.global_block()
    for n in feeds + fetch:
        if block.find_var(n) is None:
            raise ValueError(f"normalize_program: {n!r} is not a variable of the program")
    block.ops = [op for op in block.ops if op.type not in ("feed", "fetch")]
    block.vars = {k: v for k, v in block.vars.items() if k not in ("feed", "fetch")}
    if not kwargs.get("skip_prune_program", False):
        _prune(block, feeds, fetch)
    _add_feed_fetch(block, feeds, fetch)
    out.version, out.op_version_map = paddle26_version_fields()
    out.verify()
    return out


def _check_kwargs(fn: str, kwargs: dict, valid: set) -> None:
    unknown = sorted(set(kwargs) - valid)
    if unknown:
        raise ValueError(f"{fn}: unknown argument(s) {unknown}; valid: {sorted(valid)}")


def serialize_program(feed_vars, fetch_vars, **kwargs) -> bytes:
    """ProgramDesc bytes of the normalized ``program`` (default: the default main program)."""
    _check_kwargs("serialize_program", kwargs, {"program", "legacy_format"})
    program = kwargs.get("program") or default_main_program()
    return program_to_bytes(normalize_program(program, feed_vars, fetch_vars))


def _persistable_bytes(program: ir.Program, scope: Scope) -> bytes:
    names = formats.persistable_names(program)
    arrays = {n: _array(scope, n) for n in names}
    dtypes = {n: program.global_block().find_var(n).dtype for n in names}
    buf = io.BytesIO()
    formats.write_pdiparams(arrays, buf, {k: v for k, v in dtypes.items() if v is not None})
    return buf.getvalue()


def serialize_persistables(feed_vars, fetch_vars, executor, **kwargs) -> bytes:
    """The combined params bytes (``.pdiparams``) of the normalized program's persistables."""
    _check_kwargs("serialize_persistables", kwargs, {"program"})
    program = kwargs.get("program") or default_main_program()
    normalized = normalize_program(program, feed_vars, fetch_vars)
    return _persistable_bytes(normalized, global_scope())


def deserialize_program(data: bytes) -> Program:
    """A Program from ProgramDesc bytes (``serialize_program`` or a ``.pdmodel`` file)."""
    return Program.from_ir(program_from_bytes(bytes(data), name="deserialize_program"))


def deserialize_persistables(program, data: bytes, executor=None) -> None:
    """Load combined params bytes into the global scope for ``program``'s persistables."""
    names = formats.persistable_names(program)
    arrays = formats.read_pdiparams(io.BytesIO(bytes(data)), names,
                                    name="deserialize_persistables")
    _store(program, arrays, global_scope(), "deserialize_persistables")


def _store(program: ir.Program, arrays: dict, scope: Scope, where: str) -> None:
    block = program.global_block()
    for name, arr in arrays.items():
        _set_var(scope, block.find_var(name), name, arr, where)


def save_to_file(path: str, content: bytes) -> None:
    """Write ``content`` to ``path`` atomically."""
    if not isinstance(content, bytes):
        raise TypeError(f"save_to_file: content must be bytes, got {type(content).__name__}")
    with fs.atomic_write(os.fspath(path)) as f:
        f.write(content)


def load_from_file(path: str) -> bytes:
    with open(os.fspath(path), "rb") as f:
        return f.read()


# ---- inference models ------------------------------------------------------------------------
def _check_prefix(path_prefix) -> str:
    path_prefix = os.fspath(path_prefix)
    if not path_prefix or path_prefix.endswith(("/", os.sep)) or os.path.isdir(path_prefix):
        raise ValueError(
            f"save_inference_model: path_prefix {path_prefix!r} is a directory; it must be a "
            "file prefix such as 'dir/model' (writes dir/model.pdmodel and dir/model.pdiparams)"
        )
    return path_prefix


def save_inference_model(path_prefix, feed_vars, fetch_vars, executor, **kwargs) -> None:
    """Write ``path_prefix.pdmodel`` (the normalized program; ``path_prefix.json``, PIR, when
    ``FLAGS_enable_pir_api`` is on: NOTE [static PIR files]) and ``path_prefix.pdiparams`` (its
    persistables from the global scope), atomically together.

    >>> import os, tempfile, numpy as np, paddlefish as paddle
    >>> paddle.enable_static()
    >>> main, startup = paddle.static.Program(), paddle.static.Program()
    >>> with paddle.static.program_guard(main, startup):
    ...     x = paddle.static.data('x', [None, 4], 'float32')
    ...     y = paddle.static.nn.fc(x, 2)
    >>> exe = paddle.static.Executor()
    >>> _ = exe.run(startup)
    >>> d = tempfile.mkdtemp()
    >>> paddle.set_flags({'FLAGS_enable_pir_api': True})
    >>> save_inference_model(os.path.join(d, 'm'), [x], [y], exe, program=main)
    >>> paddle.set_flags({'FLAGS_enable_pir_api': False})
    >>> sorted(os.listdir(d))
    ['m.json', 'm.pdiparams']
    >>> prog, feeds, fetch = load_inference_model(os.path.join(d, 'm'), exe)
    >>> feeds, exe.run(prog, feed={'x': np.ones((1, 4), 'float32')}, fetch_list=fetch)[0].shape
    (['x'], (1, 2))
    >>> paddle.disable_static()
    """
    _check_kwargs("save_inference_model", kwargs,
                  {"program", "clip_extra", "legacy_format", "skip_prune_program"})
    path_prefix = _check_prefix(path_prefix)
    program = kwargs.get("program") or default_main_program()
    normalized = normalize_program(program, feed_vars, fetch_vars,
                                   skip_prune_program=kwargs.get("skip_prune_program", False))
    pir = _pir_mode()
    model_file = path_prefix + (_PIR_SUFFIX if pir else ".pdmodel")
    model = (_pir_bytes(normalized, global_scope(), model_file) if pir
             else program_to_bytes(normalized))
    params = _persistable_bytes(normalized, global_scope())
    with fs.atomic_files() as stage:
        with stage.open(model_file) as f:
            f.write(model)
        with stage.open(path_prefix + ".pdiparams") as f:
            f.write(params)


def load_inference_model(path_prefix, executor, **kwargs) -> list:
    """``[program, feed_names, fetch_targets]`` of a saved inference model; its persistables go
    to the global scope. ``path_prefix`` is a 2.x prefix (``.pdmodel``, or Paddle 3.x PIR
    ``.json``: NOTE [static PIR files]), or a 1.x directory (``__model__`` + per-variable files
    or ``__params__``); with ``model_filename`` / ``params_filename`` it is a directory holding
    those files."""
    _check_kwargs("load_inference_model", kwargs, {"model_filename", "params_filename"})
    files = formats.resolve_inference_model(path_prefix, kwargs.get("model_filename"),
                                            kwargs.get("params_filename"),
                                            prefer_pir=_pir_mode())
    raw, _ = read_model_program(files.model)
    names = formats.persistable_names(raw)
    if names and files.params is None and files.vars_dir is None:
        raise FormatError(f"{files.model}: the program has {len(names)} persistable variables "
                          f"(e.g. {names[:3]}) but no params file was found beside it")
    arrays = formats.read_inference_params(files, names)
    program = Program.from_ir(raw)
    _store(program, arrays, global_scope(), f"load_inference_model({path_prefix!r})")
    block = program.global_block()
    fetch = [block.find_var(n) for n in fetch_sources(block)]
    return [program, feed_targets(block), fetch]


# ---- static.save / static.load ---------------------------------------------------------------
def _param_names(program: ir.Program) -> list[str]:
    return [v.name for v in program.list_vars() if v.is_parameter and v.persistable]


def _opt_arrays(program: Program, scope: Scope) -> dict:
    """See NOTE [static.save optimizer file]."""
    params = set(_param_names(program))
    out = {v.name: _array(scope, v.name) for v in program.list_vars()
           if is_persistable(v) and v.name not in params and scope._get(v.name) is not None}
    train = program._train
    if train is not None:
        out[_LR_NAME] = np.asarray(train.optimizer.get_lr(), dtype=np.float32)
        for k, v in train.optimizer.state_dict().items():
            if isinstance(v, Tensor):
                out[k] = v._t.detach().cpu().numpy()
    return out


def save(program, model_path, protocol: int = 4, **configs) -> None:
    """``static.save``: ``model_path.pdparams`` (parameters), ``.pdopt`` (optimizer state,
    NOTE [static.save optimizer file]) and ``.pdmodel`` (the program: forward ops only, see
    NOTE [static training] in _executor.py; ``.json``, PIR, when ``FLAGS_enable_pir_api`` is on:
    NOTE [static PIR files]), committed together."""
    _check_kwargs("static.save", configs, {"pickle_protocol"})
    protocol = configs.get("pickle_protocol", protocol)
    if not isinstance(protocol, int) or not 2 <= protocol <= 4:
        raise ValueError(f"static.save: protocol must be 2, 3 or 4, got {protocol!r}")
    if not isinstance(program, ir.Program):
        raise TypeError(f"static.save: program must be a paddle.static.Program, got "
                        f"{type(program).__name__}")
    base = os.fspath(model_path)
    if os.path.basename(base) == "":
        raise ValueError(f"static.save: model_path {base!r} must be a file prefix such as "
                         "'dir/model', not a directory")
    program = Program.from_ir(program)
    scope = global_scope()
    params = {n: _array(scope, n) for n in _param_names(program)}
    opt = _opt_arrays(program, scope)
    if protocol in (2, 3):
        params, opt = split_big_arrays(params), split_big_arrays(opt)
    desc = program.clone()
    if desc.version is None:
        desc.version, desc.op_version_map = paddle26_version_fields()
    p_file, o_file, m_file = formats.static_save_files(base)
    if _pir_mode():
        m_file = m_file[: -len(".pdmodel")] + _PIR_SUFFIX
        model = _pir_bytes(_forward_program(desc), scope, m_file)
    else:
        model = program_to_bytes(desc)
    with fs.atomic_files() as stage:
        with stage.open(p_file) as f:
            formats.write_pdparams(params, f, protocol)
        with stage.open(o_file) as f:
            formats.write_pdparams(opt, f, protocol)
        with stage.open(m_file) as f:
            f.write(model)


def _forward_program(program: Program) -> Program:
    """``program`` without Paddle's backward / optimizer ops (a training program Paddle saved
    and we loaded; NOTE [static training] in _executor.py) and with ``feed`` ops for its data
    inputs: what PIR lowering takes."""
    out = program.clone()
    b = out.global_block()
    b.ops = [op for op in b.ops if op.attrs.get("op_role", 0) in (0, 256)]
    if not any(op.type == "feed" for op in b.ops):  # PIR defines the data inputs (pd_op.data)
        produced: set[str] = set()
        data: dict[str, None] = {}
        for op in b.ops:
            for n in op.input_names():
                var = b.find_var(n)
                if n not in produced and var is not None and not var.persistable:
                    data[n] = None
            produced.update(op.output_names())
        _add_feed_fetch(b, list(data), [])
    return out


def _load_pickle_dict(path: str) -> dict:
    d = formats.load_pdparams(path)
    if not isinstance(d, dict):
        raise FormatError(f"{path}: expected a pickled dict of name -> array, got "
                          f"{type(d).__name__}")
    d, _ = formats.pop_name_table(d)
    return {k: v for k, v in d.items() if isinstance(v, np.ndarray)}


def _give_optimizer(program: Program, state: dict) -> dict:
    """Optimizer accumulators in ``state`` go to the program's optimizer; returns the rest."""
    train = program._train
    if train is None:
        return state
    opt_keys = {k for k in state if any(k.startswith(p + "_") for p in train.param_names)}
    if opt_keys:
        train.bind(global_scope())
        train.optimizer.set_state_dict({k: state[k] for k in opt_keys})
    return {k: v for k, v in state.items() if k not in opt_keys and k != _LR_NAME}


def load(program, model_path, executor=None, var_list=None) -> None:
    """``static.load``: set ``program``'s parameters (``.pdparams``) and optimizer state
    (``.pdopt``) in the global scope; without ``.pdparams``, fall back to a directory of
    per-variable files (the variables whose files exist) or, with ``var_list``, one combined
    file (FORMATS.md 7.1)."""
    if not isinstance(program, ir.Program):
        raise TypeError(f"static.load: program must be a paddle.static.Program, got "
                        f"{type(program).__name__}")
    program = Program.from_ir(program)
    scope = global_scope()
    path = os.fspath(model_path)
    p_file, o_file, _ = formats.static_save_files(path)
    if not os.path.exists(p_file):
        _load_fallback(program, path, var_list, scope)
        return
    params = _load_pickle_dict(p_file)
    block = program.global_block()
    for name in _param_names(program):
        if name not in params:
            raise ValueError(f"static.load: parameter {name!r} of the program is not in "
                             f"{p_file!r} (it holds {sorted(params)[:6]}...)")
        _set_var(scope, block.find_var(name), name, params[name], f"static.load({p_file!r})")
    if os.path.exists(o_file):
        rest = _give_optimizer(program, _load_pickle_dict(o_file))
        for name, arr in rest.items():
            var = block.find_var(name)
            if var is not None and var.persistable:
                _set_var(scope, var, name, arr, f"static.load({o_file!r})")
    elif program._train is not None:
        warnings.warn(f"static.load: {o_file!r} does not exist; the optimizer starts from "
                      "fresh state", stacklevel=2)


def _load_fallback(program: Program, path: str, var_list, scope: Scope) -> None:
    block = program.global_block()
    if os.path.isdir(path):
        wanted = set(_names(var_list)) if var_list is not None else None
        names = [v.name for v in program.list_vars() if is_persistable(v) and
                 (wanted is None or v.name in wanted) and
                 os.path.isfile(os.path.join(path, *v.name.split("/")))]
        arrays = formats.load_vars_dir(path, names)
    elif os.path.isfile(path):
        if var_list is None:
            raise ValueError(f"static.load: {path!r} is a single combined file; pass "
                             "var_list=[...] naming the variables it holds")
        names = _names(var_list)
        for n in names:
            if block.find_var(n) is None:
                raise LookupError(f"static.load: variable {n!r} of var_list is not in the "
                                  "program")
        arrays = formats.load_pdiparams(path, names)
    else:
        raise FileNotFoundError(
            f"static.load: nothing at {path!r}: expected {path}.pdparams (static.save / "
            "fluid.save), a directory of per-variable files, or a combined file with var_list"
        )
    for name, arr in _give_optimizer(program, arrays).items():
        _set_var(scope, block.find_var(name), name, arr, f"static.load({path!r})")


def load_program_state(model_path, var_list=None) -> dict[str, np.ndarray]:
    """``{name: ndarray}`` of a ``static.save`` prefix (``.pdparams`` + ``.pdopt``), of a
    directory of per-variable files, or (with ``var_list``) of one combined file."""
    path = os.fspath(model_path)
    p_file, o_file, _ = formats.static_save_files(path)
    if os.path.exists(p_file):
        out = _load_pickle_dict(p_file)
        if os.path.exists(o_file):
            out.update(_load_pickle_dict(o_file))
        return out
    if os.path.isdir(path):
        names = _names(var_list) if var_list is not None else None
        return formats.load_vars_dir(path, names)
    if os.path.isfile(path):
        if var_list is None:
            raise ValueError(f"load_program_state: {path!r} is a single combined file; pass "
                             "var_list=[...] naming the variables it holds")
        return formats.load_pdiparams(path, _names(var_list))
    raise FileNotFoundError(f"load_program_state: nothing at {path!r} (expected "
                            f"{p_file!r} or a directory of per-variable files)")


def set_program_state(program, state_dict: dict) -> None:
    """Set ``program``'s persistable variables (and its optimizer's accumulators) from
    ``state_dict`` (``load_program_state``'s result); unused keys are reported."""
    program = Program.from_ir(program)
    scope = global_scope()
    rest = _give_optimizer(program, dict(state_dict))
    block = program.global_block()
    used = set()
    for v in program.list_vars():
        if is_persistable(v) and v.name in rest:
            value = rest[v.name]
            arr = value._t.detach().cpu().numpy() if isinstance(value, Tensor) else value
            _set_var(scope, block.find_var(v.name), v.name, arr, "set_program_state")
            used.add(v.name)
    unused = sorted(set(rest) - used - {_LR_NAME})
    if unused:
        warnings.warn(f"set_program_state: {len(unused)} entries match no persistable variable "
                      f"of the program: {unused[:6]}", stacklevel=2)


# ---- per-variable files ----------------------------------------------------------------------
def _select(main_program, vars_, predicate) -> tuple[Program, list[str]]:
    program = Program.from_ir(main_program or default_main_program())
    if vars_ is not None:
        return program, _names(vars_)
    pred = predicate or is_persistable
    return program, [v.name for v in program.list_vars() if pred(v)]


def save_vars(executor, dirname, main_program=None, vars=None, predicate=None,
              filename=None) -> None:
    """1.x ``save_vars``: one DenseTensor file per variable under ``dirname``, or all of them
    in ``dirname/filename`` (sorted by name)."""
    program, names = _select(main_program, vars, predicate)
    scope = global_scope()
    arrays = {n: _array(scope, n) for n in names}
    dirname = os.fspath(dirname)
    if filename is None:
        formats.save_vars_dir(arrays, dirname)
    else:
        formats.save_pdiparams(arrays, os.path.join(dirname, filename))


def load_vars(executor, dirname, main_program=None, vars=None, predicate=None,
              filename=None) -> None:
    """1.x ``load_vars``: the inverse of ``save_vars``; a missing file is named."""
    program, names = _select(main_program, vars, predicate)
    dirname = os.fspath(dirname)
    if filename is None:
        arrays = formats.load_vars_dir(dirname, names)
    else:
        arrays = formats.load_pdiparams(os.path.join(dirname, filename), names)
    _store(program, _give_optimizer(program, arrays), global_scope(), f"load_vars({dirname!r})")
