"""Formats (L2): pure codecs between on-disk bytes and numpy arrays, dicts and ``ir.Program``."""

from .dist_metadata import load_dist_metadata as load_dist_metadata
from .dist_metadata import looks_like_dist_metadata as looks_like_dist_metadata
from .dist_metadata import read_dist_metadata as read_dist_metadata
from .dist_metadata import save_dist_metadata as save_dist_metadata
from .dist_metadata import write_dist_metadata as write_dist_metadata
from .legacy_dirs import InferenceFiles as InferenceFiles
from .legacy_dirs import read_inference_model as read_inference_model
from .legacy_dirs import read_inference_params as read_inference_params
from .legacy_dirs import resolve_inference_model as resolve_inference_model
from .legacy_dirs import static_save_files as static_save_files
from .lod_tensor import load_lod_tensor as load_lod_tensor
from .lod_tensor import looks_like_lod_tensor as looks_like_lod_tensor
from .lod_tensor import read_lod_tensor as read_lod_tensor
from .lod_tensor import save_lod_tensor as save_lod_tensor
from .lod_tensor import write_lod_tensor as write_lod_tensor
from .pdiparams import load_pdiparams as load_pdiparams
from .pdiparams import load_vars_dir as load_vars_dir
from .pdiparams import persistable_names as persistable_names
from .pdiparams import read_pdiparams as read_pdiparams
from .pdiparams import save_pdiparams as save_pdiparams
from .pdiparams import save_vars_dir as save_vars_dir
from .pdiparams import write_pdiparams as write_pdiparams
from .pdiparams_info import load_pdiparams_info as load_pdiparams_info
from .pdiparams_info import read_pdiparams_info as read_pdiparams_info
from .pdiparams_info import save_pdiparams_info as save_pdiparams_info
from .pdiparams_info import write_pdiparams_info as write_pdiparams_info
from .pdparams import BIG_PARAM_KEY as BIG_PARAM_KEY
from .pdparams import NAME_TABLE_KEY as NAME_TABLE_KEY
from .pdparams import contains_named_array as contains_named_array
from .pdparams import encode_state_dict as encode_state_dict
from .pdparams import is_named_array as is_named_array
from .pdparams import load_pdparams as load_pdparams
from .pdparams import looks_like_pdparams as looks_like_pdparams
from .pdparams import map_structure as map_structure
from .pdparams import pop_name_table as pop_name_table
from .pdparams import read_pdparams as read_pdparams
from .pdparams import save_pdparams as save_pdparams
from .pdparams import write_pdparams as write_pdparams
from .pickle_writer import NamedArray as NamedArray
from .pir_json import load_pir_json as load_pir_json
from .pir_json import module_from_json as module_from_json
from .pir_json import module_to_json as module_to_json
from .pir_json import read_pir_json as read_pir_json
from .pir_json import save_pir_json as save_pir_json
from .pir_json import write_pir_json as write_pir_json
from .program_desc import load_program_desc as load_program_desc
from .program_desc import paddle26_version_fields as paddle26_version_fields
from .program_desc import read_program_desc as read_program_desc
from .program_desc import save_program_desc as save_program_desc
from .program_desc import write_program_desc as write_program_desc
from .selected_rows import SelectedRows as SelectedRows
from .selected_rows import load_selected_rows as load_selected_rows
from .selected_rows import read_selected_rows as read_selected_rows
from .selected_rows import save_selected_rows as save_selected_rows
from .selected_rows import write_selected_rows as write_selected_rows
from .sniff import HEAD_SIZE as HEAD_SIZE
from .sniff import describe as describe
from .sniff import looks_like_pickle as looks_like_pickle
from .sniff import sniff as sniff

__all__ = [
    "BIG_PARAM_KEY",
    "HEAD_SIZE",
    "NAME_TABLE_KEY",
    "NamedArray",
    "SelectedRows",
    "contains_named_array",
    "describe",
    "encode_state_dict",
    "is_named_array",
    "load_dist_metadata",
    "load_lod_tensor",
    "load_pdiparams",
    "load_pdiparams_info",
    "load_pdparams",
    "load_pir_json",
    "load_program_desc",
    "load_selected_rows",
    "load_vars_dir",
    "looks_like_dist_metadata",
    "looks_like_lod_tensor",
    "looks_like_pdparams",
    "looks_like_pickle",
    "map_structure",
    "module_from_json",
    "module_to_json",
    "paddle26_version_fields",
    "persistable_names",
    "pop_name_table",
    "read_dist_metadata",
    "read_lod_tensor",
    "read_pdiparams",
    "read_pdiparams_info",
    "read_pdparams",
    "read_pir_json",
    "read_program_desc",
    "read_selected_rows",
    "save_dist_metadata",
    "save_lod_tensor",
    "save_pdiparams",
    "save_pdiparams_info",
    "save_pdparams",
    "save_pir_json",
    "save_program_desc",
    "save_selected_rows",
    "save_vars_dir",
    "sniff",
    "write_dist_metadata",
    "write_lod_tensor",
    "write_pdiparams",
    "write_pdiparams_info",
    "write_pdparams",
    "write_pir_json",
    "write_program_desc",
    "write_selected_rows",
]
