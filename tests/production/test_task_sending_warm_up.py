"""A web worker imports Celery's task-sending path before it forks, so its first save imports
nothing more (and its memory does not grow by a copy of that code per worker)."""

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

FIRST_SEND = """
import json, sys
from newsroom.wsgi import application  # what gunicorn imports, in its master
from articles.tasks import refresh_story
before = set(sys.modules)
refresh_story.apply_async(args=[0], queue="related")  # the broker is an in-memory one
print(json.dumps(sorted(set(sys.modules) - before)))
"""


def test_the_first_task_sent_imports_no_module():
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "newsroom.settings",
        # A real transport, not eager execution: kombu's in-memory broker keeps the message.
        "CELERY_BROKER_URL": "memory://",
        "PYTHONPATH": str(ROOT),
    }
    done = subprocess.run(
        [sys.executable, "-c", FIRST_SEND],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    assert json.loads(done.stdout.strip().splitlines()[-1]) == []
