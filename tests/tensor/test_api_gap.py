"""tools/api_gap.py: the Paddle 2.6 names file is well-formed and current; the report runs."""

from __future__ import annotations

import importlib.util
import json
import subprocess
import sys

import pytest

import paddlefish
from tests.oracle import P26, ROOT, require

_spec = importlib.util.spec_from_file_location("api_gap", ROOT / "tools" / "api_gap.py")
api_gap = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(api_gap)


def test_names_json_is_well_formed():
    names = api_gap.load_names(api_gap.NAMES_JSON)
    assert set(names) == set(api_gap.MODULES)
    # anchors every Paddle 2.6 has; a dump that lost whole modules would fail here
    assert "to_tensor" in names["paddle"] and "nn" in names["paddle"]
    assert "Linear" in names["paddle.nn"] and "relu" in names["paddle.nn.functional"]
    assert "numpy" in names["paddle.Tensor"] and "backward" in names["paddle.Tensor"]


def test_load_names_refuses_bad_files(tmp_path):
    bad = tmp_path / "n.json"
    for obj, msg in [
        ([], "JSON object"),
        ({"torch": []}, "not a paddle module"),
        ({"paddle": ["b", "a"]}, "sorted"),
        ({"paddle": ["_x"]}, "private"),
        ({"paddle": [1]}, "list of strings"),
    ]:
        bad.write_text(json.dumps(obj))
        with pytest.raises(ValueError, match=msg):
            api_gap.load_names(bad)


def test_report_counts_match_paddlefish(tmp_path, capsys):
    out = tmp_path / "API_GAP.md"
    result = api_gap.report(api_gap.NAMES_JSON, out)
    doc = out.read_text()
    assert "| **total** |" in capsys.readouterr().out
    names = api_gap.load_names(api_gap.NAMES_JSON)
    for mod, r in result.items():
        assert sorted(r["present"] + r["missing"]) == names[mod]
    # spot-check the lookup itself against paddlefish's real namespace
    tensor = result["paddle.Tensor"]
    assert "numpy" in tensor["present"]
    for n in tensor["missing"]:
        assert not hasattr(paddlefish.Tensor, n)
        assert f"`{n}`" in doc
    for n in result["paddle.nn"]["present"]:
        assert hasattr(paddlefish.nn, n)


def test_report_cli_runs_without_paddle(tmp_path):
    code = (
        "import runpy, sys; sys.argv = ['api_gap', 'report', '--out', sys.argv[1]];"
        f"runpy.run_path({str(ROOT / 'tools' / 'api_gap.py')!r}, run_name='__main__')\n"
    )
    code += "assert 'paddle' not in sys.modules"
    out = tmp_path / "gap.md"
    subprocess.run([sys.executable, "-c", code, str(out)], check=True, cwd=ROOT,
                   capture_output=True)
    assert out.read_text().startswith("# API gap")


@pytest.mark.oracle
def test_names_json_is_current_with_paddle_26(tmp_path):
    require("2.6")
    out = tmp_path / "names.json"
    subprocess.run([str(P26), str(ROOT / "tools" / "api_gap.py"), "dump", "--names", str(out)],
                   check=True, cwd=tmp_path, capture_output=True)
    assert json.loads(out.read_text()) == json.loads(api_gap.NAMES_JSON.read_text())
