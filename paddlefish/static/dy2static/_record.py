"""Recording tensor-dependent ``if``/``while`` as Paddle 2.6 writes them.

NOTE [dy2static cond layout]: Paddle 2.6 records ``if pred:`` as
``conditional_block(Cond=[pred], Input=<outer reads>) -> Out=<outs>, Scope`` over the true
branch's sub-block, ``logical_not(pred)``, a second ``conditional_block`` over the false branch,
``cast(pred -> int32)`` and one ``select_input(Mask, X=[false_out, true_out])`` per output; each
branch ends with ``assign`` ops writing its results into the output variables, which are declared
in the parent block. ``while`` is ``while(X=<outer reads>, Condition=c) -> Out=<written outer
vars>, StepScopes`` whose sub-block recomputes the body and the condition and ``assign``s them
back onto the loop variables and ``c`` (``is_test=True``). Observed from Paddle 2.6.2 jit.save.

NOTE [loop shapes]: a loop variable may change shape across iterations (``x = paddle.concat([x,
y])``). Paddle 2.6 only warns ("we attemp to assign a variable with shape (4, 4) into a variable
with shape (2, 4), which is not always right") and keeps the first shape in the var desc, so its
program declares a wrong static shape. We instead widen: every dimension that differs between
the value entering the loop and the value leaving one iteration becomes dynamic (``-1``) in the
loop variable's desc, and the body is recorded again (the first recording rolled back) until no
shape changes; each round adds at least one ``-1``, so it ends. A change of dtype or rank is
still refused.
"""

from __future__ import annotations

import torch

from ... import ir
from ...eager._dtype import to_torch_dtype
from ...eager.dispatch import get_recorder
from ...eager.tensor import Tensor
from ...errors import ConversionError
from ...tensor._run import run
from ..interpreter import outer_reads
from ..recorder import DYN_A, DYN_B
from ..variable import Variable

B = ir.AttrType


class Undefined:
    """A local that has no value on this path yet (Python would raise UnboundLocalError)."""

    def __init__(self, name: str):
        self.name = name

    def __repr__(self) -> str:
        return f"Undefined({self.name!r})"

    def __bool__(self) -> bool:
        raise ConversionError(f"variable {self.name!r} is used before it is assigned on this "
                              "path of a converted if/while")


def _where(loc) -> str:
    return f"{loc[0]}:{loc[1]}"


def as_bool(x: Variable) -> Variable:
    return x if x.dtype.name == "bool" else run("cast", x, in_dtype=_vt(x), out_dtype=0)


def _vt(x) -> int:
    return x.dtype.vartype


def _scalar_pred(pred: Variable, loc) -> Variable:
    shape = pred.shape
    if any(d < 0 for d in shape) or int(torch.Size(shape).numel()) != 1:
        raise ConversionError(
            f"{_where(loc)}: the condition of a converted if/while must be a one-element tensor, "
            f"got shape {shape}. Reduce it first, e.g. `if (x > 0).all():` or `if x.mean() > 0:`"
        )
    return as_bool(pred)


def _full(value, like=None) -> Variable:
    """A Python number as a recorded constant: 0-D as Paddle 2.6 makes a Python loop variable
    (``i = 0; while i < n``, ``for i in range(n)``, so ``x[i]`` drops the axis), or with the
    dtype and (one-element) shape of the tensor ``like`` it is merged with."""
    if like is not None:
        vt, shape = _vt(like), ([] if not like.shape else [1])
    else:
        vt = 0 if isinstance(value, bool) else 3 if isinstance(value, int) else 5
        shape = []
    return run("fill_constant", dtype=vt, shape=shape, value=float(value))


# ---- structures ------------------------------------------------------------------------------
def _flatten(x, leaves: list):
    if isinstance(x, (tuple, list)):
        return (type(x).__name__, tuple(_flatten(v, leaves) for v in x))
    if isinstance(x, dict):
        return ("dict", tuple((k, _flatten(x[k], leaves)) for k in x))
    leaves.append(x)
    return "T" if isinstance(x, Tensor) else "."


