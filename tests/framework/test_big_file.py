"""Files larger than 4 GiB (issue 3): save and load a >4 GiB tensor.

The source tensor sits on a sparse memory-mapped file (no 4 GiB allocation); paddle.save really
writes the >4 GiB pickle (BINBYTES8 payload), and paddle.load(mmap=True) reads it back lazily, so
the test stays around 15 s and never holds 4 GiB in memory.
"""

from __future__ import annotations

import os
import shutil

import numpy as np
import pytest
import torch

import paddlefish as paddle


@pytest.mark.slow
def test_save_and_load_a_tensor_larger_than_4_gib(tmp_path):
    n = (4 << 30) // 4 + 1024  # float32 elements: 4 GiB + 4 KiB
    if shutil.disk_usage(tmp_path).free < 3 * n * 4:
        pytest.skip("needs ~13 GiB of free disk for the sparse source and the saved file")
    src = np.memmap(tmp_path / "src.bin", dtype="float32", mode="w+", shape=(n,))
    src[:2] = [7.0, 8.0]
    src[n // 2] = 5.0
    src[-3:] = [1.0, 2.0, 3.0]
    src.flush()
    big = paddle.Tensor(torch.from_numpy(np.asarray(src)))
    path = tmp_path / "big.pdparams"
    paddle.save({"big": big, "small": paddle.to_tensor([1, 2, 3])}, str(path))
    assert os.path.getsize(path) > n * 4 > 4 << 30
    sd = paddle.load(str(path), mmap=True)
    b = sd["big"]
    assert b.shape == [n] and b.dtype == paddle.float32
    assert [float(b[0]), float(b[1]), float(b[n // 2])] == [7.0, 8.0, 5.0]
    assert [float(v) for v in b[-3:]] == [1.0, 2.0, 3.0]
    assert sd["small"].tolist() == [1, 2, 3]
