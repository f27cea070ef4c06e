"""Formats (L2): pure codecs between on-disk bytes and numpy arrays, dicts and ``ir.Program``."""

from .lod_tensor import load_lod_tensor as load_lod_tensor
from .lod_tensor import looks_like_lod_tensor as looks_like_lod_tensor
from .lod_tensor import read_lod_tensor as read_lod_tensor
from .lod_tensor import save_lod_tensor as save_lod_tensor
from .lod_tensor import write_lod_tensor as write_lod_tensor
