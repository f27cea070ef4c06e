"""Every docstring example in paddlefish.distribution runs and prints what it says."""

from __future__ import annotations

import doctest
import importlib
import pathlib

import pytest

import paddlefish.distribution as D

_MODULES = sorted(
    p.stem for p in pathlib.Path(D.__file__).parent.glob("*.py") if p.stem != "_functional"
)


@pytest.mark.parametrize("name", _MODULES)
def test_docstring_examples_run(name):
    module = importlib.import_module(f"paddlefish.distribution.{name}")
    result = doctest.testmod(module)
    assert result.failed == 0, result
