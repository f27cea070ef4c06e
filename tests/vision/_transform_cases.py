"""One list of transform calls, run unchanged by real Paddle (in a subprocess) and by paddlefish.

``SOURCE`` is executed with ``paddle``, ``T`` (``paddle.vision.transforms``) and ``F``
(``...transforms.functional``) already bound, so the same text runs against either library.
It defines ``CASES``: ``(name, needs_cv2, thunk)``, where ``needs_cv2`` marks the numpy-image
calls that real Paddle sends to OpenCV, and ``encode(x)``, which turns any result (PIL image,
ndarray, Tensor, tuple) into ``(kind, array)``.
"""

SOURCE = r"""
import random
import numpy as np
from PIL import Image

rng = np.random.default_rng(1234)
img = rng.integers(0, 256, (7, 9, 3), dtype=np.uint8)
big = rng.integers(0, 256, (16, 12, 3), dtype=np.uint8)
g2 = img[:, :, 0].copy()
g1 = img[:, :, :1].copy()
imgf = img.astype(np.float32)
pil = Image.fromarray(img)
pil_big = Image.fromarray(big)
pil_l = Image.fromarray(g2)
tf = paddle.to_tensor(img.transpose(2, 0, 1).astype("float32") / 255.0)
tbig = paddle.to_tensor(big.transpose(2, 0, 1).astype("float32") / 255.0)
t1 = paddle.to_tensor(g1.transpose(2, 0, 1).astype("float32") / 255.0)


def seeded(fn, seed=3):
    def run():
        random.seed(seed)
        np.random.seed(seed)
        return fn()
    return run


CASES = [
    # to_tensor / ToTensor
    ("to_tensor_np", False, lambda: F.to_tensor(img)),
    ("to_tensor_np_hwc", False, lambda: F.to_tensor(img, "HWC")),
    ("to_tensor_np2d", False, lambda: F.to_tensor(g2)),
    ("to_tensor_np_f64", False, lambda: F.to_tensor(img.astype(np.float64) / 3)),
    ("to_tensor_pil", False, lambda: F.to_tensor(pil)),
    ("to_tensor_pil_hwc", False, lambda: F.to_tensor(pil, "HWC")),
    ("to_tensor_pil_l", False, lambda: F.to_tensor(pil_l)),
    ("to_tensor_pil_1", False, lambda: F.to_tensor(pil_l.convert("1"))),
    ("to_tensor_pil_i", False, lambda: F.to_tensor(pil_l.convert("I"))),
    ("to_tensor_pil_f", False, lambda: F.to_tensor(pil_l.convert("F"))),
    ("ToTensor_np", False, lambda: T.ToTensor()(img)),
    ("ToTensor_pil_hwc", False, lambda: T.ToTensor("HWC")(pil)),
    # normalize / Normalize
    ("normalize_np_hwc", False, lambda: F.normalize(img, [10, 20, 30], [2, 3, 4], "HWC")),
    ("normalize_np_chw", False, lambda: F.normalize(img.transpose(2, 0, 1), [1, 2, 3], [2, 2, 2])),
    ("normalize_np_rgb", False, lambda: F.normalize(imgf, [1, 2, 3], [2, 3, 4], "HWC", True)),
    ("normalize_pil", False, lambda: F.normalize(pil, [127.5] * 3, [127.5] * 3, "HWC")),
    ("normalize_tensor", False, lambda: F.normalize(tf, [0.485, 0.456, 0.406], [0.229, 0.224, 0.225])),
    ("Normalize_num", False, lambda: T.Normalize(127.5, 127.5, data_format="HWC")(img)),
    # resize / Resize
    ("resize_np_int", True, lambda: F.resize(big, 5)),
    ("resize_np_noop", True, lambda: F.resize(big, 12)),
    ("resize_np_nearest", True, lambda: F.resize(big, (5, 7), "nearest")),
    ("resize_np_bilinear_up", True, lambda: F.resize(img, (13, 20))),
    ("resize_np_area", True, lambda: F.resize(big, (5, 7), "area")),
    ("resize_np_bicubic", True, lambda: F.resize(big, (11, 5), "bicubic")),
    ("resize_np_lanczos", True, lambda: F.resize(big, (9, 17), "lanczos")),
    ("resize_np_hw1", True, lambda: F.resize(g1, (4, 4))),
    ("resize_np_2d", True, lambda: F.resize(g2, (4, 5))),
    ("resize_pil_int", False, lambda: F.resize(pil_big, 5)),
    ("resize_pil_nearest", False, lambda: F.resize(pil_big, (5, 7), "nearest")),
    ("resize_pil_bicubic", False, lambda: F.resize(pil_big, (20, 9), "bicubic")),
    ("resize_pil_box", False, lambda: F.resize(pil_big, (5, 7), "box")),
    ("resize_pil_lanczos", False, lambda: F.resize(pil_big, (5, 7), "lanczos")),
    ("resize_pil_hamming", False, lambda: F.resize(pil_big, (5, 7), "hamming")),
    ("resize_tensor_bilinear", False, lambda: F.resize(tbig, (5, 7))),
    ("resize_tensor_int", False, lambda: F.resize(tbig, 6)),
    ("resize_tensor_nearest", False, lambda: F.resize(tbig, (9, 5), "nearest")),
    ("resize_tensor_bicubic", False, lambda: F.resize(tbig, (20, 13), "bicubic")),
    ("Resize_pil", False, lambda: T.Resize((6, 4))(pil)),
    ("Resize_np", True, lambda: T.Resize(4)(img)),
    # pad / Pad
    ("pad_np_const", True, lambda: F.pad(img, 2)),
    ("pad_np_fill_scalar", True, lambda: F.pad(img, (1, 2), fill=5)),
    ("pad_np_fill_tuple", True, lambda: F.pad(img, (1, 2, 3, 4), fill=(7, 8, 9))),
    ("pad_np_fill_big", True, lambda: F.pad(img, 1, fill=300)),
    ("pad_np_edge", True, lambda: F.pad(img, (1, 2, 3, 4), padding_mode="edge")),
    ("pad_np_reflect", True, lambda: F.pad(img, (3, 1), padding_mode="reflect")),
    ("pad_np_reflect_wide", True, lambda: F.pad(img[:3, :4], (7, 9), padding_mode="reflect")),
    ("pad_np_symmetric", True, lambda: F.pad(img, (2, 3, 1, 4), padding_mode="symmetric")),
    ("pad_np_symmetric_wide", True, lambda: F.pad(img[:3, :4], (8, 5), padding_mode="symmetric")),
    ("pad_np_hw1", True, lambda: F.pad(g1, 2, fill=9)),
    ("pad_np_2d", True, lambda: F.pad(g2, [1, 2], padding_mode="edge")),
    ("pad_np_float", True, lambda: F.pad(imgf, 1, fill=2.5)),
    ("pad_pil_const", False, lambda: F.pad(pil, (1, 2), fill=(7, 8, 9))),
    ("pad_pil_edge", False, lambda: F.pad(pil, (1, 2, 3, 4), padding_mode="edge")),
    ("pad_pil_reflect", False, lambda: F.pad(pil, 2, padding_mode="reflect")),
    ("pad_pil_symmetric", False, lambda: F.pad(pil_l, (2, 3), padding_mode="symmetric")),
    ("pad_tensor_const", False, lambda: F.pad(tf, (1, 2, 3, 4), fill=0.5)),
    ("pad_tensor_edge", False, lambda: F.pad(tf, (1, 2), padding_mode="edge")),
    ("pad_tensor_reflect", False, lambda: F.pad(tf, 2, padding_mode="reflect")),
    ("Pad_pil", False, lambda: T.Pad([1, 2], fill=[3, 4, 5])(pil)),
    # crop / center_crop / CenterCrop
    ("crop_np", False, lambda: F.crop(img, 1, 2, 4, 5)),
    ("crop_pil", False, lambda: F.crop(pil, 1, 2, 4, 5)),
    ("crop_pil_outside", False, lambda: F.crop(pil, -1, 6, 4, 5)),
    ("crop_tensor", False, lambda: F.crop(tf, 1, 2, 4, 5)),
    ("center_crop_np", False, lambda: F.center_crop(img, (4, 6))),
    ("center_crop_np_int", False, lambda: F.center_crop(big, 5)),
    ("center_crop_pil", False, lambda: F.center_crop(pil, (4, 6))),
    ("center_crop_pil_big", False, lambda: F.center_crop(pil, 11)),
    ("center_crop_tensor", False, lambda: F.center_crop(tbig, (7, 6))),
    ("CenterCrop_np", False, lambda: T.CenterCrop(3)(img)),
    # flips
    ("hflip_np", True, lambda: F.hflip(img)),
    ("hflip_np_hw1", True, lambda: F.hflip(g1)),
    ("hflip_np_2d", True, lambda: F.hflip(g2)),
    ("vflip_np", True, lambda: F.vflip(img)),
    ("vflip_np_hw1", True, lambda: F.vflip(g1)),
    ("hflip_pil", False, lambda: F.hflip(pil)),
    ("vflip_pil", False, lambda: F.vflip(pil)),
    ("hflip_tensor", False, lambda: F.hflip(tf)),
    ("vflip_tensor", False, lambda: F.vflip(tf)),
    ("RandomHorizontalFlip_1", True, lambda: T.RandomHorizontalFlip(1.0)(img)),
    ("RandomHorizontalFlip_0", False, lambda: T.RandomHorizontalFlip(0.0)(pil)),
    ("RandomVerticalFlip_1", False, lambda: T.RandomVerticalFlip(1.0)(pil)),
    ("RandomVerticalFlip_0", False, lambda: T.RandomVerticalFlip(0.0)(tf)),
    # colour
    ("brightness_np", True, lambda: F.adjust_brightness(img, 1.7)),
    ("brightness_np_hw1", True, lambda: F.adjust_brightness(g1, 0.3)),
    ("brightness_pil", False, lambda: F.adjust_brightness(pil, 1.7)),
    ("brightness_tensor", False, lambda: F.adjust_brightness(tf, 1.7)),
    ("contrast_np", True, lambda: F.adjust_contrast(img, 1.6)),
    ("contrast_np_low", True, lambda: F.adjust_contrast(img, 0.4)),
    ("contrast_pil", False, lambda: F.adjust_contrast(pil, 1.6)),
    ("contrast_tensor", False, lambda: F.adjust_contrast(tf, 0.6)),
    ("contrast_tensor_1ch", False, lambda: F.adjust_contrast(t1, 1.6)),
    ("saturation_np_seeded", True, seeded(lambda: F.adjust_saturation(img, 0.8))),
    ("saturation_pil", False, lambda: F.adjust_saturation(pil, 1.8)),
    ("saturation_tensor", False, lambda: F.adjust_saturation(tf, 0.3)),
    ("hue_np", True, lambda: F.adjust_hue(img, 0.2)),
    ("hue_np_neg", True, lambda: F.adjust_hue(img, -0.45)),
    ("hue_pil", False, lambda: F.adjust_hue(pil, 0.2)),
    ("hue_pil_l", False, lambda: F.adjust_hue(pil_l, 0.2)),
    ("hue_tensor", False, lambda: F.adjust_hue(tf, -0.3)),
    ("ColorJitter_identity", False, lambda: T.ColorJitter()(pil)),
    ("BrightnessTransform_0", False, lambda: T.BrightnessTransform(0)(tf)),
    # grayscale
    ("gray_np", True, lambda: F.to_grayscale(img)),
    ("gray_np_3", True, lambda: F.to_grayscale(big, 3)),
    ("gray_np_float", True, lambda: F.to_grayscale(imgf)),
    ("gray_pil", False, lambda: F.to_grayscale(pil)),
    ("gray_pil_3", False, lambda: F.to_grayscale(pil, 3)),
    ("gray_tensor", False, lambda: F.to_grayscale(tf)),
    ("gray_tensor_3", False, lambda: F.to_grayscale(tf, 3)),
    ("Grayscale_np", True, lambda: T.Grayscale(3)(img)),
    # rotate
    ("rotate_np", True, lambda: F.rotate(big, 30)),
    ("rotate_np_bilinear_expand", True, lambda: F.rotate(big, 37.5, "bilinear", expand=True)),
    ("rotate_np_center_fill", True, lambda: F.rotate(big, -20, center=(3, 4), fill=(9, 8, 7))),
    ("rotate_np_hw1", True, lambda: F.rotate(big[:, :, :1].copy(), 45)),
    ("rotate_pil", False, lambda: F.rotate(pil_big, 30)),
    ("rotate_pil_expand", False, lambda: F.rotate(pil_big, 37.5, "bilinear", expand=True)),
    ("rotate_pil_center_fill", False, lambda: F.rotate(pil_big, -20, center=[3, 4], fill=[9, 8, 7])),
    ("rotate_tensor", False, lambda: F.rotate(tbig, 30)),
    ("rotate_tensor_bilinear", False, lambda: F.rotate(tbig, 33, "bilinear")),
    ("rotate_tensor_expand", False, lambda: F.rotate(tbig, 37.5, "bilinear", expand=True)),
    ("rotate_tensor_center", False, lambda: F.rotate(tbig, -20, "bilinear", center=[3, 4])),
    ("RandomRotation_fixed", False, lambda: T.RandomRotation((90, 90), expand=True)(pil)),
    # affine / perspective / RandomAffine / RandomPerspective (random draws: Python's random)
    ("affine_pil", False, lambda: F.affine(pil_big, 30, [2, -1], 0.8, [10, 5])),
    ("affine_pil_bilinear_center", False, lambda: F.affine(pil_big, -15.5, (1, 2), 1.2, 7, "bilinear", (9, 8, 7), [3, 4])),
    ("affine_np", True, lambda: F.affine(big, 30, [2, -1], 0.8, [10, 5])),
    ("affine_np_bilinear_center", True, lambda: F.affine(big, -15.5, (1, 2), 1.2, 7, "bilinear", (9, 8, 7), [3, 4])),
    ("affine_np_hw1", True, lambda: F.affine(big[:, :, :1].copy(), 45, [0, 0], 1.0, [0, 0])),
    ("affine_tensor", False, lambda: F.affine(tbig, 30, [2, -1], 0.8, [10, 5])),
    ("affine_tensor_bilinear_center", False, lambda: F.affine(tbig, -15.5, [1, 2], 1.2, [7], "bilinear", (9, 8, 7), [3, 4])),
    ("affine_bad_scale", False, lambda: F.affine(pil_big, 0, [0, 0], 0.0, 0)),
    ("affine_bad_translate", False, lambda: F.affine(pil_big, 0, [0], 1.0, 0)),
    ("perspective_pil", False, lambda: F.perspective(pil_big, [[0, 0], [11, 0], [11, 15], [0, 15]], [[1, 2], [10, 1], [9, 14], [2, 13]])),
    ("perspective_pil_bilinear", False, lambda: F.perspective(pil_big, [[0, 0], [11, 0], [11, 15], [0, 15]], [[1, 2], [10, 1], [9, 14], [2, 13]], "bilinear", 5)),
    ("perspective_np", True, lambda: F.perspective(big, [[0, 0], [11, 0], [11, 15], [0, 15]], [[1, 2], [10, 1], [9, 14], [2, 13]])),
    ("perspective_tensor", False, lambda: F.perspective(tbig, [[0, 0], [11, 0], [11, 15], [0, 15]], [[1, 2], [10, 1], [9, 14], [2, 13]])),
    ("perspective_tensor_bilinear", False, lambda: F.perspective(tbig, [[0, 0], [11, 0], [11, 15], [0, 15]], [[1, 2], [10, 1], [9, 14], [2, 13]], "bilinear")),
    ("RandomAffine_pil", False, seeded(lambda: [T.RandomAffine(30, (0.2, 0.1), (0.8, 1.2), (-5, 5, -3, 3))(pil_big) for _ in range(3)])),
    ("RandomAffine_tensor", False, seeded(lambda: T.RandomAffine(20, (0.1, 0.1), shear=8, interpolation="bilinear")(tbig), 7)),
    ("RandomAffine_np", True, seeded(lambda: T.RandomAffine([-10, 40], scale=(0.5, 1.5), fill=3, center=(2, 5))(big), 5)),
    ("RandomAffine_bad_translate", False, lambda: T.RandomAffine(10, translate=(2.0, 0.1))),
    ("RandomPerspective_pil", False, seeded(lambda: [T.RandomPerspective(0.7, 0.6)(pil_big) for _ in range(4)])),
    ("RandomPerspective_tensor", False, seeded(lambda: T.RandomPerspective(1.0, 0.3, "bilinear")(tbig), 11)),
    ("RandomPerspective_np", True, seeded(lambda: T.RandomPerspective(1.0, 0.5, fill=2)(big), 4)),
    # Transpose
    ("Transpose_np", False, lambda: T.Transpose()(img)),
    ("Transpose_np2d", False, lambda: T.Transpose()(g2)),
    ("Transpose_pil", False, lambda: T.Transpose((1, 0, 2))(pil)),
    ("Transpose_tensor", False, lambda: T.Transpose((1, 2, 0))(tf)),
    # keys and tuples
    ("keys_two_images", False, lambda: T.CenterCrop(3, keys=("image", "image"))((pil, img))),
    ("tuple_passthrough", False, lambda: T.ToTensor()((img, np.array([3]), "x"))[:2]),
    ("compose", False, lambda: T.Compose([T.Pad(2), T.CenterCrop((5, 6)), T.ToTensor(), T.Normalize(0.5, 0.5)])(pil)),
    # random transforms with Python's and numpy's generators seeded alike
    ("RandomCrop_seeded", False, seeded(lambda: T.RandomCrop(5, padding=2)(pil))),
    ("RandomCrop_pad_if_needed", False, seeded(lambda: T.RandomCrop((9, 11), pad_if_needed=True)(pil))),
    ("RandomResizedCrop_seeded", False, seeded(lambda: T.RandomResizedCrop(6)(pil_big))),
    ("RandomRotation_seeded", False, seeded(lambda: T.RandomRotation(40)(pil_big))),
    ("RandomErasing_seeded", False, seeded(lambda: T.RandomErasing(1.0, value=(1, 2, 3))(img))),
    ("ColorJitter_seeded", False, seeded(lambda: T.ColorJitter(0.4, 0.4, 0.4, 0.1)(pil))),
]


def encode(x):
    if isinstance(x, tuple):
        return [encode(v) for v in x]
    if isinstance(x, Image.Image):
        return ("pil:" + x.mode, np.asarray(x))
    if isinstance(x, np.ndarray):
        return ("ndarray:" + str(x.dtype), x)
    if hasattr(x, "numpy"):
        return ("tensor:" + str(x.dtype), x.numpy())
    return ("other:" + type(x).__name__, np.asarray(x))


def run_all(have_cv2):
    results = {}
    for name, needs_cv2, thunk in CASES:
        if needs_cv2 and not have_cv2:
            continue
        try:
            results[name] = encode(thunk())
        except Exception as e:
            results[name] = ("error:" + type(e).__name__, np.zeros(0))
    return results
"""

PADDLE_RUNNER = r"""
import importlib.util, json
import numpy as np
import paddle
import paddle.vision.transforms as T
from paddle.vision.transforms import functional as F
ns = {"paddle": paddle, "T": T, "F": F}
exec(open("cases.py").read(), ns)
have_cv2 = importlib.util.find_spec("cv2") is not None
results = ns["run_all"](have_cv2)
arrays, kinds = {}, {}
for name, res in results.items():
    items = res if isinstance(res, list) else [res]
    kinds[name] = [k for k, _ in items]
    for i, (_, a) in enumerate(items):
        arrays[f"{name}#{i}"] = a
np.savez("paddle_out.npz", **arrays)
cv2_version = __import__("cv2").__version__ if have_cv2 else None
print(json.dumps({"have_cv2": have_cv2, "cv2": cv2_version, "kinds": kinds}))
"""
