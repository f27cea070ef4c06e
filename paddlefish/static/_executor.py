"""``paddle.static.Executor``: run a static ``Program`` on the interpreter, against a ``Scope``.

``run(program, feed, fetch_list)`` checks the feed against the program's inputs, puts the fed
values and the scope's persistables into a fresh value table, runs the program's global block
through one cached ``CompiledBlock`` (the same interpreter ``jit.load`` uses) and returns the
fetched values.

NOTE [static training]: gradients come from torch autograd through the interpreter, not from
Paddle's ``*_grad`` ops: ``optimizer.minimize(loss)`` only attaches the optimizer to the program
(``Program._train``), and a run of that program computes the forward with the scope's parameters
as autograd leaves, calls ``backward()`` on the loss and ``optimizer.step()`` — one training step
per run, the same arithmetic as the dygraph optimizer. So a training program paddlefish saves
(``static.save``'s ``.pdmodel``) holds the forward ops only, without Paddle's backward
(``op_role`` 1) and optimizer (``op_role`` 2) ops; the optimizer state goes to ``.pdopt`` under
Paddle's accumulator names, which is what ``static.load`` on either side reads.
"""

from __future__ import annotations

import numpy as np
import torch

from .. import ir
from ..eager._dtype import numpy_to_torch, to_torch_dtype
from ..eager.device import CPUPlace
from ..eager.tensor import Parameter, Tensor, wrap
from ..errors import ExecutionError
from ..ops import lookup as lookup_op
from ..ops.legacy import OBSOLETE_OPS
from ._program import Program, default_main_program
from ._scope import Scope, assign_value, global_scope
from .backward import GRAD_SUFFIX
from .interpreter import CompiledBlock

__all__ = ["CPUPlace", "CompiledProgram", "Executor", "cpu_places"]


def cpu_places(device_count: int | None = None) -> list:
    return [CPUPlace() for _ in range(device_count or 1)]


class CompiledProgram:
    """``paddle.static.CompiledProgram(program)``: runs as the program itself here."""

    def __init__(self, program_or_graph, build_strategy=None):
        self._program = program_or_graph
        self._build_strategy = build_strategy


class _Plan:
    """A program's global block compiled once, plus what its runs must check."""

    def __init__(self, program: Program, fetch: tuple[str, ...], prune: bool):
        block = _forward_only(program.global_block())
        persist = {n for n, v in block.vars.items() if v.persistable}
        if prune:
            block = _needed_only(block, fetch, persist)
        _check_ops(block)
        self.compiled = CompiledBlock(block, keep=set(fetch) | persist)
        produced: set[str] = set()
        reads: dict[str, None] = {}
        writes: dict[str, None] = {}
        for st in self.compiled.steps:
            for ref in st.ins:
                for n in ref if isinstance(ref, list) else ([ref] if ref else []):
                    if n not in produced:
                        reads[n] = None
            for ref in st.outs:
                for n in ref if isinstance(ref, list) else ([ref] if ref else []):
                    produced.add(n)
                    if n in persist:
                        writes[n] = None
        self.persist_reads = [n for n in reads if n in persist]
        self.feed_reads = [n for n in reads if n not in persist]
        self.data_vars = [n for n in self.feed_reads if n not in produced]
        self.feed_specs: dict[str, tuple] = {}  # name -> (torch dtype, dims to check)
        self.bound: tuple = (None, -1, [])  # (scope, its version, [(name, Tensor)])
        self.persist_writes = list(writes)
        self.produced = produced
        self.fast: _FastRun | None = None


