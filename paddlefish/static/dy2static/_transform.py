"""The AST rewrite of a forward: tensor-dependent ``if``/``while``/``for range`` -> runtime calls.

Each ``if``/``while`` becomes nested functions plus one call into ``_runtime`` that decides at
run time: a plain Python condition runs as plain Python, a recorded ``Variable`` condition is
recorded as ``conditional_block``/``while`` ops. The variables a branch or loop body assigns are
passed in as parameters and returned as a tuple (no ``nonlocal``); every such name is first bound
to ``Undefined`` at the top of the function so it can be passed before Python would have bound it.

Rewrites, in order: early ``return`` (an ``if`` whose body ends in ``return`` takes the rest of
the block as its ``else``), ``for i in range(...)`` -> ``while``, ``break``/``continue`` -> flag
variables that guard the rest of the loop body, then ``if``/``while`` -> calls. A construct that
cannot be rewritten (``return`` inside a loop, ``while ... else``) is left as Python and its test
is wrapped in ``py_cond``, which raises ``ConversionError`` at that line if the test is a tensor.

Before all that, comparisons, arithmetic and ``len()`` anywhere in the function go through
``_runtime`` helpers that read a dynamic dimension (``x.shape[0]`` of a ``-1`` dim, a ``DynDim``)
as a tensor at run time: see NOTE [dynamic dims in conditions] in ``_runtime``.
"""

from __future__ import annotations

import ast
import itertools

RT = "_pf_jst"  # the runtime module's name in the converted function's namespace
FN, VAR = "_pff_", "_pfv_"  # generated function / variable name prefixes


def _load(name):
    return ast.Name(name, ast.Load())


def _store(name):
    return ast.Name(name, ast.Store())


def _call(fn, *args):
    return ast.Call(ast.Attribute(_load(RT), fn, ast.Load()), list(args), [])


def _lambda(expr):
    return ast.Lambda(ast.arguments([], [], None, [], [], None, []), expr)


def _walk_local(nodes):
    """Nodes of ``nodes`` not inside nested functions, classes, lambdas or comprehensions."""
    stack = list(nodes)
    while stack:
        n = stack.pop()
        yield n
        for c in ast.iter_child_nodes(n):
            if not isinstance(c, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda, ast.ClassDef,
                                  ast.ListComp, ast.SetComp, ast.DictComp, ast.GeneratorExp)):
                stack.append(c)


def assigned_names(stmts) -> list[str]:
    names: dict[str, None] = {}
    for n in _walk_local(stmts):
        if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Store) and not n.id.startswith(FN):
            names[n.id] = None
    return sorted(names)


def mutated_names(stmts) -> list[str]:
    """Names whose list/dict is mutated in place (``out.append(x)``): checked by loops."""
    names = set()
    for n in _walk_local(stmts):
        if isinstance(n, ast.Call) and isinstance(n.func, ast.Attribute) and \
                isinstance(n.func.value, ast.Name) and n.func.attr in _MUTATORS:
            names.add(n.func.value.id)
    return sorted(names)


_MUTATORS = {"append", "extend", "insert", "pop", "update", "setdefault", "clear", "remove"}


def _has(stmts, kinds, stop=(ast.For, ast.While, ast.AsyncFor)) -> bool:
    stack = list(stmts)
    while stack:
        n = stack.pop()
        if isinstance(n, kinds):
            return True
        if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda, ast.ClassDef)):
            continue
        if isinstance(n, stop):
            continue
        stack.extend(ast.iter_child_nodes(n))
    return False


def _has_return(stmts) -> bool:
    return _has(stmts, ast.Return, stop=())


def _ends_with_return(stmts) -> bool:
    if not stmts:
        return False
    last = stmts[-1]
    if isinstance(last, ast.Return):
        return True
    return isinstance(last, ast.If) and _ends_with_return(last.body) and \
        _ends_with_return(last.orelse)


