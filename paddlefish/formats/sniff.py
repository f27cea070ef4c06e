"""Tell a file's format from its first bytes, by magic and structure, never by trying parsers.

``sniff(head)`` looks at the first ``HEAD_SIZE`` bytes of a file and returns one of ``KINDS``.
Structural checks stop where ``head`` ends: a check that would need bytes beyond it passes on what
it has seen (so a DenseTensor with a long LoD still sniffs as ``'lod_tensor'``).
"""

from __future__ import annotations

import struct

__all__ = [
    "HEAD_SIZE",
    "KINDS",
    "describe",
    "looks_like_lod_tensor_stream",
    "looks_like_onnx",
    "looks_like_pickle",
    "looks_like_pir_json",
    "looks_like_program_desc",
    "looks_like_safetensors",
    "looks_like_selected_rows_stream",
    "looks_like_zip",
    "sniff",
]

HEAD_SIZE = 4096
_MAX_LOD_LEVELS = 16
_MAX_DESC = 1 << 16
_MAX_ROWS_IN_HEAD = 1 << 40

_DESCRIPTIONS = {
    "pickle": "a pickle (paddle.save: .pdparams / .pdopt / .pdtensor)",
    "lod_tensor": "a DenseTensor (LoDTensor) stream (.pdiparams, per-variable files)",
    "selected_rows": "a SelectedRows stream",
    "program_desc": "a ProgramDesc protobuf (.pdmodel / __model__)",
    "pir_json": "a PIR program JSON (.json)",
    "safetensors": "a safetensors file",
    "zip": "a zip archive (e.g. torch.save output)",
    "onnx": "an ONNX model",
    "npy": "a NumPy .npy file",
    "empty": "an empty file",
    "unknown": "data of an unknown format",
}
KINDS = tuple(_DESCRIPTIONS)


def describe(kind: str) -> str:
    """Words for a ``sniff`` result, for error messages.

    >>> describe('pickle')
    'a pickle (paddle.save: .pdparams / .pdopt / .pdtensor)'
    """
    return _DESCRIPTIONS.get(kind, f"data of kind {kind!r}")


def looks_like_pickle(head: bytes) -> bool:
    """PROTO opcode with protocol 2..5 (Paddle writes 2..4).

    >>> looks_like_pickle(b'\\x80\\x04\\x95'), looks_like_pickle(b'PK')
    (True, False)
    """
    return len(head) >= 2 and head[0] == 0x80 and 2 <= head[1] <= 5


def looks_like_zip(head: bytes) -> bool:
    return head[:4] in (b"PK\x03\x04", b"PK\x05\x06")


def looks_like_safetensors(head: bytes) -> bool:
    """u64 little-endian header length, then a JSON object starting ``{"``."""
    if len(head) < 10:
        return False
    (n,) = struct.unpack_from("<Q", head)
    return 2 <= n < (1 << 32) and head[8:10] == b'{"'


def looks_like_pir_json(head: bytes) -> bool:
    text = head.lstrip()
    return text[:1] == b"{" and (b'"base_code"' in head or b'"program"' in head)


def _varint(head: bytes, pos: int) -> tuple[int, int] | None:
    value = shift = 0
    while pos < len(head) and shift < 70:
        b = head[pos]
        value |= (b & 0x7F) << shift
        pos += 1
        if not b & 0x80:
            return value, pos
        shift += 7
    return None


def looks_like_program_desc(head: bytes) -> bool:
    """Field 1 (``blocks``) length-delimited, and the BlockDesc starts with field 1 ``idx``."""
    if len(head) < 3 or head[0] != 0x0A:
        return False
    v = _varint(head, 1)
    return v is not None and (v[1] >= len(head) or head[v[1]] == 0x08)


def looks_like_onnx(head: bytes) -> bool:
    """ModelProto: ``ir_version`` (field 1 varint, 3..15) then a string/message field."""
    if len(head) < 3 or head[0] != 0x08:
        return False
    v = _varint(head, 1)
    return (
        v is not None
        and 3 <= v[0] <= 15
        and v[1] < len(head)
        and head[v[1]] in b"\x12\x1a\x22\x3a\x42"
    )


def _tensor_body_ok(head: bytes, pos: int) -> bool:
    """``u32 version 0, i32 desc length, desc starting with field 1 (data_type)`` at ``pos``."""
    if pos + 4 > len(head):
        return True
    if struct.unpack_from("<I", head, pos)[0] != 0:
        return False
    if pos + 8 > len(head):
        return True
    (d,) = struct.unpack_from("<i", head, pos + 4)
    if not 0 < d < _MAX_DESC:
        return False
    return pos + 8 >= len(head) or head[pos + 8] == 0x08


def looks_like_lod_tensor_stream(head: bytes) -> bool:
    """u32 version 0, u64 LoD level count, each level ``u64 byte length (multiple of 8)``."""
    if len(head) < 12 or struct.unpack_from("<I", head)[0] != 0:
        return False
    (levels,) = struct.unpack_from("<Q", head, 4)
    if levels > _MAX_LOD_LEVELS:
        return False
    pos = 12
    for _ in range(levels):
        if pos + 8 > len(head):
            return True
        (n,) = struct.unpack_from("<Q", head, pos)
        if n % 8 or n > (1 << 48):
            return False
        pos += 8 + n
    return _tensor_body_ok(head, pos)


def looks_like_selected_rows_stream(head: bytes) -> bool:
    """u32 version 0, u64 rows R, R x i64 row ids, i64 height, then a tensor without LoD."""
    if len(head) < 12 or struct.unpack_from("<I", head)[0] != 0:
        return False
    (rows,) = struct.unpack_from("<Q", head, 4)
    if rows > _MAX_ROWS_IN_HEAD:
        return False
    pos = 12 + 8 * rows + 8
    if pos + 8 > len(head):
        return True  # the row ids run past the head: nothing more to check
    return _tensor_body_ok(head, pos)


def sniff(head: bytes) -> str:
    """The kind of file whose first bytes are ``head`` (read ``HEAD_SIZE`` bytes).

    >>> sniff(b''), sniff(b'\\x80\\x02}q\\x00.'), sniff(b'{"base_code": {"magic": "pir"}}')
    ('empty', 'pickle', 'pir_json')
    """
    head = bytes(head[:HEAD_SIZE])
    if not head:
        return "empty"
    if looks_like_pickle(head):
        return "pickle"
    if looks_like_zip(head):
        return "zip"
    if head.startswith(b"\x93NUMPY"):
        return "npy"
    if looks_like_safetensors(head):
        return "safetensors"
    if looks_like_pir_json(head):
        return "pir_json"
    if looks_like_lod_tensor_stream(head):
        return "lod_tensor"
    if looks_like_selected_rows_stream(head):
        return "selected_rows"
    if looks_like_program_desc(head):
        return "program_desc"
    if looks_like_onnx(head):
        return "onnx"
    return "unknown"
