"""Edges of paddle.save / paddle.load / create_parameter against real Paddle 2.6 and 3.3.

One Paddle subprocess per version does everything: it writes several objects into one BytesIO
(we load them one by one), loads one by one what we wrote into one file (the stream positions
after each load must equal ours), raises its errors for the cases users catch (ours must be
instances of Paddle's type), saves under several umasks (same permission bits as ours), and
creates parameters (same names, initial values within the same bounds).
"""

from __future__ import annotations

import io
import json
import os
import stat

import numpy as np
import pytest

import paddlefish as paddle
from paddlefish._core import unique_name
from paddlefish.framework import create_parameter, load, save
from tests.framework.conftest import named
from tests.oracle import run_paddle

pytestmark = pytest.mark.oracle

SCRIPT = r"""
import io, json, os, stat, warnings
warnings.simplefilter('ignore')
import numpy as np, paddle

def view(x):
    if isinstance(x, paddle.Tensor):
        return {'T': x.numpy().tolist(), 'dtype': str(x.dtype).replace('paddle.', '')}
    if isinstance(x, dict):
        return {'D': [[k, view(v)] for k, v in x.items()]}
    if isinstance(x, (list, tuple)):
        return {'L' if isinstance(x, list) else 'U': [view(v) for v in x]}
    if isinstance(x, np.ndarray):
        return {'A': x.tolist()}
    if isinstance(x, np.generic):
        return {'S': x.item(), 'dtype': str(x.dtype)}
    return {'P': x}

out = {}
# 1. Paddle writes several objects into one BytesIO.
lin = paddle.nn.Linear(3, 2)
objs = [paddle.to_tensor([1.0, 2.0]), {'a': [paddle.to_tensor([3]), 2.5, 's'], 'b': {}},
        lin.state_dict(), {'big': paddle.arange(5000, dtype='float32')},
        np.arange(6, dtype='int32').reshape(2, 3), [1, (2, 'x')]]
buf = io.BytesIO()
for o in objs:
    paddle.save(o, buf)
paddle.save(paddle.to_tensor([7.0]), buf, use_binary_format=True)
open('paddle_multi.bin', 'wb').write(buf.getvalue())
buf.seek(0)
out['paddle_reads_own'] = [view(paddle.load(buf)) for _ in range(len(objs) + 1)]

# 2. Paddle loads, one by one, what paddlefish wrote into one file.
data = io.BytesIO(open('ours_multi.bin', 'rb').read())
got, pos = [], []
for _ in range(int(open('ours_count.txt').read())):
    got.append(view(paddle.load(data)))
    pos.append(data.tell())
try:
    paddle.load(data)
    got.append('no error')
except Exception as e:
    got.append(type(e).__name__)
out['paddle_reads_ours'] = got
out['paddle_positions'] = pos

# 3. Error types users catch.
def err(fn):
    try:
        fn()
        return None
    except Exception as e:
        return type(e).__name__
os.makedirs('adir', exist_ok=True)
open('empty.pdparams', 'wb').close()
paddle.save(lin.state_dict(), 'model.pdparams')
out['errors'] = {
    'missing_file': err(lambda: paddle.load('nope/missing.pdparams')),
    'missing_prefix': err(lambda: paddle.load('missing')),
    'prefix_of_pdparams': err(lambda: paddle.load('model')),
    'empty_file': err(lambda: paddle.load('empty.pdparams')),
    'exhausted_stream': err(lambda: paddle.load(io.BytesIO())),
    'garbage_stream': err(lambda: paddle.load(io.BytesIO(b'garbage bytes here'))),
    'load_int': err(lambda: paddle.load(3)),
    'save_to_dir': err(lambda: paddle.save([1], 'adir')),
    'save_to_slash': err(lambda: paddle.save([1], 'adir/')),
    'save_to_int': err(lambda: paddle.save([1], 3)),
    'save_layer': err(lambda: paddle.save({'m': [lin]}, 'x.pdparams')),
    'protocol_5': err(lambda: paddle.save([1], 'x.pdparams', protocol=5)),
    'protocol_str': err(lambda: paddle.save([1], 'x.pdparams', protocol='4')),
    'bad_save_config': err(lambda: paddle.save([1], 'x.pdparams', foo=1)),
    'bad_load_config': err(lambda: paddle.load('model.pdparams', foo=1)),
    'binary_nonbool': err(lambda: paddle.save([1], 'x.pdparams', use_binary_format=1)),
    'binary_dict': err(lambda: paddle.save({'a': 1}, 'x.pdparams', use_binary_format=True)),
    'range': err(lambda: paddle.save({'r': range(3)}, 'x.pdparams')),
    'async_list': err(lambda: paddle.async_save([1], 'y.pdparams')),
    'create_int64': err(lambda: paddle.create_parameter([2], 'int64')),
}

# 4. Permissions.
perms = {}
for mask in (0o022, 0o077, 0o002, 0o027):
    os.umask(mask)
    p = f'perm{mask}/sub/x.pdparams'
    paddle.save(lin.state_dict(), p)
    perms[str(mask)] = [stat.S_IMODE(os.stat(p).st_mode), stat.S_IMODE(os.stat(f'perm{mask}').st_mode)]
os.umask(0o022)
paddle.save([1], 'kept.pdparams'); os.chmod('kept.pdparams', 0o640); paddle.save([2], 'kept.pdparams')
perms['kept'] = stat.S_IMODE(os.stat('kept.pdparams').st_mode)
out['perms'] = perms

# 5. create_parameter names and initial values.
with paddle.utils.unique_name.guard():
    ps = [paddle.create_parameter([100, 50], 'float32'),
          paddle.create_parameter([30], 'float32', is_bias=True),
          paddle.create_parameter([3], 'float64', name='my_p'),
          paddle.create_parameter([3], 'float32', attr=paddle.ParamAttr(name='attr_p')),
          paddle.create_parameter([3], 'float32', name='nm', attr=paddle.ParamAttr()),
          paddle.create_parameter([4], 'float32', default_initializer=paddle.nn.initializer.Constant(3.0)),
          paddle.create_parameter([2], 'float32', attr=paddle.ParamAttr(trainable=False))]
out['params'] = [[p.name, str(p.dtype).replace('paddle.', ''), p.shape, bool(p.stop_gradient),
                  float(abs(p.numpy()).max())] for p in ps]
print(json.dumps(out))
"""


