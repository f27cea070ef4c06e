"""Damaged and hostile PIR models through ``jit.load`` (no Paddle needed: the committed Paddle 3.0
and 3.3 fixtures are the starting point): each is refused with a ``PaddlefishError`` that names
the file and what is wrong, quickly, never a traceback from deep inside the reader.

(The codec's own malformed-JSON cases are in tests/formats/test_pir_json.py; real Paddle 3.3
exports damaged the same ways are in tests/jit/test_pir_load.py.)
"""

from __future__ import annotations

import json
import pathlib
import random
import shutil
import time

import pytest

import paddlefish as paddle
from paddlefish import formats
from paddlefish.errors import FormatError, PaddlefishError, ProgramError
from paddlefish.formats import pir_json

FIXTURES = pathlib.Path(__file__).resolve().parents[1] / "fixtures" / "pir"


@pytest.fixture(params=["3.0", "3.3"])
def model(request, tmp_path):
    """A writable copy of the CNN fixture (schema version 1 or 4)."""
    for f in ("model.json", "model.pdiparams"):
        shutil.copy(FIXTURES / request.param / "cnn_bn" / f, tmp_path / f)
    return tmp_path / "model"


def _edit(prefix, fn):
    path = prefix.with_suffix(".json")
    doc = json.loads(path.read_text())
    fn(doc, doc["program"]["regions"][0]["blocks"][0]["ops"])
    path.write_text(json.dumps(doc))


def _first(ops_, name):
    return next(o for o in ops_ if o["#"] == name)


def _refused(prefix, error, *fragments):
    with pytest.raises(error) as e:
        paddle.jit.load(str(prefix))
    for f in fragments:
        assert f in str(e.value), str(e.value)
    return str(e.value)


def test_truncated_json_at_any_point(model):
    text = model.with_suffix(".json").read_bytes()
    for cut in (1, 17, len(text) // 3, len(text) // 2, len(text) - 2):
        model.with_suffix(".json").write_bytes(text[:cut])
        _refused(model, FormatError, "model.json", "not valid JSON", "truncated")


def test_unknown_pd_op(model):
    _edit(model, lambda doc, ops_: _first(ops_, "1.relu").update({"#": "1.relu_from_the_future"}))
    _refused(model, ProgramError, "model.json", "pd_op.relu_from_the_future", "op registry")


def test_wrong_arity_of_a_known_op(model):
    _edit(
        model, lambda doc, ops_: _first(ops_, "1.relu")["I"].append(_first(ops_, "1.relu")["I"][0])
    )
    _refused(model, ProgramError, "pd_op.relu", "at most 1 operands", "got 2")


@pytest.mark.parametrize("version", [0, 5, 99])
def test_unknown_schema_version(model, version):
    _edit(model, lambda doc, ops_: doc["base_code"].update(version=version))
    _refused(model, FormatError, "model.json", f"schema version {version}", "not supported")


def test_params_file_that_does_not_match_the_p_ops(model):
    raw = model.with_suffix(".pdiparams").read_bytes()
    # another model's parameters
    shutil.copy(FIXTURES / "3.3" / "mlp" / "model.pdiparams", model.with_suffix(".pdiparams"))
    _refused(model, FormatError, "model.pdiparams")
    model.with_suffix(".pdiparams").write_bytes(raw)
    # a p op whose shape differs from the stored tensor
    shutil.copy(FIXTURES / "3.3" / "cnn_bn" / "model.json", model.with_suffix(".json"))

    def grow(doc, ops_):
        fc_w = next(
            o
            for o in ops_
            if o["#"] == "p" and o["A"][3].endswith("w_0") and len(o["O"]["TT"]["D"][1]) == 2
        )
        fc_w["O"]["TT"]["D"][1][0] += 1

    _edit(model, grow)
    _refused(model, FormatError, "model.pdiparams", "shape [64, 3]", "declares [65, 3]")
    # a truncated and a missing params file
    shutil.copy(FIXTURES / "3.3" / "cnn_bn" / "model.json", model.with_suffix(".json"))
    model.with_suffix(".pdiparams").write_bytes(raw[:-9])
    _refused(model, FormatError, "model.pdiparams")
    model.with_suffix(".pdiparams").unlink()
    _refused(model, ValueError, "no params file")


def test_hostile_deep_nesting_is_refused_quickly(model):
    start = time.perf_counter()
    model.with_suffix(".json").write_text("[" * 200_000 + "]" * 200_000)
    _refused(model, FormatError, "nested too deeply")

    def nest(doc, ops_):
        inner = {"#": "region_x", "blocks": [{"#": "b", "args": [], "ops": []}]}
        for _ in range(150):
            op = {"#": "1.if", "I": [], "O": [], "A": [], "regions": [inner]}
            inner = {"#": "region_x", "blocks": [{"#": "b", "args": [], "ops": [op]}]}
        ops_.append(inner["blocks"][0]["ops"][0])

    shutil.copy(FIXTURES / "3.3" / "cnn_bn" / "model.json", model.with_suffix(".json"))
    _edit(model, nest)
    _refused(model, FormatError, "more than 64 deep")
    assert time.perf_counter() - start < 10


def test_a_1gb_file_is_refused_from_its_size_without_reading_it(model):
    path = model.with_suffix(".json")
    with open(path, "r+b") as f:
        f.truncate(1 << 30)  # sparse: a 1 GiB "string" costs no disk and must cost no memory
    start = time.perf_counter()
    _refused(model, FormatError, "model.json", str(1 << 30), "limit")
    with pytest.raises(FormatError, match="refusing to read it"):
        formats.load_pir_json(path)
    assert time.perf_counter() - start < 2


def test_a_huge_string_claim_inside_the_json(model, monkeypatch):
    # a string longer than the whole-file limit is the same refusal, before json.loads
    monkeypatch.setattr(pir_json, "MAX_BYTES", 4096)
    _edit(
        model,
        lambda doc, ops_: _first(ops_, "1.relu")["A"].append(
            {"N": "struct_name", "AT": {"#": "0.a_str", "D": "x" * 10_000}}
        ),
    )
    _refused(model, FormatError, "limit 4096")


def test_random_damage_gives_only_our_errors(model):
    """200 seeded byte-level edits of the JSON: each loads (a harmless edit) or is refused with
    a PaddlefishError; none escapes as KeyError/TypeError/IndexError/RecursionError."""
    text = model.with_suffix(".json").read_bytes()
    rng = random.Random(8)
    bad = []
    for _ in range(200):
        b = bytearray(text)
        for _ in range(rng.randint(1, 3)):
            i = rng.randrange(len(b))
            b[i] = rng.choice(b'0123456789-"{}[],:#%ADIOpx ')
        model.with_suffix(".json").write_bytes(bytes(b))
        try:
            paddle.jit.load(str(model))
        except PaddlefishError:
            pass
        except Exception as e:  # noqa: BLE001 - what we are looking for
            bad.append(f"{type(e).__name__}: {e}"[:300])
    assert not bad, "\n".join(bad[:5])
