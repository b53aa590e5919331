"""Error reporting is initialised only when SENTRY_DSN is set."""

import subprocess
import sys

import pytest

from .servers import ROOT, child_environment

PROBE = "import django; django.setup(); import sentry_sdk; print(sentry_sdk.get_client().is_active())"


@pytest.mark.parametrize(("dsn", "active"), [("", "False"), ("http://public-key@127.0.0.1:9/1", "True")])
def test_sentry_is_initialised_only_with_a_dsn(dsn, active):
    result = subprocess.run(
        [sys.executable, "-c", PROBE],
        cwd=ROOT,
        env=child_environment(DJANGO_SETTINGS_MODULE="config.settings.test", SENTRY_DSN=dsn),
        capture_output=True,
        text=True,
        timeout=60,
    )

    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1] == active
