"""The stand-in's own behaviour: argv, ``__main__``, exit status, ``-m``, identity of modules,
errors for what paddlefish lacks, and what happens beside a real Paddle."""

from __future__ import annotations

import json
import subprocess
import sys

from paddlefish import standin

from ._run import PROGRAMS, env, program, run_fish


def test_identity_and_missing_names(tmp_path):
    r = run_fish([program("mechanics.py"), "a", "--b", "-c"], cwd=tmp_path)
    out = json.loads(r.stdout.strip().splitlines()[-1])
    assert out["argv"] == ["a", "--b", "-c"] and out["name"] == "__main__"
    assert out["all_same"] and out["n_modules"] > 50
    assert out["identity"] == [True] * 6
    assert out["isinstance"] == [True, True, True]
    kind, name, msg = out["missing_module"]
    assert kind == "ModuleNotFoundError" and name.startswith("paddle.distributed")
    assert "paddlefish" in msg and "rpc" in msg and "not built" in msg
    assert out["not_paddle"][0] == "AttributeError"
    assert "NoSuchLayerAnywhere" in out["not_paddle"][1]
    assert out["hasattr"] == [False, False]
    kind, is_nie, msg = out["paddle_name"]
    assert kind == "PaddleNameMissing" and is_nie
    assert "paddle.quantization is a Paddle name that paddlefish does not implement" in msg


def test_exit_status_and_exceptions(tmp_path):
    script = tmp_path / "boom.py"
    script.write_text("import paddle\nraise KeyError('boom from the user program')\n")
    r = run_fish([str(script)], cwd=tmp_path, check=False)
    assert r.returncode == 1
    assert "KeyError: 'boom from the user program'" in r.stderr
    script.write_text("import sys, paddle\nsys.exit(7)\n")
    assert run_fish([str(script)], cwd=tmp_path, check=False).returncode == 7
    r = run_fish([str(tmp_path / "nope.py")], cwd=tmp_path, check=False)
    assert r.returncode == 2 and "no such script" in r.stderr


def test_import_of_a_missing_name_is_explained(tmp_path):
    script = tmp_path / "imp.py"
    script.write_text("from paddle.nn import summary_of_nothing\n")
    r = run_fish([str(script)], cwd=tmp_path, check=False)
    assert r.returncode == 1 and "cannot import name 'summary_of_nothing'" in r.stderr
    script.write_text("from paddle import quantization\n")
    r = run_fish([str(script)], cwd=tmp_path, check=False)
    assert "paddle.quantization is a Paddle name that paddlefish does not implement" in r.stderr


def test_run_module(tmp_path):
    r = subprocess.run(
        [sys.executable, "-m", "paddlefish", "run", "-m", "pkg.tool", "x", "-y"],
        capture_output=True, text=True, cwd=str(PROGRAMS), env=env(PADDLEFISH_QUIET="1"),
    )
    assert r.returncode == 5, r.stderr
    assert "MAIN __main__ ['x', '-y'] paddlefish.eager.tensor" in r.stdout


def test_says_which_paddle_is_active_when_real_paddle_is_installed(tmp_path):
    """The test extra installs real Paddle 3.3 beside paddlefish: the stand-in says it wins."""
    code = "import paddlefish; paddlefish.as_paddle(); import paddle; print(paddle.__name__)"
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                       cwd=str(tmp_path), env=env())
    assert r.returncode == 0, r.stderr
    assert r.stdout.strip() == "paddlefish"
    assert "stands in for `import paddle`" in r.stderr and "site-packages/paddle" in r.stderr


def test_refuses_after_real_paddle_was_imported(tmp_path):
    code = (
        "import paddle\nimport paddlefish\n"
        "try:\n    paddlefish.as_paddle()\nexcept RuntimeError as e:\n    print('refused:', e)\n"
    )
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                       cwd=str(tmp_path), env=env(), timeout=600)
    assert "refused: real Paddle is already imported" in r.stdout, r.stderr


def test_standin_path_command():
    r = subprocess.run([sys.executable, "-m", "paddlefish", "standin-path"], capture_output=True,
                       text=True, env=env())
    assert r.stdout.strip() == standin.STANDIN_PATH
