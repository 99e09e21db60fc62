"""Media on local disk by default, on an S3-compatible store when a bucket is configured."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PROBE = (
    "import django; django.setup();"
    "from django.core.files.storage import storages; s = storages['default'];"
    "from newsroom.security import default_policy;"
    "url = s.url('photos/fire.jpg');"  # the first use builds the storage
    "print(type(s).__mro__[1].__name__); print(url);"
    "print(' '.join(default_policy()['img-src']))"
)


def probe(**env):
    clean = {k: v for k, v in os.environ.items() if not k.startswith("AWS_") and k != "MEDIA_URL"}
    result = subprocess.run(
        [sys.executable, "-c", PROBE],
        cwd=ROOT,
        env={**clean, "DJANGO_SETTINGS_MODULE": "newsroom.settings", **env},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.splitlines()


def test_local_disk_by_default():
    base, url, img_src = probe()
    assert base == "FileSystemStorage"
    assert url == "/media/photos/fire.jpg"
    assert img_src == "'self' data:"


def test_s3_compatible_store_when_a_bucket_is_named():
    base, url, img_src = probe(
        AWS_STORAGE_BUCKET_NAME="ledger-media",
        AWS_S3_ENDPOINT_URL="https://objects.example.ca",
        AWS_ACCESS_KEY_ID="test",
        AWS_SECRET_ACCESS_KEY="test",
    )
    assert base == "S3Storage"
    assert url == "https://objects.example.ca/ledger-media/photos/fire.jpg"
    assert "https://objects.example.ca" in img_src.split()
