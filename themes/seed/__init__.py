"""Demo themes for ``seed_demo``: about thirty, in every state. Idempotent and deterministic.

``seed_themes`` is the entry point (``from themes.seed import seed_themes``).
"""

from .build import seed_themes

__all__ = ["seed_themes"]