def view(x):
    """SCRIPT's view(), from our side."""
    if isinstance(x, paddle.Tensor):
        return {"T": x.numpy().tolist(), "dtype": x.dtype.name}
    if isinstance(x, dict):
        return {"D": [[k, view(v)] for k, v in x.items()]}
    if isinstance(x, (list, tuple)):
        return {"L" if isinstance(x, list) else "U": [view(v) for v in x]}
    if isinstance(x, np.ndarray):
        return {"A": x.tolist()}
    if isinstance(x, np.generic):
        return {"S": x.item(), "dtype": str(x.dtype)}
    return {"P": x}


def _ours_multi(path) -> tuple[list, list[int]]:
    lin = paddle.nn.Linear(3, 2)
    objs = [
        named(np.array([1.0, 2.0], "f4"), "t"),
        {"a": [named(np.array([3], "i8"), "n"), 2.5, "s"], "b": {}},
        dict(lin.state_dict()),
        {"big": named(np.arange(5000, dtype="f4"), "big")},
        np.arange(6, dtype="i4").reshape(2, 3),
        [1, (2, "x")],
    ]
    ends = []
    with open(path, "wb") as f:
        for o in objs:
            save(o, f)
            ends.append(f.tell())
    return [view(o) if not isinstance(o, np.ndarray) else None for o in objs], ends


def _our_errors(tmp) -> dict[str, BaseException | None]:
    def err(fn):
        try:
            fn()
        except Exception as e:  # noqa: BLE001 - the type is what is compared
            return e
        return None

    (tmp / "adir").mkdir(parents=True)
    (tmp / "empty.pdparams").write_bytes(b"")
    lin = paddle.nn.Linear(3, 2)
    save(lin.state_dict(), tmp / "model.pdparams")
    x = str(tmp / "x.pdparams")
    return {
        "missing_file": err(lambda: load(tmp / "nope" / "missing.pdparams")),
        "missing_prefix": err(lambda: load(str(tmp / "missing"))),
        "prefix_of_pdparams": err(lambda: load(str(tmp / "model"))),
        "empty_file": err(lambda: load(tmp / "empty.pdparams")),
        "exhausted_stream": err(lambda: load(io.BytesIO())),
        "garbage_stream": err(lambda: load(io.BytesIO(b"garbage bytes here"))),
        "load_int": err(lambda: load(3)),
        "save_to_dir": err(lambda: save([1], str(tmp / "adir"))),
        "save_to_slash": err(lambda: save([1], str(tmp / "adir") + "/")),
        "save_to_int": err(lambda: save([1], 3)),
        "save_layer": err(lambda: save({"m": [lin]}, x)),
        "protocol_5": err(lambda: save([1], x, protocol=5)),
        "protocol_str": err(lambda: save([1], x, protocol="4")),
        "bad_save_config": err(lambda: save([1], x, foo=1)),
        "bad_load_config": err(lambda: load(tmp / "model.pdparams", foo=1)),
        "binary_nonbool": err(lambda: save([1], x, use_binary_format=1)),
        "binary_dict": err(lambda: save({"a": 1}, x, use_binary_format=True)),
        "range": err(lambda: save({"r": range(3)}, x)),
        "async_list": err(lambda: paddle.framework.async_save([1], str(tmp / "y.pdparams"))),
        "create_int64": err(lambda: create_parameter([2], "int64")),
    }