class _Converter:
    def __init__(self, filename: str):
        self.filename = filename
        self.ids = itertools.count()
        self.names: set[str] = set()

    def loc(self, node):
        return ast.Tuple([ast.Constant(self.filename), ast.Constant(node.lineno)], ast.Load())

    # ---- statement lists -------------------------------------------------------------------
    def block(self, stmts: list) -> list:
        stmts = self._lift_early_returns(list(stmts))
        out = []
        for s in stmts:
            out.extend(self.stmt(s))
        return out

    def _lift_early_returns(self, stmts):
        for i, s in enumerate(stmts):
            if isinstance(s, ast.If) and i + 1 < len(stmts):
                rest = stmts[i + 1:]
                if _ends_with_return(s.body) and not _ends_with_return(s.orelse):
                    s.orelse = self._lift_early_returns(s.orelse + rest)
                    return stmts[:i + 1]
                if _ends_with_return(s.orelse) and not _ends_with_return(s.body) and s.orelse:
                    s.body = self._lift_early_returns(s.body + rest)
                    return stmts[:i + 1]
        return stmts

    def stmt(self, s) -> list:
        if isinstance(s, ast.If):
            return self.if_(s)
        if isinstance(s, ast.For):
            return self.for_(s)
        if isinstance(s, ast.While):
            return self.while_(s)
        return [s]

    def _guard_python(self, s, reason: str) -> list:
        s.test = _call("py_cond", s.test, self.loc(s), ast.Constant(reason))
        return [s]

    def _fn(self, name, params, body, ret):
        args = ast.arguments([], [ast.arg(p) for p in params], None, [], [], None, [])
        body = body + ([ast.Return(ret)] if ret is not None else [])
        return ast.FunctionDef(name=name, args=args, body=body or [ast.Pass()], decorator_list=[])

    # ---- if --------------------------------------------------------------------------------
    def if_(self, s: ast.If) -> list:
        n = next(self.ids)
        returns = _ends_with_return(s.body) and _ends_with_return(s.orelse)
        if not returns and (_has_return(s.body) or _has_return(s.orelse)):
            s.body, s.orelse = self.block(s.body), self.block(s.orelse)
            return self._guard_python(s, "it has a `return` that is not at the end of a branch")
        names = assigned_names(s.body + s.orelse)
        self.names.update(names)
        tup = ast.Tuple([_load(x) for x in names], ast.Load())
        ret = None if returns else tup
        tf = self._fn(f"{FN}true_{n}", names, self.block(s.body), ret)
        ff = self._fn(f"{FN}false_{n}", names, self.block(s.orelse), ret)
        call = _call("convert_ifelse", self.test(s.test), _load(tf.name), _load(ff.name), tup,
                     ast.Constant(tuple(names)), self.loc(s))
        if returns:
            return [tf, ff, ast.Return(call)]
        target = ast.Tuple([_store(x) for x in names], ast.Store())
        return [tf, ff, ast.Assign([target], call)]

    def test(self, e):
        """``not``/``and``/``or`` in a test -> runtime helpers that also accept tensors."""
        if isinstance(e, ast.UnaryOp) and isinstance(e.op, ast.Not):
            return _call("not_", self.test(e.operand))
        if isinstance(e, ast.BoolOp):
            fn = "and_" if isinstance(e.op, ast.And) else "or_"
            return _call(fn, *[_lambda(self.test(v)) for v in e.values])
        return e

    # ---- loops -----------------------------------------------------------------------------
    def for_(self, s: ast.For) -> list:
        it = s.iter
        simple = (isinstance(it, ast.Call) and isinstance(it.func, ast.Name)
                  and it.func.id == "range" and not it.keywords and 1 <= len(it.args) <= 3
                  and isinstance(s.target, ast.Name) and not s.orelse)
        if not simple or _has_return(s.body):
            s.body = self.block(s.body)
            return [s]
        n = next(self.ids)
        idx, stop, step = f"{VAR}idx_{n}", f"{VAR}stop_{n}", f"{VAR}step_{n}"
        head = ast.Assign([ast.Tuple([_store(idx), _store(stop), _store(step)], ast.Store())],
                          _call("range_args", *it.args))
        body = [ast.Assign([_store(s.target.id)], _load(idx)),
                ast.Assign([_store(idx)], ast.BinOp(_load(idx), ast.Add(), _load(step)))]
        loop = ast.While(_call("range_cond", _load(idx), _load(stop), _load(step)),
                         body + s.body, [])
        ast.copy_location(head, s)
        ast.copy_location(loop, s)
        self.names.update([idx, stop, step])
        return [head] + self.while_(loop)

    def while_(self, s: ast.While) -> list:
        if s.orelse or _has_return(s.body):
            s.body = self.block(s.body)
            reason = "its body has a `return`" if _has_return(s.body) else "it has an `else`"
            return self._guard_python(s, reason)
        n = next(self.ids)
        pre, test, body = [], self.test(s.test), s.body
        if _has(body, (ast.Break, ast.Continue)):
            brk, cont = f"{VAR}break_{n}", f"{VAR}continue_{n}"
            pre = [ast.Assign([_store(brk)], ast.Constant(False))]
            test = _call("and_", _lambda(_call("not_", _load(brk))), _lambda(test))
            body = [ast.Assign([_store(cont)], ast.Constant(False))] + \
                self._flags(body, brk, cont)
        body = self.block(body)
        names = sorted(set(assigned_names(body)) | set(mutated_names(body)))
        self.names.update(names)
        tup = ast.Tuple([_load(x) for x in names], ast.Load())
        cf = self._fn(f"{FN}cond_{n}", names, [], test)
        bf = self._fn(f"{FN}body_{n}", names, body, tup)
        call = _call("convert_while_loop", _load(cf.name), _load(bf.name), tup,
                     ast.Constant(tuple(names)), self.loc(s))
        target = ast.Tuple([_store(x) for x in names], ast.Store())
        return pre + [cf, bf, ast.Assign([target], call)]

    def _flags(self, stmts, brk, cont) -> list:
        """``break``/``continue`` -> set a flag; the statements after it run only if neither
        flag is set."""
        out = []
        for i, s in enumerate(stmts):
            if isinstance(s, (ast.Break, ast.Continue)):
                flag = brk if isinstance(s, ast.Break) else cont
                out.append(ast.copy_location(ast.Assign([_store(flag)], ast.Constant(True)), s))
                return out
            if not _has([s], (ast.Break, ast.Continue)):
                out.append(s)
                continue
            if not isinstance(s, ast.If):
                return out + [s] + stmts[i + 1:]  # break inside with/try: left as Python
            s.body, s.orelse = self._flags(s.body, brk, cont), self._flags(s.orelse, brk, cont)
            out.append(s)
            rest = self._flags(stmts[i + 1:], brk, cont)
            if rest:
                guard = _call("not_", _call("or_", _lambda(_load(brk)), _lambda(_load(cont))))
                out.append(ast.copy_location(ast.If(guard, rest, []), stmts[i + 1]))
            return out
        return out


