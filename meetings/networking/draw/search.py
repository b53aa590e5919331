"""The local search that improves a draw within a time budget, and ``draw_rounds``, its entry point."""

from __future__ import annotations

import random
import time
from collections.abc import Hashable, Iterable, Sequence

from .baselines import _sitting_out, circle_method
from .quality import PAIRS, Draw, Round, _centre_ids, _history_set, evaluate, table_sizes


class _Search:
    """The mutable state of the local search: tables per round and pair counters."""

    def __init__(self, count: int, centre: list[int], met: set[tuple[int, int]], rounds: int, table_size: int):
        self.n = n = count
        self.rounds = rounds
        # Weights make the sum lexicographic: one repeat outweighs every same-centre pair
        # of the draw, one same-centre pair outweighs every already-met pair.
        incidences = rounds * sum(s * (s - 1) // 2 for s in table_sizes(count, table_size)) + 1
        self.w_met = 1
        self.w_centre = incidences
        self.w_repeat = incidences * incidences
        self.centre, self.met = centre, met
        self.set_weights(centres=True, history=True)
        self.seen = [0] * (n * n)
        self.total = 0
        self.tables: list[list[list[int]]] = []
        self.where: list[list[int]] = []
        self.seated: list[list[int]] = []
        self.out: list[list[int]] = []
        self.out_count = [0] * n
        self.bye_swaps = False

    def set_weights(self, *, centres: bool, history: bool) -> None:
        """Choose which criteria below repeats count (the stages of the search)."""
        n, centre = self.n, self.centre
        base = [0] * (n * n)
        if centres:
            for a in range(n):
                row, ca = a * n, centre[a]
                for b in range(n):
                    if a != b and centre[b] == ca:
                        base[row + b] = self.w_centre
        if history:
            for a, b in self.met:
                base[a * n + b] += self.w_met
                base[b * n + a] += self.w_met
        self.base = base

    def load(self, plan: list[Round]) -> None:
        n = self.n
        self.seen = [0] * (n * n)
        self.total = 0
        self.tables, self.where, self.seated = [], [], []
        self.out = [list(rnd.sitting_out) for rnd in plan]
        self.out_count = [0] * n
        for out in self.out:
            for p in out:
                self.out_count[p] += 1
        # Who sits out may change only while nobody has to sit out twice.
        self.bye_swaps = max(self.out_count, default=0) <= 1
        for rnd in plan:
            tables = [list(t) for t in rnd.tables]
            where = [-1] * n
            for index, table in enumerate(tables):
                for p in table:
                    where[p] = index
                self._count(table, 1)
            self.tables.append(tables)
            self.where.append(where)
            self.seated.append([p for t in tables for p in t])

    def _count(self, table: list[int], step: int) -> None:
        """Add (step 1) or remove (step -1) a table's pairs, keeping the total cost up to date."""
        n, seen, base, w_repeat = self.n, self.seen, self.base, self.w_repeat
        total = self.total
        for i, a in enumerate(table):
            row = a * n
            for b in table[i + 1 :]:
                key = row + b
                if step > 0:
                    total += base[key] + (w_repeat if seen[key] else 0)
                else:
                    total -= base[key] + (w_repeat if seen[key] > 1 else 0)
                seen[key] += step
                seen[b * n + a] += step
        self.total = total

    def pair_cost(self, a: int, b: int, extra: int) -> int:
        """Cost of a and b sitting together, counting ``extra`` other times they sat together."""
        key = a * self.n + b
        return self.base[key] + (self.w_repeat if self.seen[key] > extra else 0)

    def cost(self) -> int:
        return self.total

    def greedy_round(self, people: list[int], sizes: list[int], rng: random.Random) -> list[list[int]]:
        """Fill tables one by one, each time adding the unseated person who costs least."""
        n, base, seen, w_repeat = self.n, self.base, self.seen, self.w_repeat
        free = list(people)
        rng.shuffle(free)
        tables = []
        for size in sizes:
            table = [free.pop()]
            while len(table) < size:
                best_index, best_cost = 0, None
                for index, candidate in enumerate(free):
                    row = candidate * n
                    c = 0
                    for x in table:
                        c += base[row + x] + (w_repeat if seen[row + x] else 0)
                    if best_cost is None or c < best_cost:
                        best_index, best_cost = index, c
                        if c == 0:
                            break
                free[best_index], free[-1] = free[-1], free[best_index]
                table.append(free.pop())
            self._count(table, 1)
            tables.append(table)
        return tables

    def swap(self, r: int, p: int, q: int) -> None:
        """Swap p and q (at different tables, or one of them sitting out) in round r.

        Swapping the same two people again undoes the swap.
        """
        tables, where = self.tables[r], self.where[r]
        tp, tq = where[p], where[q]
        for t, old, new in ((tp, p, q), (tq, q, p)):
            if t < 0:
                out = self.out[r]
                out[out.index(old)] = new
                self.out_count[old] -= 1
                self.out_count[new] += 1
            else:
                table = tables[t]
                self._count(table, -1)
                table[table.index(old)] = new
                self._count(table, 1)
        where[p], where[q] = tq, tp
        if tp < 0 or tq < 0:
            self.seated[r] = [x for t in tables for x in t]

    def best_swap(self, r: int, p: int) -> tuple[int, int, int]:
        """The best partner to swap p with in round r: (delta, q, work). q is -1 if none improves."""
        n, base, seen, w_repeat = self.n, self.base, self.seen, self.w_repeat
        tables, where = self.tables[r], self.where[r]
        tp = where[p]
        if tp < 0:
            return 0, -1, 1  # sitting out (since a swap earlier in this pass): nothing to repair
        home = tables[tp]
        prow = p * n
        leave_p = 0
        for x in home:
            if x != p:
                leave_p += base[prow + x] + (w_repeat if seen[prow + x] > 1 else 0)
        if leave_p == 0:
            return 0, -1, 1
        best_delta, best_q = 0, -1
        seated = self.seated[r]
        for q in seated:
            tq = where[q]
            if tq == tp:
                continue
            qrow = q * n
            delta = -leave_p
            for y in tables[tq]:
                if y != q:
                    delta += base[prow + y] + (w_repeat if seen[prow + y] else 0)
                    delta -= base[qrow + y] + (w_repeat if seen[qrow + y] > 1 else 0)
            for x in home:
                if x != p:
                    delta += base[qrow + x] + (w_repeat if seen[qrow + x] else 0)
            if delta < best_delta:
                best_delta, best_q = delta, q
        if self.bye_swaps and not self.out_count[p]:
            # p may sit out instead of someone who has not sat out yet: the rotation stays fair.
            for q in self.out[r]:
                if self.out_count[q] != 1:
                    continue
                qrow = q * n
                delta = -leave_p
                for x in home:
                    if x != p:
                        delta += base[qrow + x] + (w_repeat if seen[qrow + x] else 0)
                if delta < best_delta:
                    best_delta, best_q = delta, q
        return best_delta, best_q, len(seated)

    def descend(self, rng: random.Random, budget: int, journal: list | None = None, rounds=None) -> int:
        """Swap people (in these rounds, or all) while a swap lowers the cost; return the work spent."""
        work = 0
        improved = True
        order = list(range(self.rounds)) if rounds is None else list(rounds)
        while improved and work < budget:
            improved = False
            rng.shuffle(order)
            for r in order:
                for p in list(self.seated[r]):
                    _delta, q, spent = self.best_swap(r, p)
                    work += spent
                    if q >= 0:
                        self.swap(r, p, q)
                        if journal is not None:
                            journal.append((r, p, q))
                        improved = True
        return work

    def troubled(self) -> list[tuple[int, int]]:
        """(round, person) of the people in the worst kind of trouble: repeats first, then centres, then history."""
        levels: list[list[tuple[int, int]]] = [[], [], []]
        for r in range(self.rounds):
            for table in self.tables[r]:
                for i, a in enumerate(table):
                    for b in table[i + 1 :]:
                        cost = self.pair_cost(a, b, 1)
                        if cost >= self.w_repeat:
                            level = levels[0]
                        elif cost >= self.w_centre:
                            level = levels[1]
                        elif cost:
                            level = levels[2]
                        else:
                            continue
                        level.append((r, a))
                        level.append((r, b))
        return next((level for level in levels if level), [])

    def plan(self) -> list[Round]:
        return [
            Round(tables=tuple(tuple(t) for t in self.tables[r]), sitting_out=tuple(self.out[r]))
            for r in range(self.rounds)
        ]


def _improve(search: _Search, rng: random.Random, budget: int, patience: int, deadline: float) -> int:
    """Iterated local search: descend, then kick and descend while it pays. Return the work spent."""
    work = search.descend(rng, budget)
    best = search.cost()
    stale = 0
    small = search.n * search.rounds <= 400
    while best and work < budget and stale < patience and time.thread_time() < deadline:
        trouble = search.troubled()
        if not trouble:
            break
        journal: list = []
        # Kick: move one or two people to random tables of their round; mostly people in
        # trouble, sometimes anybody (a better draw may need someone else to move first).
        for _ in range(rng.choice((1, 1, 2))):
            if rng.random() < 0.25:
                r = rng.randrange(search.rounds)
                if not search.seated[r]:
                    continue
                p = rng.choice(search.seated[r])
            else:
                r, p = rng.choice(trouble)
            if search.where[r][p] < 0:
                continue
            others = [q for q in search.seated[r] if search.where[r][q] != search.where[r][p]]
            if search.bye_swaps and not search.out_count[p]:
                others += [q for q in search.out[r] if search.out_count[q] == 1]
            if not others:
                continue
            q = rng.choice(others)
            search.swap(r, p, q)
            journal.append((r, p, q))
        # Repair the rounds the kick touched first (all of them in a small draw); a full
        # pass only when that pays off.
        touched = None if small else sorted({r for r, _p, _q in journal})
        work += search.descend(rng, budget - work, journal, rounds=touched) + 1
        cost = search.cost()
        if cost < best:
            if not small:
                work += search.descend(rng, budget - work, journal)
                cost = search.cost()
            best, stale = cost, 0
        elif cost == best:
            stale += 1  # keep the sideways move: it helps leave plateaus
        else:
            stale += 1
            for r, p, q in reversed(journal):
                search.swap(r, p, q)
    return work


def _search(
    search: _Search,
    start: list[Round],
    rng: random.Random,
    budget: int,
    patience: int,
    deadline: float,
    stages: list[tuple[bool, bool]],
) -> tuple[int, list[Round]]:
    """Improve a start stage by stage: repeats alone first, then centres, then history.

    Each stage keeps what the previous ones reached (its weights rank them first), and
    with fewer troubled people early stages run many more kicks in the same time.
    """
    search.load(start)
    work = 0
    for index, (centres, history) in enumerate(stages):
        search.set_weights(centres=centres, history=history)
        search.load(search.plan())
        left = len(stages) - index
        now = time.thread_time()
        work += _improve(search, rng, (budget - work) // left, patience, now + max(0.0, deadline - now) / left)
    return search.cost(), search.plan()


def draw_rounds(
    *,
    count: int,
    table_size: int,
    rounds: int,
    centres: Sequence[Hashable | None] | None = None,
    history: Iterable[tuple[int, int]] = (),
    seed: int = 0,
    budget: int = 300_000,
    patience: int = 200,
    time_limit: float = 0.8,
) -> Draw:
    """Draw ``rounds`` rounds of tables for ``count`` people.

    ``centres[i]`` is the centre of person i (None when unknown); ``history`` lists pairs
    of people who met at earlier sessions. ``budget`` bounds the work of the search (in
    candidate swaps looked at) and ``patience`` the kicks tried without improvement;
    ``time_limit`` (seconds of this thread's CPU time, so a busy machine does not cut the
    search short) stops the kicks early on a slow machine, the only case where one seed
    may not give the same draw twice.
    """
    if count < 0 or rounds < 0:
        raise ValueError("Counts cannot be negative.")
    deadline = time.thread_time() + time_limit
    rng = random.Random(seed)
    order = list(range(count))
    rng.shuffle(order)
    centre = _centre_ids(count, centres)
    met = _history_set(count, history)
    no_constraint = not met and len(set(centre)) == count

    if table_size == PAIRS and no_constraint:
        plan = circle_method(count, rounds, order)
        return Draw(rounds=tuple(plan), quality=evaluate(plan, centres=centres, history=met), method="circle")

    search = _Search(count, centre, met, rounds, table_size)
    sizes = table_sizes(count, table_size)
    starts = []
    if table_size == PAIRS:
        circle = circle_method(count, rounds, order)
        starts.append(circle)
    # Small draws are cheap: start from several greedy constructions (with different
    # people sitting out) to make missing the best draw unlikely.
    for _ in range(4 if count * rounds <= 60 else 1):
        out = _sitting_out(count, table_size, rounds, order)
        search.load([])
        greedy = []
        for r in range(rounds):
            people = [p for p in range(count) if p not in out[r]]
            tables = search.greedy_round(people, sizes, rng)
            greedy.append(Round(tables=tuple(tuple(t) for t in tables), sitting_out=tuple(out[r])))
        starts.append(greedy)
        rng.shuffle(order)

    has_centres = len(set(centre)) < count
    stages = [(False, False)]
    if has_centres:
        stages.append((True, False))
    if met:
        stages.append((has_centres, True))
    best_cost, best_plan = None, None
    for index, start in enumerate(starts):
        now = time.thread_time()
        share = now + max(0.0, deadline - now) / (len(starts) - index)
        cost, plan = _search(search, start, rng, budget // len(starts), patience, share, stages)
        if best_cost is None or cost < best_cost:
            best_cost, best_plan = cost, plan
        if best_cost == 0:
            break
    return Draw(rounds=tuple(best_plan), quality=evaluate(best_plan, centres=centres, history=met), method="search")
