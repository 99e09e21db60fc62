"""The nginx site shipped in deploy/nginx/ is one nginx accepts, as an operator would install it.

tests/production/test_two_servers.py runs newsroom-locations.conf in front of two app servers;
this checks the whole site file (TLS, redirect, upstream) with ``nginx -t``.
"""

import json
import shutil
import subprocess
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from devtools.cluster import ROOT, Processes, fetch, nginx_binary, start_nginx


@pytest.mark.skipif(nginx_binary() is None, reason="nginx is not installed (apt-get install nginx)")
@pytest.mark.skipif(shutil.which("openssl") is None, reason="openssl is needed for a test key")
def test_the_shipped_site_configuration_passes_nginx_t(tmp_path):
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
    site = (ROOT / "deploy/nginx/newsroom.conf").read_text()
    # Where the production how-to says to copy the files, and the certificate made above.
    site = site.replace(
        "/etc/nginx/snippets/newsroom-locations.conf",
        str(ROOT / "deploy/nginx/newsroom-locations.conf"),
    )
    site = site.replace("/etc/letsencrypt/live/news.example.ca/fullchain.pem", str(cert))
    site = site.replace("/etc/letsencrypt/live/news.example.ca/privkey.pem", str(key))
    site = site.replace("/var/cache/nginx-newsroom", str(tmp_path / "cache"))
    assert str(ROOT) in site and str(cert) in site and str(key) in site
    assert str(tmp_path / "cache") in site
    (tmp_path / "newsroom.conf").write_text(site)
    (tmp_path / "nginx.conf").write_text(
        f"pid {tmp_path}/nginx.pid;\n"
        f"error_log {tmp_path}/error.log;\n"
        "events {}\n"
        "http {\n"
        "    include /etc/nginx/mime.types;\n"
        f"    access_log {tmp_path}/access.log;\n"
        f"    include {tmp_path}/newsroom.conf;\n"
        "}\n"
    )
    result = subprocess.run(
        [nginx_binary(), "-t", "-p", str(tmp_path), "-e", str(tmp_path / "error.log")]
        + ["-c", str(tmp_path / "nginx.conf")],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    assert "test is successful" in result.stderr


class _EchoHeaders(BaseHTTPRequestHandler):
    """An app server that answers with the request headers it was given, as JSON."""

    def do_GET(self):  # noqa: N802 - http.server's naming
        body = json.dumps({name.lower(): value for name, value in self.headers.items()}).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


@pytest.mark.skipif(nginx_binary() is None, reason="nginx is not installed (apt-get install nginx)")
def test_nginx_replaces_the_forwarded_headers_a_reader_sends(tmp_path):
    """X-Forwarded-For and X-Real-IP are the reader's own address, whatever the reader wrote."""
    upstream = ThreadingHTTPServer(("127.0.0.1", 0), _EchoHeaders)
    threading.Thread(target=upstream.serve_forever, daemon=True).start()
    processes = Processes(tmp_path)
    try:
        base, _log = start_nginx(processes, tmp_path, [upstream.server_address[1]])
        forged = {
            "X-Forwarded-For": "198.51.100.1, 127.0.0.1",
            "X-Real-IP": "198.51.100.1",
            "X-Forwarded-Proto": "https",
        }
        status, _headers, body = fetch(f"{base}/admin/login/", headers=forged)
        assert status == 200
        seen = json.loads(body)
        assert seen["x-forwarded-for"] == "127.0.0.1"  # this test's own address
        assert seen["x-real-ip"] == "127.0.0.1"
        assert seen["x-forwarded-proto"] == "http"
    finally:
        processes.stop_all()
        upstream.shutdown()
        upstream.server_close()


def test_every_cached_page_in_both_languages_is_one_nginx_may_keep(db):
    """The micro-cache's location covers each cached view's address, English and French."""
    import re

    from django.urls import reverse
    from django.utils import translation

    from newsroom.pagecache.middleware import CACHED_VIEWS

    conf = (ROOT / "deploy" / "nginx" / "newsroom-locations.conf").read_text()
    pattern = re.search(r"location ~ (\^/\S+) \{\n    proxy_pass [^\n]+\n    proxy_cache ", conf)
    assert pattern, "no cached location in newsroom-locations.conf"
    kept = re.compile(pattern.group(1))
    arguments = {"slug": "une-histoire", "section": "canada"}
    for language in ("en-ca", "fr-ca"):
        with translation.override(language):
            for name in CACHED_VIEWS:
                for kwargs in ({}, {"slug": arguments["slug"]}, {"section": "canada"}):
                    try:
                        address = reverse(name, kwargs=kwargs)
                    except Exception:  # noqa: S112 - this view takes other arguments
                        continue
                    assert kept.match(address), (language, name, address)
