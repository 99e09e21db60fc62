"""nginx on this machine in front of local app servers, with the repository's configuration.

For tests/production/test_two_servers.py and bench/load.py: both must measure and test the
proxy production runs, so the server block includes ``deploy/nginx/newsroom-locations.conf``
itself, and the http part repeats what ``deploy/nginx/newsroom.conf`` declares there (the
``upstream`` and the page cache's zone) with local addresses and folders. Not used by the
site itself.
"""

import os
import shutil
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LOCATIONS = ROOT / "deploy" / "nginx" / "newsroom-locations.conf"


class NginxRefused(RuntimeError):
    """``nginx -t`` refused the configuration (its message is the exception's text)."""


def binary():
    # Debian puts it in /usr/sbin, which is not on every user's PATH.
    return shutil.which("nginx", path=f"{os.environ.get('PATH', '')}:/usr/sbin")


def config(folder, port, app_ports, access_log=True, worker_connections=1024):
    """An nginx.conf for a foreground nginx in ``folder`` around the repository's site part."""
    folder = Path(folder)
    upstream = "\n".join(
        f"        server 127.0.0.1:{p} max_fails=3 fail_timeout=10s;" for p in app_ports
    )
    for sub in ("body", "proxy", "fastcgi", "uwsgi", "scgi", "cache"):
        (folder / sub).mkdir(exist_ok=True)
    log = f"access_log {folder}/access.log upstreams;" if access_log else "access_log off;"
    # Started by root, nginx's workers would run as "nobody", who cannot enter a private
    # temporary folder to write the page cache: they run as the user who started it.
    user = "user root;" if os.geteuid() == 0 else ""
    return f"""
daemon off;
{user}
worker_processes 1;
pid {folder}/nginx.pid;
error_log {folder}/error.log warn;
events {{ worker_connections {worker_connections}; }}
http {{
    include /etc/nginx/mime.types;
    default_type application/octet-stream;
    log_format upstreams '$request $status upstream=$upstream_addr cache=$upstream_cache_status '
                        'time=$request_time upstream_time=$upstream_response_time';
    {log}
    client_body_temp_path {folder}/body;
    proxy_temp_path {folder}/proxy;
    fastcgi_temp_path {folder}/fastcgi;
    uwsgi_temp_path {folder}/uwsgi;
    scgi_temp_path {folder}/scgi;
    # As in deploy/nginx/newsroom.conf, in this folder.
    proxy_cache_path {folder}/cache levels=1:2 keys_zone=newsroom_pages:10m max_size=256m
                     inactive=1m use_temp_path=off;
    upstream newsroom_app {{
        least_conn;
{upstream}
    }}
    server {{
        listen 127.0.0.1:{port};
        server_name 127.0.0.1;
        include {LOCATIONS};
    }}
}}
"""


def prepare(folder, port, app_ports, **options):
    """Write ``folder``/nginx.conf and check it with ``nginx -t``; the command that runs it."""
    nginx = binary()
    if nginx is None:
        raise FileNotFoundError("nginx is not installed (apt-get install nginx)")
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "nginx.conf"
    path.write_text(config(folder, port, app_ports, **options))
    args = [nginx, "-p", str(folder), "-e", str(folder / "error.log"), "-c", str(path)]
    check = subprocess.run([*args, "-t"], capture_output=True, text=True, timeout=30)  # noqa: S603
    if check.returncode != 0:
        raise NginxRefused(check.stderr)
    return args