class _FastRun:
    """NOTE [Executor fast path]: an inference run (no optimizer, the global scope) repeated
    with the same feed keys and fetch list skips the per-call planning, validation and context
    managers: it checks only that nothing it relied on changed (the program's op/variable
    counts, the scope's bindings, the feed keys, the fetch names) and otherwise falls back to
    the full path (``run`` returns None). Feeds are still converted and shape-checked per call.
    """

    __slots__ = ("bound", "compiled", "convs", "feed_keys", "fetch", "n_ops", "n_vars", "plan",
                 "scope", "version")

    def __init__(self, program: Program, plan: _Plan, scope: Scope, feed_keys: tuple,
                 fetch: tuple):
        block = program.global_block()
        self.n_ops, self.n_vars = _op_count(program), len(block.vars)
        self.plan, self.compiled, self.scope = plan, plan.compiled, scope
        self.version = scope._version
        self.bound = plan.bound[2]
        self.feed_keys, self.fetch = feed_keys, fetch
        self.convs = [(k, plan.feed_specs[k]) for k in feed_keys]

    def run(self, program: Program, feed: dict, fetch_list, return_numpy: bool):
        scope = global_scope()
        if (scope is not self.scope or scope._version != self.version
                or (program._train is not None and not program._for_test)
                or program._after_run or program._init_values
                or tuple(feed) != self.feed_keys or type(fetch_list) not in (list, tuple)
                or len(program.global_block().vars) != self.n_vars
                or _op_count(program) != self.n_ops):
            return None
        fetch = self.fetch
        if len(fetch_list) != len(fetch):
            return None
        for f, n in zip(fetch_list, fetch):
            if (f if type(f) is str else getattr(f, "name", None)) != n:
                return None
        values = {n: t._t for n, t in self.bound}  # ._t each run: assign_value may rebind it
        for (name, spec), value in zip(self.convs, feed.values()):
            values[name] = _feed_tensor(name, value, spec)
        prev = torch.is_grad_enabled()
        torch._C._set_grad_enabled(False)
        try:
            self.compiled.run(values)
        finally:
            torch._C._set_grad_enabled(prev)
        if self.plan.persist_writes:
            Executor._write_back(None, self.plan, scope, values)
        out = []
        for n in fetch:
            v = values.get(n)
            if v is None:
                out.append(Executor._fetched(None, program, scope, values, n, return_numpy))
                continue
            if v.requires_grad:
                v = v.detach()
            v = _unshared(v, scope, n)
            out.append(v.cpu().numpy() if return_numpy else wrap(v))
        return out


def _unshared(v: torch.Tensor, scope, name: str) -> torch.Tensor:
    """A fetched value that is the scope's own tensor (a parameter, a moving statistic, a
    metric's state) is copied, as Paddle's fetch copies: otherwise an array fetched earlier
    would change under the caller when a later run updates the variable in place."""
    t = scope._get(name)
    if t is not None and t._t.untyped_storage().data_ptr() == v.untyped_storage().data_ptr():
        return v.clone()
    return v


def _op_count(program: Program) -> int:
    blocks = program.blocks
    if len(blocks) == 1:
        return len(blocks[0].ops)
    return sum(len(b.ops) for b in blocks)


_FORWARD_ROLES = (0, 256)  # OpRole Forward, Loss


def _forward_only(block: ir.Block) -> ir.Block:
    """``block`` without Paddle's backward / optimizer / LR-schedule ops (a training program
    Paddle saved): see NOTE [static training]; the forward runs, the training is ours."""
    if all(op.attrs.get("op_role", 0) in _FORWARD_ROLES for op in block.ops):
        return block
    view = ir.Block(block.idx, block.parent_idx, block.vars,
                    [op for op in block.ops if op.attrs.get("op_role", 0) in _FORWARD_ROLES],
                    block.forward_block_idx)
    view.program = block.program
    return view


def _needed_only(block: ir.Block, fetch, persist: set) -> ir.Block:
    """The ops the fetches need, plus those writing persistables (running statistics): an
    inference run does not ask for inputs only the loss reads (Paddle would)."""
    needed = set(fetch)
    kept = []
    for op in reversed(block.ops):
        outs = op.output_names()
        if any(n in needed or n in persist for n in outs) or op.type in ("feed", "fetch"):
            kept.append(op)
            needed.update(op.input_names())
    if len(kept) == len(block.ops):
        return block
    view = ir.Block(block.idx, block.parent_idx, block.vars, kept[::-1], block.forward_block_idx)
    view.program = block.program
    return view


