"""Settings of the page benchmark: production settings, plus the bare view it compares against."""

from config.settings.production import *  # noqa: F403

ROOT_URLCONF = "bench.bare_urls"
