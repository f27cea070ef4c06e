"""``paddle.utils.flatten`` / ``pack_sequence_as`` / ``map_structure`` against real Paddle."""

from __future__ import annotations

import collections
import json

import pytest

from paddlefish._core import nest
from tests.oracle import run_paddle

CASES = [
    "1",
    "[]",
    "[1, [2, [3, [4]]]]",
    "(1, (2, 3), [4, {'z': 5, 'a': 6}])",
    "{'b': 1, 'a': [2, (3, 4)], 'c': {'y': 5, 'x': (6,)}}",
    "{'k': 'a string is a leaf', 'l': ['x', 'yz']}",
    "Point(1, (2, 3))",
]
Point = collections.namedtuple("Point", ["x", "y"])


def _ours(src: str):
    s = eval(src, {"Point": Point})  # noqa: S307  (test-authored literals)
    flat = nest.flatten(s)
    packed = nest.pack_sequence_as(s, [f"v{i}" for i in range(len(flat))])
    doubled = nest.map_structure(lambda v: v * 2, s)
    return [flat, repr(packed), repr(doubled)]


@pytest.mark.oracle
def test_matches_paddle():
    code = f"""
import collections, json
from paddle.utils import flatten, pack_sequence_as, map_structure
Point = collections.namedtuple("Point", ["x", "y"])
out = []
for src in {CASES!r}:
    s = eval(src)
    flat = flatten(s)
    packed = pack_sequence_as(s, [f"v{{i}}" for i in range(len(flat))])
    out.append([flat, repr(packed), repr(map_structure(lambda v: v * 2, s))])
print(json.dumps(out))
"""
    for ver in ("2.6", "3.3"):
        ref = json.loads(run_paddle(code, ver).strip().splitlines()[-1])
        ours = json.loads(json.dumps([_ours(src) for src in CASES]))
        assert ours == ref, ver


def test_errors_name_the_mismatch():
    with pytest.raises(ValueError, match="3 leaves but flat_sequence has 2"):
        nest.pack_sequence_as([1, [2, 3]], [1, 2])
    with pytest.raises(ValueError, match=r"<root>\[1\]"):
        nest.map_structure(lambda a, b: a, [1, [2]], [1, 2])
