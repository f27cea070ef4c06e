"""Exception types shared by every layer of paddlefish (L0)."""

from __future__ import annotations


class PaddlefishError(Exception):
    """Base class of every error paddlefish raises on purpose."""


class FormatError(PaddlefishError, ValueError):
    """A file is not in the format that was expected, or is damaged (truncated, corrupted)."""


class UnsafePickleError(FormatError):
    """A pickle names a global outside the allowlist; nothing from the file was executed."""


class ProgramError(PaddlefishError, ValueError):
    """A Program is malformed (fails ``verify()``) or cannot be built."""


class OpNotFoundError(ProgramError, NotImplementedError):
    """A program uses an op type that the op registry does not declare."""


class ExecutionError(PaddlefishError, RuntimeError):
    """A kernel failed while the executor ran an op; the message carries the op's printed form."""


class ConversionError(PaddlefishError, ValueError):
    """dynamic-to-static conversion met a construct it cannot convert."""


class OpInputError(PaddlefishError, ValueError):
    """An op was called with inputs it cannot take (shape or dtype mismatch); names op and inputs."""


class AutogradError(PaddlefishError, RuntimeError):
    """Misuse of autograd, e.g. calling backward twice through the same graph."""


# NOTE [Paddle exception types]: where real Paddle raises a builtin exception that user code
# catches, ours subclasses that builtin as well as the type paddlefish used before, so both
# ``except ValueError`` (what Paddle raises for a missing path) and the natural
# ``except FileNotFoundError`` work. Observed in Paddle 2.6 and 3.3
# (tests/framework/test_oracle_paddle_edges.py).


class PathNotFoundError(PaddlefishError, FileNotFoundError, ValueError):
    """A path to load does not exist (Paddle raises ValueError).

    See NOTE [Paddle exception types].
    """


class PathIsDirectoryError(PaddlefishError, IsADirectoryError, ValueError):
    """``paddle.save`` was given an existing directory as its file name.

    Paddle raises IsADirectoryError.
    """


class EmptyInputError(FormatError, EOFError):
    """Nothing to read: an empty file, or a stream after its last saved object (Paddle: EOFError).

    Reading objects one by one from a stream can stop on ``except EOFError``.
    """


class UnsupportedObjectError(PaddlefishError, NotImplementedError, ValueError):
    """An object cannot be saved in the requested form, e.g. ``use_binary_format=True`` on a
    dict (Paddle raises NotImplementedError)."""

__all__ = [
    "AutogradError",
    "ConversionError",
    "EmptyInputError",
    "ExecutionError",
    "FormatError",
    "OpInputError",
    "OpNotFoundError",
    "PaddlefishError",
    "PathIsDirectoryError",
    "PathNotFoundError",
    "ProgramError",
    "UnsafePickleError",
    "UnsupportedObjectError",
]
