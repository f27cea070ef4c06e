"""Paddle's process-global unique-name generator (FORMATS.md section 2.1).

NOTE [unique names]: ``generate(key)`` returns ``key + '_' + str(n)`` with one counter per key,
starting at 0. Parameter names (``linear_0.w_0``), optimizer accumulator names
(``linear_0.w_0_moment1_0``) and temporaries all come from here, so they depend on what the
process built earlier, exactly as in real Paddle. ``guard()`` installs a fresh generator.
"""

from __future__ import annotations

import contextlib
import re
import threading

__all__ = ["UniqueNameGenerator", "generate", "guard", "snake_case", "switch"]


class UniqueNameGenerator:
    def __init__(self, prefix: str | None = None):
        self.ids: dict[str, int] = {}
        self.prefix = prefix or ""
        self._lock = threading.Lock()

    def __call__(self, key: str) -> str:
        with self._lock:
            n = self.ids.get(key, 0)
            self.ids[key] = n + 1
        return f"{self.prefix}{key}_{n}"


_generator = UniqueNameGenerator()


def generate(key: str) -> str:
    """``generate('linear')`` -> ``'linear_0'``, then ``'linear_1'``, ..."""
    return _generator(key)


def switch(new_generator: UniqueNameGenerator | None = None) -> UniqueNameGenerator:
    global _generator
    old = _generator
    _generator = new_generator if new_generator is not None else UniqueNameGenerator()
    return old


@contextlib.contextmanager
def guard(new_generator=None):
    """Run a block with a fresh generator (or one named by a prefix string), as Paddle's guard."""
    if isinstance(new_generator, str):
        new_generator = UniqueNameGenerator(new_generator)
    old = switch(new_generator)
    try:
        yield
    finally:
        switch(old)


_SNAKE_1 = re.compile(r"(.)([A-Z][a-z]+)")
_SNAKE_2 = re.compile(r"([a-z])([A-Z])")


def snake_case(name: str) -> str:
    """Paddle's class-name conversion: ``Conv2DTranspose`` -> ``conv2d_transpose``,
    ``PReLU`` -> ``p_re_lu``, ``BatchNorm2D`` -> ``batch_norm2d`` (FORMATS.md section 2.2)."""
    s1 = _SNAKE_1.sub(r"\1_\2", name)
    return _SNAKE_2.sub(r"\1_\2", s1).lower()
