"""Lowering legacy control flow (``conditional_block``/``select_input``, ``while``) to ``pd_op.if``
and ``pd_op.while`` with ``cf.yield`` and block arguments: the inverse of ``_pir_control.py``.

NOTE [PIR control-flow lowering]: Paddle 2.x's ``cond`` (and paddlefish's dy2static) writes a
tensor ``if`` as ``conditional_block(c)`` over the true sub-block, ``conditional_block(!c)`` over
the false one, each assigning its own output variables, then ``select_input([f, t], cast(c))``
per result; Paddle 2.6 also writes lone ``conditional_block``s whose other ``select_input`` side
is a value computed outside (``break``/``continue`` flags). What is common to all of them is the
``select_input``: its result is ``t`` where the mask is 1 and ``f`` where it is 0, and a
``conditional_block`` output is only ever read through one. So a ``conditional_block`` is not
lowered where it stands (its outputs are remembered as *pending*, with the bindings of that
point), and each run of adjacent ``select_input``s sharing one mask becomes one
``pd_op.if(mask as bool)``: the true region lowers the sub-blocks of the ``conditional_block``s
that produce the ``t`` sides (once each) and yields the ``t`` values, the false region likewise
for the ``f`` sides. A sub-block that writes a variable of an enclosing block other than its own
outputs, or a pending output read by anything but ``select_input``, is refused.

``while(Condition=C, X...) -> Out...`` over a sub-block: the loop-carried values are the
variables of enclosing blocks the sub-block writes (its ``Out`` list plus the sub-block's direct
writes), minus ``C``. ``pd_op.while(C, init...)``'s body block takes one argument per carried
variable, runs the sub-block with those names bound to the arguments and ends in
``cf.yield(C', carried'...)``; the results rebind the carried names after the loop, as Paddle
3.3 writes it (operand 0 the condition, the body's yield starting with the next condition).
"""

from __future__ import annotations

from .._core.dtypes import convert_dtype
from ._pir import PirAttr, PirBlock, PirOp, PirRegion, PirType
from ._types import VarType

__all__ = ["CONTROL_RULES"]

_BOOL = convert_dtype("bool")
_SCOPES = (VarType.STEP_SCOPES,)


def _sub_block(L, op):
    idx = op.attrs.get("sub_block")
    if not isinstance(idx, int) or not 0 < idx < len(L.program.blocks):
        raise L.fail(op, f"sub_block={idx!r} is not a block of this program")
    return L.program.blocks[idx]


def _yield(L, values: list[int]) -> None:
    L.ops.append(PirOp("cf.yield", list(values), [], {}, {}))


def _in_region(L, build) -> PirRegion:
    """Run ``build()`` with ``L.ops`` collecting into a fresh block; that block's region."""
    saved = L.ops
    L.ops = []
    try:
        args = build()
        return PirRegion("", [PirBlock("", list(args or []), L.ops)])
    finally:
        L.ops = saved


def _stop_flags(types: list[PirType]) -> dict[str, PirAttr]:
    flags = [PirAttr("0.a_bool", t.is_tensor and not t.dtype.is_floating_point) for t in types]
    return {"stop_gradient": PirAttr("0.a_array", flags)}


# -- if ----------------------------------------------------------------------------------------


def lower_conditional_block(L, ops, i: int) -> int:
    op = ops[i]
    sub = _sub_block(L, op)
    outs = set(op.output("Out"))
    for w in sub.ops:
        for n in w.output_names():
            if n in outs or sub.vars.get(n) is not None:
                continue
            v = sub.find_var(n)
            if v is not None and v.type in _SCOPES:
                continue
            raise L.fail(
                op,
                f"its block {sub.idx} writes {n!r} of an enclosing block, which is not one of "
                "its outputs; pd_op.if passes values out only through its results",
            )
    snapshot = dict(L.env)
    for n in op.output("Out"):
        L.pending[n] = (op, sub, snapshot)
        L.env.pop(n, None)
    return i + 1


