"""PIR programs as plain data: the SSA form Paddle 3.x writes to ``.json`` (FORMATS.md section 6).

This is what ``formats.read_pir_json`` returns, one dataclass per JSON node, with the dialect
numbers spelled out (``1.matmul`` -> ``pd_op.matmul``) and types and attributes decoded into
Python values; nothing is executed or lowered here (``lift_pir`` turns it into a ``Program``).

Value ids are ints: results count up from 1 over the whole file, block arguments are negative and
belong to their block, ``0`` in an operand list is an absent optional input.
"""

from __future__ import annotations

import dataclasses
from typing import Any

from .._core.dtypes import DType

__all__ = [
    "DIALECTS",
    "PirAttr",
    "PirBlock",
    "PirModule",
    "PirOp",
    "PirRegion",
    "PirType",
    "PirValue",
]

# JSON dialect number -> dialect name (FORMATS.md 6.2: 0-2 observed, 3-4 from source)
DIALECTS = {0: "builtin", 1: "pd_op", 2: "cf", 3: "custom_op", 4: "dist"}


@dataclasses.dataclass(eq=True)
class PirType:
    """A value type. ``kind`` is the JSON id (``0.t_dtensor``, ``0.t_vec``, ``0.t_f32``...).

    For dense tensors ``dtype``/``shape`` (-1 = unknown, [] = 0-D)/``layout``/``lod``/``offset``
    are set; for vectors ``elements``; ``data`` keeps the raw ``D`` of any other kind."""

    kind: str
    dtype: DType | None = None
    shape: list[int] | None = None
    layout: str = "NCHW"
    lod: list = dataclasses.field(default_factory=list)
    offset: int = 0
    elements: list[PirType] | None = None
    data: Any = None

    @property
    def is_tensor(self) -> bool:
        return self.kind == "0.t_dtensor"

    @property
    def is_vector(self) -> bool:
        return self.kind == "0.t_vec"

    def __str__(self) -> str:
        if self.is_tensor:
            return f"{self.dtype.name}{self.shape}"
        if self.is_vector:
            return "vec<" + ", ".join(str(e) for e in self.elements or []) + ">"
        return self.kind


@dataclasses.dataclass(eq=True)
class PirAttr:
    """An attribute: ``kind`` is the JSON id (``0.a_i32``, ``1.a_intarray``, ``0.a_array``...),
    ``value`` the decoded Python value (a list of ``PirAttr`` for ``0.a_array``; non-finite floats
    written as ``VD`` come back as ``float('nan')``/``inf``)."""

    kind: str
    value: Any

    def plain(self) -> Any:
        """The value with arrays unwrapped to plain lists."""
        if self.kind == "0.a_array":
            return [a.plain() for a in self.value]
        return self.value


@dataclasses.dataclass(eq=True)
class PirValue:
    """A value defined by an op result or a block argument."""

    id: int
    type: PirType


@dataclasses.dataclass(eq=True)
class PirOp:
    """One op. ``name`` is ``dialect.op`` (``pd_op.matmul``, ``builtin.parameter``, ``cf.yield``).

    ``attrs``/``result_attrs`` keep file order. A ``p`` (parameter) op is ``builtin.parameter``
    with attrs ``parameter_name``, ``is_distributed``, ``is_parameter``, ``need_clip`` and
    result_attrs ``persistable``, ``stop_gradient``, ``trainable`` (bools); ``extra`` keeps its
    ``DA``/``QA`` lists."""

    name: str
    operands: list[int] = dataclasses.field(default_factory=list)
    results: list[PirValue] = dataclasses.field(default_factory=list)
    attrs: dict[str, PirAttr] = dataclasses.field(default_factory=dict)
    result_attrs: dict[str, PirAttr] = dataclasses.field(default_factory=dict)
    regions: list[PirRegion] = dataclasses.field(default_factory=list)
    extra: dict[str, Any] = dataclasses.field(default_factory=dict)

    def attr(self, name: str, default: Any = None) -> Any:
        a = self.attrs.get(name)
        return default if a is None else a.plain()

    def result_flags(self, name: str) -> list[bool]:
        a = self.result_attrs.get(name)
        return [] if a is None else [bool(v) for v in a.plain()]

    def __str__(self) -> str:
        outs = ", ".join(f"%{r.id}" for r in self.results)
        ins = ", ".join(f"%{i}" for i in self.operands)
        return f"{outs + ' = ' if outs else ''}{self.name}({ins})"


@dataclasses.dataclass(eq=True)
class PirBlock:
    name: str
    args: list[PirValue] = dataclasses.field(default_factory=list)
    ops: list[PirOp] = dataclasses.field(default_factory=list)
    kwargs: Any = None


@dataclasses.dataclass(eq=True)
class PirRegion:
    name: str
    blocks: list[PirBlock] = dataclasses.field(default_factory=list)


@dataclasses.dataclass(eq=True)
class PirModule:
    """A whole ``.json`` file: ``base_code`` fields plus the program's regions.

    ``source_version`` is the schema version the file was written with when the reader upgraded
    it to ``version`` (NOTE [PIR schema versions] in ``_pir_upgrade.py``); not compared."""

    version: int
    trainable: bool = True
    regions: list[PirRegion] = dataclasses.field(default_factory=list)
    magic: str = "pir"
    source_version: int | None = dataclasses.field(default=None, compare=False)

    def global_block(self) -> PirBlock:
        return self.regions[0].blocks[0]

    def walk(self):
        """Every op in pre-order (nested regions after their op)."""

        def ops_of(regions):
            for region in regions:
                for block in region.blocks:
                    for op in block.ops:
                        yield op
                        yield from ops_of(op.regions)

        yield from ops_of(self.regions)

    def parameters(self) -> list[PirOp]:
        """The ``builtin.parameter`` ops (``p``) in file order."""
        return [op for op in self.walk() if op.name == "builtin.parameter"]
