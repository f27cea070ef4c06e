"""Lift a PIR program (``PirModule``, SSA) into the legacy ``Program`` the executor runs.

NOTE [PIR lifting]: the design choice. PIR is SSA: values with ids, ops with positional operands,
regions whose blocks take arguments and end in ``cf.yield``. The legacy IR names variables and
wires ops by slot name. Rather than teach ``ir`` (and with it the executor, the printer, the
recorder's replay, ``verify`` and the ``.pdmodel`` writer) a second, SSA program model, we lift PIR
into the existing objects: every value gets a generated variable name (parameters keep their
``p`` names, inputs their ``data`` names), every ``pd_op`` becomes the legacy op(s) it stands for
(``pd_op.matmul`` -> ``matmul_v2``; ``pd_op.shape64`` -> ``shape`` + ``cast``), constant int-array
operands (``full_int_array``, ``full``) are folded into the legacy attributes that hold them
(``reshape``'s shape, ``sum``'s axis, ``scale``'s factor) or else wired to the legacy tensor slots,
``builtin.combine``/``split``/``slice`` become name lists, ``pd_op.if`` becomes two
``conditional_block`` sub-blocks and ``select_input``, and ``pd_op.while`` a ``while`` sub-block
whose block arguments are loop-carried variables written back at ``cf.yield``. In-place ops
(``batch_norm_``) write their in-place results to the input's variable, as legacy programs do.

The result is an ordinary legacy program: one executor and one op registry serve both dialects,
and a loaded ``.json`` model can be re-saved as a ``.pdmodel`` that Paddle 2.x runs. The cost is
that a lifted program is not a byte-level mirror of the ``.json`` (writing PIR is a separate
lowering, issue 8), and PIR constructs without a legacy counterpart are refused by name.

Operand order, attribute names and op names differ between the dialects for some ops; those have
a rule in ``_pir_rules``. Every other op is mapped through the op registry's declaration (passed
in as ``lookup``, since ``ir`` sits below ``ops``): operands to input slots in order, results to
output slots in order, attributes by name.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Protocol

from ._pir import PirBlock, PirModule, PirOp, PirType, PirValue
from ._pir_control import CONTROL_RULES
from ._pir_rules import IGNORED_ATTRS, RULES, LiftError, attr_value
from ._program import Block, Program
from ._types import VarType

__all__ = ["OpSignature", "lift_pir", "pir_parameter_info"]


class OpSignature(Protocol):
    """What the lift needs of an op declaration (``ops.OpDef`` satisfies it)."""

    type: str
    inputs: tuple
    outputs: tuple
    attrs: dict[str, Any]
    attr_types: dict[str, int]


class Lifter:
    """State of one lift: names of values per lexical block, folded constants, the program."""

    def __init__(self, module: PirModule, lookup: Callable[[str], OpSignature | None], name: str):
        self.module = module
        self.lookup = lookup
        self.where = name
        self.program = Program()
        self.scopes: list[dict[int, Any]] = []
        self.consts: dict[int, Any] = {}  # value id -> folded constant (list of ints / scalar)
        self.types: dict[int, PirType] = {}
        self.taken: set[str] = set()
        self.n_feeds = 0

    # -- errors ------------------------------------------------------------------------------

    def fail(self, op: PirOp, msg: str) -> LiftError:
        return LiftError(f"{self.where}: op {op} ({op.name}): {msg}")

    def expect_arity(self, op: PirOp, n_in: int | tuple, n_out: int | tuple | None = None):
        ok_in = n_in if isinstance(n_in, tuple) else (n_in,)
        if len(op.operands) not in ok_in:
            raise self.fail(
                op, f"expected {' or '.join(map(str, ok_in))} operands, got {len(op.operands)}"
            )
        if n_out is not None:
            ok_out = n_out if isinstance(n_out, tuple) else (n_out,)
            if len(op.results) not in ok_out:
                raise self.fail(
                    op, f"expected {' or '.join(map(str, ok_out))} results, got {len(op.results)}"
                )

    # -- names -------------------------------------------------------------------------------

    def name(self, vid: int) -> Any:
        """The variable name (or list of names, for a vector) of value ``vid``."""
        for scope in reversed(self.scopes):
            if vid in scope:
                return scope[vid]
        raise LiftError(
            f"{self.where}: value %{vid} has no variable (a construct the lift "
            "does not support defined it)"
        )

    def bind(self, vid: int, name: Any, type_: PirType | None = None) -> None:
        self.scopes[-1][vid] = name
        if type_ is not None:
            self.types[vid] = type_

    def fresh(self, hint: str) -> str:
        name = hint
        while name in self.taken:
            name += "_"
        self.taken.add(name)
        return name

    def declare(self, block: Block, name: str, t: PirType | None, **fields):
        if t is not None and t.is_tensor:
            fields.setdefault("dtype", t.dtype)
            fields.setdefault("shape", list(t.shape))
        return block.create_var(name, **fields)

    def define(self, block: Block, value: PirValue, hint: str) -> Any:
        """A new variable (or list of them, for a vector type) for result ``value``."""
        t = value.type
        if t.is_vector:
            names = []
            for i, e in enumerate(t.elements):
                n = self.fresh(f"{hint}_{value.id}.tmp_{i}")
                self.declare(block, n, e)
                names.append(n)
            self.bind(value.id, names, t)
            return names
        n = self.fresh(f"{hint}_{value.id}.tmp")
        self.declare(block, n, t)
        self.bind(value.id, n, t)
        return n

    def temp(self, block: Block, hint: str, dtype=None, shape=None) -> str:
        n = self.fresh(hint)
        block.create_var(n, dtype=dtype, shape=shape)
        return n

    def const(self, vid: int):
        return self.consts.get(vid)

    # -- the walk ----------------------------------------------------------------------------

    def lift_block(self, pblock: PirBlock, block: Block, args: dict[int, Any] | None = None):
        """Lift ``pblock``'s ops into ``block``; returns the variable names its ``cf.yield``
        yields (``None`` if it has none)."""
        self.scopes.append(dict(args or {}))
        yielded = None
        try:
            for op in pblock.ops:
                if yielded is not None:
                    raise self.fail(op, "follows the block's cf.yield")
                if op.name == "cf.yield":
                    if self.program.global_block() is block:
                        raise self.fail(op, "cf.yield in the top-level block")
                    yielded = [self.name(v) for v in op.operands]
                    continue
                self.lift_op(op, block)
        finally:
            self.scopes.pop()
        return yielded

    def lift_op(self, op: PirOp, block: Block) -> None:
        from_rules = RULES.get(op.name) or CONTROL_RULES.get(op.name)
        if from_rules is not None:
            from_rules(self, op, block)
            return
        self.generic(op, block)

    def generic(self, op: PirOp, block: Block) -> None:
        """Map ``op`` through its registry declaration (see the module docstring)."""
        if op.regions:
            raise self.fail(
                op, "ops with regions other than pd_op.if / pd_op.while are not supported"
            )
        sig = self.lookup(op.name)
        if sig is None:
            raise self.fail(
                op,
                f"paddlefish's op registry declares no op with PIR name "
                f"{op.name!r}; declare it in paddlefish/ops/ with "
                f"@op(..., pir={op.name!r}) (or add a lifting rule in "
                "paddlefish/ir/_pir_rules.py if its operands differ)",
            )
        self.emit_generic(op, block, sig.type, sig, list(op.operands))

    def emit_generic(
        self,
        op,
        block,
        type_,
        sig,
        operands,
        inputs=None,
        attrs=None,
        inplace: dict[int, int] | None = None,
    ):
        """Emit ``type_`` wiring ``operands`` to ``sig``'s input slots in order (0 = absent)."""
        if len(operands) > len(sig.inputs):
            raise self.fail(
                op,
                f"expected at most {len(sig.inputs)} operands "
                f"({', '.join(s.name for s in sig.inputs)} of {sig.type}), got "
                f"{len(operands)}",
            )
        if len(op.results) > len(sig.outputs):
            raise self.fail(
                op,
                f"expected at most {len(sig.outputs)} results "
                f"({', '.join(s.name for s in sig.outputs)} of {sig.type}), got "
                f"{len(op.results)}",
            )
        ins = dict(inputs or {})
        for slot, vid in zip(sig.inputs, operands):
            if vid == 0:
                continue
            n = self.name(vid)
            if isinstance(n, list) and not slot.duplicable:
                raise self.fail(
                    op,
                    f"operand %{vid} is a vector but slot {slot.name} of "
                    f"{sig.type} takes one tensor",
                )
            ins[slot.name] = n if isinstance(n, list) else [n]
        outs = {}
        for i, (slot, res) in enumerate(zip(sig.outputs, op.results)):
            src = (inplace or {}).get(i)
            if src is not None and operands[src] != 0:
                n = self.name(operands[src])
                self.bind(res.id, n, res.type)
            else:
                n = self.define(block, res, op.name.split(".")[-1])
            outs[slot.name] = n if isinstance(n, list) else [n]
        if attrs is None:
            attrs = {
                k: attr_value(a.kind, a.value)
                for k, a in op.attrs.items()
                if k not in IGNORED_ATTRS
            }
        for k in attrs:
            if k not in sig.attrs:
                raise self.fail(
                    op,
                    f"attribute {k!r} has no counterpart in paddlefish's "
                    f"declaration of {sig.type} (attributes "
                    f"{sorted(sig.attrs)}); add a rule in ir/_pir_rules.py",
                )
        final = dict(attrs)
        self.append(block, type_, ins, outs, final, sig)

    def append(self, block: Block, type_: str, ins: dict, outs: dict, attrs: dict, sig=None):
        types = {}
        for k, v in attrs.items():
            declared = getattr(sig, "attr_types", {}).get(k) if sig is not None else None
            types[k] = declared if declared is not None else None
        op = block.append_op(type_, ins, outs)
        for k, v in attrs.items():
            try:
                op.set_attr(k, v, types[k])
            except TypeError as e:
                raise LiftError(f"{self.where}: {type_}: attribute {k}={v!r}: {e}") from None
        return op


