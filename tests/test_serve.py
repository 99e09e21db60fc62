"""`scripts/serve` shows readers' pages as readers get them: the designed 404, not Django's
technical page, while static files are still served without collectstatic."""

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[1]


def _serve_environment():
    """The variables scripts/serve exports (with their defaults), as it sets them."""
    script = (ROOT / "scripts" / "serve").read_text()
    exports = dict(re.findall(r'^export (\w+)="\$\{\1:-([^}]*)\}"$', script, re.MULTILINE))
    assert exports.get("DEBUG") == "false", "scripts/serve must run with DEBUG off"
    return exports


def _settings_under(environment):
    """The settings a process started by scripts/serve gets (read in a child process)."""
    code = (
        "import json, django; django.setup(); from django.conf import settings as s;"
        "print(json.dumps({'DEBUG': s.DEBUG, 'SERVE_MEDIA': s.SERVE_MEDIA,"
        " 'WHITENOISE_USE_FINDERS': s.WHITENOISE_USE_FINDERS,"
        " 'WHITENOISE_AUTOREFRESH': s.WHITENOISE_AUTOREFRESH,"
        " 'JINJA2_AUTO_RELOAD': s.TEMPLATES[0]['OPTIONS']['auto_reload']}))"
    )
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"DEBUG", "SERVE_MEDIA", "DJANGO_ENV"}
    }
    env.update(environment, DJANGO_SETTINGS_MODULE="newsroom.settings")
    out = subprocess.run(
        [sys.executable, "-c", code], env=env, cwd=ROOT, capture_output=True, text=True,
        timeout=60, check=True,
    )  # fmt: skip
    return json.loads(out.stdout.strip().splitlines()[-1])


def test_scripts_serve_shows_the_designed_404_and_still_serves_static_files(settings):
    served = _settings_under(_serve_environment())
    assert served["DEBUG"] is False and served["SERVE_MEDIA"] is True
    assert served["WHITENOISE_USE_FINDERS"] and served["JINJA2_AUTO_RELOAD"]
    for name in ("DEBUG", "WHITENOISE_USE_FINDERS", "WHITENOISE_AUTOREFRESH"):
        setattr(settings, name, served[name])
    client = Client()  # a new handler: WhiteNoise reads its settings when it starts
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    html = response.content.decode()
    assert "We can’t find that page" in html and "URLconf" not in html
    static = client.get("/static/css/site.css")
    assert static.status_code == 200 and b".site-header" in b"".join(static.streaming_content)


def test_debug_true_gives_the_technical_404_the_docs_describe(settings):
    """`DEBUG=true scripts/serve` (docs/development.md) is how to get Django's debug page."""
    assert _settings_under({**_serve_environment(), "DEBUG": "true"})["DEBUG"] is True
    settings.DEBUG = True
    html = Client().get("/no-such-page/").content.decode()
    assert "URLconf" in html and "We can’t find that page" not in html
    assert "DEBUG=true scripts/serve" in (ROOT / "docs" / "development.md").read_text()
