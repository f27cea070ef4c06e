"""``paddle.static``'s global variables and build-time context: ``create_global_var``,
``create_parameter``, ``name_scope``, ``device_guard``, ``setitem``, ``cuda_places`` /
``xpu_places`` and the ``Parameter`` class name.

NOTE [static globals]: in static mode ``create_global_var`` and ``create_parameter`` declare their
variable in the current main program at once (Paddle does so in ``LayerHelper``), not at its first
use as other captured tensors are (NOTE [static parameters] in _program.py): the main program gets
the variable with Paddle's name, shape, dtype and flags (a global var keeps the ``persistable`` it
was given, ``stop_gradient=True``; a parameter is persistable with ``is_parameter``), and the
startup program gets it persistable with its initial value. Paddle's startup program holds a
``fill_constant`` / ``uniform_random`` op there instead; after ``exe.run(startup)`` the scope holds
the same values (the same constants; Xavier draws from the same range, not the same numbers).
As in Paddle 2.6, a global var created with ``persistable=False`` is not kept between runs: a
program that reads it fails (Paddle: "not initialized"; here: it must be fed).
"""

from __future__ import annotations

import contextlib

import numpy as np
import torch

from .. import ir
from .._core import unique_name
from .._core.dtypes import convert_dtype
from ..eager import Parameter as _EagerParameter
from ..eager import to_torch_dtype
from ..eager.device import CUDAPlace, cuda_device_count, is_compiled_with_cuda
from ..eager.tensor import Tensor, wrap
from ..framework._create_parameter import create_parameter as _create_parameter
from ..nn import initializer as init
from ..nn.param_attr import ParamAttr
from ..tensor import manipulation
from ..tensor._run import run
from ..tensor._setvalue import set_value_attrs
from ._program import default_main_program, default_startup_program, static_mode_on
from .recorder import OP_CONTEXT
from .variable import Variable

__all__ = [
    "Parameter",
    "create_global_var",
    "create_parameter",
    "cuda_places",
    "device_guard",
    "name_scope",
    "setitem",
    "xpu_places",
]

#: ``paddle.static.Parameter``: a parameter made while building a static program is an eager
#: ``Parameter`` holding its initial value (NOTE [static parameters] in _program.py).
Parameter = _EagerParameter

_SHAPE_ITEM_TYPES = (int, np.uint8, np.int8, np.int16, np.int32, np.int64)
_GLOBAL_VAR_DTYPES = [
    "bool",
    "float16",
    "float32",
    "float64",
    "int8",
    "int16",
    "int32",
    "int64",
    "uint8",
    "uint16",
]
_PARAMETER_DTYPES = [
    "bool",
    "float16",
    "uint16",
    "float32",
    "float64",
    "int8",
    "int16",
    "int32",
    "int64",
    "uint8",
]


# ---- Paddle's static-mode argument checks (base/data_feeder.py; skipped in dynamic mode) -------
def _check_type(value, what: str, expected, op: str) -> None:
    if not isinstance(value, expected):
        raise TypeError(
            f"The type of '{what}' in {op} must be {expected}, but received {type(value)}. "
        )


def _dtype_name(dtype) -> str:
    try:
        return convert_dtype(dtype).name
    except Exception as e:  # noqa: BLE001 - reported in Paddle's words below
        raise TypeError(
            f"The data type of 'dtype' must be a paddle dtype or its name, got {dtype!r} ({e})"
        ) from None


def _check_dtype(dtype, expected: list[str], op: str) -> str:
    name = _dtype_name(dtype)
    name = "uint16" if name == "bfloat16" else name
    if name not in expected:
        raise TypeError(
            f"The data type of 'dtype' in {op} must be {expected}, but received {name}. "
        )
    return name


def _check_shape(shape, op: str) -> list[int]:
    _check_type(shape, "shape", (list, tuple, np.ndarray), op)
    for item in shape:
        _check_type(item, "item of shape", _SHAPE_ITEM_TYPES, op)
    return [int(s) for s in shape]


def _declare(t: Tensor) -> ir.VarDesc:
    """Declare ``t`` in the current main program now (NOTE [static globals])."""
    program = default_main_program()
    name = program._recorder()._capture(t)
    var = program.global_block().vars[name]
    svar = default_startup_program().global_block().vars[name]
    svar.stop_gradient, svar.is_parameter = var.stop_gradient, var.is_parameter
    return var


