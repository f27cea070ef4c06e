"""``paddlefish`` command line: inspect and verify Paddle files, run the demo.

    paddlefish inspect FILE_OR_PREFIX     what a file is and what it holds (never runs its code)
    paddlefish convert SRC DST            convert a saved model: DST's suffix picks the format
                                          (.json PIR, .pdmodel legacy, .onnx with --opset N);
                                          state dicts: .pdparams/.pdopt <-> .safetensors
    paddlefish graph MODEL -o OUT         a picture of a program (.svg/.png/.pdf via Graphviz,
                                          .dot source, or a .txt listing)
    paddlefish bench MODEL --batch 1,16 --threads 1,2 [--iters K] [--shape NAME=1x3x224x224]
                                          predictor latency p50/p90/p99 and throughput
    paddlefish verify PREFIX [--batch N]  load a saved inference model and run it on zeros
    paddlefish demo [--workdir DIR]       the train/checkpoint/resume/export demo
    paddlefish merge-checkpoint DIR OUT   a distributed checkpoint (save_state_dict) as one
                                          plain .pdparams of full tensors
    paddlefish run SCRIPT [ARGS...]       run an unmodified `import paddle` program on paddlefish
    paddlefish run -m MODULE [ARGS...]    the same for `python -m MODULE`
    paddlefish standin-path               the directory to put on PYTHONPATH so that every
                                          `import paddle` in that environment is paddlefish
"""

from __future__ import annotations

import argparse
import os
import runpy
import sys

import numpy as np

from .. import distributed, errors, formats, framework, ir, jit, onnx, ops, standin
from ..eager.tensor import Tensor
from . import _bench, _graph, _state

__all__ = ["main"]


def _describe_value(v) -> str:
    if isinstance(v, Tensor):
        return f"Tensor {v.dtype.name}{v.shape} name={v.name}"
    if isinstance(v, np.ndarray):
        return f"ndarray {v.dtype}{list(v.shape)}"
    if isinstance(v, dict):
        return f"dict of {len(v)}"
    return repr(v)[:80]


def _inspect_pir(model: str):
    module = formats.load_pir_json(model)
    program = ir.lift_pir(module, ops.by_pir, name=model)
    written = getattr(module, "source_version", module.version)
    upgraded = f", read as {module.version}" if written != module.version else ""
    print(f"{model}: PIR program (schema version {written}{upgraded}, trainable="
          f"{module.trainable}), {sum(1 for _ in module.walk())} ops, "
          f"{len(module.parameters())} parameters; as a legacy program "
          f"(see NOTE [PIR lifting]): {len(program.blocks)} block(s), "
          f"{sum(len(b.ops) for b in program.blocks)} ops")
    print(program)
    return program


def _inspect_prefix(path: str) -> int:
    model, params, _info, vars_dir = jit.resolve_model_files(path)
    if model.endswith(".json"):
        program = _inspect_pir(model)
    else:
        program = formats.load_program_desc(model)
        print(f"{model}: legacy ProgramDesc, {len(program.blocks)} block(s), "
              f"{sum(len(b.ops) for b in program.blocks)} ops, version {program.version}")
        print(program)
    names = formats.persistable_names(program)
    print(f"{len(names)} persistable variables in {params or vars_dir}")
    return 0


def _inspect_file(path: str) -> int:
    with open(path, "rb") as f:
        kind = formats.sniff(f.read(formats.HEAD_SIZE))
    print(f"{path}: {formats.describe(kind)}")
    if kind == "program_desc":
        print(formats.load_program_desc(path))
        return 0
    if kind == "pir_json":
        _inspect_pir(path)
        return 0
    if kind in ("pickle", "lod_tensor", "selected_rows"):
        obj = framework.load(path, mmap=(kind == "pickle"))
        if isinstance(obj, dict):
            for k, v in obj.items():
                print(f"  {k}: {_describe_value(v)}")
        else:
            print(f"  {_describe_value(obj)}")
    return 0


def _inspect(args) -> int:
    p = args.path
    if os.path.isfile(p):
        return _inspect_file(p)
    return _inspect_prefix(p)


