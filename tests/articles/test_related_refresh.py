"""Related lists stay fresh: after publish, edit, unpublish and delete, and on a full rebuild."""

from io import StringIO

import pytest
from django.core.management import call_command

from articles import related
from articles.models import Article, RelatedArticle, RelatedIndexSnapshot
from articles.related import snapshots
from articles.related.index import forget_index, get_index
from articles.related.refresh import refresh_related
from tests.articles.test_related import TEXTS, refresh_all, stored_ids, story
from tests.factories import TagFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("related_settings")]


@pytest.fixture
def archive():
    """A wildfire story with three related ones and four unrelated ones, lists computed."""
    tag = TagFactory(name="Wildfires")
    target = story("fire", tags=[tag])
    relatives = [story(k, tags=[tag]) for k in ("fire2", "hockey", "rates")]
    strangers = [story(k) for k in ("film", "transit", "arctic", "budget")]
    refresh_all()
    return target, relatives, strangers


def test_publishing_a_story_puts_it_in_related_lists_after_the_save_commits(
    archive, django_capture_on_commit_callbacks
):
    target, relatives, _ = archive
    draft = story(
        "fire2",
        headline="Evacuees return as wildfire crews gain ground",
        status=Article.Status.DRAFT,
    )
    assert draft.pk not in stored_ids(target)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        draft.status = Article.Status.PUBLISHED
        draft.publish_at = None
        draft.save()
    assert draft.pk not in stored_ids(target)  # nothing happens before the commit
    for callback in callbacks:
        callback()
    assert draft.pk in stored_ids(target)
    assert target.pk in stored_ids(draft)  # and it has a list of its own


def test_editing_a_story_away_from_a_topic_takes_it_out_of_lists(
    archive, django_capture_on_commit_callbacks
):
    target, relatives, _ = archive
    fire2 = relatives[0]
    fire2.tags.clear()
    assert fire2.pk in stored_ids(target)
    headline, standfirst, body = TEXTS["film"]
    with django_capture_on_commit_callbacks(execute=True):
        fire2.headline = "Documentary about dairy farmers premieres"
        fire2.standfirst, fire2.body = standfirst, body
        fire2.describe_change("update")
        fire2.save()
    assert fire2.pk not in stored_ids(target)


def test_unpublishing_a_story_removes_it_from_every_list(
    archive, django_capture_on_commit_callbacks
):
    target, relatives, _ = archive
    gone = relatives[0]
    assert RelatedArticle.objects.filter(related=gone).exists()
    with django_capture_on_commit_callbacks(execute=True):
        gone.status = Article.Status.UNPUBLISHED
        gone.save()
    assert not RelatedArticle.objects.filter(related=gone).exists()
    assert not RelatedArticle.objects.filter(article=gone).exists()
    assert gone.pk not in {s.pk for s in related.related_for(target)}


def test_deleting_a_story_is_handled(archive, django_capture_on_commit_callbacks):
    target, relatives, _ = archive
    with django_capture_on_commit_callbacks(execute=True):
        relatives[0].delete()
    assert (
        relatives[0].pk not in get_index().row_of
        or not get_index().exists[get_index().row_of[relatives[0].pk]]
    )
    refresh_related(target.pk)
    assert set(stored_ids(target)) == {r.pk for r in relatives[1:]}


def stored_scores():
    return {
        (a, r): round(score, 3)
        for a, r, score in RelatedArticle.objects.values_list("article_id", "related_id", "score")
    }


def test_a_full_rebuild_gives_the_same_lists_as_incremental_updates(archive):
    kept = stored_scores()
    assert kept
    RelatedArticle.objects.all().delete()
    out = StringIO()
    call_command("rebuild_related", stdout=out)
    assert "Related lists rebuilt for 8 stories in" in out.getvalue()
    assert stored_scores() == kept


