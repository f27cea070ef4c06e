"""Lifting ``pd_op.if`` and ``pd_op.while`` (regions, block arguments, ``cf.yield``) into the
legacy sub-block ops the executor runs (see NOTE [PIR lifting] in ``_pir_lift.py``).

``if(cond) -> r...`` with a true and a false region, each ending in ``cf.yield(v...)``, becomes
``conditional_block(cond)`` over the true sub-block and ``conditional_block(!cond)`` over the
false one, each assigning its yielded values to its own output variables, then one
``select_input([false_i, true_i], cast(cond, int32))`` per result, as Paddle 2.x's ``cond`` writes.

``while(cond, x...) -> y...`` whose body block takes arguments ``a...`` and ends in
``cf.yield(cond', z...)`` becomes loop-carried variables ``L...`` and ``C`` (assigned from ``x``
and ``cond`` before the loop), a ``while`` sub-block in which ``a_i`` reads ``L_i`` and the yield
writes ``C = cond'``, ``L_i = z_i`` (through temporaries where a ``z`` is another carried
variable, so a swap stays a swap), and the results ``y_i`` are ``L_i``.
"""

from __future__ import annotations

from .._core.dtypes import convert_dtype
from ._types import AttrType, VarType

__all__ = ["CONTROL_RULES", "lift_if", "lift_while"]

_BOOL = convert_dtype("bool")
_INT32 = convert_dtype("int32")


def _single_block(L, op, region_index: int, n_args: int):
    region = op.regions[region_index]
    if len(region.blocks) != 1:
        raise L.fail(op, f"region {region.name} has {len(region.blocks)} blocks, expected 1")
    b = region.blocks[0]
    if len(b.args) != n_args:
        raise L.fail(op, f"block {b.name} takes {len(b.args)} arguments, expected {n_args}")
    return b


def _yielded(L, op, pblock, names, n: int):
    if names is None:
        raise L.fail(op, f"block {pblock.name} does not end in cf.yield")
    if len(names) != n:
        raise L.fail(op, f"block {pblock.name} yields {len(names)} values, expected {n}")
    if any(isinstance(x, list) for x in names):
        raise L.fail(op, f"block {pblock.name} yields a vector; expected tensors")
    return names


def _scope_var(L, block, hint: str) -> str:
    n = L.fresh(hint)
    block.create_var(n, type=VarType.STEP_SCOPES)
    return n


def _var_like(L, block, hint: str, t) -> str:
    n = L.fresh(hint)
    L.declare(block, n, t)
    return n


def _outer_reads(program, sub) -> list[str]:
    """Variables that ``sub`` (or a block nested in it) reads but that live in an outer block.

    NOTE [sub-block inputs]: Paddle 2.x lists them in ``conditional_block``'s ``Input`` and
    ``while``'s ``X``; its executor frees a value after the last op that names it, so a value read
    only inside a sub-block that is not listed there is gone when the sub-block runs ("Tensor
    holds no memory"). paddlefish's executor does not need the lists; they are for Paddle.
    """
    nested = [sub]
    i = 0
    while i < len(nested):
        for o in nested[i].ops:
            if "sub_block" in o.attrs:
                nested.append(program.blocks[int(o.attrs["sub_block"])])
        i += 1
    local = {n for b in nested for n in b.vars}
    seen, out = set(), []
    for b in nested:
        for o in b.ops:
            for n in o.input_names():
                if n not in local and n not in seen and sub.find_var(n) is not None:
                    seen.add(n)
                    out.append(n)
    return out


def _branch(L, op, block, index: int, cond: str, tag: str) -> list[str]:
    pblock = _single_block(L, op, index, 0)
    sub = L.program.create_block(block.idx)
    names = _yielded(L, op, pblock, L.lift_block(pblock, sub), len(op.results))
    outs = []
    for res, src in zip(op.results, names):
        out = _var_like(L, block, f"if_{res.id}.{tag}", res.type)
        L.append(sub, "assign", {"X": [src]}, {"Out": [out]}, {})
        outs.append(out)
    tag_id = op.results[0].id if op.results else sub.idx
    scope = _scope_var(L, block, f"if_{tag_id}.{tag}_scope")
    cb = L.append(
        block,
        "conditional_block",
        {"Cond": [cond], "Input": _outer_reads(L.program, sub)},
        {"Out": outs, "Scope": [scope]},
        {"is_scalar_condition": True},
    )
    cb.set_attr("sub_block", sub.idx, AttrType.BLOCK)
    return outs