def _unflatten(tree, leaves):
    if tree in ("T", "."):
        return next(leaves)
    kind, items = tree
    if kind == "dict":
        return {k: _unflatten(v, leaves) for k, v in items}
    seq = [_unflatten(v, leaves) for v in items]
    return tuple(seq) if kind == "tuple" else seq


def _is_num(v) -> bool:
    return isinstance(v, (bool, int, float))


def _same_py(a, b) -> bool:
    if a is b:
        return True
    return type(a) is type(b) and _is_num(a) and a == b


# ---- cond --------------------------------------------------------------------------------------
def _branch(rec, fn, args):
    block = rec.enter_block()
    try:
        out = fn(*args)
    finally:
        rec.exit_block()
    return block, out


def _merged(rec, t: Variable, f: Variable, name: str, loc) -> Variable:
    if t.dtype != f.dtype or len(t.shape) != len(f.shape):
        raise ConversionError(
            f"{_where(loc)}: `{name}` is a {t.dtype.name} tensor of shape {t.shape} in the true "
            f"branch but {f.dtype.name} of shape {f.shape} in the false branch; both branches "
            "must give it the same dtype and rank (cast or reshape one of them)"
        )
    shape = [a if a == b else -1 for a, b in zip(t.shape, f.shape)]
    td = to_torch_dtype(t.dtype)
    a = torch.empty([DYN_A if d < 0 else d for d in shape], dtype=td, device="meta")
    b = torch.empty([DYN_B if d < 0 else d for d in shape], dtype=td, device="meta")
    vname = rec.new_name("_generated_var")
    rec.block.create_var(vname, dtype=t.dtype, shape=shape, persistable=False, lod_level=0)
    return Variable(vname, a, b)


def _plan(t_leaves, f_leaves, names, loc):
    """Per leaf: ('py', value) kept as Python, ('undef', name) or ('sel', t, f) to select."""
    plan = []
    for i, (t, f) in enumerate(zip(t_leaves, f_leaves)):
        name = names[i] if i < len(names) else f"return value {i}"
        if isinstance(t, Undefined) or isinstance(f, Undefined):
            plan.append(("undef", t if isinstance(t, Undefined) else f))
        elif not isinstance(t, Tensor) and not isinstance(f, Tensor) and _same_py(t, f):
            plan.append(("py", t))
        elif (isinstance(t, Tensor) or _is_num(t)) and (isinstance(f, Tensor) or _is_num(f)):
            plan.append(("sel", t, f))
        else:
            raise ConversionError(
                f"{_where(loc)}: a tensor-dependent `if` gives `{name}` the value "
                f"{type(t).__name__} in the true branch but {type(f).__name__} in the false "
                "branch; a converted `if` needs tensors (or equal Python values) on both "
                "sides. Assign a tensor in both branches."
            )
    return plan


def _branch_value(rec, block, v, other):
    rec.enter_block(block)
    try:
        if isinstance(v, Tensor):
            return rec.var_of(v)
        return _full(v, like=other if isinstance(other, Tensor) else None)
    finally:
        rec.exit_block()


def _close_branch(rec, block, pairs):
    rec.enter_block(block)
    try:
        for src, dst in pairs:
            rec.assign_to(src, dst)
    finally:
        rec.exit_block()


def _cond_op(rec, pred: Variable, block, outs: list[Variable]) -> None:
    scope = rec.new_name("_generated_var")
    rec.block.create_var(scope, type=ir.VarType.STEP_SCOPES)
    rec.append_raw(
        "conditional_block",
        {"Cond": [pred.name], "Input": outer_reads(rec.program, block)},
        {"Out": [o.name for o in outs], "Scope": [scope]},
        {"is_scalar_condition": True, "sub_block": block.idx},
        {"is_scalar_condition": B.BOOLEAN, "sub_block": B.BLOCK},
    )