def test_an_interrupted_rebuild_resumes_where_it_stopped(archive, related_settings):
    call_command("rebuild_related", stdout=StringIO())
    snapshot = snapshots.latest()
    index = snapshots.load(snapshot)
    done = [int(pk) for pk in index.ids[:3]]
    RelatedArticle.objects.exclude(article_id__in=done).delete()
    snapshots.record_progress(snapshot.build_id, 3)  # as if the rebuild had been cut off here
    before = RelatedArticle.objects.filter(article_id__in=done).count()
    out = StringIO()
    call_command("rebuild_related", stdout=out)
    assert "Resuming an interrupted rebuild at story 3 of 8" in out.getvalue()
    assert RelatedArticle.objects.filter(article_id__in=done).count() == before
    assert RelatedArticle.objects.exclude(article_id__in=done).exists()


def test_refresh_uses_the_index_written_by_rebuild(archive):
    call_command("rebuild_related", stdout=StringIO())
    forget_index()
    target = archive[0]
    newcomer = story("fire2", headline="Wildfire smoke closes schools across the valley")
    refresh_related(newcomer.pk)
    assert newcomer.pk in stored_ids(target)


def test_a_big_archive_without_an_index_is_rebuilt_by_the_worker_not_built_per_save(
    archive, related_settings, django_capture_on_commit_callbacks, caplog
):
    related_settings.RELATED_STORIES = {
        **related_settings.RELATED_STORIES,
        "IN_PROCESS_BUILD_LIMIT": 5,
    }
    RelatedIndexSnapshot.objects.all().delete()  # a fresh machine: no index anywhere
    RelatedArticle.objects.all().delete()
    forget_index()
    target = archive[0]
    with django_capture_on_commit_callbacks(execute=True):
        target.standfirst = "Fire officials gave an update."
        target.describe_change("update")
        target.save()
    assert "a full rebuild is needed" in caplog.text
    assert "Queuing a full rebuild" in caplog.text
    # The rebuild (run in-process here: no broker in tests) stored every list and an index.
    assert set(stored_ids(target)) == {r.pk for r in archive[1]}
    assert snapshots.latest() is not None
    target.refresh_from_db()
    assert target.derived_version == target.version


def test_a_better_match_pushes_the_weakest_off_a_full_list(
    related_settings, django_capture_on_commit_callbacks
):
    related_settings.RELATED_STORIES = {
        **related_settings.RELATED_STORIES,
        "COUNT": 3,
        "MAX_COUNT": 3,
        "SPARE": 0,
        "MIN_SCORE": 0.01,
    }
    tag = TagFactory(name="Wildfires")
    target = story("fire", tags=[tag])
    others = [story(k, tags=[tag]) for k in ("hockey", "rates", "film", "transit")]
    refresh_all()
    before = stored_ids(target)
    assert len(before) == 3
    with django_capture_on_commit_callbacks(execute=True):
        closest = story("fire2", tags=[tag])
    after = stored_ids(target)
    assert after[0] == closest.pk
    assert len(after) == 3
    assert after[1:] == before[:2]
    assert {o.pk for o in others} >= set(before)


def test_a_stale_copy_of_the_index_never_writes_a_story_that_is_gone(archive, related_settings):
    """Another process deleted a story; this one has not noticed yet."""
    related_settings.RELATED_STORIES = {**related_settings.RELATED_STORIES, "SYNC_INTERVAL": 3600}
    target, relatives, _ = archive
    get_index()
    gone = relatives[0]
    Article.objects.filter(pk=gone.pk).delete()  # no signal reaches this process
    newcomer = story("fire2", headline="Wildfire crews get help from overseas")
    refresh_related(newcomer.pk)
    assert gone.pk not in stored_ids(newcomer)
    assert newcomer.pk in stored_ids(target)


def test_a_refresh_announces_the_rewritten_lists_after_commit(
    archive, django_capture_on_commit_callbacks
):
    """The page cache learns which stories' related blocks changed, once they are stored."""
    from articles.signals import related_lists_changed

    target, relatives, _ = archive
    received = []

    def listener(sender, article_ids, **kwargs):
        received.append(article_ids)

    related_lists_changed.connect(listener)
    try:
        with django_capture_on_commit_callbacks(execute=True):
            refresh_related(target.pk)
    finally:
        related_lists_changed.disconnect(listener)
    assert len(received) == 1 and target.pk in received[0]
