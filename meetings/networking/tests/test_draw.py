"""Properties of the draw, over participant counts, table sizes, rounds, centres and history."""

import itertools
from collections import Counter

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from meetings.networking.draw import (
    Round,
    circle_method,
    draw_rounds,
    evaluate,
    max_rounds_without_repeats,
    shuffle_draw,
    table_sizes,
)


@st.composite
def draw_cases(draw, max_count=30, max_rounds=12):
    count = draw(st.integers(min_value=2, max_value=max_count))
    table_size = draw(st.sampled_from([2, 3, 4]))
    rounds = draw(st.integers(min_value=1, max_value=max_rounds))
    centre_count = draw(st.integers(min_value=1, max_value=count))
    centres = draw(st.lists(st.one_of(st.none(), st.integers(0, centre_count - 1)), min_size=count, max_size=count))
    pairs = list(itertools.combinations(range(count), 2))
    history = draw(st.lists(st.sampled_from(pairs), max_size=min(len(pairs), 40), unique=True))
    seed = draw(st.integers(min_value=0, max_value=2**16))
    return count, table_size, rounds, centres, history, seed


def assert_well_formed(result, count, table_size, rounds):
    assert len(result.rounds) == rounds
    for rnd in result.rounds:
        placed = [p for table in rnd.tables for p in table] + list(rnd.sitting_out)
        assert sorted(placed) == list(range(count))
        sizes = [len(table) for table in rnd.tables]
        assert sorted(sizes, reverse=True) == table_sizes(count, table_size)
        assert max(sizes) - min(sizes) <= 1
        assert max(sizes) <= table_size
        expected_out = 1 if table_size == 2 and count % 2 else 0
        assert len(rnd.sitting_out) == expected_out


def assert_fair_rotation(result, count):
    """After every round, the numbers of turns sitting out differ by at most one."""
    turns = Counter(dict.fromkeys(range(count), 0))
    for rnd in result.rounds:
        turns.update(rnd.sitting_out)
        if rnd.sitting_out:
            assert max(turns.values()) - min(turns.values()) <= 1