def _check_ops(block: ir.Block) -> None:
    for i, op in enumerate(block.ops):
        if op.type in ("feed", "fetch") or lookup_op(op.type) is not None:
            continue
        if op.type in OBSOLETE_OPS:
            raise ExecutionError(
                f"op {i} of the program, {op.type!r}, is {OBSOLETE_OPS[op.type]}: Paddle 2.x "
                "no longer runs it and neither does paddlefish. Remove it from the program "
                "(feed data with Executor.run(feed=...)) or re-export the model with Paddle 2.x"
            )
        raise ExecutionError(
            f"op {i} of the program, {op.type!r} ({ir.format_op(op)}), is not in paddlefish's "
            "op registry, so the program cannot run here"
        )


def _fetch_names(fetch_list) -> list[str]:
    if fetch_list is None:
        return []
    if isinstance(fetch_list, (str, Tensor, ir.VarDesc)):
        fetch_list = [fetch_list]
    out = []
    for f in fetch_list:
        name = f if isinstance(f, str) else getattr(f, "name", None)
        if not isinstance(name, str):
            raise TypeError(f"Executor.run: fetch_list items must be Variables or names, got "
                            f"{type(f).__name__}")
        out.append(name)
    return out


class Executor:
    """Runs static programs; ``place`` is accepted for compatibility (CPU).

    >>> import numpy as np, paddlefish as paddle
    >>> paddle.enable_static()
    >>> main, startup = paddle.static.Program(), paddle.static.Program()
    >>> with paddle.static.program_guard(main, startup):
    ...     x = paddle.static.data('x', [None, 3], 'float32')
    ...     y = paddle.nn.functional.relu(x) * 2.0
    >>> exe = paddle.static.Executor(paddle.static.CPUPlace())
    >>> _ = exe.run(startup)
    >>> exe.run(main, feed={'x': np.array([[-1, 0, 1]], 'float32')}, fetch_list=[y])[0].tolist()
    [[0.0, 0.0, 2.0]]
    >>> paddle.disable_static()
    """

    def __init__(self, place=None):
        self.place = place if place is not None else CPUPlace()

    def close(self) -> None:
        pass

    def run(self, program=None, feed=None, fetch_list=None, feed_var_name="feed",
            fetch_var_name="fetch", scope=None, return_numpy=True, use_program_cache=False,
            use_prune=False):
        """Run ``program`` once: feed, compute (one training step if it has an optimizer),
        return the fetched values (numpy arrays, or Tensors with ``return_numpy=False``)."""
        if isinstance(program, CompiledProgram):
            program = program._program
        program = program if program is not None else default_main_program()
        if not isinstance(program, ir.Program):
            raise TypeError(f"Executor.run: expected a paddle.static.Program, got "
                            f"{type(program).__name__}")
        if type(program) is Program and scope is None and type(feed) is dict:
            cached = program._compiled
            fast = cached[1].fast if cached is not None else None
            if fast is not None:
                out = fast.run(program, feed, fetch_list, return_numpy)
                if out is not None:
                    return out
        program = Program.from_ir(program)
        own_scope = scope is None
        scope = scope if scope is not None else global_scope()
        if not isinstance(scope, Scope):
            raise TypeError(f"Executor.run: scope must be a paddle.static.Scope, got "
                            f"{type(scope).__name__}")
        self._initialise(program, scope)
        fetch = _fetch_names(fetch_list)
        if not program.global_block().ops:
            return self._fetch_only(program, scope, fetch, return_numpy)
        train = program._train if not program._for_test else None
        grads = [program._grads[n] for n in fetch if n in program._grads]
        wanted = tuple(fetch)
        if grads:  # NOTE [static gradients] in backward.py: keep what the gradients read
            extra = [n for g in grads for n in (*g.targets, *(g.target_grads or ()), g.input)]
            wanted = tuple(dict.fromkeys([*fetch, *extra]))
        plan = self._plan(program, wanted, prune=train is None)
        values = self._inputs(program, plan, scope, feed or {})
        if train is not None:
            self._train_step(program, plan, scope, values, train, fetch)
        elif grads:
            _grad_run(program, plan, values, fetch)
        else:
            with torch.no_grad():
                plan.compiled.run(values)
        self._write_back(plan, scope, values)
        out = [self._fetched(program, scope, values, n, return_numpy) for n in fetch]
        for hook in program._after_run:
            hook(scope)
        if (train is None and not grads and own_scope and not program._init_values
                and not program._after_run and plan.fast is None):
            plan.fast = _FastRun(program, plan, scope, tuple(feed or {}), tuple(fetch))
        return out

    # ---- steps -----------------------------------------------------------------------------
    def _initialise(self, program: Program, scope: Scope) -> None:
        """A startup program: copy its initial values into the scope (NOTE [static
        parameters] in _program.py)."""
        for name, t in program._init_values.items():
            value = t._t.detach().clone()
            if isinstance(t, Parameter):
                new = Parameter(value, name=name, trainable=t.trainable,
                                optimize_attr=t.optimize_attr, regularizer=t.regularizer,
                                need_clip=t.need_clip)
                new.stop_gradient = t.stop_gradient
            else:
                new = wrap(value)
                new.name = name
                new.persistable = True
            scope._set(name, new)

    def _fetch_only(self, program, scope, fetch, return_numpy):
        out = []
        for n in fetch:
            t = scope._get(n)
            if t is None:
                raise ExecutionError(f"Executor.run: cannot fetch {n!r}: the program has no ops "
                                     "and the scope holds no such variable")
            out.append(t.numpy() if return_numpy else t)
        return out

    def _plan(self, program: Program, fetch: tuple[str, ...], prune: bool) -> _Plan:
        sig = (fetch, prune, _op_count(program), len(program.global_block().vars))
        cached = program._compiled
        if cached is not None and cached[0] == sig:
            return cached[1]
        block = program.global_block()
        train = program._train if not program._for_test else None
        for n in fetch:
            if (train is not None and n.endswith(GRAD_SUFFIX)
                    and n[: -len(GRAD_SUFFIX)] in train.param_names):
                continue  # a training step's gradient (NOTE [static gradients] in backward.py)
            if block.find_var(n) is None:
                raise ExecutionError(
                    f"Executor.run: fetch_list names {n!r}, which is not a variable of the "
                    f"program (it has {len(block.vars)} variables, e.g. "
                    f"{[v for v in block.vars if not block.vars[v].persistable][-5:]})"
                )
        plan = _Plan(program, fetch, prune)
        program._compiled = (sig, plan)
        return plan

    def _inputs(self, program, plan, scope, feed) -> dict:
        if not isinstance(feed, dict):
            raise TypeError(f"Executor.run: feed must be a dict of name -> array, got "
                            f"{type(feed).__name__}")
        data_vars = plan.data_vars
        values: dict = {}
        for name, value in feed.items():
            spec = plan.feed_specs.get(name)
            if spec is None:
                spec = plan.feed_specs[name] = _feed_spec(program, name, data_vars)
            values[name] = _feed_tensor(name, value, spec)
        missing = [n for n in data_vars if n not in values]
        if missing:
            raise ExecutionError(
                f"Executor.run: the program reads {missing} but feed= does not give them "
                f"(feed keys: {sorted(feed)}); the program's inputs are {data_vars}"
            )
        b_scope, b_version, bound = plan.bound
        if b_scope is not scope or b_version != scope._version:
            bound = [(n, _persistable(scope, n)) for n in plan.persist_reads]
            plan.bound = (scope, scope._version, bound)
        for name, t in bound:
            if name not in values:
                values[name] = t._t  # ._t each run: assign_value may rebind it
        return values

    def _train_step(self, program, plan, scope, values, train, fetch=()) -> None:
        params = train.bind(scope)
        opt = train.optimizer
        for p in params:
            p._t.grad = None
        with torch.enable_grad():
            plan.compiled.run(values)
            loss = values.get(train.loss_name)
            if loss is None:
                raise ExecutionError(f"Executor.run: the loss {train.loss_name!r} was not "
                                     "computed by the program")
            if loss.requires_grad:
                loss.sum().backward()
        by_name = {p.name: p for p in params}
        for n in fetch:  # param@GRAD of this step (NOTE [static gradients] in backward.py)
            p = by_name.get(n[: -len(GRAD_SUFFIX)]) if n.endswith(GRAD_SUFFIX) else None
            if p is not None:
                g = p._t.grad
                values[n] = g.detach().clone() if g is not None else torch.zeros_like(p._t)
        opt.step()
        for k, v in opt.state_dict().items():
            if isinstance(v, Tensor):
                scope._set(k, v)

    def _write_back(self, plan, scope, values) -> None:
        for n in plan.persist_writes:
            new = values.get(n)
            t = scope._get(n)
            if new is None:
                continue
            if t is None:
                w = wrap(new.detach())
                w.name = n
                scope._set(n, w)
            elif new is not t._t:
                assign_value(t, new.detach())

    def _fetched(self, program, scope, values, name, return_numpy):
        v = values.get(name)
        if v is None:
            t = scope._get(name)
            if t is None:
                raise ExecutionError(f"Executor.run: {name!r} was not computed by this run (no "
                                     "op of the program writes it and it is not fed)")
            v = t._t
        v = _unshared(v.detach(), scope, name)
        return v.cpu().numpy() if return_numpy else wrap(v)