_CMP = {ast.Lt: "lt", ast.LtE: "le", ast.Gt: "gt", ast.GtE: "ge", ast.Eq: "eq",
        ast.NotEq: "ne"}
_BIN = {ast.Add: "add", ast.Sub: "sub", ast.Mult: "mul", ast.Div: "truediv",
        ast.FloorDiv: "floordiv", ast.Mod: "mod"}


class _DimOperators(ast.NodeTransformer):
    def __init__(self, filename: str):
        self.filename = filename

    """``a < b`` -> ``compare('lt', a, b)``, ``a * b`` -> ``binary('mul', a, b)``,
    ``n += 1`` -> ``n = inplace('add', n, 1)``, ``len(x)`` -> ``len_(x)`` (NOTE [dynamic dims in
    conditions]); ``a if c else b`` -> ``convert_ifexp(c, lambda: a, lambda: b)``, a converted
    ``if`` when ``c`` is a tensor."""

    def visit_Compare(self, node):
        self.generic_visit(node)
        if len(node.ops) != 1 or type(node.ops[0]) not in _CMP:
            return node
        call = _call("compare", ast.Constant(_CMP[type(node.ops[0])]), node.left,
                     node.comparators[0])
        return ast.copy_location(call, node)

    def visit_BinOp(self, node):
        self.generic_visit(node)
        if type(node.op) not in _BIN:
            return node
        call = _call("binary", ast.Constant(_BIN[type(node.op)]), node.left, node.right)
        return ast.copy_location(call, node)

    def visit_AugAssign(self, node):
        self.generic_visit(node)
        if not isinstance(node.target, ast.Name) or type(node.op) not in _BIN:
            return node
        call = _call("inplace", ast.Constant(_BIN[type(node.op)]), _load(node.target.id),
                     node.value)
        return ast.copy_location(ast.Assign([_store(node.target.id)], call), node)

    def visit_IfExp(self, node):
        self.generic_visit(node)
        call = _call("convert_ifexp", node.test, _lambda(node.body), _lambda(node.orelse),
                     ast.Tuple([ast.Constant(self.filename), ast.Constant(node.lineno)],
                               ast.Load()))
        return ast.copy_location(call, node)

    def visit_Call(self, node):
        self.generic_visit(node)
        if isinstance(node.func, ast.Name) and node.func.id == "len" and len(node.args) == 1 \
                and not node.keywords:
            return ast.copy_location(_call("len_", node.args[0]), node)
        return node


def transform_function(fdef: ast.FunctionDef, filename: str) -> ast.FunctionDef:
    """Rewrite ``fdef`` in place (see the module docstring) and return it."""
    fdef.body = [_DimOperators(filename).visit(s) for s in fdef.body]
    conv = _Converter(filename)
    body = conv.block(fdef.body)
    a = fdef.args
    params = {x.arg for x in a.posonlyargs + a.args + a.kwonlyargs}
    params |= {x.arg for x in (a.vararg, a.kwarg) if x is not None}
    init = [ast.Assign([_store(x)], _call("Undefined", ast.Constant(x)))
            for x in sorted(conv.names - params)]
    fdef.body = init + body
    fdef.decorator_list = []
    return fdef
