"""The DatasetFolder / ImageFolder cases, run unchanged by real Paddle (in the oracle subprocess,
``paddle`` = real Paddle) and by paddlefish (``paddle`` = paddlefish): each case becomes a JSON
summary plus the decoded images, which tests/vision/test_folder.py compares."""

import os

import numpy as np


def describe(x, key, arrays):
    if hasattr(x, "getpixel"):  # a PIL image
        arrays[key] = np.asarray(x)
        return ["pil", x.mode, list(x.size)]
    if isinstance(x, np.ndarray):
        arrays[key] = x
        return ["ndarray", str(x.dtype), list(x.shape)]
    return ["value", x]


def run_cases(paddle, root):
    datasets = paddle.vision.datasets
    out, arrays = {}, {}

    def rel(p):
        return os.path.relpath(p, root)

    def attempt(name, build, summarize):
        try:
            ds = build()
        except Exception as e:  # noqa: BLE001 - the error itself is the result
            out[name] = {"error": [type(e).__name__, str(e).replace(root, "<root>")]}
            return
        out[name] = summarize(ds)

    def folder(name, sub="tree", **kw):
        def summarize(ds):
            items = [ds[i] for i in range(len(ds))]
            return {
                "classes": ds.classes,
                "class_to_idx": ds.class_to_idx,
                "samples": [[rel(p), t] for p, t in ds.samples],
                "targets": ds.targets,
                "len": len(ds),
                "extensions": list(ds.extensions),
                "dtype": str(ds.dtype),
                "item_types": [type(it).__name__ for it in items],
                "items": [
                    [describe(s, f"{name}/{i}", arrays), t] for i, (s, t) in enumerate(items)
                ],
            }

        attempt(name, lambda: datasets.DatasetFolder(os.path.join(root, sub), **kw), summarize)

    def image(name, sub="tree", **kw):
        def summarize(ds):
            items = [ds[i] for i in range(len(ds))]
            return {
                "samples": [rel(p) for p in ds.samples],
                "len": len(ds),
                "extensions": list(ds.extensions),
                "item_types": [type(it).__name__ for it in items],
                "items": [
                    [describe(it[0], f"{name}/{i}", arrays), len(it)] for i, it in enumerate(items)
                ],
            }

        attempt(name, lambda: datasets.ImageFolder(os.path.join(root, sub), **kw), summarize)

    folder("default")
    folder("png_only", extensions=(".png",))
    folder("upper_ext_list", extensions=[".JPG", ".BMP"])
    folder("is_valid_file_ignored", is_valid_file=lambda p: p.endswith(".png"))
    folder("loader_transform", loader=os.path.basename, transform=str.upper)
    folder("bad_extensions", extensions=".png")
    folder("no_match", extensions=(".gif",))
    folder("empty_root", sub="empty")
    folder("only_files_at_top", sub="flat")
    folder("missing_root", sub="does_not_exist")
    paddle.vision.set_image_backend("cv2")
    try:
        folder("cv2_backend", extensions=(".png", ".bmp", ".pgm"))
        image("cv2_image", extensions=(".png",))
    finally:
        paddle.vision.set_image_backend("pil")
    image("image_default")
    image("image_png", extensions=(".png",))
    image("image_flat", sub="flat")
    image("image_loader", loader=os.path.basename, transform=len)
    image("image_bad_extensions", extensions=".png")
    image("image_empty", sub="empty")
    image("image_missing_root", sub="does_not_exist")
    out["exports"] = [
        paddle.vision.DatasetFolder is datasets.DatasetFolder,
        paddle.vision.ImageFolder is datasets.ImageFolder,
        "DatasetFolder" in datasets.__all__,
        "ImageFolder" in datasets.__all__,
    ]
    return out, arrays
