"""The image builds and its processes start, run as a script: no container engine runs here.

Neither Docker's daemon nor Podman can run on these machines (and no registry would give
the base image), so this test does on this machine what ``docker build`` and
``docker compose up`` do, from the same files:

- the build context is the repository filtered through ``.dockerignore``, copied to a fresh
  folder that stands for ``/app``; ``/opt/venv`` and ``/tmp`` become fresh folders too;
- the Dockerfile's ``RUN`` lines run in order with ``/bin/sh -c``, with its ``ENV`` and
  ``WORKDIR``, and ``python`` a fresh virtualenv standing for the base image's interpreter.
  Lines that install system packages (``apt-get``) or add the user are skipped: the package
  (GNU gettext) must be on this machine, and the user is the container's business;
- then, with the runtime stage's ``ENV``, the commands compose.yaml gives the services run
  from the result: ``migrate`` (on SQLite here), the image's ``CMD`` (gunicorn, which must
  answer ``/healthz``, a fingerprinted static file, the French home page and ``/metrics``
  in multiprocess mode), the worker until it is ready, and the beat until it starts.

What it cannot prove: that the base image, its Debian packages and the non-root user behave
as on this machine. ``hadolint`` checks the Dockerfile's form.
"""

import fnmatch
import json
import os
import re
import secrets
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import redis

from devtools.cluster import ROOT, Processes, fetch, free_port, wait_for, wait_until_serving

DOCKERFILE = ROOT / "Dockerfile"
BIN = Path(sys.executable).parent
BROKER = "redis://127.0.0.1:6379/10"
TOKEN = secrets.token_urlsafe(32)


def instructions(text):
    """``[(stage, INSTRUCTION, arguments)]``; continuation lines joined, comments dropped."""
    lines, current = [], ""
    for raw in text.splitlines():
        stripped = raw.strip()
        if stripped.startswith("#") or not stripped:
            continue
        if stripped.endswith("\\"):
            current += stripped[:-1] + " "
            continue
        lines.append(current + stripped)
        current = ""
    found, stage = [], None
    for line in lines:
        word, _, rest = line.partition(" ")
        word = word.upper()
        if word == "FROM":
            stage = rest.split(" AS ")[-1].strip() if " AS " in rest else rest
        found.append((stage, word, rest.strip()))
    return found


