"""``convert_function``: source -> rewritten AST -> code object (see NOTE [no eval of strings])."""

from __future__ import annotations

import ast
import functools
import inspect
import textwrap
import types

from ...errors import ConversionError
from . import _logging, _runtime
from ._transform import RT, transform_function

_CACHE: dict = {}
_FACTORY = "_pff_factory"


def _parse(func) -> ast.FunctionDef:
    try:
        src = textwrap.dedent(inspect.getsource(func))
    except (OSError, TypeError) as e:
        raise ConversionError(
            f"cannot read the source of {func.__qualname__} to convert its control flow ({e}); "
            "define it in a .py file (not in an interactive session or exec'd string)"
        ) from None
    tree = ast.parse(src)
    fdef = tree.body[0]
    if not isinstance(fdef, (ast.FunctionDef, ast.AsyncFunctionDef)):
        raise ConversionError(f"{func.__qualname__} is not a plain function definition")
    ast.increment_lineno(fdef, func.__code__.co_firstlineno - fdef.lineno)
    return fdef


def _build(func):
    code = func.__code__
    fdef = transform_function(_parse(func), code.co_filename)
    free = list(code.co_freevars)
    args = ast.arguments([], [ast.arg(n) for n in free], None, [], [], None, [])
    body = [fdef, ast.Return(ast.Name(fdef.name, ast.Load()))]
    factory = ast.FunctionDef(name=_FACTORY, args=args, body=body, decorator_list=[])
    module = ast.fix_missing_locations(ast.Module([factory], []))
    _logging.log_step(1, f"dy2static: converting {func.__qualname__} ({code.co_filename})")
    _logging.log_code(func.__qualname__, ast.unparse(fdef))
    namespace = dict(func.__globals__)
    namespace[RT] = _runtime
    exec(compile(module, code.co_filename, "exec"), namespace)  # noqa: S102 - see NOTE
    cells = [c.cell_contents for c in (func.__closure__ or ())]
    new = namespace[_FACTORY](*cells)
    new.__defaults__, new.__kwdefaults__ = func.__defaults__, func.__kwdefaults__
    return functools.wraps(func)(new)


def convert_function(fn):
    """``fn`` (a function or bound method) with tensor-dependent control flow convertible."""
    if isinstance(fn, types.MethodType):
        return types.MethodType(convert_function(fn.__func__), fn.__self__)
    if not isinstance(fn, types.FunctionType):
        return fn
    if fn not in _CACHE:
        _CACHE[fn] = _build(fn)
    return _CACHE[fn]