def record_cond(pred, true_fn, false_fn, args, names, loc):
    rec = get_recorder()
    pred = _scalar_pred(pred, loc)
    t_block, t_out = _branch(rec, true_fn, args)
    f_block, f_out = _branch(rec, false_fn, args)
    t_leaves, f_leaves = [], []
    t_tree, f_tree = _flatten(t_out, t_leaves), _flatten(f_out, f_leaves)
    if _shape_of(t_tree) != _shape_of(f_tree):
        raise ConversionError(
            f"{_where(loc)}: the branches of a tensor-dependent `if` return different "
            f"structures ({_shape_of(t_tree)} vs {_shape_of(f_tree)}); return the same "
            "number and nesting of tensors from both branches"
        )
    plan = _plan(t_leaves, f_leaves, names, loc)
    t_pairs, f_pairs, results, sel = [], [], [], []
    for i, p in enumerate(plan):
        if p[0] != "sel":
            results.append(p[1])
            continue
        tv = _branch_value(rec, t_block, p[1], p[2])
        fv = _branch_value(rec, f_block, p[2], p[1])
        nm = names[i] if i < len(names) else f"return value {i}"
        t_dst, f_dst = _merged(rec, tv, fv, nm, loc), _merged(rec, tv, fv, nm, loc)
        t_pairs.append((tv, t_dst))
        f_pairs.append((fv, f_dst))
        sel.append((len(results), t_dst, f_dst))
        results.append(None)
    _close_branch(rec, t_block, t_pairs)
    _close_branch(rec, f_block, f_pairs)
    _cond_op(rec, pred, t_block, [d for _, d in t_pairs])
    _cond_op(rec, run("logical_not", pred), f_block, [d for _, d in f_pairs])
    if sel:
        mask = run("cast", pred, in_dtype=0, out_dtype=2)
        for k, t_dst, f_dst in sel:
            out = _merged(rec, t_dst, f_dst, "", loc)
            rec.append_raw("select_input", {"Mask": [mask.name], "X": [f_dst.name, t_dst.name]},
                           {"Out": [out.name]}, {}, {})
            results[k] = out
    return _unflatten(t_tree, iter(results))


def _shape_of(tree):
    if tree in ("T", "."):
        return "x"
    kind, items = tree
    if kind == "dict":
        return ("dict", tuple((k, _shape_of(v)) for k, v in items))
    return (kind, tuple(_shape_of(v) for v in items))


# ---- while -------------------------------------------------------------------------------------
def _loop_entry(args):
    """(values for the loop, indices carried as loop variables)."""
    vals, carried = list(args), []
    for i, v in enumerate(vals):
        if isinstance(v, Tensor):
            vals[i] = run("assign", v)  # a fresh variable: the loop writes it in place
            carried.append(i)
        elif _is_num(v):
            vals[i] = _full(v)
            carried.append(i)
    return vals, carried


def _snapshot(v):
    return (len(v), [id(x) for x in v]) if isinstance(v, (list, dict)) else None


def _check_passthrough(before, snap, after, name, loc):
    if isinstance(before, Undefined):
        return
    if after is not before:
        raise ConversionError(
            f"{_where(loc)}: `{name}` ({type(before).__name__}) is reassigned inside a "
            "tensor-dependent `while`; only tensors and numbers can change in a converted loop. "
            "Keep it a tensor (e.g. paddle.full) or move it out of the loop."
        )
    if snap is not None and _snapshot(after) != snap:
        raise ConversionError(
            f"{_where(loc)}: the list/dict `{name}` is modified (e.g. append) inside a "
            "tensor-dependent `while`; a converted loop cannot grow a Python list. Preallocate "
            "a tensor and write rows with paddle.scatter/concat outside the loop, or loop over "
            "a Python range."
        )