def context_files():
    """The files ``COPY . .`` sends: the repository's, less what .dockerignore leaves out."""
    rules = []
    for line in (ROOT / ".dockerignore").read_text().splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            rules.append((line.startswith("!"), line.lstrip("!").removeprefix("**/")))
    tracked = subprocess.run(
        [
            shutil.which("git") or "/usr/bin/git",
            "ls-files",
            "--cached",
            "--others",
            "--exclude-standard",
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.splitlines()
    kept = []
    for name in tracked:
        parts = name.split("/")
        excluded = False
        for negate, pattern in rules:
            hit = any(
                fnmatch.fnmatch("/".join(parts[: i + 1]), pattern) or fnmatch.fnmatch(part, pattern)
                for i, part in enumerate(parts)
            )
            if hit:
                excluded = not negate
        if not excluded and (ROOT / name).is_file():
            kept.append(name)
    return kept


class Image:
    """The image's folders on this machine and the environment of its stages."""

    def __init__(self, folder):
        self.folder = Path(folder)
        self.paths = {
            "/opt/venv": self.folder / "venv",
            "/app": self.folder / "app",
            "/tmp": self.folder / "tmp",  # noqa: S108 - the image's /tmp, mapped
        }
        for path in self.paths.values():
            path.mkdir(parents=True, exist_ok=True)
        self.base = self.folder / "base"  # the base image's python
        subprocess.run([sys.executable, "-m", "venv", str(self.base)], check=True, timeout=120)

    def mapped(self, text):
        """``text`` with the image's paths replaced by this machine's folders, in one pass."""
        inside = "|".join(re.escape(path) for path in self.paths)
        pattern = rf"(?<![\w./-])({inside})(?=[/\s\"':]|$)"
        return re.sub(pattern, lambda m: str(self.paths[m.group(1)]), text)

    def base_environment(self):
        return {
            "PATH": f"{self.base / 'bin'}:/usr/local/bin:/usr/bin:/bin",
            "HOME": os.environ.get("HOME", "/root"),
            "LANG": "C.UTF-8",
            # This machine's pip settings and certificate authorities (its network's), as
            # the base image has its own.
            **{
                k: v
                for k, v in os.environ.items()
                if k.startswith("PIP_") or k in ("SSL_CERT_FILE", "SSL_CERT_DIR")
            },
        }

    def set_env(self, env, arguments):
        for pair in shlex.split(arguments):
            name, _, value = pair.partition("=")
            value = self.mapped(value)  # before expanding: what $VAR holds is mapped already
            env[name] = re.sub(r"\$\{?(\w+)\}?", lambda m: env.get(m.group(1), ""), value)


def build(image, processes_log):
    """Run the build stage's and runtime stage's instructions; the runtime environment."""
    env, cwd, args = image.base_environment(), image.folder, {}
    runtime_env = None
    for stage, word, rest in instructions(DOCKERFILE.read_text()):
        if word == "FROM":
            env, cwd = image.base_environment(), image.folder
        elif word == "ARG":
            name, _, default = rest.partition("=")
            args[name] = default.strip('"')
            env.setdefault(name, args[name])
        elif word == "ENV":
            image.set_env(env, rest)
        elif word == "WORKDIR":
            cwd = Path(image.mapped(rest))
            cwd.mkdir(parents=True, exist_ok=True)
        elif word == "COPY" and stage == "build":
            sources, destination = rest.split()[:-1], rest.split()[-1]
            target = cwd if destination in (".", "./") else Path(image.mapped(destination))
            names = context_files() if sources == ["."] else sources
            for name in names:
                (target / name).parent.mkdir(parents=True, exist_ok=True)
                shutil.copy2(ROOT / name, target / name)
        elif word == "RUN":
            command = re.sub(r"^(--mount=\S+\s+)+", "", rest)
            if command.startswith(("apt-get", "groupadd", "useradd")):
                continue  # system packages and users: the container's business (docstring)
            result = subprocess.run(
                ["/bin/sh", "-c", image.mapped(command)],
                cwd=cwd,
                env=env,
                capture_output=True,
                text=True,
                timeout=900,
            )
            processes_log.append(f"$ {command}\n{result.stdout[-2000:]}{result.stderr[-4000:]}")
            assert result.returncode == 0, f"RUN {command} failed:\n{result.stderr[-4000:]}"
        elif word == "CMD":
            runtime_env = dict(env)
            runtime_env["CMD"] = json.dumps(json.loads(rest))
    return runtime_env


def compose_commands():
    """The command of each service of compose.yaml that runs the image (resolved)."""
    import yaml

    services = yaml.safe_load((ROOT / "compose.yaml").read_text())["services"]

    def resolve(part):
        return re.sub(r"\$\{(\w+):-([^}]*)\}", lambda m: m.group(2), str(part))

    return {
        name: [resolve(part) for part in service["command"]]
        for name, service in services.items()
        if "command" in service and "build" in service  # the services that run the image
    }


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    if shutil.which("msgfmt") is None:
        pytest.skip("GNU gettext's msgfmt is missing (apt-get install gettext)")
    image = Image(tmp_path_factory.mktemp("image"))
    log = []
    runtime = build(image, log)
    return image, runtime


def test_the_dockerfile_passes_hadolint():
    hadolint = shutil.which("hadolint", path=str(BIN))
    if hadolint is None:
        pytest.skip("hadolint is missing (dev extra)")
    result = subprocess.run(
        [hadolint, "--failure-threshold", "warning", str(DOCKERFILE)],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stdout + result.stderr


# The image is built and started on SQLite in a temporary folder, whatever DATABASE_URL says.
@pytest.mark.once
def test_the_build_installs_the_locked_versions_compiles_french_and_collects_static(built):
    image, runtime = built
    app, venv = image.paths["/app"], image.paths["/opt/venv"]
    assert (app / "locale/fr_CA/LC_MESSAGES/django.mo").exists()
    assert (app / "staticfiles/staticfiles.json").exists()  # whitenoise's manifest
    assert not (app / ".venv").exists() and not (app / ".git").exists()
    frozen = subprocess.run(
        [str(venv / "bin/python"), "-m", "pip", "list", "--format=json"],
        capture_output=True,
        text=True,
        timeout=120,
    )
    if frozen.returncode != 0:  # uv's venvs have no pip: ask uv instead
        frozen = subprocess.run(
            [
                str(image.base / "bin/uv"),
                "pip",
                "list",
                "--format=json",
                "--python",
                str(venv / "bin/python"),
            ],
            capture_output=True,
            text=True,
            timeout=120,
        )
    installed = {p["name"].lower(): p["version"] for p in json.loads(frozen.stdout)}
    import tomllib

    locked = {
        p["name"]: p["version"] for p in tomllib.loads((ROOT / "uv.lock").read_text())["package"]
    }
    assert installed["django"] == locked["django"]
    assert installed["gunicorn"] == locked["gunicorn"]
    assert "pytest" not in installed and "ruff" not in installed  # no development tools
    assert runtime["PATH"].startswith(str(venv / "bin"))


@pytest.mark.once
def test_the_services_start_from_the_image(built, tmp_path):
    client = redis.Redis.from_url(BROKER, socket_timeout=0.5, socket_connect_timeout=0.5)
    try:
        client.ping()
    except redis.RedisError:
        pytest.skip(f"no Redis at {BROKER}")
    image, runtime = built
    app = image.paths["/app"]
    commands = compose_commands()
    env = {
        **runtime,
        "SECRET_KEY": secrets.token_urlsafe(64),
        "ALLOWED_HOSTS": "127.0.0.1",
        "SECURE_SSL_REDIRECT": "false",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
        "CELERY_BROKER_URL": BROKER,
        "CACHE_KEY_PREFIX": f"image-test-{secrets.token_hex(4)}",
        "TRUSTED_PROXIES": "127.0.0.1",
        "METRICS_TOKEN": TOKEN,
        "WEB_CONCURRENCY": "2",
        "MEDIA_ROOT": str(tmp_path / "media"),
    }
    env.pop("CMD")

    def run(command, extra=None):
        return subprocess.run(
            command,
            cwd=app,
            env={**env, **(extra or {})},
            capture_output=True,
            text=True,
            timeout=300,
        )

    migrated = run(commands["migrate"])
    assert migrated.returncode == 0, migrated.stderr[-3000:]

    processes = Processes(tmp_path)
    try:
        port = free_port()
        cmd = json.loads(runtime["CMD"])
        metrics_dir = tmp_path / "web-metrics"
        processes.start(
            "web",
            cmd,
            {**env, "BIND": f"127.0.0.1:{port}", "PROMETHEUS_MULTIPROC_DIR": str(metrics_dir)},
            cwd=app,
        )
        base = f"http://127.0.0.1:{port}"
        wait_until_serving(f"{base}/healthz", 90)
        status, _, page = fetch(f"{base}/fr/")
        assert status == 200 and 'lang="fr' in page.decode()
        manifest = json.loads((app / "staticfiles/staticfiles.json").read_text())["paths"]
        original, fingerprinted = next(iter(manifest.items()))
        status, _, _ = fetch(f"{base}/static/{fingerprinted}")
        assert status == 200, f"/static/{fingerprinted} ({original})"
        assert fetch(f"{base}/metrics")[0] == 404
        for _ in range(3):  # served by either of the two workers
            fetch(f"{base}/healthz")
        status, _, body = fetch(f"{base}/metrics", headers={"Authorization": f"Bearer {TOKEN}"})
        assert status == 200
        assert "newsroom_request_duration_seconds_bucket" in body.decode()
        assert any(metrics_dir.iterdir()), "no multiprocess files: PROMETHEUS_MULTIPROC_DIR unused"

        worker_port = free_port()
        for name in ("worker", "beat"):
            processes.start(
                name,
                commands[name],
                {
                    **env,
                    "PROMETHEUS_MULTIPROC_DIR": str(tmp_path / f"{name}-metrics"),
                    "WORKER_METRICS_PORT": str(worker_port),
                },
                cwd=app,
            )
        wait_for(lambda: "ready" in processes.log("worker", 50000), 90, "the worker ready")
        wait_for(lambda: "beat: Starting" in processes.log("beat", 50000), 60, "the beat started")
        # The worker's own series, on WORKER_METRICS_PORT (newsroom.metrics.serve_worker_metrics).
        status, _, body = fetch(f"http://127.0.0.1:{worker_port}/metrics")
        assert status == 200 and b"newsroom_related_lag_seconds" in body
    finally:
        processes.stop_all()
