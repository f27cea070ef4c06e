"""The executor core: an interpreter over ``ir.Program`` with one dispatch point, the op registry.

``CompiledBlock(block)`` resolves every op once (registry lookup, slot wiring, declared
attributes, last use of each value) so that running it is a tight loop: gather inputs from the
scope, call the kernel, store outputs, drop values after their last use. A kernel failure is
re-raised as ``ExecutionError`` carrying the op's printed form. Anchor: torch.fx's Interpreter.

``feed``/``fetch`` ops are not executed: the caller puts inputs into the scope under the feed
targets' names and reads the fetch sources (``feed_targets``/``fetch_sources``).
"""

from __future__ import annotations

import sys
from typing import Any

from .. import ir, ops
from ..errors import ExecutionError
from ..ops.control_flow import is_true

__all__ = ["CompiledBlock", "feed_targets", "fetch_sources"]

_SKIP = {"feed", "fetch"}


def feed_targets(block: ir.Block) -> list[str]:
    """Input variable names in ``col`` order (from the block's ``feed`` ops)."""
    feeds = [(op.attrs.get("col", 0), op.output("Out")[0]) for op in block.ops if op.type == "feed"]
    return [name for _, name in sorted(feeds)]


def fetch_sources(block: ir.Block) -> list[str]:
    """Output variable names in ``col`` order (from the block's ``fetch`` ops)."""
    fetches = [(op.attrs.get("col", 0), op.input("X")[0]) for op in block.ops if op.type == "fetch"]
    return [name for _, name in sorted(fetches)]


class _Step:
    __slots__ = ("attrs", "fast", "frees", "ins", "kernel", "op", "opdef", "outs")

    def __init__(self, op: ir.OpDesc, attr_override: dict | None):
        self.op = op
        self.opdef = ops.get(op.type, attrs=op.attrs)
        self.kernel = self.opdef.kernel
        self.ins = []  # per input slot: None | name | [names]
        for slot in self.opdef.inputs:
            names = op.inputs.get(slot.name, [])
            if slot.duplicable:
                self.ins.append(list(names))
            else:
                self.ins.append(names[0] if names else None)
        attrs = {k: op.attrs[k] for k in self.opdef.attrs if k in op.attrs}
        if attr_override:
            attrs.update({k: v for k, v in attr_override.items() if k in self.opdef.attrs})
        self.attrs = attrs
        self.outs = []  # per output slot: None | name | [names]
        for slot in self.opdef.outputs:
            names = op.outputs.get(slot.name, [])
            if slot.duplicable:
                self.outs.append(list(names))
            else:
                self.outs.append(names[0] if names else None)
        self.frees: tuple[str, ...] = ()
        # the common case (plain input names, absent dispensable slots only at the end, one
        # output variable) runs as one call and one store: ~0.5 us/op less (BENCHMARKS.md)
        ins = list(self.ins)
        while ins and ins[-1] is None:
            ins.pop()
        simple = all(isinstance(r, str) for r in ins) and len(self.outs) == 1
        simple = simple and isinstance(self.outs[0], str)
        self.fast = (tuple(ins), self.outs[0]) if simple else None


class CompiledBlock:
    """A block prepared for repeated execution.

    ``keep``: names never freed (persistables, fetch sources). ``attr_override``: attributes forced
    on every op that declares them (``{'is_test': False}`` for training).
    """

    def __init__(self, block: ir.Block, *, keep=(), attr_override: dict | None = None):
        self.block = block
        self.steps = [_Step(op, attr_override) for op in block.ops if op.type not in _SKIP]
        _bind_block_ops(self, attr_override)
        self._plan_frees(set(keep))

    def _plan_frees(self, keep: set) -> None:
        last: dict[str, int] = {}
        for i, st in enumerate(self.steps):
            for ref in st.ins:
                for n in ref if isinstance(ref, list) else ([ref] if ref else []):
                    last[n] = i
        by_step: dict[int, list[str]] = {}
        for n, i in last.items():
            var = self.block.find_var(n)
            if n in keep or (var is not None and var.persistable):
                continue
            by_step.setdefault(i, []).append(n)
        for i, st in enumerate(self.steps):
            st.frees = tuple(by_step.get(i, ()))

    def replay(self, scope: dict[str, Any], dispatch) -> dict[str, Any]:
        """Run every op through ``dispatch(opdef, inputs, attrs)`` instead of its kernel, with
        scope values as API-level tensors: used to re-record a loaded program (jit.save of a
        TranslatedLayer)."""
        for st in self.steps:
            args = []
            for ref in st.ins:
                if ref is None:
                    args.append(None)
                elif isinstance(ref, list):
                    args.append([scope[n] for n in ref])
                else:
                    args.append(scope[ref])
            out = dispatch(st.opdef, tuple(args), dict(st.attrs))
            if len(st.outs) == 1:
                out = (out,)
            for ref, val in zip(st.outs, out):
                if ref is None or val is None:
                    continue
                if isinstance(ref, list):
                    scope.update(zip(ref, val))
                else:
                    scope[ref] = val
        return scope

    def run(self, scope: dict[str, Any]) -> dict[str, Any]:
        """Execute in ``scope`` (name -> torch.Tensor), in place; returns ``scope``."""
        for st in self.steps:
            if st.fast is not None:
                try:
                    out = st.kernel(*[scope[n] for n in st.fast[0]], **st.attrs)
                except ExecutionError:  # from a sub-block: already carries its context
                    raise
                except Exception:  # noqa: BLE001 - the general path re-runs it and re-raises
                    self._run_step(st, scope)
                else:
                    if out is not None:
                        scope[st.fast[1]] = out
            else:
                self._run_step(st, scope)
            for n in st.frees:
                scope.pop(n, None)
        return scope

    def _run_step(self, st: _Step, scope: dict[str, Any]) -> None:
        args = []
        try:
            for ref in st.ins:
                if ref is None:
                    args.append(None)
                elif isinstance(ref, list):
                    args.append([scope[n] for n in ref])
                else:
                    args.append(scope[ref])
        except KeyError as e:
            raise ExecutionError(
                f"op {ir.format_op(st.op)} reads variable {e.args[0]!r}, which is neither fed, "
                "a loaded persistable, nor produced by an earlier op"
            ) from None
        try:
            out = st.kernel(*args, **st.attrs)
        except Exception as e:
            raise ExecutionError(
                f"op failed: {ir.format_op(st.op)}\n  {type(e).__name__}: {e}\n  inputs: "
                + ", ".join(_desc(s.name, a) for s, a in zip(st.opdef.inputs, args))
            ) from e
        outs = st.outs
        if len(outs) == 1:
            out = (out,)
        for ref, val in zip(outs, out):
            if ref is None or val is None:
                continue
            if isinstance(ref, list):
                for n, v in zip(ref, val):
                    scope[n] = v
            else:
                scope[ref] = val


