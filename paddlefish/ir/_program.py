"""The legacy Program IR as plain data: Program > Block > (VarDesc, OpDesc).

It mirrors Paddle's ``ProgramDesc`` closely enough that a parsed ``.pdmodel`` re-serializes
byte-identically (see NOTE [presence is data]), yet it is ordinary Python: dataclasses, dicts that
keep insertion order, ints for enum values, ``DType`` for element types.

NOTE [presence is data]: proto2 optional fields distinguish "absent" from "set to the default",
and Paddle relies on it (``lod_level`` is written for op outputs, absent for parameters;
``persistable=false`` is written explicitly for temporaries). Such fields are ``None`` here when
absent, so a round trip writes exactly what was read. ``None`` is falsy, so ``if var.persistable``
reads naturally.
"""

from __future__ import annotations

import copy
import dataclasses
from typing import Any

from .._core.dtypes import DType, convert_dtype
from ..errors import ProgramError
from ._printer import format_program
from ._types import AttrType, VarType, infer_attr_type
from ._verify import verify_program

__all__ = ["Block", "OpDesc", "Program", "VarDesc"]


@dataclasses.dataclass(eq=True)
class VarDesc:
    """One variable of a block. ``dtype``/``shape`` are ``None`` for kinds without a tensor
    description (feed/fetch lists); ``-1`` in ``shape`` is a dynamic dim.

    ``raw_type`` keeps the serialized ``VarType`` message for kinds whose description the fields
    above cannot express (READER, TUPLE, element types outside the dtype table).
    """

    name: str
    type: int = VarType.LOD_TENSOR
    dtype: DType | None = None
    shape: list[int] | None = None
    lod_level: int | None = None
    persistable: bool | None = None
    need_check_feed: bool | None = None
    is_parameter: bool | None = None
    stop_gradient: bool | None = None
    attrs: list[tuple[str, int, Any]] = dataclasses.field(default_factory=list)
    raw_type: bytes | None = None

    def __post_init__(self):
        if self.dtype is not None:
            self.dtype = convert_dtype(self.dtype)
        if self.shape is not None:
            self.shape = [int(d) for d in self.shape]


@dataclasses.dataclass(eq=True)
class OpDesc:
    """One op: ``inputs``/``outputs`` map slot name -> variable names (order kept), ``attrs``
    map name -> value and ``attr_types`` name -> ``AttrType`` (so INT vs LONG survives).
    A BLOCK attribute's value is the block index; BLOCKS a list of indices."""

    type: str
    inputs: dict[str, list[str]] = dataclasses.field(default_factory=dict)
    outputs: dict[str, list[str]] = dataclasses.field(default_factory=dict)
    attrs: dict[str, Any] = dataclasses.field(default_factory=dict)
    attr_types: dict[str, int] = dataclasses.field(default_factory=dict)
    is_target: bool | None = None

    def set_attr(self, name: str, value, attr_type: int | None = None) -> None:
        """Set an attribute; its type is inferred from ``value`` unless given (Block -> BLOCK)."""
        if isinstance(value, Block):
            value, attr_type = value.idx, AttrType.BLOCK
        elif (
            isinstance(value, (list, tuple)) and value and all(isinstance(b, Block) for b in value)
        ):
            value, attr_type = [b.idx for b in value], AttrType.BLOCKS
        if attr_type is None:
            attr_type = infer_attr_type(value)
        self.attrs[name] = list(value) if isinstance(value, tuple) else value
        self.attr_types[name] = AttrType(attr_type)

    def input(self, slot: str) -> list[str]:
        return self.inputs.get(slot, [])

    def output(self, slot: str) -> list[str]:
        return self.outputs.get(slot, [])

    def input_names(self) -> list[str]:
        return [n for args in self.inputs.values() for n in args]

    def output_names(self) -> list[str]:
        return [n for args in self.outputs.values() for n in args]


