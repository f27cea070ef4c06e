"""Static-graph program building: ``Program``, ``program_guard``, the default programs, ``data``.

In static mode (``paddle.enable_static()``) the calling thread's dispatch hook holds the current
main program's ``StaticRecorder``: every op a layer or a functional API call dispatches is
appended to that program instead of running, exactly as ``jit`` records a forward (one mechanism,
see ``recorder.py``).

NOTE [static parameters]: a parameter created while building (``static.nn.fc``, an ``nn.Linear``
constructed in static mode) is an ordinary eager ``Parameter`` holding its initial value. When an
op first uses it, the recorder declares it as a persistable parameter variable of the main program
and the *startup* program current at that moment keeps the initial value. Running the startup
program copies those values into the scope; the executor then reads and trains the scope's
tensors, never the layer's own objects (as in Paddle, where the values live only in the scope).
Paddle's startup program holds random-init ops instead; ours holds values, so running it twice
restores the same initial values rather than drawing new ones.
"""

from __future__ import annotations

import contextlib
import copy
import dataclasses
import threading
from typing import Any

from .. import ir
from .._core.dtypes import convert_dtype
from ..eager.dispatch import get_recorder, set_recorder
from ..eager.tensor import Parameter, Tensor
from ..errors import ProgramError
from ._scope import global_scope
from .recorder import Recorder
from .variable import Variable

__all__ = [
    "Program",
    "StaticRecorder",
    "data",
    "default_main_program",
    "default_startup_program",
    "program_guard",
]


@dataclasses.dataclass
class TrainSpec:
    """What ``optimizer.minimize(loss)`` attached to a program (see ``Executor.run``)."""

    optimizer: Any
    loss_name: str
    param_names: list[str]
    captured: dict

    def bind(self, scope) -> list[Parameter]:
        """Point the optimizer at the scope's parameters (NOTE [static parameters]), or the
        initial ones for those the scope does not hold yet; returns them."""
        params = []
        for n in self.param_names:
            t = scope._get(n)
            t = t if isinstance(t, Parameter) else self.captured.get(n)
            if isinstance(t, Parameter):
                params.append(t)
        self.optimizer._parameter_list = params
        self.optimizer._param_groups = params
        return params