def _grad_run(program: Program, plan: _Plan, values: dict, fetch: list[str]) -> None:
    """Run the forward with float feeds/persistables as autograd leaves, then put the fetched
    ``@GRAD`` variables into ``values`` (NOTE [static gradients] in backward.py)."""
    for n, v in list(values.items()):
        if isinstance(v, torch.Tensor) and v.is_floating_point():
            values[n] = v.detach().requires_grad_(True)
    with torch.enable_grad():
        plan.compiled.run(values)
        groups: dict[tuple, list[tuple[str, str]]] = {}
        for n in fetch:
            req = program._grads.get(n)
            if req is not None:
                groups.setdefault((req.targets, req.target_grads), []).append((n, req.input))
        for (targets, seeds), pairs in groups.items():
            outs = [values[t] for t in targets]
            seed = ([torch.ones_like(o) for o in outs] if seeds is None
                    else [values[s].detach().to(o.dtype) for s, o in zip(seeds, outs)])
            ins = [values[i] for _, i in pairs]
            live = [k for k, o in enumerate(outs) if o.requires_grad]
            got = [None] * len(ins)
            if live:
                got = torch.autograd.grad([outs[k] for k in live], ins,
                                          [seed[k] for k in live], retain_graph=True,
                                          allow_unused=True)
            for (gname, _), x, g in zip(pairs, ins, got):
                values[gname] = (g if g is not None else torch.zeros_like(x)).detach()