# ---- create_global_var / create_parameter -----------------------------------------------------
def create_global_var(
    shape, value, dtype, persistable: bool = False, force_cpu: bool = False, name: str | None = None
) -> Tensor:
    """A variable of the global block filled with ``value`` (NOTE [static globals]).

    In static mode it is declared in the main program (``persistable`` as given,
    ``stop_gradient=True``; unnamed: ``_generated_var_N``) and its value goes to the startup
    program; in dynamic mode it is a Tensor filled with ``value``. ``force_cpu`` is accepted
    (values live where the executor runs).

    >>> import paddlefish as paddle
    >>> paddle.enable_static()
    >>> main, startup = paddle.static.Program(), paddle.static.Program()
    >>> with paddle.static.program_guard(main, startup):
    ...     g = paddle.static.create_global_var([2, 3], 1.5, 'float32', persistable=True,
    ...                                         name='gv')
    >>> v = main.global_block().vars['gv']
    >>> v.shape, v.dtype.name, v.persistable
    ([2, 3], 'float32', True)
    >>> exe = paddle.static.Executor()
    >>> _ = exe.run(startup)
    >>> exe.run(main, fetch_list=[g])[0].tolist()
    [[1.5, 1.5, 1.5], [1.5, 1.5, 1.5]]
    >>> paddle.disable_static()
    """
    static = static_mode_on()
    op = "create_global_var"
    if static:
        dims = _check_shape(shape, op)
        dt = _check_dtype(dtype, _GLOBAL_VAR_DTYPES, op)
    else:
        dims, dt = [int(s) for s in shape], _dtype_name(dtype)
    if any(d < 0 for d in dims):
        raise ValueError(
            f"create_global_var: every dim of shape must be >= 0, got {dims}; a "
            "global variable has a fixed shape"
        )
    data = torch.full(dims, float(value), dtype=torch.float64)  # Paddle: float(value)
    t = wrap(data.to(to_torch_dtype(convert_dtype(dt))))
    if not static:
        if name is not None:
            t.name = name
        t.persistable = bool(persistable)
        return t
    t.name = name if name is not None else unique_name.generate("_generated_var")
    t.persistable = bool(persistable)
    again = _created_before(t, dims, bool(persistable))
    if again is not None:
        return again
    t.stop_gradient = True
    var = _declare(t)
    var.persistable, var.stop_gradient = bool(persistable), True
    default_startup_program().global_block().vars[var.name].stop_gradient = True
    return t


def _created_before(t: Tensor, dims: list[int], persistable: bool) -> Tensor | None:
    """Paddle's ``create_var`` with the name of an existing global var: the same variable, its
    startup value replaced by the new one (Paddle appends a second fill_constant); a different
    shape, dtype or persistable flag is refused in Paddle's words."""
    program = default_main_program()
    old = program.global_block().vars.get(t.name)
    prev = program._recorder().captured.get(t.name)
    if old is None or prev is None:
        return None
    n = t.name
    if list(old.shape) != dims:
        raise ValueError(
            f"Variable '{n}' has been created before. The previous shape is "
            f"{tuple(old.shape)}, the new shape is {tuple(dims)}. They are not "
            "matched."
        )
    if old.dtype != t.dtype:
        raise ValueError(
            f"Variable '{n}' has been created before. The previous data type is "
            f"paddle.{old.dtype.name}, the new data type is paddle.{t.dtype.name}. "
            "They are not matched."
        )
    if bool(old.persistable) != persistable:
        raise ValueError(
            f"Variable '{n}' has been created before.The previous persistable is "
            f"{bool(old.persistable)}, the new persistable is {persistable}. They "
            "are not matched"
        )
    prev._t = t._t  # the startup program holds ``prev``: it now starts from the new value
    return prev


