"""paddlefish standing in for Paddle: ``import paddle`` resolves to paddlefish.

Three ways in, one mechanism (an import hook at the front of ``sys.meta_path``):

- ``paddlefish.as_paddle()`` in a running interpreter, before anything imports ``paddle``;
- ``python -m paddlefish run train.py ARGS...`` (or ``run -m pkg.module ARGS...``) for an
  unmodified program: ``sys.argv``, ``__main__`` and the exit status are as if it ran directly;
- ``PYTHONPATH=$(python -m paddlefish standin-path) python train.py`` for a whole interpreter
  (the directory holds a ``paddle`` package whose import installs the hook).

NOTE [stand-in identity]: ``paddle.X.Y`` is the very module object ``paddlefish.X.Y`` —
``sys.modules`` gets the same object under both names, never a copy — so a class has one identity
and ``isinstance`` works whichever spelling created the object. A ``paddle.X`` that paddlefish
lacks fails with a ``ModuleNotFoundError`` saying so; it never falls through to a real Paddle
installed beside paddlefish (the user chose paddlefish; mixing the two would pair Paddle's C++
tensors with paddlefish's). When real Paddle is installed too, the hook says once, on stderr,
which one is active.

>>> import paddlefish, sys
>>> _ = paddlefish.as_paddle(quiet=True)
>>> import paddle.nn
>>> paddle.nn is paddlefish.nn and sys.modules["paddle"] is paddlefish
True
"""

from __future__ import annotations

import importlib
import importlib.abc
import importlib.machinery
import importlib.util
import os
import pathlib
import runpy
import sys
import types

from ._core import missing

__all__ = ["STANDIN_PATH", "as_paddle", "is_active", "run_module", "run_path"]

STANDIN_PATH = str(pathlib.Path(__file__).resolve().parent / "standin_path")
_ALIAS = "paddle"
_TARGET = "paddlefish"


class _AliasLoader(importlib.abc.Loader):
    """Hands out an already imported paddlefish module under its ``paddle`` name."""

    def __init__(self, module: types.ModuleType):
        self._module = module

    def create_module(self, spec):
        return self._module

    def exec_module(self, module) -> None:
        return None


class _PaddleAliasFinder(importlib.abc.MetaPathFinder):
    """``paddle`` / ``paddle.X.Y`` -> ``paddlefish`` / ``paddlefish.X.Y`` (same objects)."""

    def find_spec(self, fullname, path=None, target=None):
        if fullname != _ALIAS and not fullname.startswith(_ALIAS + "."):
            return None
        real = _TARGET + fullname[len(_ALIAS) :]
        try:
            module = importlib.import_module(real)
        except ModuleNotFoundError as e:
            if e.name != real:
                raise
            parent, _, name = fullname.rpartition(".")
            err = missing.missing_error(parent, name)
            raise ModuleNotFoundError(
                f"No module named {fullname!r}: paddlefish stands in for Paddle here and has no "
                f"{fullname}. {err}",
                name=fullname,
            ) from None
        is_pkg = hasattr(module, "__path__")
        return importlib.machinery.ModuleSpec(fullname, _AliasLoader(module), is_package=is_pkg)


_finder = _PaddleAliasFinder()


def is_active() -> bool:
    """Whether ``import paddle`` resolves to paddlefish in this interpreter."""
    return _finder in sys.meta_path


def _real_paddle_location() -> str | None:
    """Where a real Paddle would be imported from (found without importing it)."""
    for entry in sys.path:
        if os.path.abspath(entry or ".") == STANDIN_PATH:
            continue
        spec = importlib.machinery.PathFinder.find_spec(_ALIAS, [entry or "."])
        if spec is not None and spec.origin and "paddlefish" not in spec.origin:
            return os.path.dirname(spec.origin)
    return None


def as_paddle(quiet: bool = False) -> types.ModuleType:
    """Make ``import paddle`` (and every ``paddle.X.Y``) resolve to paddlefish; returns it.

    Call it before anything imports ``paddle``. Idempotent. If real Paddle was already imported
    in this interpreter the two cannot be swapped safely, and this raises ``RuntimeError``.
    """
    current = sys.modules.get(_ALIAS)
    target = sys.modules[_TARGET]
    if current is not None and current is not target:
        where = getattr(current, "__file__", None) or "?"
        raise RuntimeError(
            f"real Paddle is already imported in this interpreter (from {where}); call "
            "paddlefish.as_paddle() before the first `import paddle`, or run the program with "
            "`python -m paddlefish run SCRIPT`"
        )
    if not is_active():
        sys.meta_path.insert(0, _finder)
        sys.modules[_ALIAS] = target
        for name, module in list(sys.modules.items()):
            if name.startswith(_TARGET + ".") and isinstance(module, types.ModuleType):
                sys.modules.setdefault(_ALIAS + name[len(_TARGET) :], module)
        real = _real_paddle_location()
        if real and not quiet and not os.environ.get("PADDLEFISH_QUIET"):
            print(
                f"paddlefish {target.__version__} stands in for `import paddle` "
                f"(real PaddlePaddle at {real} is installed and not used)",
                file=sys.stderr,
            )
    return target


def _explain(e: ImportError) -> None:
    """Add a note to 'cannot import name X from paddlefish.Y' (Python drops our message there)."""
    mod, name = getattr(e, "name", None), None
    msg = str(e)
    if msg.startswith("cannot import name '") and mod and mod.startswith(_TARGET):
        name = msg.split("'")[1]
        paddle_mod = _ALIAS + mod[len(_TARGET) :]
        e.add_note(str(missing.missing_error(paddle_mod, name)))


def run_path(script: str, argv: list[str]) -> None:
    """Run ``script`` as ``__main__`` with ``sys.argv = [script, *argv]`` under the stand-in."""
    as_paddle()
    sys.argv = [script, *argv]
    sys.path.insert(0, os.path.dirname(os.path.abspath(script)))
    try:
        runpy.run_path(script, run_name="__main__")
    except ImportError as e:
        _explain(e)
        raise


def run_module(module: str, argv: list[str]) -> None:
    """Run ``python -m module`` with ``sys.argv`` as Python sets it, under the stand-in."""
    as_paddle()
    spec = importlib.util.find_spec(module)
    sys.argv = [spec.origin if spec and spec.origin else module, *argv]
    sys.path.insert(0, os.getcwd())
    try:
        runpy.run_module(module, run_name="__main__", alter_sys=True)
    except ImportError as e:
        _explain(e)
        raise
