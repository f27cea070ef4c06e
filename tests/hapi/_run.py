"""Run a ``tests/hapi/programs`` program on paddlefish (``python -m paddlefish run``) or on real
Paddle (through ``tests.oracle.run_paddle``), and normalise what it printed."""

from __future__ import annotations

import json
import pathlib
import re
import subprocess
import sys

from tests.oracle import run_paddle
from tests.standin._run import env

PROGRAMS = pathlib.Path(__file__).resolve().parent / "programs"

# Until ``paddle.Model``/``paddle.callbacks``/``paddle.summary``/``paddle.flops`` are wired into
# paddlefish/__init__.py (the lead's file), the stand-in run sets them from paddlefish.hapi.
_FISH = """
import runpy, sys
import paddlefish, paddlefish.callbacks, paddlefish.hapi
for name, value in (("Model", paddlefish.hapi.Model), ("summary", paddlefish.hapi.summary),
                    ("flops", paddlefish.hapi.flops), ("callbacks", paddlefish.callbacks),
                    ("hapi", paddlefish.hapi)):
    if not hasattr(paddlefish, name):
        setattr(paddlefish, name, value)
paddlefish.as_paddle(quiet=True)
sys.argv = sys.argv[1:]
runpy.run_path(sys.argv[0], run_name="__main__")
"""


def program(name: str) -> str:
    return str(PROGRAMS / name)


def run_fish(name: str, argv: list[str], cwd) -> str:
    cmd = [sys.executable, "-c", _FISH, program(name), *argv]
    r = subprocess.run(cmd, capture_output=True, text=True, cwd=str(cwd),
                       env=env(PADDLEFISH_QUIET="1"), timeout=600)  # fmt: skip
    if r.returncode != 0:
        raise AssertionError(f"{name} on paddlefish failed ({r.returncode}):\n"
                             f"{r.stdout[-3000:]}\n{r.stderr[-6000:]}")  # fmt: skip
    return r.stdout


def run_real(name: str, argv: list[str], version: str, cwd) -> str:
    code = (
        "import runpy, sys\n"
        f"sys.argv = {[program(name), *argv]!r}\n"
        f"runpy.run_path({program(name)!r}, run_name='__main__')\n"
    )
    return run_paddle(code, version, cwd=cwd, legacy=True)


def last_json(stdout: str) -> dict:
    return json.loads(stdout.strip().splitlines()[-1])


def console(stdout: str, out_dir) -> list[str]:
    """The printed lines minus the JSON result, with timings masked, the output directory
    replaced and the live bar's redraw padding (which depends on the timing text) dropped."""
    s = stdout.replace(str(out_dir), "OUT")
    s = re.sub(r"\d+(ms|us|s)/step", "T/step", s)
    s = re.sub(r"ETA: [\d:]+s?", "ETA: T", s)
    s = re.sub("\b+", "\b", s)
    s = re.sub(r" +(?=[\b\r\n]|$)", "", s, flags=re.M)
    lines = s.rstrip("\n").split("\n")[:-1]
    return [line for line in lines if "New Executor is Running" not in line]
