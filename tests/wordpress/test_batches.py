"""The import writes posts in batches: what batching must not break, and what it buys."""

from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import CommandError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from articles.models import Article, Photo, TaggedArticle
from articles.search import update_search_vectors, uses_full_text_search
from articles.signals import article_changed
from ratings.models import RatingSummary
from wordpress import importer
from wordpress.models import WordPressPost

from .exports import attachment, export, post

pytestmark = pytest.mark.django_db


@pytest.fixture
def small_batches(monkeypatch):
    monkeypatch.setattr(importer, "BATCH_SIZE", 4)


def imported_ids():
    return set(WordPressPost.objects.values_list("wp_id", flat=True))


def test_a_bad_post_in_the_middle_of_a_batch_is_refused_and_the_rest_imported(
    run_import, small_batches, uploads
):
    with pytest.raises(CommandError, match="1 item"):
        run_import(
            attachment(77, "2026/01/fire.jpg", caption="Crews at work."),
            post(1, "One", tags=("Ottawa",), ratings=(2, 8)),
            post(2, "Two", thumbnail=77),
            post(3, "Bad", status="no-such-status"),
            post(4, "Four", tags=("Ottawa",)),
            post(5, "Five"),
            media_dir=uploads,
        )
    assert imported_ids() == {1, 2, 4, 5}
    assert not Article.objects.filter(headline="Bad").exists()
    # What the rolled-back attempt at the batch wrote is gone, not doubled.
    assert Article.objects.count() == 4
    assert Photo.objects.count() == 1
    photos = Path(settings.MEDIA_ROOT, "photos")
    stored = [p for p in photos.rglob("*") if p.is_file() and "renditions" not in p.parts]
    assert len(stored) == 1, "the photo file of the rolled-back attempt is removed"
    assert TaggedArticle.objects.filter(tag__name="Ottawa").count() == 2
    assert RatingSummary.objects.get().vote_count == 2


def test_the_report_of_a_batch_retried_post_by_post_counts_each_post_once(
    run_import, small_batches, uploads
):
    with pytest.raises(CommandError):
        run_import(
            attachment(77, "2026/01/fire.jpg"),
            post(1, "One", thumbnail=77),
            post(2, "Two", status="no-such-status"),
            post(3, "Three", thumbnail=77),
            media_dir=uploads,
        )
    out = run_import.last_stdout  # the report is printed before the command fails
    lines = {}
    for line in out.splitlines():
        if line.strip():
            lines.setdefault(line.split()[0], line.split()[-1])  # the first "created": posts
    assert lines["created"] == "2"
    assert lines["refused"] == "1"
    assert lines["found"] == "2"  # one photo, shown by two stories
    assert "#2 Two" in out and "unknown WordPress status" in out


def test_the_same_post_twice_in_one_batch_is_imported_once_the_later_copy_winning(
    run_import, small_batches
):
    """As when the copies are in different batches: the second updates the first."""
    run_import(post(1, "One"), post(2, "Two"), post(1, "One again"), post(3, "Three"))
    assert imported_ids() == {1, 2, 3}
    assert Article.objects.count() == 3
    assert WordPressPost.objects.get(wp_id=1).article.headline == "One again"


def test_an_interrupted_import_resumes_where_it_stopped(run_import, small_batches, monkeypatch):
    items = [post(n, f"Story {n}", tags=("Ottawa",)) for n in range(1, 11)]
    write = importer.Importer._write
    calls = []

    def interrupted_after_the_first_batch(self, writes):
        calls.append(len(writes))
        if len(calls) == 2:
            raise KeyboardInterrupt  # Ctrl-C, or the machine going down
        return write(self, writes)

    monkeypatch.setattr(importer.Importer, "_write", interrupted_after_the_first_batch)
    with pytest.raises(KeyboardInterrupt):
        run_import(*items)
    assert imported_ids() == {1, 2, 3, 4}, "the first batch committed, the second rolled back"

    monkeypatch.setattr(importer.Importer, "_write", write)
    out, _ = run_import(*items)
    assert imported_ids() == set(range(1, 11))
    assert Article.objects.count() == 10
    assert "unchanged since the last run" in out


def test_statements_per_batch_do_not_grow_with_the_batch_size(tmp_path):
    """Tags, section and author exist (a first import made them): a batch of 12 posts
    takes as many statements as a batch of 3."""

    def run(ids):
        path = tmp_path / f"export-{ids[0]}.xml"
        items = [post(n, f"Story {n}", tags=("Ottawa", "Budget"), ratings=(2, 9)) for n in ids]
        path.write_text(export(*items))
        with CaptureQueriesContext(connection) as queries:
            report = importer.run(path, batch_size=len(ids))
        assert report.posts["created"] == len(ids)
        return len(queries)

    run([1])
    assert run(list(range(100, 112))) == run(list(range(10, 13)))


def test_the_import_queues_no_work_per_story(run_import, monkeypatch):
    """Saving one story queues its related refresh; an import queues one rebuild instead."""
    from articles import tasks

    changed, refreshed, rebuilds = [], [], []

    def on_change(sender, article_id, **kwargs):
        changed.append(article_id)

    article_changed.connect(on_change)
    monkeypatch.setattr(tasks.refresh_story, "delay", lambda *a, **k: refreshed.append(a))
    monkeypatch.setattr(tasks.rebuild_related, "delay", lambda *a, **k: rebuilds.append(k))
    try:
        run_import(*[post(n, f"Story {n}") for n in range(1, 6)])
    finally:
        article_changed.disconnect(on_change)
    assert Article.objects.count() == 5
    assert changed == [] and refreshed == []
    assert rebuilds == [{"fresh": True}]


def test_imported_stories_are_found_by_search_at_once(run_import):
    run_import(
        post(1, "Carney in Paris", "Talks on trade with the French president.", tags=("Europe",)),
        post(2, "Budget day", "The minister tables the budget."),
    )
    found = Article.objects.published().search("president")
    assert [a.headline for a in found] == ["Carney in Paris"]
    if uses_full_text_search():
        assert not Article.objects.filter(search_vector__isnull=True).exists()
        assert [a.headline for a in Article.objects.published().search("Europe")] == [
            "Carney in Paris"
        ]


def test_the_search_vector_written_with_the_story_is_the_one_a_save_computes(tmp_path):
    """Checked on the importer alone: the related rebuild queued after it writes vectors too."""
    if not uses_full_text_search():
        pytest.skip("search vectors are PostgreSQL's")

    def import_only(*items):
        path = tmp_path / "export.xml"
        path.write_text(export(*items))
        importer.run(path)
        return dict(Article.objects.values_list("pk", "search_vector"))

    first = post(1, "Carney in Paris", "Talks on <em>trade</em>.", excerpt="Abroad.", tags=("EU",))
    written = import_only(first, post(2, "Budget day", "Numbers.", tags=("Ottawa",)))
    update_search_vectors()  # what Article.save() computes, from the columns
    assert dict(Article.objects.values_list("pk", "search_vector")) == written
    assert None not in written.values()

    written = import_only(post(1, "Carney in Rome", "Talks on wine.", tags=("Italy",)))  # update
    update_search_vectors()
    assert dict(Article.objects.values_list("pk", "search_vector")) == written
    assert "rome" in written[WordPressPost.objects.get(wp_id=1).article_id]
