"""Work that follows a save runs in the background: queued once, durable, retried, idempotent."""

import logging
import os
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

import pytest
import time_machine
from django.db import OperationalError
from django.utils import timezone

from articles import tasks
from articles.models import Article, Photo, RelatedArticle
from articles.related import worker
from tests.articles.test_related import story
from tests.factories import ArticleFactory, PhotoFactory, TagFactory

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def sent(monkeypatch):
    """The tasks sent to the queue, instead of running them: [(task name, args, kwargs)]."""
    calls = []
    for task in (tasks.refresh_story, tasks.make_renditions):
        monkeypatch.setattr(
            task, "delay", lambda *a, _name=task.name, **k: calls.append((_name, a, k))
        )
    return calls


def test_twenty_saves_while_a_refresh_is_queued_send_one_task(
    sent, django_capture_on_commit_callbacks
):
    article = ArticleFactory()
    for n in range(20):
        with django_capture_on_commit_callbacks(execute=True):
            article.standfirst = f"Update number {n}."
            article.describe_change("update")
            article.save()
    assert [name for name, *_ in sent] == ["articles.tasks.refresh_story"]


def test_a_save_after_the_worker_started_its_refresh_queues_another(
    sent, django_capture_on_commit_callbacks
):
    article = ArticleFactory()
    with django_capture_on_commit_callbacks(execute=True):
        article.save()
    tasks._clear_marker("story", article.pk)  # what the task does first
    with django_capture_on_commit_callbacks(execute=True):
        article.save()
    assert len(sent) == 2