def _desc(slot: str, arg) -> str:
    if arg is None:
        return f"{slot}=None"
    if isinstance(arg, list):
        return f"{slot}=[" + ", ".join(f"{tuple(a.shape)}:{a.dtype}" for a in arg) + "]"
    return f"{slot}={tuple(arg.shape)}:{arg.dtype}"


# NOTE [block ops]: ``conditional_block`` and ``while`` run a sub-block. Their step's kernel is
# replaced, once at compile time, by a closure over the sub-block's own ``CompiledBlock``, so
# ``run`` stays one uniform loop. The closure gets the op's inputs as usual (the outer values the
# sub-block reads: Paddle lists them in ``Input``/``X``; any it forgot are added to the slot here),
# runs the sub-block in a child scope built from them and returns the values of ``Out``. A branch
# that does not run returns None for its outputs; ``select_input`` picks the branch that ran.
# Gradients need nothing special: the ops that ran are ordinary torch autograd history.


def _declared_in(block: ir.Block, stop: ir.Block) -> set[str]:
    names: set[str] = set()
    b: ir.Block | None = block
    while b is not None and b is not stop:
        names.update(b.vars)
        b = b.parent()
    return names


def outer_reads(program: ir.Program, sub: ir.Block) -> list[str]:
    """Names a sub-block (and its nested sub-blocks) reads that it does not declare itself."""
    out: dict[str, None] = {}

    def walk(block: ir.Block) -> None:
        local = _declared_in(block, sub.parent())
        for op in block.ops:
            for n in op.input_names():
                if n not in local:
                    out[n] = None
            for k, t in op.attr_types.items():
                if t == ir.AttrType.BLOCK:
                    walk(program.block(op.attrs[k]))

    walk(sub)
    return list(out)


def _wire_inputs(cb: CompiledBlock, st: _Step, slot: str) -> tuple[ir.Block, list[str]]:
    program = cb.block.program
    sub = program.block(st.op.attrs["sub_block"])
    i = [s.name for s in st.opdef.inputs].index(slot)
    names = list(st.ins[i] or [])
    names += [n for n in outer_reads(program, sub) if n not in names]
    st.ins[i] = names
    return sub, names


def _conditional_block_runner(cb, st, attr_override):
    sub, names = _wire_inputs(cb, st, "Input")
    out_names = list(st.outs[0] or [])
    compiled = CompiledBlock(sub, keep=set(names) | set(out_names), attr_override=attr_override)

    def conditional_block(Cond, Input=None, *, is_scalar_condition=False, sub_block=0):
        c = Cond[0]
        if not (is_true(c) if is_scalar_condition else c.numel() > 0):
            return [None] * len(out_names), None
        scope = compiled.run(dict(zip(names, Input or [])))
        return [scope.get(n) for n in out_names], None

    return conditional_block


def _while_runner(cb, st, attr_override):
    sub, names = _wire_inputs(cb, st, "X")
    cond_name = st.ins[1]
    out_names = list(st.outs[0] or [])
    keep = set(names) | set(out_names) | {cond_name}
    compiled = CompiledBlock(sub, keep=keep, attr_override=attr_override)

    def while_(X, Condition, *, is_test=False, sub_block=0):
        scope = dict(zip(names, X))
        scope[cond_name] = Condition
        while is_true(scope[cond_name]):
            compiled.run(scope)
        return [scope.get(n) for n in out_names], None

    return while_


def _print_runner(cb: CompiledBlock, st: _Step, attr_override):
    """The ``print`` op knows its variable's name and counts its prints (``first_n``)."""
    name = st.ins[0]
    count = [0]

    def kernel(In, *, first_n=-1, **attrs):
        if first_n < 0 or count[0] < first_n:
            count[0] += 1
            attrs.pop("print_phase", None)
            attrs.pop("is_forward", None)
            sys.stdout.write(ops.legacy.format_print(In, name, **attrs))
        return In

    return kernel


_BLOCK_RUNNERS = {"conditional_block": _conditional_block_runner, "while": _while_runner,
                  "print": _print_runner}


def _bind_block_ops(cb: CompiledBlock, attr_override) -> None:
    for st in cb.steps:
        make = _BLOCK_RUNNERS.get(st.op.type)
        if make is not None:
            st.kernel = make(cb, st, attr_override)