def _persistable(scope: Scope, name: str) -> Tensor:
    t = scope._get(name)
    if t is None:
        raise ExecutionError(
            f"Executor.run: persistable variable {name!r} has no value in the scope: run the "
            "startup program first (exe.run(startup_program)), or load the parameters "
            "(paddle.static.load / set_program_state)"
        )
    return t


def _feed_spec(program: Program, name: str, data_vars: list[str]) -> tuple:
    var = program.global_block().find_var(name)
    if var is None:
        raise ExecutionError(
            f"Executor.run: feed={{{name!r}: ...}} names no variable of the program; its "
            f"inputs are {data_vars}"
        )
    td = to_torch_dtype(var.dtype) if var.dtype is not None else None
    dims = var.shape if var.shape is not None and var.need_check_feed else None
    return td, dims


def _feed_tensor(name: str, value, spec: tuple) -> torch.Tensor:
    """Paddle's feed conversion: arrays are cast to the variable's dtype, dims checked."""
    td, want = spec
    if isinstance(value, Tensor):
        t = value._t.detach()
    elif (isinstance(value, np.ndarray) and value.dtype.kind in "fiub" and value.dtype.isnative
          and value.dtype != np.uint16 and value.flags.c_contiguous and value.flags.writeable):
        t = torch.from_numpy(value)
    else:
        t = numpy_to_torch(np.asarray(value))
    if td is not None and t.dtype != td:
        t = t.to(td)
    if want is not None:
        ok = len(want) == t.dim() and all(w < 0 or w == g for w, g in zip(want, t.shape))
        if not ok:
            raise ExecutionError(
                f"Executor.run: the fed value of {name!r} has shape {list(t.shape)}, but the "
                f"variable is declared with shape {want} (-1: any size)"
            )
    return t
