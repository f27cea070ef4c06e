"""Paddle 1.x's reader decorators (``paddle.reader``) and ``paddle.batch``: a reader is a
function returning an iterator of samples; each decorator returns a new reader.

Same results as Paddle 2.6 (``shuffle`` draws from Python's ``random`` with the same calls, so a
seeded run shuffles alike). Where Paddle's threads would hang or drop an error, these say what
failed: an exception inside a ``buffered``/``xmap_readers`` worker is raised in the consumer.

>>> import paddlefish as paddle
>>> def reader():
...     yield from range(5)
>>> list(paddle.batch(reader, 2)())
[[0, 1], [2, 3], [4]]
>>> list(paddle.reader.compose(reader, paddle.reader.map_readers(lambda v: v * 10, reader))())
[(0, 0), (1, 10), (2, 20), (3, 30), (4, 40)]
"""

from __future__ import annotations

import itertools
import json
import multiprocessing
import queue
import random
import sys
import threading

__all__ = [
    "ComposeNotAligned",
    "batch",
    "buffered",
    "cache",
    "chain",
    "compose",
    "firstn",
    "map_readers",
    "multiprocess_reader",
    "shuffle",
    "xmap_readers",
]


def batch(reader, batch_size, drop_last=False):
    """Group ``reader``'s samples into lists of ``batch_size`` (the last one shorter unless
    ``drop_last``)."""
    batch_size = int(batch_size)
    if batch_size <= 0:
        raise ValueError(
            f"batch_size should be a positive integer value, but got batch_size={batch_size}"
        )

    def batch_reader():
        b = []
        for sample in reader():
            b.append(sample)
            if len(b) == batch_size:
                yield b
                b = []
        if b and not drop_last:
            yield b

    return batch_reader


def cache(reader):
    """Read everything once, now; the new reader replays it."""
    data = tuple(reader())

    def cached():
        yield from data

    return cached


def map_readers(func, *readers):
    """``func`` applied to the samples of ``readers`` side by side."""

    def mapped():
        yield from map(func, *[r() for r in readers])

    return mapped


def shuffle(reader, buf_size):
    """Shuffle within consecutive buffers of ``buf_size`` samples."""

    def shuffled():
        buf = []
        for sample in reader():
            buf.append(sample)
            if len(buf) >= buf_size:
                random.shuffle(buf)
                yield from buf
                buf = []
        if buf:
            random.shuffle(buf)
            yield from buf

    return shuffled


def chain(*readers):
    """The samples of each reader in turn."""

    def chained():
        yield from itertools.chain(*[r() for r in readers])

    return chained


class ComposeNotAligned(ValueError):
    """``compose``'s readers yielded different numbers of samples."""


def compose(*readers, check_alignment=True):
    """Tuples of the readers' samples side by side (tuple samples are flattened in)."""

    def as_tuple(x):
        return x if isinstance(x, tuple) else (x,)

    def composed():
        its = [r() for r in readers]
        if not check_alignment:
            for outs in zip(*its):
                yield sum(map(as_tuple, outs), ())
            return
        for outs in itertools.zip_longest(*its):
            if any(o is None for o in outs):
                raise ComposeNotAligned("outputs of readers are not aligned.")
            yield sum(map(as_tuple, outs), ())

    return composed


_END = object()


class _Failed:
    def __init__(self, exc):
        self.exc = exc


def buffered(reader, size):
    """Read ahead into a queue of ``size`` samples on a background thread."""

    def worker(it, q):
        try:
            for sample in it:
                q.put(sample)
        except BaseException as e:  # noqa: BLE001 - handed to the consumer
            q.put(_Failed(e))
        q.put(_END)

    def buffered_reader():
        q = queue.Queue(maxsize=size)
        threading.Thread(target=worker, args=(reader(), q), daemon=True).start()
        while True:
            item = q.get()
            if item is _END:
                return
            if isinstance(item, _Failed):
                raise item.exc
            yield item

    return buffered_reader


def firstn(reader, n):
    """The first ``n`` samples."""

    def first():
        yield from itertools.islice(reader(), n)

    return first


def xmap_readers(mapper, reader, process_num, buffer_size, order=False):
    """``mapper`` over the samples on ``process_num`` threads; ``order`` keeps the input order."""

    def xreader():
        in_q: queue.Queue = queue.Queue(buffer_size)
        out_q: queue.Queue = queue.Queue(buffer_size)

        def feed():
            try:
                for i, sample in enumerate(reader()):
                    in_q.put((i, sample))
            except BaseException as e:  # noqa: BLE001 - handed to the consumer
                out_q.put(_Failed(e))
            for _ in range(process_num):
                in_q.put(_END)

        def work():
            while True:
                item = in_q.get()
                if item is _END:
                    out_q.put(_END)
                    return
                i, sample = item
                try:
                    out_q.put((i, mapper(sample)))
                except BaseException as e:  # noqa: BLE001 - handed to the consumer
                    out_q.put(_Failed(e))

        threading.Thread(target=feed, daemon=True).start()
        for _ in range(process_num):
            threading.Thread(target=work, daemon=True).start()
        done, pending, nxt = 0, {}, 0
        while done < process_num:
            item = out_q.get()
            if item is _END:
                done += 1
                continue
            if isinstance(item, _Failed):
                raise item.exc
            i, value = item
            if not order:
                yield value
                continue
            pending[i] = value
            while nxt in pending:
                yield pending.pop(nxt)
                nxt += 1

    return xreader


def _read_into(reader, conn):
    try:
        for sample in reader():
            if sample is None:
                raise ValueError("sample has None!")
            conn.send(json.dumps(sample))
        conn.send(json.dumps(None))
    except Exception as e:
        conn.send(json.dumps({"__paddlefish_reader_error__": repr(e)}))
        raise
    finally:
        conn.close()


def multiprocess_reader(readers, use_pipe=True, queue_size=1000):
    """The samples of ``readers`` read in one forked process each (JSON-serialisable samples,
    as in Paddle); order across readers is not defined."""
    if sys.platform == "win32":
        raise NotImplementedError("The multiprocess_reader method is not supported on windows.")
    if not isinstance(readers, (list, tuple)) or not readers:
        raise ValueError("`readers` must be list or tuple.")
    ctx = multiprocessing.get_context("fork")

    def mp_reader():
        conns = []
        for r in readers:
            parent, child = ctx.Pipe(duplex=False)
            ctx.Process(target=_read_into, args=(r, child), daemon=True).start()
            child.close()
            conns.append(parent)
        while conns:
            for conn in list(conns):
                sample = json.loads(conn.recv())
                if sample is None:
                    conns.remove(conn)
                    conn.close()
                elif isinstance(sample, dict) and "__paddlefish_reader_error__" in sample:
                    raise ValueError(
                        "multiprocess_reader: a reader failed in its process: "
                        f"{sample['__paddlefish_reader_error__']}"
                    )
                else:
                    yield sample

    return mp_reader
