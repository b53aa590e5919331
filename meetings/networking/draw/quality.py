"""What a draw is and how good it is: tables, rounds, repeats and same-centre pairs."""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Sequence
from dataclasses import dataclass

PAIRS = 2


@dataclass(frozen=True)
class Quality:
    """How good a draw is; every count is of pairs of people seated together in one round."""

    repeats: int
    same_centre: int
    already_met: int

    def as_tuple(self) -> tuple[int, int, int]:
        return (self.repeats, self.same_centre, self.already_met)


@dataclass(frozen=True)
class Round:
    tables: tuple[tuple[int, ...], ...]
    sitting_out: tuple[int, ...] = ()


@dataclass(frozen=True)
class Draw:
    rounds: tuple[Round, ...]
    quality: Quality
    method: str  # "circle", "search" or "shuffle"


def table_sizes(count: int, table_size: int) -> list[int]:
    """The sizes of the tables of one round.

    Pairs: ``count // 2`` tables of two (one person sits out when the count is odd).
    Larger tables: as few tables as possible of at most ``table_size`` people, their
    sizes differing by at most one (10 people at tables of 4 make 4 + 3 + 3).
    """
    if table_size < PAIRS:
        raise ValueError("A table seats at least two people.")
    if count <= 0:
        return []
    if table_size == PAIRS:
        return [PAIRS] * (count // PAIRS)
    tables = -(-count // table_size)
    base, extra = divmod(count, tables)
    return [base + 1] * extra + [base] * (tables - extra)


def max_rounds_without_repeats(count: int, table_size: int) -> int | None:
    """For pairs, how many rounds can run before someone meets a person twice (None otherwise)."""
    if table_size != PAIRS:
        return None
    return count if count % 2 else count - 1


def _centre_ids(count: int, centres: Sequence[Hashable | None] | None) -> list[int]:
    """Map centres to small integers; an unknown centre (None) is a centre of its own."""
    if centres is None:
        return list(range(count))
    if len(centres) != count:
        raise ValueError("One centre per participant is expected (None when unknown).")
    ids: dict[Hashable, int] = {}
    result = []
    for index, centre in enumerate(centres):
        if centre is None:
            result.append(-1 - index)
        else:
            result.append(ids.setdefault(centre, len(ids)))
    return result


def _history_set(count: int, history: Iterable[tuple[int, int]]) -> set[tuple[int, int]]:
    pairs = set()
    for a, b in history:
        if a == b or not (0 <= a < count and 0 <= b < count):
            continue
        pairs.add((a, b) if a < b else (b, a))
    return pairs


def evaluate(
    rounds: Sequence[Round],
    *,
    centres: Sequence[Hashable | None] | None = None,
    history: Iterable[tuple[int, int]] = (),
) -> Quality:
    """Count repeats, same-centre pairs and already-met pairs of a draw."""
    if centres is None:
        count = 1 + max((p for rnd in rounds for table in rnd.tables for p in table), default=-1)
    else:
        count = len(centres)
    centre = _centre_ids(count, centres)
    met = _history_set(count, history)
    seen: dict[tuple[int, int], int] = {}
    repeats = same = already = 0
    for rnd in rounds:
        for table in rnd.tables:
            for i, a in enumerate(table):
                for b in table[i + 1 :]:
                    pair = (a, b) if a < b else (b, a)
                    times = seen.get(pair, 0)
                    if times:
                        repeats += 1
                    seen[pair] = times + 1
                    if centre[a] == centre[b]:
                        same += 1
                    if pair in met:
                        already += 1
    return Quality(repeats=repeats, same_centre=same, already_met=already)
