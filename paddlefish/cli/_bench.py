"""``paddlefish bench MODEL --batch 1,16 --threads 1,2 [--iters K]``: predictor latency.

Creates one ``paddle.inference`` predictor per thread count (``Config`` +
``set_cpu_math_library_num_threads``; creation time = load + passes) and, per batch size, feeds
random inputs built from the model's feed variables: a ``-1`` first dimension becomes the batch
size; any other ``-1`` needs ``--shape NAME=1x3x224x224`` (its first dimension follows
``--batch`` when the model's is dynamic). Floats are standard normal, integers 0 or 1 (safe as
embedding ids and class indices), bools random. The first run of each shape (compilation,
NOTE [inference compile]) and ``--warmup`` more runs are timed separately; then ``--iters`` runs,
each timed from ``copy_from_cpu`` of every input through ``run()`` to ``copy_to_cpu`` of every
output, give the p50/p90/p99 latency and the throughput (samples per second at the median).
"""

from __future__ import annotations

import json
import math
import os
import time
from dataclasses import asdict, dataclass

import numpy as np

from .. import inference, jit
from ..static._model_file import read_model_program

__all__ = ["BenchRow", "bench", "feed_specs", "format_table", "parse_shapes", "to_json"]


@dataclass
class BenchRow:
    batch: int
    threads: int
    create_ms: float  # predictor creation (load + passes), once per thread count
    first_ms: float  # first run at this shape (compiles)
    p50_ms: float
    p90_ms: float
    p99_ms: float
    throughput: float  # samples / s at the median latency
    iters: int
    path: str = ""  # how the predictor ran this shape (NOTE [inference paths])


def _files(model: str) -> tuple[str, str | None]:
    if os.path.isfile(model):
        base = model
        for suffix in (".pdmodel", ".json"):
            if model.endswith(suffix):
                base = model[: -len(suffix)]
        params = base + ".pdiparams"
        return model, params if os.path.exists(params) else None
    m, params, _info, _vars = jit.resolve_model_files(model)
    return m, params


def feed_specs(model_file: str) -> list[tuple[str, list[int], np.dtype]]:
    """``[(name, shape, numpy dtype)]`` of the model's feed variables, in feed order."""
    program, _ = read_model_program(model_file)
    block = program.global_block()
    feeds = sorted((op for op in block.ops if op.type == "feed"),
                   key=lambda op: op.attrs.get("col", 0))
    out = []
    for op in feeds:
        name = op.output("Out")[0]
        var = block.find_var(name)
        if var is None or var.shape is None or var.dtype is None:
            raise ValueError(f"{model_file}: feed variable {name!r} has no shape/dtype to build "
                             "random inputs from")
        out.append((name, list(var.shape), np.dtype(var.dtype.np_dtype)))
    return out


def parse_shapes(items: list[str]) -> dict[str, list[int]]:
    """``["x=1x3x224x224"]`` -> ``{"x": [1, 3, 224, 224]}``.

    >>> parse_shapes(["img=1x3x32x32", "ids=4x16"])
    {'img': [1, 3, 32, 32], 'ids': [4, 16]}
    """
    out = {}
    for item in items:
        name, sep, dims = item.partition("=")
        try:
            if not sep or not name:
                raise ValueError
            shape = [int(d) for d in dims.lower().split("x")]
            if any(d < 1 for d in shape):
                raise ValueError
        except ValueError:
            raise ValueError(
                f"--shape {item!r}: expected NAME=D1xD2x... with positive sizes, e.g. "
                "--shape x=1x3x224x224"
            ) from None
        out[name] = shape
    return out


def _shape_for(name: str, declared: list[int], batch: int, given: dict) -> list[int]:
    if name in given:
        shape = list(given[name])
        if len(shape) != len(declared):
            raise ValueError(f"--shape {name}={'x'.join(map(str, shape))}: the model's input "
                             f"{name!r} has {len(declared)} dims {declared}")
        bad = [i for i, (d, g) in enumerate(zip(declared, shape)) if d >= 0 and d != g and i]
        if bad:
            raise ValueError(f"--shape {name}={'x'.join(map(str, shape))}: dims {bad} must be "
                             f"{[declared[i] for i in bad]} (the model's shape {declared})")
        if declared and declared[0] < 0:
            shape[0] = batch
        return shape
    shape = [batch if (i == 0 and d < 0) else d for i, d in enumerate(declared)]
    dyn = [i for i, d in enumerate(shape) if d < 0]
    if dyn:
        example = "x".join(str(d if d >= 0 else "N") for d in shape)
        raise ValueError(
            f"input {name!r} has shape {declared}: dims {dyn} other than the batch dim are "
            f"dynamic, so their size cannot be guessed; give it with --shape {name}={example} "
            "(N: the sizes to use)"
        )
    return shape