@settings(max_examples=30, derandomize=True, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(draw_cases())
def test_everyone_placed_once_per_round_tables_even_and_sitting_out_rotates(case):
    count, table_size, rounds, centres, history, seed = case

    result = draw_rounds(count=count, table_size=table_size, rounds=rounds, centres=centres, history=history, seed=seed)

    assert_well_formed(result, count, table_size, rounds)
    assert_fair_rotation(result, count)
    assert result.quality == evaluate(result.rounds, centres=centres, history=history)


@settings(max_examples=50, derandomize=True, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(draw_cases(max_count=24, max_rounds=23))
def test_pairs_never_meet_twice_while_the_rounds_allow(case):
    count, _, rounds, centres, history, seed = case
    rounds = min(rounds, count - 1)

    result = draw_rounds(
        count=count, table_size=2, rounds=rounds, centres=centres, history=history, seed=seed, budget=20_000
    )

    assert rounds <= max_rounds_without_repeats(count, 2)
    assert result.quality.repeats == 0
    assert_fair_rotation(result, count)


@settings(max_examples=60, derandomize=True, deadline=None)
@given(st.integers(min_value=2, max_value=40), st.integers(min_value=1, max_value=45), st.integers(0, 99))
def test_circle_method_when_no_history_and_no_centres(count, rounds, seed):
    result = draw_rounds(count=count, table_size=2, rounds=rounds, seed=seed)

    assert result.method == "circle"
    limit = max_rounds_without_repeats(count, 2)
    pairs_per_round = count // 2
    expected_repeats = max(0, rounds - limit) * pairs_per_round
    assert result.quality.repeats == expected_repeats
    assert_fair_rotation(result, count)


def test_odd_count_each_person_sits_out_once_in_count_rounds():
    result = draw_rounds(count=7, table_size=2, rounds=7, centres=["a", "a", "b", "b", "c", "c", None], seed=3)

    assert sorted(p for rnd in result.rounds for p in rnd.sitting_out) == list(range(7))
    assert result.quality.repeats == 0


def test_circle_method_pairs_everybody_with_everybody_once():
    rounds = circle_method(6, 5)

    pairs = Counter(tuple(sorted(t)) for rnd in rounds for t in rnd.tables)
    assert len(pairs) == 15
    assert set(pairs.values()) == {1}


def test_table_sizes():
    assert table_sizes(8, 2) == [2, 2, 2, 2]
    assert table_sizes(9, 2) == [2, 2, 2, 2]
    assert table_sizes(10, 4) == [4, 3, 3]
    assert table_sizes(9, 3) == [3, 3, 3]
    assert table_sizes(5, 4) == [3, 2]
    assert table_sizes(0, 3) == []


def test_search_beats_a_random_shuffle_on_centres():
    centres = [i // 4 for i in range(40)]
    # A generous time limit: the work budget, not a busy machine, ends the search.
    result = draw_rounds(count=40, table_size=4, rounds=5, centres=centres, seed=1, time_limit=60)
    baseline = evaluate(shuffle_draw(count=40, table_size=4, rounds=5, seed=1), centres=centres)

    assert result.quality.as_tuple() == (0, 0, 0)
    assert baseline.same_centre >= 10


def test_same_seed_gives_same_draw():
    kwargs = {"count": 12, "table_size": 3, "rounds": 4, "centres": [i % 3 for i in range(12)], "seed": 5}
    assert draw_rounds(**kwargs) == draw_rounds(**kwargs)


# ---------------------------------------------------------------------------
# Exhaustive search on small cases


def _partitions(people, sizes):
    """Every way to seat ``people`` at tables of the given sizes (a multiset), each once."""
    if not people:
        yield []
        return
    first, rest = people[0], people[1:]
    for size in set(sizes):
        remaining = list(sizes)
        remaining.remove(size)
        for mates in itertools.combinations(rest, size - 1):
            others = [p for p in rest if p not in mates]
            for tail in _partitions(others, remaining):
                yield [(first, *mates), *tail]


def _all_rounds(count, table_size):
    sizes = table_sizes(count, table_size)
    outs = [(p,) for p in range(count)] if table_size == 2 and count % 2 else [()]
    for out in outs:
        people = [p for p in range(count) if p not in out]
        for tables in _partitions(people, sizes):
            yield Round(tables=tuple(tables), sitting_out=out)


def best_possible(count, table_size, rounds, centres, history):
    options = list(_all_rounds(count, table_size))
    best = None
    for plan in itertools.product(options, repeat=rounds):
        outs = [p for rnd in plan for p in rnd.sitting_out]
        if len(outs) != len(set(outs)):
            continue  # the same person may not sit out twice in so few rounds
        quality = evaluate(plan, centres=centres, history=history).as_tuple()
        best = quality if best is None or quality < best else best
    return best


@st.composite
def small_cases(draw):
    count = draw(st.integers(min_value=3, max_value=8))
    table_size = draw(st.sampled_from([2, 3, 4]))
    rounds = draw(st.integers(min_value=1, max_value=2 if count <= 6 else 1))
    centres = draw(st.lists(st.one_of(st.none(), st.integers(0, 2)), min_size=count, max_size=count))
    pairs = list(itertools.combinations(range(count), 2))
    history = draw(st.lists(st.sampled_from(pairs), unique=True, max_size=len(pairs)))
    seed = draw(st.integers(min_value=0, max_value=999))
    return count, table_size, rounds, centres, history, seed


@settings(max_examples=120, derandomize=True, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(small_cases())
def test_draw_is_as_good_as_exhaustive_search_on_small_cases(case):
    count, table_size, rounds, centres, history, seed = case

    result = draw_rounds(count=count, table_size=table_size, rounds=rounds, centres=centres, history=history, seed=seed)

    assert result.quality.as_tuple() == best_possible(count, table_size, rounds, centres, history)


@settings(max_examples=120, derandomize=True, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(small_cases())
def test_already_met_pairs_avoided_whenever_a_draw_without_them_exists(case):
    count, table_size, rounds, _, history, seed = case

    result = draw_rounds(count=count, table_size=table_size, rounds=rounds, history=history, seed=seed)

    best = best_possible(count, table_size, rounds, None, history)
    if best[1] == 0 and best[2] == 0:
        assert result.quality.already_met == 0
    assert result.quality.as_tuple() == best


def test_nobody_sits_out_twice_to_dodge_people_they_already_met():
    # Person 0 met everybody before: sitting out twice would avoid that, but is unfair.
    result = draw_rounds(
        count=5, table_size=2, rounds=2, centres=[None, None, None, 0, 0], history=[(0, 1), (0, 2), (0, 3), (0, 4)]
    )

    assert_fair_rotation(result, 5)
    assert result.quality.as_tuple() == (0, 0, 1)