def _mask_as_bool(L, ops, i: int, mask: str) -> int:
    """The bool condition behind an int32 ``select_input`` mask: the ``cast`` source if the mask
    is a cast of a bool still bound to the same value, else a ``pd_op.cast`` of the mask."""
    op = ops[i]
    for prev in reversed(ops[:i]):
        if mask not in prev.output_names():
            continue
        if prev.type == "cast" and int(prev.attrs.get("in_dtype", -1)) == 0:
            src = prev.input("X")[0]
            if src in L.env:
                return L.env[src]
        break
    m = L.use(op, mask)
    t = L.types[m]
    attrs = {"dtype": PirAttr("1.a_dtype", "bool")}
    r = L.emit("pd_op.cast", [m], [PirType("0.t_dtensor", dtype=_BOOL, shape=t.shape)], attrs)
    return r[0].id


def _branch_values(L, op, names: list[str]) -> None:
    lowered: dict[int, dict[str, int]] = {}
    values = []
    for n in names:
        if n in L.env:
            values.append(L.env[n])
            continue
        if n not in L.pending:
            values.append(L.use(op, n))  # raises: defined nowhere
        cb, sub, snapshot = L.pending[n]
        if id(cb) not in lowered:
            lowered[id(cb)] = L.lower_block(sub, snapshot)
        env = lowered[id(cb)]
        if n not in env:
            raise L.fail(cb, f"its block {sub.idx} never writes its output {n!r}")
        values.append(env[n])
    _yield(L, values)


def lower_select_input(L, ops, i: int) -> int:
    op = ops[i]
    mask = op.input("Mask")
    if len(mask) != 1:
        raise L.fail(op, f"expected one Mask, got {mask}")
    group = [op]
    j = i + 1
    while j < len(ops) and ops[j].type == "select_input" and ops[j].input("Mask") == mask:
        group.append(ops[j])
        j += 1
    for s in group:
        if len(s.input("X")) != 2 or len(s.output("Out")) != 1:
            raise L.fail(
                s,
                f"select_input over {len(s.input('X'))} inputs; pd_op.if takes exactly two "
                "(X=[false value, true value])",
            )
    cond = _mask_as_bool(L, ops, i, mask[0])
    outs = [s.output("Out")[0] for s in group]
    types = [L.var_type(n) for n in outs]
    true = _in_region(L, lambda: _branch_values(L, op, [s.input("X")[1] for s in group]))
    false = _in_region(L, lambda: _branch_values(L, op, [s.input("X")[0] for s in group]))
    results = L.emit("pd_op.if", [cond], types, result_attrs=_stop_flags(types))
    L.ops[-1].regions = [true, false]
    L.bind(outs, results)
    return j


# -- while -------------------------------------------------------------------------------------


def lower_while(L, ops, i: int) -> int:
    op = ops[i]
    sub = _sub_block(L, op)
    conds = op.input("Condition")
    if len(conds) != 1:
        raise L.fail(op, f"expected one Condition, got {conds}")
    cond = conds[0]
    written = list(op.output("Out")) + [n for w in sub.ops for n in w.output_names()]
    carried: list[str] = []
    for n in written:
        if n != cond and n in L.env and n not in carried:
            carried.append(n)
    types = [L.var_type(n) for n in carried]
    inits = [L.use(op, cond)] + [L.env[n] for n in carried]

    def body():
        args = [L.value(t) for t in types]
        env = dict(L.env)
        env.update({n: a.id for n, a in zip(carried, args)})
        end = L.lower_block(sub, env)
        if cond not in end:
            raise L.fail(op, f"its block {sub.idx} never updates the condition {cond!r}")
        _yield(L, [end[cond]] + [end[n] for n in carried])
        return args

    region = _in_region(L, body)
    results = L.emit("pd_op.while", inits, types, result_attrs=_stop_flags(types))
    L.ops[-1].regions = [region]
    L.bind(carried, results)
    return i + 1


CONTROL_RULES = {
    "conditional_block": lower_conditional_block,
    "select_input": lower_select_input,
    "while": lower_while,
}
