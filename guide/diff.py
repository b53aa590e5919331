"""Side-by-side comparison of two versions of a contribution's text, for the admin."""

import difflib
from dataclasses import dataclass
from itertools import zip_longest


@dataclass
class Row:
    left: str
    right: str
    tag: str  # equal, replace, delete, insert
    left_no: int | None
    right_no: int | None


def side_by_side(before: str, after: str) -> list[Row]:
    """Pair the lines of two texts: unchanged, changed, removed (left only) or added (right only)."""
    a = (before or "").splitlines()
    b = (after or "").splitlines()
    rows: list[Row] = []
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(a=a, b=b, autojunk=False).get_opcodes():
        pairs = zip_longest(range(i1, i2), range(j1, j2))
        for i, j in pairs:
            row_tag = tag
            if tag == "replace":
                row_tag = "replace" if i is not None and j is not None else ("delete" if j is None else "insert")
            rows.append(
                Row(
                    left=a[i] if i is not None else "",
                    right=b[j] if j is not None else "",
                    tag=row_tag,
                    left_no=i + 1 if i is not None else None,
                    right_no=j + 1 if j is not None else None,
                )
            )
    return rows