def _declare_io_vars(block: Block) -> None:
    block.create_var("feed", type=VarType.FEED_MINIBATCH, persistable=True)
    block.create_var("fetch", type=VarType.FETCH_LIST, persistable=True)


def _drop_dead_constants(program: Program) -> None:
    """Remove constant ops whose value was folded into attributes and is read by nobody."""
    while True:
        read = {n for b in program.blocks for op in b.ops for n in op.input_names()}
        removed = False
        for b in program.blocks:
            keep = [
                op
                for op in b.ops
                if op.type not in ("fill_constant", "assign_value")
                or any(n in read for n in op.output_names())
            ]
            removed |= len(keep) != len(b.ops)
            b.ops[:] = keep
        if not removed:
            break
    for b in program.blocks:
        used = {n for op in b.ops for n in op.input_names() + op.output_names()}
        for n in [n for n, v in b.vars.items() if n not in used and not v.persistable]:
            del b.vars[n]


def lift_pir(
    module: PirModule, lookup: Callable[[str], OpSignature | None], *, name: str = "<pir>"
) -> Program:
    """The legacy ``Program`` equivalent to PIR ``module`` (see NOTE [PIR lifting]).

    ``lookup(pir_name)`` returns the registry declaration for a PIR op name (``ops.by_pir``).
    Unsupported constructs raise ``ProgramError`` naming the file (``name``), op and value.
    """
    lifter = Lifter(module, lookup, name)
    lifter.taken |= {op.attr("parameter_name") for op in module.parameters()}
    lifter.taken |= {"feed", "fetch"}
    block = lifter.program.global_block()
    _declare_io_vars(block)
    for extra in module.regions[1:] + module.regions[0].blocks[1:]:
        raise LiftError(
            f"{name}: the program has more than one top-level region/block "
            f"({getattr(extra, 'name', extra)}); Paddle's jit.save writes one"
        )
    lifter.lift_block(module.global_block(), block)
    _drop_dead_constants(lifter.program)
    lifter.program.verify()
    return lifter.program


def pir_parameter_info(module: PirModule) -> dict[str, dict[str, Any]]:
    """``{name: {'persistable', 'stop_gradient', 'trainable', 'is_parameter'}}`` of the ``p``
    ops: what ``jit.load`` needs to rebuild them (FORMATS.md 9.2), shaped like
    ``.pdiparams.info`` entries."""
    out = {}
    for op in module.parameters():
        persistable, stop_gradient, trainable = (
            op.result_flags(k)[0] for k in ("persistable", "stop_gradient", "trainable")
        )
        out[op.attr("parameter_name")] = {
            "persistable": persistable,
            "stop_gradient": stop_gradient,
            "trainable": trainable,
            "is_parameter": bool(op.attr("is_parameter")),
        }
    return out
