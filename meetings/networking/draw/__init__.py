"""Drawing speed-networking rounds: who sits at which table in each round.

Pure Python, no Django: participants are the integers ``0 .. count - 1``.

The draw minimises, in this order (lexicographically):

1. *repeats*: two people sitting together again in a later round of the same session;
2. *same-centre* pairs: two people of the same centre at one table;
3. *already-met* pairs: two people who met at an earlier session (the history).

Table sizes differ by at most one. With pairs and an odd count, one person sits out
each round and that turn rotates: nobody sits out twice before everybody sat out once.

For pairs without history or centre constraint, the circle method (round-robin) is
optimal and is used as is. Otherwise a search runs: a greedy construction (and, for
pairs, the circle method too) followed by local improvement by swapping two people of
the same round, with random kicks to leave local optima (iterated local search). The
random generator is seeded, so one seed gives the same draw (unless the time limit cuts
the search short on a slow machine).

The package re-exports the public names (``from meetings.networking.draw import draw_rounds``).
"""

from .baselines import circle_method, shuffle_draw
from .quality import PAIRS, Draw, Quality, Round, evaluate, max_rounds_without_repeats, table_sizes
from .search import draw_rounds

__all__ = [
    "PAIRS",
    "Draw",
    "Quality",
    "Round",
    "circle_method",
    "draw_rounds",
    "evaluate",
    "max_rounds_without_repeats",
    "shuffle_draw",
    "table_sizes",
]