def _verify(args) -> int:
    layer = jit.load(args.path)
    block = layer.program().global_block()
    inputs = []
    for name in layer._feed_names:
        var = block.var(name)
        shape = [args.batch if d < 0 else d for d in var.shape]
        inputs.append(Tensor(np.zeros(shape, dtype=var.dtype.np_dtype)))
        print(f"input {name}: {var.dtype.name}{var.shape} -> fed zeros{shape}")
    out = layer(*inputs)
    for i, o in enumerate(out if isinstance(out, list) else [out]):
        print(f"output {i}: {o.dtype.name}{o.shape}, finite={bool(np.isfinite(o.numpy()).all())}")
    return 0


def _to_onnx(src: str, dst: str, args) -> list[str]:
    onnx.export_model(src, dst, opset_version=args.opset)
    return [dst]


def _src_kind(src: str) -> str | None:
    if not os.path.isfile(src):
        return None
    with open(src, "rb") as f:
        return formats.sniff(f.read(formats.HEAD_SIZE))


def _to_safetensors(src: str, dst: str, args) -> list[str]:
    kind = _src_kind(src)
    if kind != "pickle":
        raise ValueError(
            f"{src}: .safetensors is written from a state dict (.pdparams/.pdopt pickle), but "
            f"this is {formats.describe(kind) if kind else 'not a file'}"
        )
    n = _state.pdparams_to_safetensors(src, dst)
    print(f"{n} tensors")
    return [dst]


def _to_pdparams(src: str, dst: str, args) -> list[str]:
    kind = _src_kind(src)
    if kind != "safetensors":
        raise ValueError(
            f"{src}: {os.path.splitext(dst)[1]} is written from a .safetensors file, but this is "
            f"{formats.describe(kind) if kind else 'not a file'}"
        )
    n = _state.safetensors_to_pdparams(src, dst)
    print(f"{n} tensors")
    return [dst]


# destination suffix -> converter(src, dst, args) -> files written
_CONVERTERS = {
    ".json": lambda src, dst, args: jit.convert_program(src, dst, to="pir"),
    ".pdmodel": lambda src, dst, args: jit.convert_program(src, dst, to="legacy"),
    ".onnx": _to_onnx,
    ".safetensors": _to_safetensors,
    ".pdparams": _to_pdparams,
    ".pdopt": _to_pdparams,
}


def _convert(args) -> int:
    suffix = next((s for s in _CONVERTERS if args.dst.endswith(s)), None)
    if suffix is None:
        print(f"paddlefish convert: cannot tell what to write from {args.dst!r}: its suffix must "
              f"be one of {sorted(_CONVERTERS)}", file=sys.stderr)
        return 2
    for f in _CONVERTERS[suffix](args.src, args.dst, args):
        print(f"wrote {f}")
    return 0


def _graph_cmd(args) -> int:
    files, note = _graph.write_graph(args.model, args.output)
    for f in files:
        print(f"wrote {f}")
    if note:
        print(f"paddlefish graph: {note}", file=sys.stderr)
    return 0


def _int_list(text: str, flag: str) -> list[int]:
    try:
        out = [int(x) for x in text.split(",") if x.strip()]
        if not out or any(v < 1 for v in out):
            raise ValueError
    except ValueError:
        raise ValueError(f"{flag} {text!r}: expected positive integers separated by commas, "
                         f"e.g. {flag} 1,16") from None
    return out


def _bench_cmd(args) -> int:
    rows = _bench.bench(args.model, _int_list(args.batch, "--batch"),
                        _int_list(args.threads, "--threads"), iters=args.iters,
                        warmup=args.warmup, shapes=_bench.parse_shapes(args.shape),
                        compile=not args.no_compile)
    print(_bench.to_json(rows) if args.json else _bench.format_table(rows))
    return 0


def _demo(args) -> int:
    here = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    script = os.path.join(here, "examples", "train_checkpoint.py")
    if not os.path.exists(script):
        print(f"the demo script is not installed beside the package ({script})", file=sys.stderr)
        return 2
    sys.argv = [script, "--workdir", args.workdir]
    runpy.run_path(script, run_name="__main__")
    return 0


_RUN_USAGE = "usage: paddlefish run SCRIPT [ARGS...] | paddlefish run -m MODULE [ARGS...]"


def _run(argv: list[str]) -> int:
    """``run``: the program's own argv, ``__main__``, exceptions and exit status, untouched."""
    if not argv or argv[0] in ("-h", "--help"):
        print(_RUN_USAGE, file=sys.stderr if not argv else sys.stdout)
        return 2 if not argv else 0
    if argv[0] == "-m":
        if len(argv) < 2:
            print(_RUN_USAGE, file=sys.stderr)
            return 2
        standin.run_module(argv[1], argv[2:])
        return 0
    if not os.path.isfile(argv[0]):
        print(f"paddlefish run: no such script {argv[0]!r}", file=sys.stderr)
        return 2
    standin.run_path(argv[0], argv[1:])
    return 0


