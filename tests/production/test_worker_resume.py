"""A worker that starts finishes the related-lists rebuild a killed worker left half done.

The real-process version (SIGKILL in the middle of a queued rebuild) is in
test_two_servers.py; this one shows the rule in one process.
"""

from io import StringIO

import pytest
from django.core.management import call_command

from articles import tasks
from articles.models import RelatedArticle
from articles.related import snapshots
from articles.related.index import forget_index
from tests.articles.test_related import story
from tests.factories import TagFactory

pytestmark = pytest.mark.django_db


def test_a_starting_worker_resumes_a_rebuild_that_was_cut_off():
    tag = TagFactory(name="Wildfires")
    stories = [story(k, tags=[tag]) for k in ("fire", "fire2", "hockey", "rates", "film")]
    call_command("rebuild_related", stdout=StringIO())
    snapshot = snapshots.latest()
    index = snapshots.load(snapshot)
    done = [int(pk) for pk in index.ids[:2]]
    RelatedArticle.objects.exclude(article_id__in=done).delete()
    snapshots.record_progress(snapshot.build_id, 2)  # as if the worker had died here
    forget_index()  # a new worker process

    tasks.warm_related_index()  # what a worker runs when it starts (tasks run in-process here)

    assert snapshots.latest().next_row is None
    assert RelatedArticle.objects.filter(article_id=stories[-1].pk).exists()


def test_a_starting_worker_leaves_a_finished_rebuild_alone():
    story("fire")
    story("fire2")
    call_command("rebuild_related", stdout=StringIO())
    before = snapshots.latest().build_id
    forget_index()

    tasks.warm_related_index()

    assert snapshots.latest().build_id == before