def _our_perms(tmp) -> dict:
    perms = {}
    old = os.umask(0o022)
    try:
        for mask in (0o022, 0o077, 0o002, 0o027):
            os.umask(mask)
            p = tmp / f"perm{mask}" / "sub" / "x.pdparams"
            save({"w": named(np.ones(2, "f4"), "w")}, p)
            perms[str(mask)] = [
                stat.S_IMODE(os.stat(p).st_mode),
                stat.S_IMODE(os.stat(tmp / f"perm{mask}").st_mode),
            ]
        os.umask(0o022)
        save([1], tmp / "kept.pdparams")
        os.chmod(tmp / "kept.pdparams", 0o640)
        save([2], tmp / "kept.pdparams")
        perms["kept"] = stat.S_IMODE(os.stat(tmp / "kept.pdparams").st_mode)
    finally:
        os.umask(old)
    return perms


def _our_params() -> list:
    c = paddle.nn.initializer.Constant(3.0)
    with unique_name.guard():
        ps = [
            create_parameter([100, 50], "float32"),
            create_parameter([30], "float32", is_bias=True),
            create_parameter([3], "float64", name="my_p"),
            create_parameter([3], "float32", attr=paddle.ParamAttr(name="attr_p")),
            create_parameter([3], "float32", name="nm", attr=paddle.ParamAttr()),
            create_parameter([4], "float32", default_initializer=c),
            create_parameter([2], "float32", attr=paddle.ParamAttr(trainable=False)),
        ]
    return [
        [p.name, p.dtype.name, p.shape, bool(p.stop_gradient), float(abs(p.numpy()).max())]
        for p in ps
    ]


@pytest.mark.parametrize("version", ["2.6", "3.3"])
def test_edges_match_paddle(tmp_path, version):
    ours_views, ours_ends = _ours_multi(tmp_path / "ours_multi.bin")
    (tmp_path / "ours_count.txt").write_text(str(len(ours_ends)))
    res = json.loads(run_paddle(SCRIPT, version, cwd=tmp_path).strip().splitlines()[-1])

    # 1. Paddle's multi-object stream loads one by one in paddlefish (BytesIO, file, mmap).
    data = (tmp_path / "paddle_multi.bin").read_bytes()
    for mmap in (False, True):
        with open(tmp_path / "paddle_multi.bin", "rb") as f:
            srcs = [io.BytesIO(data), f] if not mmap else [f]
            for src in srcs:
                got = [view(load(src, mmap=mmap)) for _ in res["paddle_reads_own"]]
                assert got == res["paddle_reads_own"]
                with pytest.raises(EOFError):
                    load(src)

    # 2. Paddle loads ours one by one, ending each load where we do; then EOFError, as ours.
    assert res["paddle_positions"] == ours_ends
    for exp, got in zip(ours_views, res["paddle_reads_ours"]):
        if exp is not None:  # an ndarray comes back as an unnamed Tensor in both
            assert got == exp
    assert res["paddle_reads_ours"][4] == {"T": [[0, 1, 2], [3, 4, 5]], "dtype": "int32"}
    assert res["paddle_reads_ours"][-1] == "EOFError"

    # 3. Our errors are instances of Paddle's types.
    ours = _our_errors(tmp_path / "ours_errors")
    for case, paddle_type in res["errors"].items():
        assert paddle_type is not None, case
        e = ours[case]
        assert e is not None, f"{case}: Paddle raises {paddle_type}, we raised nothing"
        mro = [c.__name__ for c in type(e).__mro__]
        assert paddle_type in mro, f"{case}: Paddle raises {paddle_type}, we raise {mro}"

    # 4. Same permission bits.
    assert _our_perms(tmp_path / "ours_perms") == res["perms"]

    # 5. create_parameter: same names, dtypes, shapes, flags; values within Paddle's bounds.
    ours_params = _our_params()
    for o, p in zip(ours_params, res["params"]):
        assert o[:4] == p[:4]
    bound = np.sqrt(6 / 150)
    assert ours_params[0][4] <= bound and res["params"][0][4] <= bound
    assert ours_params[1][4] == res["params"][1][4] == 0.0
    assert ours_params[5][4] == res["params"][5][4] == 3.0
