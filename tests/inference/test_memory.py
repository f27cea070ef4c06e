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
    import resource, sys, tempfile, os
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
    def faults_of_a_fresh_256_mib_block():
        t = torch.empty(64 << 20)  # 256 MiB: above glibc's largest dynamic mmap threshold
        f0 = resource.getrusage(resource.RUSAGE_SELF).ru_minflt
        t.fill_(1.0)
        f1 = resource.getrusage(resource.RUSAGE_SELF).ru_minflt
        del t
        return f1 - f0
    # glibc may place the next aligned block just past the freed one a few times (the freed
    # chunk is a few bytes short of posix_memalign's request until it coalesces), so the fewest
    # faults of several cycles is what says whether freed memory is reused
    print("FAULTS", min(faults_of_a_fresh_256_mib_block() for _ in range(5)))
    """
)


def _faults(mode: str) -> int:
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
    return int(r.stdout.split("FAULTS")[-1])


@pytest.mark.skipif(
    platform.system() != "Linux" or platform.libc_ver()[0] != "glibc", reason="glibc's mallopt"
)
def test_freed_activations_stay_in_the_process():
    kept, returned = _faults("on"), _faults("off")
    pages = (256 << 20) // 4096
    # kept: the second 256 MiB block reuses the first one's pages; returned: every page faults
    # in again (in 2 MiB steps where transparent huge pages are always on)
    assert kept < pages // 20, (kept, returned)
    assert returned > (pages // 512 if _thp_always() else pages) // 2, (kept, returned)


def _thp_always() -> bool:
    try:
        with open("/sys/kernel/mm/transparent_hugepage/enabled") as f:
            return "[always]" in f.read()
    except OSError:
        return False


def test_switch_is_recorded_and_summarised():
    from paddlefish import inference

    c = inference.Config("m.pdmodel", "m.pdiparams")
    assert c.keep_freed_memory_enabled()
    c.keep_freed_memory(False)
    assert not c.keep_freed_memory_enabled()
