"""``paddle.utils``: ``try_import``, ``deprecated``, ``require_version``, ``run_check``."""

from __future__ import annotations

import json
import warnings

import pytest

import paddlefish as paddle
from tests.oracle import run_paddle


@pytest.mark.oracle
def test_try_import_and_deprecated_as_paddle():
    code = """
import json, warnings, paddle
out = {"mod": paddle.utils.try_import("json").__name__}
try:
    paddle.utils.try_import("no_such_module_xyz.sub")
except ImportError as e:
    out["err"] = str(e)
@paddle.utils.deprecated(update_to="paddle.new_api", since="2.0.0", reason="renamed")
def old(x):
    return x + 1
with warnings.catch_warnings(record=True) as w:
    warnings.simplefilter("always")
    out["val"] = old(1)
out["warned"] = [c.category.__name__ for c in w]
print(json.dumps(out))
"""
    ref = json.loads(run_paddle(code, "2.6").strip().splitlines()[-1])
    assert paddle.utils.try_import("json").__name__ == ref["mod"]
    with pytest.raises(ImportError) as e:
        paddle.utils.try_import("no_such_module_xyz.sub")
    assert str(e.value) == ref["err"]

    @paddle.utils.deprecated(update_to="paddle.new_api", since="2.0.0", reason="renamed")
    def old(x):
        return x + 1

    with warnings.catch_warnings(record=True) as w:
        warnings.simplefilter("always")
        assert old(1) == ref["val"]
    assert [c.category.__name__ for c in w] == ref["warned"]  # level 0: silent, as Paddle


def test_deprecated_levels_1_and_2():
    @paddle.utils.deprecated(update_to="paddle.new_api", since="2.0.0", level=1)
    def old():
        """Old API."""
        return 1

    with warnings.catch_warnings(record=True) as w:
        warnings.simplefilter("always")
        assert old() == 1
    assert [c.category for c in w] == [DeprecationWarning]
    assert 'Please use "paddle.new_api" instead' in str(w[0].message)
    assert old.__doc__.startswith("\n\nWarning: API")

    @paddle.utils.deprecated(update_to="paddle.x", level=2)
    def gone():
        return 1

    with pytest.raises(RuntimeError, match="paddle.x"):
        gone()


def test_require_version():
    paddle.utils.require_version("2.0.0")
    paddle.utils.require_version("2.0", "2.6.2")
    with pytest.raises(Exception, match="requires a Paddle version >= 3.0"):
        paddle.utils.require_version("3.0")
    with pytest.raises(ValueError, match="dot-separated"):
        paddle.utils.require_version("two")


def test_run_check(capsys):
    paddle.utils.run_check()
    out = capsys.readouterr().out
    assert "PaddlePaddle works well on 1 CPU." in out
    assert "installed successfully" in out


def test_missing_utils_name_by_design():
    with pytest.raises(AttributeError, match="never downloads"):
        paddle.utils.download