def test_nothing_is_queued_before_the_save_commits(sent, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        ArticleFactory()
    assert sent == []
    for callback in callbacks:
        callback()
    assert len(sent) == 1


def test_a_deletion_is_always_sent_even_while_an_edit_waits(
    sent, django_capture_on_commit_callbacks
):
    article = ArticleFactory()
    with django_capture_on_commit_callbacks(execute=True):
        article.save()
    pk = article.pk
    with django_capture_on_commit_callbacks(execute=True):
        article.delete()
    assert sent[-1] == ("articles.tasks.refresh_story", (pk,), {"deleted": True})


def test_a_save_whose_work_was_lost_after_commit_is_repaired_by_the_sweep(
    sent, django_capture_on_commit_callbacks, monkeypatch
):
    tag = TagFactory(name="Wildfires")
    target = story("fire", tags=[tag])
    for pk in Article.objects.values_list("pk", flat=True):
        worker.refresh_story(pk)
    with django_capture_on_commit_callbacks(execute=True):
        relative = story("fire2", tags=[tag])  # its task is "sent" into the void
    relative.refresh_from_db()
    assert relative.derived_version < relative.version
    assert not RelatedArticle.objects.filter(article=relative).exists()

    monkeypatch.undo()  # from now on tasks run (in-process: no broker in tests)
    assert tasks.reconcile() == (0, 0), "young work is left to the task on its way"
    with time_machine.travel(timezone.now() + timedelta(seconds=tasks.RECONCILE_GRACE_SECONDS)):
        assert tasks.reconcile() == (1, 0)
    relative.refresh_from_db()
    assert relative.derived_version == relative.version
    assert RelatedArticle.objects.filter(article=relative, related=target).exists()
    assert RelatedArticle.objects.filter(article=target, related=relative).exists()


def test_running_a_refresh_twice_stores_the_same_lists():
    tag = TagFactory(name="Wildfires")
    stories = [story(key, tags=[tag]) for key in ("fire", "fire2", "hockey", "rates")]
    for article in stories:
        assert worker.refresh_story(article.pk) is True
    before = stored()
    for article in stories:
        assert worker.refresh_story(article.pk) is False  # that version is done
        Article.objects.filter(pk=article.pk).update(derived_version=0)  # as if never marked
        assert worker.refresh_story(article.pk) is True
    assert stored() == before


def stored():
    # Scores to 3 places: the recency term moves with the clock between two runs.
    return {
        (a, r, round(score, 3))
        for a, r, score in RelatedArticle.objects.values_list("article_id", "related_id", "score")
    }


def test_a_transient_database_error_is_retried(monkeypatch):
    article = ArticleFactory()
    attempts = []

    def flaky(article_id, deleted=False):
        attempts.append(article_id)
        if len(attempts) < 3:
            raise OperationalError("server closed the connection unexpectedly")

    monkeypatch.setattr(worker, "refresh_story", flaky)
    tasks.refresh_story.apply(args=[article.pk])
    assert attempts == [article.pk] * 3


def test_a_task_that_keeps_failing_is_logged_with_its_story(monkeypatch, caplog):
    article = ArticleFactory()

    def broken(article_id, deleted=False):
        raise OperationalError("could not connect to server")

    monkeypatch.setattr(worker, "refresh_story", broken)
    with caplog.at_level(logging.ERROR, logger="articles.tasks"):
        result = tasks.refresh_story.apply(args=[article.pk])
    assert result.failed()
    assert f"gave up on {article.pk} after {tasks.RETRY['max_retries']} retries" in caplog.text


def test_the_retry_policy_backs_off_on_database_and_broker_errors():
    task = tasks.refresh_story
    assert OperationalError in task.autoretry_for
    assert task.retry_backoff and task.retry_backoff_max == 300
    assert task.acks_late is True and task.reject_on_worker_lost is True


def test_a_broker_outage_does_not_fail_the_save(
    monkeypatch, django_capture_on_commit_callbacks, caplog
):
    def down(*args, **kwargs):
        raise OperationalError("Error 111 connecting to 127.0.0.1:6379. Connection refused.")

    monkeypatch.setattr(tasks.refresh_story, "delay", down)
    with django_capture_on_commit_callbacks(execute=True):
        article = ArticleFactory()
    assert Article.objects.filter(pk=article.pk).exists()
    assert "the sweep will retry" in caplog.text


def test_a_new_photo_shows_its_original_until_the_worker_made_renditions(
    client, sent, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        photo = PhotoFactory(rendered=False)
    assert [name for name, *_ in sent] == ["articles.tasks.make_renditions"]
    article = ArticleFactory(lead_photo=photo)
    page = client.get(article.get_absolute_url()).content.decode()
    assert photo.image.url in page and "srcset" not in page  # never a broken image

    tasks.make_renditions.run(photo.pk)
    photo.refresh_from_db()
    assert photo.renditions and photo.renditions_of == photo.image.name
    page = client.get(article.get_absolute_url()).content.decode()
    assert photo.rendition_url(640) in page


def test_renditions_of_a_replaced_image_are_never_stored_for_the_new_one():
    photo = PhotoFactory(rendered=False)
    stale = Photo.objects.get(pk=photo.pk)
    photo.image.save("newer.jpg", stale.image.file, save=False)
    Photo.objects.filter(pk=photo.pk).update(image=photo.image.name)
    assert stale.refresh_renditions() is False  # rendered the old file: not stored
    assert Photo.objects.get(pk=photo.pk).renditions == []


def test_the_sweep_finds_photos_without_renditions(sent):
    photo = PhotoFactory(rendered=False)
    with time_machine.travel(timezone.now() + timedelta(seconds=tasks.RECONCILE_GRACE_SECONDS)):
        assert tasks.reconcile() == (0, 1)
    assert sent == [("articles.tasks.make_renditions", (photo.pk,), {})]


@pytest.mark.django_db(transaction=True)
def test_a_web_process_never_loads_the_related_engine(tmp_path):
    """Saving, reading and the admin in a web process (broker configured) load no numpy."""
    script = """
import sys
import django
django.setup()
from django.core.management import call_command
call_command("migrate", verbosity=0)
from django.contrib.auth.models import User
from django.test import Client
from tests.factories import ArticleFactory, PhotoFactory
story = ArticleFactory(lead_photo=PhotoFactory(rendered=False))
story.headline = "A headline edit"
story.describe_change("minor")
story.save()
User.objects.create_superuser("chief", "chief@example.com", "pw")
client = Client()
assert client.get(story.get_absolute_url()).status_code == 200
client.force_login(User.objects.get(username="chief"))
assert client.get(f"/admin/articles/article/{story.pk}/change/").status_code == 200
assert client.get("/admin/articles/article/").status_code == 200
loaded = [m for m in ("numpy", "scipy", "articles.related.index") if m in sys.modules]
print("LOADED", loaded)
"""
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "newsroom.settings",
        "DATABASE_URL": f"sqlite:///{tmp_path}/web.sqlite3",
        "MEDIA_ROOT": str(tmp_path / "media"),
        # A broker that only holds messages: the web process queues, it never computes.
        "CELERY_BROKER_URL": "memory://",
        "ALLOWED_HOSTS": "testserver,localhost",
    }
    result = subprocess.run(
        [sys.executable, "-c", script],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    assert "LOADED []" in result.stdout


def test_a_photo_that_cannot_be_decoded_is_not_rendered_again_and_again(caplog):
    photo = PhotoFactory(rendered=False)
    with photo.image.open("wb") as file:  # the stored file is cut short after upload
        file.write(b"\xff\xd8\xff\xe0 not really a jpeg")
    assert photo.refresh_renditions() is True
    photo.refresh_from_db()
    assert photo.renditions == [] and photo.renditions_of == photo.image.name
    assert "cannot be decoded" in caplog.text
    with time_machine.travel(timezone.now() + timedelta(seconds=tasks.RECONCILE_GRACE_SECONDS)):
        assert tasks.reconcile() == (0, 0)
