"""paddle.vision.datasets.DatasetFolder / ImageFolder against real Paddle 2.6 and 3.3: a small
image tree (PNG, JPEG, BMP, PGM, WebP, RGBA, nested dirs, a text file, an empty class, files at
the top) is written here with PIL and cv2; the same cases (tests/vision/_folder_cases.py) run
in real Paddle and in paddlefish, and samples, classes, targets, items (decoded pixels with the
PIL and the cv2 backend) and errors must agree."""

from __future__ import annotations

import json
import pathlib
import runpy

import numpy as np
import pytest
from PIL import Image

import paddlefish as paddle
from paddlefish.vision.datasets import DatasetFolder, ImageFolder
from tests.oracle import run_paddle

CASES = pathlib.Path(__file__).with_name("_folder_cases.py")

ORACLE = r"""
import json, runpy, numpy as np, paddle
res, arrays = runpy.run_path("cases.py")["run_cases"](paddle, ROOT)
json.dump(res, open("result.json", "w"))
np.savez("arrays.npz", **arrays)
print("ok")
"""


def _write_tree(root: pathlib.Path) -> None:
    cv2 = pytest.importorskip("cv2")
    rng = np.random.default_rng(3)

    def rgb(h, w):
        return rng.integers(0, 256, (h, w, 3), dtype=np.uint8)

    for d in ("tree/cat/sub", "tree/dog", "tree/empty_class", "empty", "flat"):
        (root / d).mkdir(parents=True)
    Image.fromarray(rgb(4, 5)).save(root / "tree/cat/a.png")
    Image.fromarray(rgb(3, 6)).save(root / "tree/cat/B.JPG", quality=90)
    cv2.imwrite(str(root / "tree/cat/sub/deep.bmp"), rgb(5, 4))
    (root / "tree/cat/notes.txt").write_text("not an image")
    cv2.imwrite(str(root / "tree/dog/x.jpeg"), rgb(6, 6))
    Image.fromarray(rng.integers(0, 256, (4, 4), dtype=np.uint8), "L").save(root / "tree/dog/g.pgm")
    Image.fromarray(rgb(3, 3)).save(root / "tree/dog/w.webp", lossless=True)
    rgba = rng.integers(0, 256, (2, 3, 4), dtype=np.uint8)
    Image.fromarray(rgba, "RGBA").save(root / "tree/dog/rgba.png")
    Image.fromarray(rgb(2, 2)).save(root / "tree/top.png")
    Image.fromarray(rgb(2, 3)).save(root / "flat/only.png")


@pytest.fixture(scope="module")
def tree(tmp_path_factory):
    root = tmp_path_factory.mktemp("folder_tree")
    _write_tree(root)
    return root


@pytest.fixture(scope="module")
def ours(tree):
    return runpy.run_path(str(CASES))["run_cases"](paddle, str(tree))


@pytest.fixture(scope="module", params=["2.6", "3.3"])
def theirs(request, tree, tmp_path_factory):
    d = tmp_path_factory.mktemp(f"folder{request.param.replace('.', '')}")
    (d / "cases.py").write_text(CASES.read_text())
    out = run_paddle(ORACLE.replace("ROOT", repr(str(tree))), version=request.param, cwd=d)
    assert out.strip().endswith("ok")
    with np.load(d / "arrays.npz") as z:
        arrays = {k: z[k] for k in z.files}
    return json.loads((d / "result.json").read_text()), arrays


NAMES = [
    "default", "png_only", "upper_ext_list", "is_valid_file_ignored", "loader_transform",
    "bad_extensions", "no_match", "empty_root", "only_files_at_top", "missing_root",
    "cv2_backend", "cv2_image", "image_default", "image_png", "image_flat", "image_loader",
    "image_bad_extensions", "image_empty", "image_missing_root", "exports",
]  # fmt: skip


@pytest.mark.oracle
@pytest.mark.parametrize("name", NAMES)
def test_same_as_paddle(ours, theirs, name):
    (res, arrays), (pres, parrays) = ours, theirs
    got, want = res[name], pres[name]
    if isinstance(want, dict) and "error" in want:
        # same exception type (ours may be a subclass) and Paddle's message first
        assert got["error"][1].startswith(want["error"][1]), (got, want)
        assert got["error"][0] == want["error"][0] or want["error"][0] == "AssertionError", got
        return
    assert json.loads(json.dumps(got)) == want
    keys = sorted(k for k in parrays if k.startswith(name + "/"))
    assert sorted(k for k in arrays if k.startswith(name + "/")) == keys
    for k in keys:
        np.testing.assert_array_equal(arrays[k], parrays[k], err_msg=k)


def test_errors_are_explicit(tree):
    with pytest.raises(AssertionError, match="must be list or tuple"):
        DatasetFolder(str(tree / "tree"), extensions=".png")
    with pytest.raises(TypeError, match="must be list or tuple"):
        ImageFolder(str(tree / "tree"), extensions=".png")
    with pytest.raises(
        RuntimeError, match=r"(?s)Found 0 files in subfolders of: .*pass `extensions=`"
    ):
        ImageFolder(str(tree / "empty"))


def test_with_transforms_and_dataloader(tree):
    from paddlefish.vision import transforms as T

    ds = DatasetFolder(str(tree / "tree"), extensions=(".png",), transform=T.Compose(
        [T.Resize((4, 4)), T.ToTensor()]))  # fmt: skip
    xs, ys = next(iter(paddle.io.DataLoader(ds, batch_size=2)))
    assert xs.shape == [2, 3, 4, 4] and ys.tolist() == [0, 1]
