"""SelectedRows stream: the FORMATS.md 3.3 example byte-for-byte, errors, real Paddle both ways."""

from __future__ import annotations

import io
import json

import numpy as np
import pytest

from paddlefish.errors import FormatError
from paddlefish.formats import (
    SelectedRows,
    load_selected_rows,
    read_selected_rows,
    save_selected_rows,
    write_selected_rows,
)
from tests.oracle import run_paddle

GOLDEN = bytes.fromhex(
    "00000000 0200000000000000 0000000000000000 0400000000000000 0a00000000000000 00000000 "
    "06000000 080510021002 0000803f 00000040 00004040 00008040".replace(" ", "")
)
VALUE = np.array([[1, 2], [3, 4]], "float32")


def test_golden_example():
    buf = io.BytesIO()
    write_selected_rows(SelectedRows([0, 4], 10, VALUE), buf)
    assert buf.getvalue() == GOLDEN
    sr = read_selected_rows(io.BytesIO(GOLDEN))
    assert sr.rows.tolist() == [0, 4] and sr.height == 10 and np.array_equal(sr.value, VALUE)


def test_truncations_and_absurd_row_count():
    for n in range(len(GOLDEN)):
        with pytest.raises(FormatError):
            read_selected_rows(io.BytesIO(GOLDEN[:n]))
    absurd = GOLDEN[:4] + (2**60).to_bytes(8, "little") + GOLDEN[12:]
    with pytest.raises(FormatError, match="row ids"):
        read_selected_rows(io.BytesIO(absurd))


def test_rows_value_mismatch():
    with pytest.raises(FormatError, match="3 row ids"):
        write_selected_rows(SelectedRows([0, 1, 2], 10, VALUE), io.BytesIO())


@pytest.mark.oracle
@pytest.mark.parametrize("version", ["2.6", "3.3"])
def test_real_paddle_both_directions(version, tmp_path):
    save_selected_rows(
        SelectedRows([1, 3, 5], 7, np.arange(6, dtype="float64").reshape(3, 2)),
        tmp_path / "ours.bin",
    )
    out = run_paddle(
        """
        import paddle, numpy as np, json
        from paddle.framework import core
        sr = core.SelectedRows([0, 4], 10)
        sr.get_tensor().set(np.array([[1, 2], [3, 4]], 'float32'), paddle.CPUPlace())
        paddle.save(sr, 'theirs.bin', use_binary_format=True)
        x = paddle.load('ours.bin')
        print(json.dumps([x.rows(), x.height(), np.array(x.get_tensor()).tolist()]))
        """,
        version,
        cwd=tmp_path,
        legacy=True,
    )
    rows, height, value = json.loads(out.strip().splitlines()[-1])
    assert rows == [1, 3, 5] and height == 7 and value == [[0, 1], [2, 3], [4, 5]]
    assert (tmp_path / "theirs.bin").read_bytes() == GOLDEN
    sr = load_selected_rows(tmp_path / "theirs.bin")
    assert sr.rows.tolist() == [0, 4] and np.array_equal(sr.value, VALUE)
