"""No correctness depends on the order of INSTALLED_APPS: what follows a save runs in the
order ``articles.events`` says, and every hook is registered, whatever the app order."""

import json
import subprocess
import sys
import textwrap
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

# Run in a fresh interpreter: Django's apps are set up once per process.
PROBE = textwrap.dedent(
    """
    import json, os, sys
    from unittest import mock
    import django
    from django.conf import settings

    os.environ["DJANGO_SETTINGS_MODULE"] = "newsroom.settings"
    from newsroom import settings as project

    apps = list(project.INSTALLED_APPS)
    ours = [name for name in apps if name in ("newsroom", "articles", "ratings", "live")]
    others = [name for name in apps if name not in ours]
    order = sys.argv[1]
    project.INSTALLED_APPS = others + (ours[::-1] if order == "reversed" else ours)
    django.setup()

    from articles import cached_pages, events, search, structured_data
    from newsroom import pagecache, templating, warm_up

    steps = []
    with (
        mock.patch.object(search, "update_search_vectors", lambda ids: steps.append("search")),
        mock.patch.object(
            cached_pages, "invalidate_article", lambda *a, **k: steps.append("pages")
        ),
        mock.patch.object(events, "queue", lambda *a, **k: steps.append("worker")),
    ):
        events._story_committed(1, False)
    print(json.dumps({
        "apps": [name for name in settings.INSTALLED_APPS if name in ours],
        "steps": steps,
        "views": sorted(pagecache.CACHED_VIEWS),
        "globals": sorted(k for k in templating._GLOBALS if k in ("url", "rating_stars")),
        "structured": len(structured_data._contributors),
        "warm_up": len(warm_up.steps()),
    }))
    """
)


def _probe(order):
    done = subprocess.run(
        [sys.executable, "-c", PROBE, order],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout.strip().splitlines()[-1])


def test_after_save_steps_and_hooks_are_the_same_whatever_the_app_order():
    """Reversing newsroom, articles, ratings and live in INSTALLED_APPS changes nothing."""
    usual, reversed_ = _probe("usual"), _probe("reversed")
    assert usual["apps"] == ["newsroom", "articles", "ratings", "live"]
    assert reversed_["apps"] == ["live", "ratings", "articles", "newsroom"]
    assert usual["steps"] == ["search", "pages", "worker"]
    for key in ("steps", "views", "globals", "structured", "warm_up"):
        assert reversed_[key] == usual[key], key
    assert usual["globals"] == ["rating_stars", "url"]
    assert usual["structured"] == 2  # ratings' aggregateRating, live's LiveBlogPosting