def _standin_path(args) -> int:
    print(standin.STANDIN_PATH)
    return 0


def _merge_checkpoint(args) -> int:
    merged = distributed.merge_checkpoint(args.dir, args.out, unique_id=args.unique_id)
    print(f"wrote {args.out}: {len(merged)} top-level keys")
    return 0


def main(argv=None) -> int:
    argv = sys.argv[1:] if argv is None else list(argv)
    if argv and argv[0] == "run":
        return _run(argv[1:])
    ap = argparse.ArgumentParser(prog="paddlefish", description=__doc__.splitlines()[0])
    sub = ap.add_subparsers(dest="cmd", required=True)
    p = sub.add_parser("inspect", help="describe a Paddle file or saved-model prefix")
    p.add_argument("path")
    p.set_defaults(fn=_inspect)
    p = sub.add_parser("verify", help="load a saved inference model and run it on zeros")
    p.add_argument("path")
    p.add_argument("--batch", type=int, default=1)
    p.set_defaults(fn=_verify)
    p = sub.add_parser("convert", help="convert a saved model or state dict (the destination "
                       "suffix picks the format: .json PIR, .pdmodel legacy, .onnx ONNX, "
                       ".safetensors from a .pdparams/.pdopt, .pdparams/.pdopt from a "
                       ".safetensors)")
    p.add_argument("src", help="source model file or prefix (model.json, model.pdmodel, model)")
    p.add_argument("dst", help="destination model file (its suffix picks the format)")
    p.add_argument("--opset", type=int, default=11, help="ONNX opset for .onnx (11..17)")
    p.set_defaults(fn=_convert)
    p = sub.add_parser("graph", help="draw a saved program (ops, shapes, parameters): .svg/.png/"
                       ".pdf with Graphviz, .dot, or a .txt listing")
    p.add_argument("model", help="model file (.pdmodel, .json, __model__), jit.save prefix or "
                   "1.x save_inference_model directory")
    p.add_argument("-o", "--output", required=True, help="output file; its suffix picks the kind")
    p.set_defaults(fn=_graph_cmd)
    p = sub.add_parser("bench", help="latency percentiles and throughput of the paddlefish "
                       "predictor on random inputs")
    p.add_argument("model", help="model file (.pdmodel/.json), jit.save prefix or 1.x directory")
    p.add_argument("--batch", default="1", help="batch sizes, comma-separated (default 1)")
    p.add_argument("--threads", default="1", help="CPU thread counts, comma-separated (default 1)")
    p.add_argument("--iters", type=int, default=50, help="timed runs per row (default 50)")
    p.add_argument("--warmup", type=int, default=3, help="untimed runs after the first (default 3)")
    p.add_argument("--shape", action="append", default=[], metavar="NAME=D1xD2x...",
                   help="the shape of an input with dynamic dims besides the batch")
    p.add_argument("--no-compile", action="store_true", help="run the interpreter only "
                   "(Config.switch_compile(False))")
    p.add_argument("--json", action="store_true", help="print the rows as JSON")
    p.set_defaults(fn=_bench_cmd)
    p = sub.add_parser("demo", help="run the train/checkpoint/resume/export demo")
    p.add_argument("--workdir", default=".")
    p.set_defaults(fn=_demo)
    p = sub.add_parser("merge-checkpoint", help="write a distributed checkpoint directory as "
                       "one plain .pdparams")
    p.add_argument("dir", help="the directory save_state_dict wrote")
    p.add_argument("out", help="the .pdparams file to write")
    p.add_argument("--unique-id", type=int, default=None, help="checkpoint id (default: latest)")
    p.set_defaults(fn=_merge_checkpoint)
    p = sub.add_parser("run", help="run an unmodified `import paddle` program on paddlefish")
    p = sub.add_parser("standin-path", help="the PYTHONPATH entry that makes `paddle` paddlefish")
    p.set_defaults(fn=_standin_path)
    args = ap.parse_args(argv)
    try:
        return args.fn(args)
    except (ValueError, OSError, TypeError, ImportError, errors.PaddlefishError) as e:
        print(f"paddlefish {args.cmd}: {e}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
