"""The story page's compiled queries load a story exactly as the ORM would."""

import uuid
from datetime import timedelta

import pytest
from articles.compiled import CompiledQuery
from django.core.exceptions import ImproperlyConfigured
from django.utils import timezone

from articles.models import Article
from articles.story_page import published_story
from ratings.models import RatingSummary, record_vote
from tests.factories import ArticleFactory, AuthorFactory, PhotoFactory

pytestmark = pytest.mark.django_db


def _orm_story(pk):
    return Article.objects.with_related_data().select_related("rating_summary").get(pk=pk)


def _columns(instance, leave_out=("search_vector",)):
    return {
        f.attname: getattr(instance, f.attname)
        for f in instance._meta.concrete_fields
        if f.attname not in leave_out
    }


def test_published_story_matches_what_the_orm_loads():
    authors = [AuthorFactory(name="Amara Singh"), AuthorFactory(name="Marc Roy")]
    story = ArticleFactory(
        lead_photo=PhotoFactory(), authors=authors, tags=["Wildfires", "British Columbia"]
    )
    record_vote(story.pk, uuid.uuid4(), 4, "address-1")
    expected = _orm_story(story.pk)

    loaded = published_story(story.slug, timezone.now())

    assert _columns(loaded) == _columns(expected)
    assert _columns(loaded.section) == _columns(expected.section)
    assert _columns(loaded.lead_photo) == _columns(expected.lead_photo)
    assert loaded.lead_photo.renditions == expected.lead_photo.renditions != []
    assert _columns(loaded.rating_summary) == _columns(expected.rating_summary)
    assert [a.name for a in loaded.byline_authors()] == ["Amara Singh", "Marc Roy"]
    assert sorted(t.name for t in loaded.tags.all()) == ["British Columbia", "Wildfires"]


def test_published_story_needs_no_further_queries(django_assert_num_queries):
    story = ArticleFactory(lead_photo=PhotoFactory(), tags=["Housing"])
    loaded = published_story(story.slug, timezone.now())
    with django_assert_num_queries(0):
        loaded.section.name, loaded.lead_photo.fallback, loaded.byline_authors()
        list(loaded.tags.all())
        with pytest.raises(RatingSummary.DoesNotExist):  # nobody has voted: known, not queried
            loaded.rating_summary  # noqa: B018


def test_published_story_is_none_for_a_draft_or_a_story_not_yet_due():
    draft = ArticleFactory(status=Article.Status.DRAFT)
    due = ArticleFactory(
        status=Article.Status.SCHEDULED, publish_at=timezone.now() + timedelta(hours=1)
    )
    assert published_story(draft.slug, timezone.now()) is None
    assert published_story(due.slug, timezone.now()) is None
    # The clock is a parameter of the compiled SQL, not frozen into it.
    assert published_story(due.slug, timezone.now() + timedelta(hours=2)).pk == due.pk


def test_a_compiled_query_refuses_an_argument_its_sql_does_not_use():
    query = CompiledQuery(lambda slug: Article.objects.values_list("pk"), slug=str)
    with pytest.raises(ImproperlyConfigured, match="'slug' is not in the SQL"):
        query.rows(slug="anything")


def test_two_arguments_of_one_type_are_never_confused():
    first, second = ArticleFactory(), ArticleFactory()
    query = CompiledQuery(
        lambda a, b: Article.objects.filter(pk__in=[a, b]).exclude(pk=b).values_list("pk"),
        a=int,
        b=int,
    )
    assert query.rows(a=first.pk, b=second.pk) == [(first.pk,)]
    assert query.rows(a=second.pk, b=first.pk) == [(second.pk,)]


def test_a_compiled_query_needs_every_argument():
    query = CompiledQuery(lambda pk: Article.objects.filter(pk=pk).values_list("pk"), pk=int)
    with pytest.raises(TypeError, match="takes pk"):
        query.rows()
