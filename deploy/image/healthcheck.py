"""The web container's health check (compose.yaml): exit 0 when gunicorn answers /healthz.

Asked with the site's own host name (the first of ALLOWED_HOSTS), since Django refuses any
other; /healthz is never redirected to HTTPS. Standard library only, a 3 s timeout.
"""

import os
import sys
import urllib.request

host = (os.environ.get("ALLOWED_HOSTS") or "localhost").split(",")[0].strip()
port = (os.environ.get("BIND") or "0.0.0.0:8000").rpartition(":")[2]
request = urllib.request.Request(f"http://127.0.0.1:{port}/healthz", headers={"Host": host})
try:
    with urllib.request.urlopen(request, timeout=3) as response:  # noqa: S310 - our own server
        sys.exit(0 if response.status == 200 else 1)
except OSError as error:
    print(f"/healthz did not answer 200: {error}", file=sys.stderr)
    sys.exit(1)
