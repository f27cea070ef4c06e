"""NOTE [inference memory]: a predictor keeps freed activation memory for the next run."""

from __future__ import annotations

import os
import platform
import subprocess
import sys
import textwrap

import pytest

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

SCRIPT = textwrap.dedent(
    """
    import sys, tempfile, os
    import numpy as np, torch
    import paddlefish as paddle
    from paddlefish import inference
    p = os.path.join(tempfile.mkdtemp(), "lin")
    paddle.jit.save(paddle.nn.Linear(4, 3), p,
                    input_spec=[paddle.static.InputSpec([None, 4], "float32", "x")])
    c = inference.Config(p + ".pdmodel", p + ".pdiparams")
    if sys.argv[1] == "off":
        c.keep_freed_memory(False)
    assert c.keep_freed_memory_enabled() == (sys.argv[1] == "on")
    pred = inference.create_predictor(c)
    h = pred.get_input_handle("x"); h.copy_from_cpu(np.ones([2, 4], "float32")); pred.run()
    def resident_bytes():
        with open("/proc/self/statm") as f:
            return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")
    # what free() does with a 256 MiB activation (above glibc's largest dynamic mmap threshold):
    # kept in the heap, the resident size stays; returned, it drops by the block's size. (Counting
    # the next block's page faults instead was flaky: posix_memalign's request is a few bytes
    # larger than the freed chunk until it coalesces, so glibc may carve the next block elsewhere.)
    t = torch.empty(64 << 20)
    t.fill_(1.0)
    before = resident_bytes()
    del t
    print("DROP", before - resident_bytes())
    """
)


def _drop(mode: str) -> int:
    env = dict(os.environ, PYTHONPATH=ROOT)
    r = subprocess.run(
        [sys.executable, "-c", SCRIPT, mode],
        capture_output=True,
        text=True,
        timeout=300,
        env=env,
        check=False,
    )
    assert r.returncode == 0, r.stderr[-3000:]
    return int(r.stdout.split("DROP")[-1])


@pytest.mark.skipif(
    platform.system() != "Linux" or platform.libc_ver()[0] != "glibc", reason="glibc's mallopt"
)
def test_freed_activations_stay_in_the_process():
    kept, returned = _drop("on"), _drop("off")
    block = 256 << 20
    # kept: freeing the block leaves the process's resident size as it was; returned: it drops
    # by the whole block (glibc unmaps it)
    assert kept < block // 20, (kept, returned)
    assert returned > block // 2, (kept, returned)


def test_switch_is_recorded_and_summarised():
    from paddlefish import inference

    c = inference.Config("m.pdmodel", "m.pdiparams")
    assert c.keep_freed_memory_enabled()
    c.keep_freed_memory(False)
    assert not c.keep_freed_memory_enabled()
