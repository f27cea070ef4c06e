"""The ``*.metadata`` codec (formats/dist_metadata.py) on hostile and damaged input."""

from __future__ import annotations

import io
import pickle

import numpy as np
import pytest

import paddlefish as paddle
import paddlefish.distributed as dist
from paddlefish.cli import main
from paddlefish.errors import FormatError, UnsafePickleError
from paddlefish.formats import dist_metadata as dm
from paddlefish.formats import load_pdparams, safe_pickle

MOD = dm.PADDLE_METADATA_MODULE


def _meta() -> dm.Metadata:
    i = dm.LocalTensorIndex("w", (0, 2), local_shape=(3, 2))
    return dm.Metadata(
        {"w": [dm.LocalTensorMetadata((0, 2), (3, 2), "float32", (3, 4))]},
        {i: "1_0.distcp"},
        {"w": ("w",)},
    )


def _bytes(m) -> bytes:
    buf = io.BytesIO()
    dm.write_dist_metadata(m, buf)
    return buf.getvalue()


def test_roundtrip_names_paddle_classes():
    data = _bytes(_meta())
    assert MOD.encode() in data and dm.looks_like_dist_metadata(data[:128])
    assert dm.read_dist_metadata(io.BytesIO(data)) == _meta()
    # the slow (trusted-globals) path of the allowlist reads it the same way
    rec = safe_pickle.loads(data, trusted_globals={"x.unused"})
    assert isinstance(rec, safe_pickle.DcpMetadata)
    assert not dm.looks_like_dist_metadata(pickle.dumps({"w": 1}))


def test_hostile_and_damaged_metadata_refused():
    data = _bytes(_meta())
    # an extra field in a record's state (BUILD could set anything): refused
    evil = data.replace(b"flat_mapping", b"flat_mappinX")
    with pytest.raises(UnsafePickleError, match="fields"):
        dm.read_dist_metadata(io.BytesIO(evil))
    # a global outside the allowlist in the metadata module: refused before any call
    bad = data.replace(b"LocalTensorIndex", b"LocalTensorIndeX")
    with pytest.raises(UnsafePickleError, match="LocalTensorIndeX"):
        dm.read_dist_metadata(io.BytesIO(bad))
    # a file name with a path in it: refused (a checkpoint never points outside its directory)
    m = _meta()
    m.storage_metadata[dm.LocalTensorIndex("w", (0, 0), local_shape=(3, 2))] = "../../etc/x"
    with pytest.raises(FormatError, match="plain file name"):
        dm.read_dist_metadata(io.BytesIO(_bytes(m)))
    # a plain pickle is not a metadata file
    with pytest.raises(FormatError, match="not a distributed-checkpoint metadata"):
        dm.read_dist_metadata(io.BytesIO(pickle.dumps({"a": 1})))
    with pytest.raises(FormatError):
        dm.read_dist_metadata(io.BytesIO(data[: len(data) // 2]), name="half.metadata")


def test_cli_merge_checkpoint(tmp_path, capsys):
    dist.save_state_dict({"a": {"w": paddle.to_tensor(np.eye(3, dtype="float32"))}}, str(tmp_path))
    assert main(["merge-checkpoint", str(tmp_path), str(tmp_path / "m.pdparams")]) == 0
    np.testing.assert_array_equal(load_pdparams(tmp_path / "m.pdparams")["a"]["w"], np.eye(3))
    assert main(["merge-checkpoint", str(tmp_path / "nope"), str(tmp_path / "x.pdparams")]) == 1
    assert "does not exist" in capsys.readouterr().err