def _body(rec, body, vals, carried, names, loc):
    snaps = [_snapshot(v) for v in vals]
    new = list(body(*vals))
    for i, (old, nv) in enumerate(zip(vals, new)):
        name = names[i]
        if i not in carried:
            _check_passthrough(old, snaps[i], nv, name, loc)
            continue
        if _is_num(nv):
            nv = new[i] = _full(nv, like=old)
        if not isinstance(nv, Tensor) or nv.dtype != old.dtype or \
                len(nv.shape) != len(old.shape):
            got = f"{nv.dtype.name} {nv.shape}" if isinstance(nv, Tensor) else type(nv).__name__
            raise ConversionError(
                f"{_where(loc)}: loop variable `{name}` enters the tensor-dependent `while` as "
                f"{old.dtype.name} {old.shape} and leaves an iteration as {got}; a converted "
                "loop keeps each variable's dtype and rank (cast/reshape inside the body)"
            )
    return new


def _widened(rec, vals, new, carried) -> bool:
    """Make every loop-variable dim that the body changed dynamic (NOTE [loop shapes]);
    True if any changed."""
    changed = False
    for i in carried:
        old, nv = vals[i], new[i]
        nv2 = nv._t2 if isinstance(nv, Variable) else nv._t  # a concrete tensor: static dims
        # a dim stays as it is if it is already dynamic or the iteration kept its size
        same = [a != a2 or (a == b and a2 == b2) for a, b, a2, b2 in
                zip(old._t.shape, nv._t.shape, old._t2.shape, nv2.shape)]
        if all(same):
            continue
        shape = [d if s else -1 for d, s in zip(old.shape, same)]
        rec.block.find_var(old.name).shape = shape
        td = old._t.dtype
        vals[i] = Variable(old.name,
                           torch.empty([DYN_A if d < 0 else d for d in shape], dtype=td,
                                       device="meta"),
                           torch.empty([DYN_B if d < 0 else d for d in shape], dtype=td,
                                       device="meta"))
        changed = True
    return changed


def _record_body(rec, cond, body, vals, carried, names, loc):
    """Record the loop body (and the next condition) into a new sub-block, widening loop
    variables whose shapes change until none does; returns (block, values after one
    iteration, next condition)."""
    while True:
        mark = rec.checkpoint()
        block = rec.enter_block()
        try:
            new = _body(rec, body, vals, carried, names, loc)
            c1 = _scalar_pred(cond(*new), loc)
        finally:
            rec.exit_block()
        if not _widened(rec, vals, new, carried):
            return block, new, c1
        rec.rollback(mark)


def _written_outer(block) -> list[str]:
    out: dict[str, None] = {}
    for op in block.ops:
        for n in op.output_names():
            if n not in block.vars:
                out[n] = None
    return list(out)


def record_while(cond, body, args, names, loc):
    rec = get_recorder()
    vals, carried = _loop_entry(args)
    c0 = cond(*vals)
    if not isinstance(c0, Variable):
        raise ConversionError(f"{_where(loc)}: the loop condition stopped depending on tensors "
                              "once its variables became tensors")
    c0 = run("assign", _scalar_pred(c0, loc))
    block, new, c1 = _record_body(rec, cond, body, vals, carried, names, loc)
    rec.enter_block(block)
    try:
        for i in carried:
            if new[i] is not vals[i]:
                rec.assign_to(new[i], vals[i])
        rec.assign_to(c1, c0)
    finally:
        rec.exit_block()
    steps = rec.new_name("_generated_var")
    rec.block.create_var(steps, type=ir.VarType.STEP_SCOPES)
    rec.append_raw(
        "while",
        {"X": outer_reads(rec.program, block), "Condition": [c0.name]},
        {"Out": _written_outer(block), "StepScopes": [steps]},
        {"is_test": True, "sub_block": block.idx},
        {"is_test": B.BOOLEAN, "sub_block": B.BLOCK},
    )
    return tuple(vals)