def lift_if(L, op, block) -> None:
    L.expect_arity(op, 1)
    if len(op.regions) != 2:
        raise L.fail(op, f"pd_op.if has {len(op.regions)} regions, expected 2 (true, false)")
    cond = L.name(op.operands[0])
    if isinstance(cond, list):
        raise L.fail(op, "the condition is a vector")
    trues = _branch(L, op, block, 0, cond, "true")
    not_cond = L.temp(block, f"{cond}.not", _BOOL, None)
    L.append(block, "logical_not", {"X": [cond]}, {"Out": [not_cond]}, {})
    falses = _branch(L, op, block, 1, not_cond, "false")
    if not op.results:
        return
    mask = L.temp(block, f"{cond}.mask", _INT32, None)
    L.append(block, "cast", {"X": [cond]}, {"Out": [mask]}, {"in_dtype": 0, "out_dtype": 2})
    for res, t, f in zip(op.results, trues, falses):
        out = L.define(block, res, "if")
        L.append(block, "select_input", {"X": [f, t], "Mask": [mask]}, {"Out": [out]}, {})


def lift_while(L, op, block) -> None:
    if not op.operands:
        raise L.fail(op, "pd_op.while needs a condition operand")
    n = len(op.operands) - 1
    if len(op.results) != n:
        raise L.fail(op, f"expected {n} results (one per loop variable), got {len(op.results)}")
    if len(op.regions) != 1:
        raise L.fail(op, f"pd_op.while has {len(op.regions)} regions, expected 1")
    body = _single_block(L, op, 0, n)
    cond, *inits = (L.name(v) for v in op.operands)
    if isinstance(cond, list) or any(isinstance(x, list) for x in inits):
        raise L.fail(op, "a loop variable or the condition is a vector; expected tensors")
    carried = []
    for res, init in zip(op.results, inits):
        c = _var_like(L, block, f"while_{res.id}.carry", res.type)
        L.append(block, "assign", {"X": [init]}, {"Out": [c]}, {})
        carried.append(c)
    cvar = L.temp(block, f"while_{op.results[0].id if op.results else 'x'}.cond", _BOOL, None)
    L.append(block, "assign", {"X": [cond]}, {"Out": [cvar]}, {})
    sub = L.program.create_block(block.idx)
    args = {a.id: c for a, c in zip(body.args, carried)}
    new_cond, *news = _yielded(L, op, body, L.lift_block(body, sub, args), n + 1)
    L.append(sub, "assign", {"X": [new_cond]}, {"Out": [cvar]}, {})
    staged = {}
    for c, z in zip(carried, news):
        if z != c and z in carried:  # another carried variable: copy before anything is written
            tmp = L.temp(sub, f"{z}.prev", None, None)
            L.append(sub, "assign", {"X": [z]}, {"Out": [tmp]}, {})
            staged[c] = tmp
    for c, z in zip(carried, news):
        if z != c:
            L.append(sub, "assign", {"X": [staged.get(c, z)]}, {"Out": [c]}, {})
    w = L.append(
        block,
        "while",
        {"X": carried + [n for n in _outer_reads(L.program, sub) if n not in carried],
         "Condition": [cvar]},
        {"Out": list(carried), "StepScopes": [_scope_var(L, block, f"{cvar}.scopes")]},
        {},
    )
    w.set_attr("sub_block", sub.idx, AttrType.BLOCK)
    for res, c in zip(op.results, carried):
        L.bind(res.id, c, res.type)


CONTROL_RULES = {"pd_op.if": lift_if, "pd_op.while": lift_while}
