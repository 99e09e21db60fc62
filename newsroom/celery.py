"""The Celery application: background work for every app (``<app>/tasks.py``).

Web processes only queue tasks; `scripts/worker` starts the worker processes that run them.
"""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsroom.settings")

app = Celery("newsroom")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
