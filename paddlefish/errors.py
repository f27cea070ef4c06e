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
