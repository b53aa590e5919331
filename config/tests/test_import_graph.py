"""Our apps import each other downwards only: no circle between them, at any depth.

Every module of every app (tests included) is parsed with ``ast``; each import of another
of our apps is an edge between the two apps. A cycle fails the test with the path and the
files that make it. Reminders and networking live under ``meetings/`` on disk but are apps
of their own, so ``meetings.reminders`` counts as the app ``reminders``, not ``meetings``.
"""

import ast
import itertools
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

# Module prefix -> app label; the longest prefix wins.
APPS = {
    "community": "community",
    "meetings": "meetings",
    "meetings.reminders": "reminders",
    "meetings.networking": "networking",
    "themes": "themes",
    "guide": "guide",
    "portal": "portal",
    "search": "search",
    "reports": "reports",
}


def app_of(module: str) -> str | None:
    for prefix in sorted(APPS, key=len, reverse=True):
        if module == prefix or module.startswith(prefix + "."):
            return APPS[prefix]
    return None


def imported_modules(tree: ast.AST, package: str) -> list[str]:
    """Absolute names of what a module imports (relative imports resolved against its package)."""
    names = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names += [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                parts = package.split(".")
                base = ".".join(parts[: len(parts) - node.level + 1])
                if node.module:
                    names.append(f"{base}.{node.module}")
                else:
                    names += [f"{base}.{alias.name}" for alias in node.names]
            elif node.module:
                names.append(node.module)
    return names


def app_edges(root: Path) -> dict[tuple[str, str], set[str]]:
    """(importing app, imported app) -> the files that make the edge."""
    edges: dict[tuple[str, str], set[str]] = {}
    for top in sorted({prefix.split(".")[0] for prefix in APPS}):
        for path in sorted((root / top).rglob("*.py")):
            relative = path.relative_to(root)
            module = ".".join(relative.with_suffix("").parts)
            package = module.removesuffix(".__init__") if path.name == "__init__.py" else module.rpartition(".")[0]
            source = app_of(module)
            for name in imported_modules(ast.parse(path.read_text(), filename=str(path)), package):
                target = app_of(name)
                if target and target != source:
                    edges.setdefault((source, target), set()).add(str(relative))
    return edges


def find_cycle(edges) -> list[str] | None:
    """A list of apps ``[a, b, ..., a]`` forming a circle, or None."""
    graph: dict[str, set[str]] = {}
    for source, target in edges:
        graph.setdefault(source, set()).add(target)
    visiting: list[str] = []
    done: set[str] = set()

    def visit(app: str) -> list[str] | None:
        if app in visiting:
            return [*visiting[visiting.index(app) :], app]
        if app in done:
            return None
        visiting.append(app)
        for target in sorted(graph.get(app, ())):
            if cycle := visit(target):
                return cycle
        visiting.pop()
        done.add(app)
        return None

    for app in sorted(graph):
        if cycle := visit(app):
            return cycle
    return None


def test_no_import_circle_between_our_apps():
    edges = app_edges(ROOT)

    cycle = find_cycle(edges)

    detail = [f"{a} -> {b}: {sorted(edges[(a, b)])}" for a, b in itertools.pairwise(cycle)] if cycle else []
    assert cycle is None, "Import circle: " + " -> ".join(cycle) + "\n" + "\n".join(detail)


def test_apps_import_downwards_in_the_expected_order():
    """The layers the README describes; an app may import only apps below it."""
    below = {
        "community": set(),
        "meetings": {"community"},
        "themes": {"meetings", "community"},
        "reminders": {"meetings", "community"},
        "networking": {"meetings", "community"},
        "guide": {"themes", "meetings", "community"},
        "reports": {"guide", "themes", "networking", "meetings", "community"},
        "portal": {"reports", "guide", "themes", "reminders", "networking", "meetings", "community"},
        "search": {"guide", "themes", "meetings", "community"},
    }

    upward = sorted((a, b) for a, b in app_edges(ROOT) if b not in below[a])

    assert upward == []


def test_a_circle_is_caught(tmp_path):
    """The checker itself can fail: a meetings module importing themes closes a circle."""
    for name, text in {
        "meetings/services.py": "from community.models import User\n",
        "meetings/views.py": "from themes.selectors import theme_list\n",
        "themes/services.py": "from meetings.models import Meeting\n",
        "community/models.py": "",
    }.items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(text)

    cycle = find_cycle(app_edges(tmp_path))

    assert cycle == ["meetings", "themes", "meetings"]