def _random(rng: np.random.Generator, shape: list[int], dtype: np.dtype) -> np.ndarray:
    if dtype.kind == "f":
        return rng.standard_normal(shape).astype(dtype)
    if dtype.kind == "b":
        return rng.integers(0, 2, shape).astype(bool)
    return rng.integers(0, 2, shape).astype(dtype)


def _timed_run(pred, names: list[str], data: dict, outs: list) -> float:
    """Milliseconds for one request: copy every input in, run, copy every output out."""
    s = time.perf_counter()
    for n in names:
        h = pred.get_input_handle(n)
        h.reshape(list(data[n].shape))
        h.copy_from_cpu(data[n])
    pred.run()
    for h in outs:
        h.copy_to_cpu()
    return (time.perf_counter() - s) * 1e3


def _pct(sorted_ms: list[float], q: float) -> float:
    i = min(len(sorted_ms) - 1, max(0, math.ceil(q / 100 * len(sorted_ms)) - 1))
    return sorted_ms[i]


def bench(model: str, batches: list[int], threads: list[int], iters: int = 50, warmup: int = 3,
          shapes: dict | None = None, compile: bool = True, seed: int = 0) -> list[BenchRow]:
    """Latency of the paddlefish predictor on ``model`` per (threads, batch); see module doc.

    >>> import os, tempfile, paddlefish as paddle
    >>> p = os.path.join(tempfile.mkdtemp(), "lin")
    >>> paddle.jit.save(paddle.nn.Linear(4, 3), p,
    ...                 input_spec=[paddle.static.InputSpec([None, 4], "float32", "x")])
    >>> rows = bench(p, [1, 8], [1], iters=5)
    >>> [(r.batch, r.threads, r.iters) for r in rows]
    [(1, 1, 5), (8, 1, 5)]
    """
    if iters < 1:
        raise ValueError(f"--iters must be at least 1, got {iters}")
    model_file, params = _files(model)
    specs = feed_specs(model_file)
    given = shapes or {}
    unknown = sorted(set(given) - {n for n, _, _ in specs})
    if unknown:
        raise ValueError(f"--shape names {unknown}, but the model's inputs are "
                         f"{[n for n, _, _ in specs]}")
    per_batch = {b: [_shape_for(n, s, b, given) for n, s, _ in specs] for b in batches}
    rng = np.random.default_rng(seed)
    rows = []
    for t in threads:
        config = inference.Config(model_file, params) if params else inference.Config(model)
        config.disable_gpu()
        config.set_cpu_math_library_num_threads(t)
        if not compile:
            config.switch_compile(False)
        t0 = time.perf_counter()
        pred = inference.create_predictor(config)
        create_ms = (time.perf_counter() - t0) * 1e3
        names = pred.get_input_names()
        by_name = {n: (s, d) for n, s, d in specs}
        order = [n for n, _, _ in specs]
        outs = [pred.get_output_handle(n) for n in pred.get_output_names()]
        for b in batches:
            data = {n: _random(rng, shp, by_name[n][1]) for n, shp in zip(order, per_batch[b])}

            first = _timed_run(pred, names, data, outs)
            for _ in range(warmup):
                _timed_run(pred, names, data, outs)
            ms = sorted(_timed_run(pred, names, data, outs) for _ in range(iters))
            p50 = _pct(ms, 50)
            rows.append(BenchRow(b, t, round(create_ms, 3), round(first, 3), round(p50, 4),
                                 round(_pct(ms, 90), 4), round(_pct(ms, 99), 4),
                                 round(b / (p50 / 1e3), 2), iters, pred.engine_path()))
    return rows


def format_table(rows: list[BenchRow]) -> str:
    head = (f"{'batch':>5} {'threads':>7} {'create ms':>10} {'first ms':>9} {'p50 ms':>9} "
            f"{'p90 ms':>9} {'p99 ms':>9} {'samples/s':>10} {'iters':>6}  path")
    lines = [head]
    for r in rows:
        lines.append(f"{r.batch:>5} {r.threads:>7} {r.create_ms:>10.1f} {r.first_ms:>9.2f} "
                     f"{r.p50_ms:>9.3f} {r.p90_ms:>9.3f} {r.p99_ms:>9.3f} {r.throughput:>10.1f} "
                     f"{r.iters:>6}  {r.path}")
    return "\n".join(lines)


def to_json(rows: list[BenchRow]) -> str:
    return json.dumps([asdict(r) for r in rows])
