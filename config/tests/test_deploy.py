import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_check_deploy_passes_with_production_settings():
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"} | {
        "DJANGO_SETTINGS_MODULE": "config.settings.production",
        "DJANGO_SECRET_KEY": "k" * 20 + "a-realistic-production-secret-with-entropy-8f3b2c",
        "DJANGO_ALLOWED_HOSTS": "pact.example.org",
        "DATABASE_URL": "postgres://pact:secret@db.example.org:5432/pact",
        "REDIS_URL": "redis://cache.example.org:6379/0",
        "EMAIL_URL": "smtp+tls://mailer:secret@smtp.example.org:587",
        "SITE_URL": "https://pact.example.org",
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )

    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout
