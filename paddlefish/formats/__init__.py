"""Formats (L2): pure codecs between on-disk bytes and numpy arrays, dicts and ``ir.Program``."""

from .lod_tensor import load_lod_tensor as load_lod_tensor
from .lod_tensor import looks_like_lod_tensor as looks_like_lod_tensor
from .lod_tensor import read_lod_tensor as read_lod_tensor
from .lod_tensor import save_lod_tensor as save_lod_tensor
from .lod_tensor import write_lod_tensor as write_lod_tensor
from .pdiparams import load_pdiparams as load_pdiparams
from .pdiparams import load_vars_dir as load_vars_dir
from .pdiparams import read_pdiparams as read_pdiparams
from .pdiparams import save_pdiparams as save_pdiparams
from .pdiparams import save_vars_dir as save_vars_dir
from .pdiparams import write_pdiparams as write_pdiparams
from .pdiparams_info import load_pdiparams_info as load_pdiparams_info
from .pdiparams_info import read_pdiparams_info as read_pdiparams_info
from .pdiparams_info import save_pdiparams_info as save_pdiparams_info
from .pdiparams_info import write_pdiparams_info as write_pdiparams_info
from .selected_rows import SelectedRows as SelectedRows
from .selected_rows import load_selected_rows as load_selected_rows
from .selected_rows import read_selected_rows as read_selected_rows
from .selected_rows import save_selected_rows as save_selected_rows
from .selected_rows import write_selected_rows as write_selected_rows
