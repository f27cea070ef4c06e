"""Control flow and the comparisons/logic it runs on: ``conditional_block`` and ``select_input``
-> ONNX ``If``, ``while`` -> ONNX ``Loop``.

NOTE [onnx control flow]: Paddle's dy2static writes ``if c: a else: b`` as two
``conditional_block`` ops (conditions ``c`` and ``not c``), each running a sub-block that assigns
the branch's result variables, then ``select_input(Mask=cast(c), X=[false_var, true_var])``.
Each ``conditional_block`` becomes an ``If`` whose then-branch is the sub-block and whose
else-branch passes on the outputs' previous values (or an empty placeholder of the right dtype and
rank when the variable had none: the ``select_input`` after it never picks it); ``select_input``
becomes an ``If`` on the mask choosing one of its inputs. ``while`` becomes a ``Loop`` without a
trip count whose loop-carried values are the op's ``Out`` variables (the condition included):
the body is the sub-block with those variables bound to the body's inputs, and its outputs are
the condition and their values after the sub-block ran. Sub-blocks read every other variable
from the enclosing graph (ONNX outer-scope values).
"""

from __future__ import annotations

import numpy as np
from onnx import TensorProto, helper

from .. import ir
from ._graph import GraphBuilder, onnx_dtype
from ._rules import _in, _out, rule

__all__: list[str] = []

_COMPARE = {
    "equal": "Equal",
    "not_equal": "Equal",  # then Not
    "less_than": "Less",
    "less_equal": "Greater",  # then Not (LessOrEqual is opset 12)
    "greater_than": "Greater",
    "greater_equal": "Less",  # then Not
}
_NEGATED = {"not_equal", "less_equal", "greater_equal"}


def _aligned(g: GraphBuilder, op, a) -> tuple[str, str]:
    x, y = _in(op, "X"), _in(op, "Y")
    axis, rx, ry = a.get("axis", -1), g.rank(x), g.rank(y)
    if axis != -1 and ry < rx and axis + ry < rx:
        y = g.unsqueeze(y, list(range(ry, rx - axis)))
    if g.np_dtype(_in(op, "Y")) != g.np_dtype(x):
        y = g.cast(y, g.np_dtype(x))
    return x, y


@rule(*_COMPARE)
def _compare(g, op, a):
    x, y = _aligned(g, op, a)
    if op.type in _NEGATED:
        g.one("Not", [g.one(_COMPARE[op.type], [x, y])], _out(op))
    else:
        g.one(_COMPARE[op.type], [x, y], _out(op))


_LOGICAL = {"logical_and": "And", "logical_or": "Or", "logical_xor": "Xor"}


def _as_bool(g: GraphBuilder, name: str) -> str:
    return name if g.np_dtype(name) == np.bool_ else g.cast(name, np.bool_)


@rule(*_LOGICAL)
def _logical(g, op, a):
    g.one(_LOGICAL[op.type], [_as_bool(g, _in(op, "X")), _as_bool(g, _in(op, "Y"))], _out(op))


@rule("logical_not")
def _logical_not(g, op, a):
    g.one("Not", [_as_bool(g, _in(op, "X"))], _out(op))


# ---- control flow ----------------------------------------------------------------------------
def _tensor_outputs(g: GraphBuilder, names: list[str]) -> list[str]:
    """The dense-tensor variables among ``names`` (drops scopes and other non-tensors)."""
    out = []
    for n in names:
        v = g.block.find_var(g.paddle_name(n))
        if v is None or v.type != ir.VarType.LOD_TENSOR or v.dtype is None:
            if v is not None and v.type == ir.VarType.LOD_TENSOR_ARRAY:
                raise g.fail(
                    f"variable {g.paddle_name(n)!r} is a tensor array (a list built in "
                    "a loop); ONNX export supports loops over dense tensors only"
                )
            continue
        out.append(n)
    return out


def _info(g: GraphBuilder, name: str, paddle_var: str):
    """A ValueInfo with the variable's element type and no shape (branches may differ)."""
    return helper.make_tensor_value_info(name, onnx_dtype(g.np_dtype(paddle_var)), None)


def _placeholder(g: GraphBuilder, var: str) -> str:
    v = g.var(var)
    rank = len(v.shape) if v.shape is not None else 1
    return g.const(np.zeros([0] * rank, dtype=g.np_dtype(var)), hint="unset")


def _sub_block(g: GraphBuilder, a, what: str) -> ir.Block:
    program = g.block.program
    idx = a.get("sub_block")
    if program is None or not isinstance(idx, int) or not 0 <= idx < len(program.blocks):
        raise g.fail(f"{what}: its sub_block {idx!r} is not a block of the program")
    return program.blocks[idx]


