import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _manage(*args: str, **extra_env: str) -> subprocess.CompletedProcess:
    """Run manage.py with production settings and the environment a server has."""
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"} | {
        "DJANGO_SETTINGS_MODULE": "config.settings.production",
        "DJANGO_SECRET_KEY": "k" * 20 + "a-realistic-production-secret-with-entropy-8f3b2c",
        "DJANGO_ALLOWED_HOSTS": "pact.example.org",
        "DATABASE_URL": "postgres://pact:secret@db.example.org:5432/pact",
        "REDIS_URL": "redis://cache.example.org:6379/0",
        "EMAIL_URL": "smtp+tls://mailer:secret@smtp.example.org:587",
        "SITE_URL": "https://pact.example.org",
        **extra_env,
    }
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )


def test_check_deploy_passes_with_production_settings():
    result = _manage("check", "--deploy", "--fail-level", "WARNING")

    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def test_production_settings_protect_cookies_hosts_and_pages():
    names = [
        "ALLOWED_HOSTS",
        "EXACT_ALLOWED_HOSTS",
        "LANGUAGE_COOKIE_SECURE",
        "LANGUAGE_COOKIE_HTTPONLY",
        "LANGUAGE_COOKIE_SAMESITE",
        "SESSION_COOKIE_SECURE",
        "CSRF_COOKIE_SECURE",
        "ACCOUNT_PREVENT_ENUMERATION",
        "ACCOUNT_DEFAULT_HTTP_PROTOCOL",
        "TRUSTED_PROXY_COUNT",
        "ALLAUTH_TRUSTED_PROXY_COUNT",
        "SESSION_IDLE_MINUTES",
    ]
    script = (
        "import json; from django.conf import settings; "
        f"print(json.dumps({{n: getattr(settings, n) for n in {names!r}}}))"
    )
    result = _manage("shell", "-c", script, TRUSTED_PROXY_COUNT="1", SESSION_IDLE_MINUTES="30")

    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout.strip().splitlines()[-1]) == {
        "ALLOWED_HOSTS": ["pact.example.org"],
        "EXACT_ALLOWED_HOSTS": True,
        "LANGUAGE_COOKIE_SECURE": True,
        "LANGUAGE_COOKIE_HTTPONLY": True,
        "LANGUAGE_COOKIE_SAMESITE": "Lax",
        "SESSION_COOKIE_SECURE": True,
        "CSRF_COOKIE_SECURE": True,
        "ACCOUNT_PREVENT_ENUMERATION": True,
        "ACCOUNT_DEFAULT_HTTP_PROTOCOL": "https",
        "TRUSTED_PROXY_COUNT": 1,
        "ALLAUTH_TRUSTED_PROXY_COUNT": 1,
        "SESSION_IDLE_MINUTES": 30,
    }