class Program(ir.Program):
    """A static program: an ``ir.Program`` plus what building it attached (initial values of a
    startup program, the optimizer of a training program).

    >>> import paddlefish as paddle
    >>> paddle.enable_static()
    >>> main, startup = paddle.static.Program(), paddle.static.Program()
    >>> with paddle.static.program_guard(main, startup):
    ...     x = paddle.static.data('x', [None, 4], 'float32')
    ...     y = paddle.static.nn.fc(x, 2)
    >>> [op.type for op in main.global_block().ops]
    ['mul', 'elementwise_add']
    >>> paddle.disable_static()
    """

    def __init__(self, blocks: list[ir.Block] | None = None, version=None, op_version_map=None):
        super().__init__(blocks, version, op_version_map)
        self.random_seed = 0
        self._init_values: dict[str, Tensor] = {}
        self._train: TrainSpec | None = None
        self._for_test = False
        self._rec: StaticRecorder | None = None
        self._compiled: tuple | None = None
        self._grads: dict = {}  # grad var name -> backward.GradRequest (NOTE [static gradients])
        self._after_run: list = []  # hooks(scope) after each run (NOTE [static EMA] in _ema.py)

    @classmethod
    def from_ir(cls, program: ir.Program) -> Program:
        """Adopt the blocks of a plain ``ir.Program`` (a loaded file) as a static Program."""
        if isinstance(program, Program):
            return program
        out = cls(list(program.blocks), program.version, program.op_version_map)
        return out

    # ---- Paddle's Program API ----------------------------------------------------------------
    def current_block(self) -> ir.Block:
        """The block being built; its ``create_var`` gives a Variable usable in ops, as
        Paddle's does (NOTE [py_func] in _extras.py)."""
        rec = self._rec
        return _BuildingBlock(rec.block if rec is not None else self.global_block(), self)

    def list_vars(self) -> list[ir.VarDesc]:
        """Every variable of every block, in declaration order."""
        return [v for b in self.blocks for v in b.vars.values()]

    def all_parameters(self) -> list[ir.VarDesc]:
        """The parameter variables (``is_parameter``) of the global block."""
        return [v for v in self.global_block().vars.values() if v.is_parameter]

    def clone(self, for_test: bool = False) -> Program:
        """A copy of the ops and variables; ``for_test=True`` sets every op's ``is_test``
        and leaves the optimizer behind (a training program's test twin)."""
        blocks = [
            ir.Block(b.idx, b.parent_idx, _deep(b.vars), _deep(b.ops), b.forward_block_idx)
            for b in self.blocks
        ]
        out = Program(blocks, self.version, self.op_version_map)
        out.random_seed = self.random_seed
        out._init_values = dict(self._init_values)
        out._grads = dict(self._grads)
        if for_test:
            out._for_test = True
            for b in out.blocks:
                for op in b.ops:
                    if "is_test" in op.attrs:
                        op.attrs["is_test"] = True
        else:
            out._train = self._train
            out._for_test = self._for_test
            out._after_run = list(self._after_run)
        return out

    def to_string(self, throw_on_error: bool = False, with_details: bool = False) -> str:
        return str(self)

    def state_dict(self, mode: str = "all", scope=None) -> dict[str, Tensor]:
        """``{name: Tensor}`` of the program's persistable variables held by ``scope``
        (``mode``: ``'param'``, ``'opt'`` or ``'all'``)."""
        from_scope = scope if scope is not None else global_scope()
        if mode not in ("param", "opt", "all"):
            raise ValueError(f"Program.state_dict: mode must be 'param', 'opt' or 'all', got "
                             f"{mode!r}")
        out = {}
        for v in self.global_block().vars.values():
            if not v.persistable or v.type != ir.VarType.LOD_TENSOR:
                continue
            if (mode == "param" and not v.is_parameter) or (mode == "opt" and v.is_parameter):
                continue
            t = from_scope._get(v.name)
            if t is not None:
                out[v.name] = t
        return out

    def _recorder(self) -> StaticRecorder:
        if self._rec is None:
            self._rec = StaticRecorder(self)
        return self._rec


_deep = copy.deepcopy


class _BuildingBlock:
    """``Program.current_block()``: the ``ir.Block`` (every attribute forwarded) whose
    ``create_var(name=, dtype=, shape=)`` declares the variable and returns a ``Variable``."""

    def __init__(self, block: ir.Block, program: Program):
        object.__setattr__(self, "_block", block)
        object.__setattr__(self, "_program", program)

    def __getattr__(self, name):
        return getattr(self._block, name)

    def __setattr__(self, name, value):
        setattr(self._block, name, value)

    def __eq__(self, other):
        return self._block is (other._block if isinstance(other, _BuildingBlock) else other)

    __hash__ = None

    def create_var(self, name=None, dtype=None, shape=None, persistable=False, **kwargs):
        if name is None or shape is None or persistable or dtype is None:
            return self._block.create_var(name, dtype=dtype, shape=shape,
                                          persistable=persistable, **kwargs)
        rec = self._program._recorder()
        if self._block.find_var(name) is not None:
            raise ProgramError(f"create_var: the program already has a variable {name!r}")
        return rec.input_variable(name, [-1 if d is None else int(d) for d in shape],
                                  convert_dtype(dtype))


class StaticRecorder(Recorder):
    """The recorder of one static ``Program``; see NOTE [static parameters]."""

    def __init__(self, program: Program):
        super().__init__(program)

    def _capture(self, t: Tensor) -> str:
        name = super()._capture(t)
        var = self.program.global_block().vars[name]
        if isinstance(t, Parameter):
            var.is_parameter = True
            var.stop_gradient = bool(t.stop_gradient)
        startup = default_startup_program()
        startup._init_values.setdefault(name, t)
        sblock = startup.global_block()
        if name not in sblock.vars:
            sblock.create_var(name, dtype=t.dtype, shape=list(t._t.shape), persistable=True)
        self.program._compiled = None
        return name

    def __call__(self, opdef, inputs, attrs):
        self.program._compiled = None
        return super().__call__(opdef, inputs, attrs)

    def minimize(self, optimizer, loss, startup_program=None, parameters=None, no_grad_set=None):
        """``optimizer.minimize(loss)`` in static mode: attach the optimizer to the program;
        ``Executor.run`` then takes one training step per run."""
        if not isinstance(loss, Variable):
            raise TypeError(f"minimize: in static mode the loss must be a Variable of the "
                            f"program, got {type(loss).__name__}")
        skip = {getattr(n, "name", n) for n in (no_grad_set or ())}
        if parameters is not None:
            names = [getattr(p, "name", p) for p in parameters]
        else:
            names = [n for n, t in self.captured.items()
                     if isinstance(t, Parameter) and t.trainable and not t.stop_gradient]
        names = [n for n in names if n not in skip]
        self.program._train = TrainSpec(optimizer, loss.name, names, self.captured)
        # Paddle names the accumulators (``fc_0.w_0_moment1_0``) here, inside the caller's
        # unique_name context, not at the first run: create them now (keyed by parameter name,
        # so the scope's copies of the parameters use them)
        optimizer._create_accumulators([self.captured[n] for n in names if n in self.captured],
                                       optimizer._hyper(None))
        return [], []


@dataclasses.dataclass
class _Guards(threading.local):
    stack: list = dataclasses.field(default_factory=list)


_GUARDS = _Guards()
_DEFAULT = {"main": Program(), "startup": Program()}


def default_main_program() -> Program:
    """The program layers append to: the innermost ``program_guard``'s, else the default."""
    return _GUARDS.stack[-1][0] if _GUARDS.stack else _DEFAULT["main"]


def default_startup_program() -> Program:
    """The program holding parameter initialisation for the current main program."""
    return _GUARDS.stack[-1][1] if _GUARDS.stack else _DEFAULT["startup"]


def static_mode_on() -> bool:
    return isinstance(get_recorder(), StaticRecorder)


@contextlib.contextmanager
def program_guard(main_program: Program, startup_program: Program | None = None):
    """Build into ``main_program`` (parameters initialised by ``startup_program``) inside the
    ``with`` block."""
    for what, p in (("main_program", main_program), ("startup_program", startup_program)):
        if p is not None and not isinstance(p, Program):
            raise TypeError(f"program_guard: {what} must be a paddle.static.Program, got "
                            f"{type(p).__name__}")
    startup = startup_program if startup_program is not None else default_startup_program()
    _GUARDS.stack.append((main_program, startup))
    installed = static_mode_on()
    old = set_recorder(main_program._recorder()) if installed else None
    try:
        yield
    finally:
        _GUARDS.stack.pop()
        if installed:
            set_recorder(old)


def data(name: str, shape, dtype=None, lod_level: int = 0) -> Variable:
    """Declare a feed variable ``name`` of the current main program (``None``/-1: any size)."""
    if not isinstance(name, str) or not name:
        raise TypeError(f"static.data: name must be a non-empty str, got {name!r}")
    program = default_main_program()
    block = program.global_block()
    if name in block.vars:
        raise ProgramError(f"static.data: the program already has a variable named {name!r}")
    dims = [-1 if d is None else int(d) for d in shape]
    dt = convert_dtype(dtype if dtype is not None else "float32")
    var = program._recorder().input_variable(name, dims, dt)
    desc = block.vars[name]
    desc.lod_level, desc.need_check_feed, desc.stop_gradient = lod_level, True, True
    program._compiled = None
    return var