def _scalar_bool(g: GraphBuilder, name: str) -> str:
    return _as_bool(g, name)


@rule("conditional_block")
def _conditional_block(g, op, a):
    if not a.get("is_scalar_condition", False):
        raise g.fail(
            "conditional_block without is_scalar_condition (run when all inputs are "
            "non-empty) is not supported; only if/else from dy2static is"
        )
    cond = _scalar_bool(g, _in(op, "Cond"))
    sub = _sub_block(g, a, "conditional_block")
    outs = _tensor_outputs(g, op.output("Out"))
    then = g.sub(sub)
    then.convert(sub.ops)
    other = g.sub(sub)
    then_outs, else_outs = [], []
    for m in outs:
        var = g.paddle_name(m)
        t = then.one("Identity", [then.value(var)])
        before = g.env.get(var)
        if before is None and g.var(var).persistable:
            before = var
        e = other.one("Identity", [before if before is not None else _placeholder(g, var)])
        then_outs.append(_info(g, t, var))
        else_outs.append(_info(g, e, var))
    g.node(
        "If",
        [cond],
        outs,
        then_branch=helper.make_graph(then.nodes, g.fresh("then"), [], then_outs),
        else_branch=helper.make_graph(other.nodes, g.fresh("else"), [], else_outs),
    )


@rule("select_input")
def _select_input(g, op, a):
    mask, xs, out = _in(op, "Mask"), op.input("X"), _out(op)
    if not xs:
        raise g.fail("select_input has no inputs")
    idx = g.cast(mask, np.int64) if g.np_dtype(mask) != np.int64 else mask
    chosen = xs[0]
    for i in range(1, len(xs)):
        cond = g.one("Equal", [idx, g.const(np.asarray(i, np.int64), hint="index")])
        then, other = g.sub(g.block), g.sub(g.block)
        t = then.one("Identity", [xs[i]])
        e = other.one("Identity", [chosen])
        dst = out if i == len(xs) - 1 else g.fresh("select")
        var = g.paddle_name(out)
        g.node(
            "If",
            [cond],
            [dst],
            then_branch=helper.make_graph(then.nodes, g.fresh("then"), [], [_info(g, t, var)]),
            else_branch=helper.make_graph(other.nodes, g.fresh("else"), [], [_info(g, e, var)]),
        )
        chosen = dst
    if len(xs) == 1:
        g.one("Identity", [chosen], out)


@rule("while")
def _while(g, op, a):
    sub = _sub_block(g, a, "while")
    cond_now = _in(op, "Condition")
    cond_var = g.paddle_name(cond_now)
    outs = _tensor_outputs(g, op.output("Out"))
    carried = [g.paddle_name(m) for m in outs]
    appended = cond_var not in carried
    if appended:  # keep the condition a carried value too
        carried.append(cond_var)
        outs = [*outs, g.fresh("while_cond")]
    body = g.sub(sub)
    it, cond_in = body.fresh("iter"), body.fresh("cond_in")
    inputs = [
        helper.make_tensor_value_info(it, TensorProto.INT64, []),
        helper.make_tensor_value_info(cond_in, TensorProto.BOOL, None),
    ]
    init = []
    for var in carried:
        vin = body.fresh("carried")
        body.alias[vin] = var
        body.env[var] = vin
        inputs.append(_info(g, vin, var))
        before = g.env.get(var)
        if before is None and g.var(var).persistable:
            before = var
        init.append(before if before is not None else _placeholder(g, var))
    body.convert(sub.ops)
    cond_out = body.one("Identity", [_as_bool(body, body.value(cond_var))])
    outputs = [helper.make_tensor_value_info(cond_out, TensorProto.BOOL, None)]
    for var in carried:
        v = body.one("Identity", [body.value(var)])
        outputs.append(_info(g, v, var))
    g.node(
        "Loop",
        ["", _as_bool(g, cond_now), *init],
        outs,
        body=helper.make_graph(body.nodes, g.fresh("while_body"), inputs, outputs),
    )
    if appended:  # not an output of the op, so convert() will not bind it
        g.env[cond_var] = outs[-1]


@rule("assign_value")
def _assign_value(g, op, a):
    """A constant from the attribute list matching ``dtype`` (dy2static's initial values)."""
    values = (
        a.get("bool_values")
        or a.get("fp32_values")
        or a.get("fp64_values")
        or a.get("int32_values")
        or a.get("int64_values")
        or []
    )
    out = _out(op)
    arr = np.asarray(values, dtype=g.np_dtype(out)).reshape(a.get("shape") or [])
    g.one("Identity", [g.const(arr, hint="value")], out)
