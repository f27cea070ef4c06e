"""Shared jobs of 4 and 2 ranks (see _pool.py), started on first use, stopped at the end."""

from __future__ import annotations

import pytest

from ._pool import Pool


@pytest.fixture(scope="session")
def pools():
    made: dict[int, Pool] = {}

    def get(n: int) -> Pool:
        if not made:  # start both jobs at once: their ranks import and join in parallel
            for size in (4, 2):
                made[size] = Pool(size)
                made[size]._start()
        if n not in made:
            made[n] = Pool(n)
        return made[n]

    yield get
    for p in made.values():
        p.close()
