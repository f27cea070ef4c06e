"""Run a ``tests/hapi/programs`` program on paddlefish (``python -m paddlefish run``) or on real
Paddle (through ``tests.oracle.run_paddle``), and normalise what it printed."""

from __future__ import annotations

import json
import pathlib
import re

from tests.oracle import run_paddle
from tests.standin._run import run_fish as _run_fish

PROGRAMS = pathlib.Path(__file__).resolve().parent / "programs"


def program(name: str) -> str:
    return str(PROGRAMS / name)


def run_fish(name: str, argv: list[str], cwd) -> str:
    """``python -m paddlefish run PROGRAM ARGV`` (the stand-in: ``import paddle`` is paddlefish)."""
    return _run_fish([program(name), *argv], cwd).stdout


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