@dataclasses.dataclass(eq=False)
class Block:
    """A block: ordered ``vars`` (name -> VarDesc) and ``ops`` in execution order."""

    idx: int = 0
    parent_idx: int = -1
    vars: dict[str, VarDesc] = dataclasses.field(default_factory=dict)
    ops: list[OpDesc] = dataclasses.field(default_factory=list)
    forward_block_idx: int | None = None
    program: Program | None = dataclasses.field(default=None, repr=False, compare=False)

    def __eq__(self, other) -> bool:
        if not isinstance(other, Block):
            return NotImplemented
        fields = ("idx", "parent_idx", "forward_block_idx", "ops")
        return all(getattr(self, f) == getattr(other, f) for f in fields) and list(
            self.vars.items()
        ) == list(other.vars.items())

    def has_var(self, name: str) -> bool:
        return name in self.vars

    def var(self, name: str) -> VarDesc:
        """The variable ``name`` of this block (not its ancestors; see ``find_var``)."""
        try:
            return self.vars[name]
        except KeyError:
            raise ProgramError(
                f"block {self.idx} has no variable {name!r} ({len(self.vars)} vars, e.g. "
                f"{list(self.vars)[:5]}); use find_var() to search ancestor blocks too"
            ) from None

    def find_var(self, name: str) -> VarDesc | None:
        """``name`` in this block or the nearest ancestor that declares it, else ``None``."""
        block: Block | None = self
        seen = set()
        while block is not None and block.idx not in seen:
            seen.add(block.idx)
            if name in block.vars:
                return block.vars[name]
            block = block.parent()
        return None

    def parent(self) -> Block | None:
        if self.program is None or not 0 <= self.parent_idx < len(self.program.blocks):
            return None
        return self.program.blocks[self.parent_idx]

    def create_var(self, name: str, **fields) -> VarDesc:
        """Declare a new variable; fields as in ``VarDesc`` (``dtype``, ``shape``, ...)."""
        if name in self.vars:
            raise ProgramError(f"block {self.idx} already declares variable {name!r}")
        var = VarDesc(name, **fields)
        self.vars[name] = var
        return var

    def _make_op(self, type, inputs, outputs, attrs, attr_types) -> OpDesc:
        op = OpDesc(
            type,
            {k: list(v) for k, v in (inputs or {}).items()},
            {k: list(v) for k, v in (outputs or {}).items()},
        )
        for name, value in (attrs or {}).items():
            op.set_attr(name, value, (attr_types or {}).get(name))
        return op

    def append_op(
        self,
        type: str,
        inputs: dict[str, list[str]] | None = None,
        outputs: dict[str, list[str]] | None = None,
        attrs: dict[str, Any] | None = None,
        attr_types: dict[str, int] | None = None,
    ) -> OpDesc:
        """Append an op; attribute types are inferred unless given in ``attr_types``."""
        op = self._make_op(type, inputs, outputs, attrs, attr_types)
        self.ops.append(op)
        return op

    def prepend_op(
        self,
        type: str,
        inputs: dict[str, list[str]] | None = None,
        outputs: dict[str, list[str]] | None = None,
        attrs: dict[str, Any] | None = None,
        attr_types: dict[str, int] | None = None,
    ) -> OpDesc:
        """Insert an op at the front (Paddle prepends ``feed`` ops)."""
        op = self._make_op(type, inputs, outputs, attrs, attr_types)
        self.ops.insert(0, op)
        return op


class Program:
    """A legacy Paddle program: ``blocks[0]`` is the global block.

    ``version`` is ``ProgramDesc.version`` (``None``: absent); ``op_version_map`` a list of
    ``(op_name, version)`` pairs (``None``: absent).

    >>> p = Program(); b = p.global_block()
    >>> _ = b.create_var('x', dtype='float32', shape=[-1, 4])
    >>> _ = b.create_var('y', dtype='float32', shape=[-1, 4], lod_level=0)
    >>> _ = b.append_op('relu', {'X': ['x']}, {'Out': ['y']})
    >>> p.verify(); print(p.global_block().ops[0].type)
    relu
    """

    def __init__(
        self,
        blocks: list[Block] | None = None,
        version: int | None = None,
        op_version_map: list[tuple[str, int]] | None = None,
    ):
        self.blocks: list[Block] = []
        for b in blocks if blocks is not None else [Block(0, -1)]:
            self._adopt(b)
        self.version = version
        self.op_version_map = op_version_map

    def _adopt(self, block: Block) -> Block:
        block.program = self
        self.blocks.append(block)
        return block

    def global_block(self) -> Block:
        return self.blocks[0]

    def block(self, i: int) -> Block:
        if not 0 <= i < len(self.blocks):
            raise ProgramError(f"block index {i} out of range; the program has {len(self.blocks)}")
        return self.blocks[i]

    @property
    def num_blocks(self) -> int:
        return len(self.blocks)

    def create_block(self, parent_idx: int = 0) -> Block:
        """Append a sub-block whose parent is ``parent_idx`` and return it."""
        return self._adopt(Block(len(self.blocks), parent_idx))

    def clone(self) -> Program:
        return copy.deepcopy(self)

    def verify(self) -> None:
        """Raise ``ProgramError`` naming block/op/variable if the program is malformed."""
        verify_program(self)

    def __str__(self) -> str:
        return format_program(self)

    def __repr__(self) -> str:
        n_ops = sum(len(b.ops) for b in self.blocks)
        return f"<Program {len(self.blocks)} blocks, {n_ops} ops, version={self.version}>"

    def __eq__(self, other) -> bool:
        if not isinstance(other, Program):
            return NotImplemented
        return (self.blocks, self.version, self.op_version_map) == (
            other.blocks,
            other.version,
            other.op_version_map,
        )

    __hash__ = None  # mutable