def create_parameter(
    shape,
    dtype,
    name: str | None = None,
    attr: ParamAttr | None = None,
    is_bias: bool = False,
    default_initializer: init.Initializer | None = None,
) -> _EagerParameter:
    """A trainable parameter outside any layer, named and initialised as Paddle's
    ``paddle.static.create_parameter`` (= ``paddle.create_parameter``, see NOTE
    [create_parameter names]); in static mode it is declared in the main program at once, its
    initial value in the startup program (NOTE [static globals]).

    >>> import paddlefish as paddle
    >>> paddle.enable_static()
    >>> main, startup = paddle.static.Program(), paddle.static.Program()
    >>> with paddle.static.program_guard(main, startup), paddle.utils.unique_name.guard():
    ...     w = paddle.static.create_parameter([3, 2], 'float32')
    >>> v = main.global_block().vars['create_parameter_0.w_0']
    >>> v.shape, v.is_parameter, v.persistable, isinstance(w, paddle.static.Parameter)
    ([3, 2], True, True, True)
    >>> paddle.disable_static()
    """
    op = "create_parameter"
    static = static_mode_on()
    if static:
        _check_shape(shape, op)
        _check_dtype(dtype, _PARAMETER_DTYPES, op)
        _check_type(attr, "attr", (type(None), ParamAttr), op)
        _check_type(default_initializer, "default_initializer", (type(None), init.Initializer), op)
    p = _create_parameter(
        shape, dtype, name=name, attr=attr, is_bias=is_bias, default_initializer=default_initializer
    )
    if static and p is not None:
        _declare(p)
    return p


# ---- name_scope / device_guard ------------------------------------------------------------------
class _NameScope:
    """A node of Paddle's name-scope tree: a repeated child prefix gets ``_1``, ``_2``..."""

    def __init__(self, name: str = "", parent: _NameScope | None = None):
        self.name, self.parent = name, parent
        self.children: dict[str, list[_NameScope]] = {}

    def child(self, prefix: str) -> _NameScope:
        siblings = self.children.setdefault(prefix, [])
        node = _NameScope(prefix if not siblings else f"{prefix}_{len(siblings)}", self)
        siblings.append(node)
        return node

    def full(self) -> str:
        parts, node = [], self
        while node is not None:
            parts.append(node.name)
            node = node.parent
        return "/".join(reversed(parts)) + "/"


_SCOPE = [_NameScope()]


@contextlib.contextmanager
def name_scope(prefix: str | None = None):
    """Ops recorded inside get ``op_namescope`` ``/prefix/`` (nested: ``/outer/inner/``; the same
    prefix again under one parent: ``prefix_1``, ``prefix_2``...), as in Paddle. Variable names do
    not change. In dynamic mode it does nothing (as Paddle).

    >>> import paddlefish as paddle
    >>> paddle.enable_static()
    >>> main = paddle.static.Program()
    >>> with paddle.static.program_guard(main, paddle.static.Program()):
    ...     x = paddle.static.data('x', [2], 'float32')
    ...     with paddle.static.name_scope('doc_outer'):
    ...         with paddle.static.name_scope('inner'):
    ...             y = paddle.exp(x)
    >>> main.global_block().ops[-1].attrs['op_namescope']
    '/doc_outer/inner/'
    >>> paddle.disable_static()
    """
    if not static_mode_on():
        yield
        return
    if not prefix:
        raise AssertionError("namescope prefix can not be empty.")
    node = _SCOPE[-1].child(str(prefix))
    _SCOPE.append(node)
    before = OP_CONTEXT.get("op_namescope")
    OP_CONTEXT["op_namescope"] = node.full()
    try:
        yield
    finally:
        _SCOPE.pop()
        if before is None:
            OP_CONTEXT.pop("op_namescope", None)
        else:
            OP_CONTEXT["op_namescope"] = before


_DEVICES = ("cpu", "gpu", "xpu", "", None)


