"""Production settings refuse to start unsafe and pass Django's deployment checks."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
STRONG = "t3st-only-Secret-Key-with-enough-variety-0123456789-abcdefghijklmnop"


def _run(*args, **env):
    full_env = {**os.environ, "DJANGO_SETTINGS_MODULE": "newsroom.settings", **env}
    full_env.pop("SECRET_KEY", None) if "SECRET_KEY" not in env else None
    full_env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)  # set for the browser tests only
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=full_env,
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_production_refuses_to_start_without_a_secret_key():
    result = _run("check", DJANGO_ENV="production", ALLOWED_HOSTS="news.example.ca")
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_production_refuses_to_start_without_allowed_hosts():
    result = _run("check", DJANGO_ENV="production", SECRET_KEY=STRONG, ALLOWED_HOSTS="")
    assert result.returncode != 0
    assert "ALLOWED_HOSTS" in result.stderr


def test_check_deploy_is_clean_with_production_settings():
    result = _run(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        DJANGO_ENV="production",
        SECRET_KEY=STRONG,
        ALLOWED_HOSTS="news.example.ca",
        CELERY_BROKER_URL="redis://127.0.0.1:6379/1",
    )
    assert result.returncode == 0, result.stderr


def test_check_deploy_warns_when_background_work_would_run_in_web_processes():
    result = _run(
        "check",
        "--deploy",
        DJANGO_ENV="production",
        SECRET_KEY=STRONG,
        ALLOWED_HOSTS="news.example.ca",
        CELERY_BROKER_URL="",
    )
    assert "newsroom.W001" in result.stderr + result.stdout
    assert "CELERY_BROKER_URL is not set" in result.stderr + result.stdout


def test_a_trusted_proxy_that_is_not_an_address_refuses_to_start_with_a_sentence():
    result = _run("check", TRUSTED_PROXIES="127.0.0.1, nginx.internal")
    assert result.returncode != 0
    assert "TRUSTED_PROXIES: 'nginx.internal' is not an IP address or network" in result.stderr


def test_the_retired_trusted_proxy_count_refuses_to_start_and_names_its_replacement():
    """It trusted X-Forwarded-For from anyone: a deployment still setting it must hear so."""
    result = _run("check", TRUSTED_PROXY_COUNT="1")
    assert result.returncode != 0
    assert "TRUSTED_PROXY_COUNT is no longer read" in result.stderr
    assert "TRUSTED_PROXIES=127.0.0.1" in result.stderr


def _database_options(**env):
    code = (
        "from django.conf import settings; "
        "print(sorted(settings.DATABASES['default'].get('OPTIONS', {}).items()))"
    )
    result = _run("shell", "-c", code, **env)
    assert result.returncode == 0, result.stderr
    return result.stdout.strip().splitlines()[-1]


def test_prepared_statements_are_on_for_postgresql_and_can_be_turned_off():
    """Behind PgBouncer before 1.21 in transaction mode they must be off
    (docs/how-to/production.md, "Connection poolers"); SQLite never gets them."""
    postgres = "postgres://postgres@127.0.0.1:5432/newsroom"
    on = _database_options(DATABASE_URL=postgres)
    assert "('server_side_binding', True)" in on and "('prepare_threshold', 5)" in on
    assert "('prepare_threshold', 0)" in _database_options(
        DATABASE_URL=postgres, DB_PREPARE_THRESHOLD="0"
    )
    assert _database_options(DATABASE_URL=postgres, DB_PREPARED_STATEMENTS="false") == "[]"
    assert _database_options(DATABASE_URL="sqlite:///:memory:") == "[]"
