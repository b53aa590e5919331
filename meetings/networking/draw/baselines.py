"""Simple draws the search starts from or is compared with: the circle method, a seeded shuffle."""

from __future__ import annotations

import random
from collections.abc import Sequence

from .quality import PAIRS, Round, table_sizes


def _sitting_out(count: int, table_size: int, rounds: int, order: Sequence[int]) -> list[list[int]]:
    """Who sits out in each round: with pairs and an odd count, one person, in rotation."""
    if table_size != PAIRS or count % 2 == 0:
        return [[] for _ in range(rounds)]
    return [[order[r % count]] for r in range(rounds)]


def circle_method(count: int, rounds: int, order: Sequence[int] | None = None) -> list[Round]:
    """Round-robin pairs: one person stays put, the others turn around the circle.

    With an odd count a phantom joins the circle and whoever faces it sits out, so each
    person sits out once every ``count`` rounds. Nobody meets anybody twice within
    ``count - 1`` rounds (``count`` when odd); past that the schedule starts over.
    """
    order = list(range(count)) if order is None else list(order)
    phantom = None
    if count % 2:
        phantom = -1
        order.append(phantom)
    size = len(order)
    if size < PAIRS:
        return [Round(tables=(), sitting_out=tuple(p for p in order if p != phantom)) for _ in range(rounds)]
    fixed, ring = order[0], order[1:]
    result = []
    for r in range(rounds):
        shift = r % (size - 1)
        circle = [fixed, *ring[shift:], *ring[:shift]]
        tables, out = [], []
        for i in range(size // 2):
            a, b = circle[i], circle[size - 1 - i]
            if a == phantom:
                out.append(b)
            elif b == phantom:
                out.append(a)
            else:
                tables.append((a, b))
        result.append(Round(tables=tuple(tables), sitting_out=tuple(out)))
    return result


def shuffle_draw(*, count: int, table_size: int, rounds: int, seed: int = 0) -> list[Round]:
    """The baseline: shuffle everybody each round and cut the line into tables."""
    rng = random.Random(seed)
    order = list(range(count))
    rng.shuffle(order)
    out = _sitting_out(count, table_size, rounds, order)
    sizes = table_sizes(count, table_size)
    result = []
    for r in range(rounds):
        people = [p for p in range(count) if p not in out[r]]
        rng.shuffle(people)
        tables, start = [], 0
        for size in sizes:
            tables.append(tuple(people[start : start + size]))
            start += size
        result.append(Round(tables=tuple(tables), sitting_out=tuple(out[r])))
    return result