@contextlib.contextmanager
def device_guard(device: str | None = None):
    """Ops recorded inside get ``op_device`` ``device`` (``'cpu'``, ``'gpu'``, ``'gpu:N'``,
    ``'xpu'``), checked as Paddle checks it; the executor runs every op on its own device, so
    the attribute is recorded only.

    >>> import paddlefish as paddle
    >>> paddle.enable_static()
    >>> main = paddle.static.Program()
    >>> with paddle.static.program_guard(main, paddle.static.Program()):
    ...     x = paddle.static.data('x', [2], 'float32')
    ...     with paddle.static.device_guard('cpu'):
    ...         y = paddle.exp(x)
    >>> main.global_block().ops[-1].attrs['op_device']
    'cpu'
    >>> paddle.disable_static()
    """
    index = None
    if device and ":" in device:
        device, index = device.split(":")
        if device == "cpu":
            raise ValueError("Should not set device id for cpu.")
    if device not in _DEVICES:
        raise ValueError(
            "The Attr(device) should be 'cpu', 'xpu', 'gpu' or custom device, and it can also be "
            f"empty string or None when there is no need to specify device. But received {device}"
        )
    if index:
        device = f"{device}:{index}"
    before = OP_CONTEXT.get("op_device")
    if device is None:
        OP_CONTEXT.pop("op_device", None)
    else:
        OP_CONTEXT["op_device"] = device
    try:
        yield
    finally:
        if before is None:
            OP_CONTEXT.pop("op_device", None)
        else:
            OP_CONTEXT["op_device"] = before


# ---- places ----------------------------------------------------------------------------------------
def _ids(device_ids) -> list:
    return list(device_ids) if isinstance(device_ids, (list, tuple)) else [device_ids]


def cuda_places(device_ids=None) -> list:
    """``[CUDAPlace(i), ...]`` for ``device_ids`` (default: every visible GPU); without CUDA,
    Paddle's ``AssertionError: Not compiled with CUDA``.

    >>> import paddlefish as paddle
    >>> try:
    ...     places = paddle.static.cuda_places()
    ... except AssertionError as e:
    ...     places = str(e)
    >>> places == 'Not compiled with CUDA' or len(places) >= 1
    True
    """
    if not is_compiled_with_cuda():
        raise AssertionError("Not compiled with CUDA")
    if device_ids is None:
        device_ids = list(range(cuda_device_count()))
    return [CUDAPlace(int(i)) for i in _ids(device_ids)]


def xpu_places(device_ids=None) -> list:
    """Paddle's ``AssertionError: Not compiled with XPU`` (paddlefish has no XPU backend; use
    ``paddle.static.cpu_places()`` or ``cuda_places()``).

    >>> import paddlefish as paddle
    >>> try:
    ...     paddle.static.xpu_places()
    ... except AssertionError as e:
    ...     print(e)
    Not compiled with XPU
    """
    raise AssertionError("Not compiled with XPU")


# ---- setitem ----------------------------------------------------------------------------------------


def _by_name(t: Tensor) -> Tensor:
    """A captured tensor (global var, parameter) as a shape-only Variable of its name: the
    recorder then neither takes a same-dtype ``cast`` of it for an in-place write nor mixes its
    real value with the shape-only ``ValueTensor`` (NOTE [value slots] in recorder.py)."""
    if isinstance(t, Variable):
        return t
    name = default_main_program()._recorder()._capture(t)
    meta = torch.empty(t._t.shape, dtype=t._t.dtype, device="meta")
    return Variable(name, meta, meta)


def setitem(x: Tensor, index, value) -> Tensor:
    """``x[index] = value`` as a function. Dynamic mode: in place, returns ``x``. Static mode:
    appends Paddle's out-of-place ``set_value`` op and returns its output (``x`` is unchanged),
    for indices of ints, slices with any nonzero step (negative ones included) and ``...``.

    >>> import paddlefish as paddle
    >>> x = paddle.zeros([2, 3])
    >>> paddle.static.setitem(x, (0, slice(1, 3)), 7.0).tolist()
    [[0.0, 7.0, 7.0], [0.0, 0.0, 0.0]]
    """
    if not static_mode_on():
        manipulation.setitem(x, index, value)
        return x
    attrs = set_value_attrs(list(x.shape), index)
    attrs["dtype"] = x.dtype.vartype
    if isinstance(value, Tensor):  # Paddle casts a tensor value, even to its own dtype
        value, x = _by_name(value), _by_name(x)
        v = run("cast", value, in_dtype=value.dtype.vartype, out_dtype=x.dtype.vartype)
        return run("set_value", x, v, **attrs)
    if isinstance(value, (bool, int, float, np.number)):
        return run("set_value", x, values=[float(value)], shape=[1], **attrs)
    raise TypeError(
        f"paddle.static.setitem: value must be a Tensor or a Python/numpy scalar, got "
        f"{type(value).__name__}"
    )
