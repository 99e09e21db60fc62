"""The story page's SQL (``articles.page_sql``) loads exactly what the ORM loads.

Column by column, on whichever database the suite runs on: ``scripts/test`` runs it on
SQLite and, with ``DATABASE_URL=postgres://…``, on PostgreSQL.
"""

import uuid
from datetime import timedelta

import pytest
from django.db import connection
from django.db.models import F, OuterRef, Subquery
from django.utils import timezone

from articles import page_sql
from articles.models import (
    Article,
    Byline,
    RelatedArticle,
    RelatedExclusion,
    RelatedPin,
)
from articles.related import related_for
from articles.story_page import published_story
from newsroom.sql import binds_on_server
from ratings.models import RatingSummary, record_vote
from tests.factories import ArticleFactory, AuthorFactory, PhotoFactory
from tests.round_trips import counting_round_trips

pytestmark = pytest.mark.django_db


def _columns(instance, only=None, leave_out=("search_vector",)):
    """Every loaded column of an instance, by attribute name."""
    return {
        f.attname: getattr(instance, f.attname)
        for f in instance._meta.concrete_fields
        if (only is None or f.attname in only) and f.attname not in leave_out
    }


def _orm_story(pk):
    return Article.objects.with_related_data().select_related("rating_summary").get(pk=pk)


def test_the_story_row_matches_the_orm_column_by_column():
    story = ArticleFactory(
        lead_photo=PhotoFactory(),
        standfirst="Crews hold the line",
        correction="An earlier version misnamed the town.",
        featured=True,
    )
    record_vote(story.pk, uuid.uuid4(), 4, "address-1")
    record_vote(story.pk, uuid.uuid4(), 2, "address-2")
    expected = _orm_story(story.pk)

    loaded, section, photo, summary = page_sql.story(story.slug, timezone.now())

    assert _columns(loaded) == _columns(expected)
    assert _columns(section) == _columns(expected.section)
    assert _columns(photo) == _columns(expected.lead_photo)
    assert photo.renditions == expected.lead_photo.renditions != []
    assert _columns(summary) == _columns(expected.rating_summary)
    assert loaded.featured is True
    assert loaded.publish_at.utcoffset() == timedelta(0)  # aware, in UTC, as the ORM gives it


def test_a_story_without_photo_or_votes_has_none_for_both():
    story = ArticleFactory(lead_photo=None)
    _, _, photo, summary = page_sql.story(story.slug, timezone.now())
    assert photo is None and summary is None


def test_bylines_and_tags_match_the_orm():
    authors = [AuthorFactory(name="Amara Singh"), AuthorFactory(name="Marc Roy")]
    story = ArticleFactory(authors=authors, tags=["Wildfires", "British Columbia"])
    expected_bylines = list(
        Byline.objects.filter(article=story).select_related("author").order_by("position", "pk")
    )

    bylines = page_sql.bylines(story.pk)

    assert [_columns(b) for b in bylines] == [_columns(b) for b in expected_bylines]
    assert [_columns(b.author) for b in bylines] == [_columns(b.author) for b in expected_bylines]
    expected_tags = sorted(story.tags.all(), key=lambda t: (t.name, t.pk))
    assert [_columns(t) for t in page_sql.tags(story.pk)] == [_columns(t) for t in expected_tags]


def _orm_related(article_id, now, limit, min_score):
    """The related list as the ORM queryset that page_sql replaced."""
    pins = RelatedPin.objects.filter(article_id=article_id)
    stored = RelatedArticle.objects.filter(article_id=article_id, score__gte=min_score)
    excluded = RelatedExclusion.objects.filter(article_id=article_id).values("related_id")
    return list(
        Article.objects.published(now)
        .filter(
            pk__in=pins.order_by()
            .values("related_id")
            .union(stored.order_by().values("related_id"))
        )
        .exclude(pk=article_id)
        .exclude(pk__in=excluded)
        .annotate(
            pin_position=Subquery(pins.filter(related_id=OuterRef("pk")).values("position")[:1]),
            related_score=Subquery(stored.filter(related_id=OuterRef("pk")).values("score")[:1]),
        )
        .select_related("lead_photo")
        .order_by(
            F("pin_position").asc(nulls_last=True),
            F("related_score").desc(nulls_last=True),
            "-publish_at",
            "-pk",
        )[:limit]
    )


def test_the_related_list_matches_the_orm_with_pins_exclusions_and_hidden_stories():
    story = ArticleFactory()
    now = timezone.now()
    stored = [ArticleFactory(lead_photo=PhotoFactory() if n % 2 else None) for n in range(6)]
    for position, (other, score) in enumerate(
        zip(stored, [0.9, 0.8, 0.8, 0.5, 0.3, 0.1], strict=True)
    ):
        RelatedArticle.objects.create(article=story, related=other, score=score, position=position)
    pinned = ArticleFactory()
    RelatedPin.objects.create(article=story, related=pinned, position=0)
    RelatedPin.objects.create(article=story, related=stored[3], position=1)
    RelatedExclusion.objects.create(article=story, related=stored[1])
    Article.objects.filter(pk=stored[2].pk).update(publish_at=now + timedelta(hours=1))
    RelatedArticle.objects.create(article=story, related=story, score=1.0, position=9)

    loaded = page_sql.related_cards(story.pk, now, limit=10, min_score=0.2)
    expected = _orm_related(story.pk, now, limit=10, min_score=0.2)

    card = {"id", "headline", "slug", "language", "excerpt", "lead_photo_id"}
    photo = {"id", "image", "width", "height", "renditions"}
    assert [s.pk for s in loaded] == [s.pk for s in expected]
    assert [s.pk for s in loaded] == [pinned.pk, stored[3].pk, stored[0].pk, stored[4].pk]
    assert [_columns(s, card) for s in loaded] == [_columns(s, card) for s in expected]
    assert [s.pin_position for s in loaded] == [s.pin_position for s in expected]
    assert [s.lead_photo and _columns(s.lead_photo, photo) for s in loaded] == [
        s.lead_photo and _columns(s.lead_photo, photo) for s in expected
    ]
    assert len(page_sql.related_cards(story.pk, now, limit=2, min_score=0.2)) == 2


def test_published_story_needs_no_further_queries(django_assert_num_queries):
    story = ArticleFactory(lead_photo=PhotoFactory(), tags=["Housing"])
    loaded = published_story(story.slug, timezone.now())
    with django_assert_num_queries(0):
        loaded.section.name, loaded.lead_photo.fallback, loaded.byline_authors()
        loaded.tag_list()
        related_for(loaded)
        with pytest.raises(RatingSummary.DoesNotExist):  # nobody has voted: known, not queried
            loaded.rating_summary  # noqa: B018


def test_the_story_page_in_one_go_equals_its_four_queries_one_by_one():
    now = timezone.now()
    story = ArticleFactory(lead_photo=PhotoFactory(), tags=["Housing", "Ottawa"])
    story.bylines.create(author=AuthorFactory(), position=2)
    pinned, scored, hidden = ArticleFactory(), ArticleFactory(), ArticleFactory()
    RelatedPin.objects.create(article=story, related=pinned, position=1)
    RelatedArticle.objects.create(article=story, related=scored, score=0.5)
    RelatedArticle.objects.create(article=story, related=hidden, score=0.4)
    RelatedExclusion.objects.create(article=story, related=hidden)

    *found, bylines, tags, cards = page_sql.story_page(story.slug, now, 12, 0.1)

    def columns(instances):
        # What each instance loaded (a card loads a few columns; the rest stay deferred).
        return [(type(i), _columns(i, only=set(vars(i)))) for i in instances if i is not None]

    assert columns(found) == columns(page_sql.story(story.slug, now))
    assert columns(bylines) == columns(page_sql.bylines(story.pk))
    assert [b.author.name for b in bylines] == [b.author.name for b in page_sql.bylines(story.pk)]
    assert columns(tags) == columns(page_sql.tags(story.pk)) and len(tags) == 2
    one_by_one = page_sql.related_cards(story.pk, now, 12, 0.1)
    assert columns(cards) == columns(one_by_one) and [c.pk for c in cards] == [pinned.pk, scored.pk]
    assert [c.pin_position for c in cards] == [1, None]


@pytest.mark.postgres
def test_the_story_page_is_one_round_trip_on_postgresql():
    """Its four statements go to PostgreSQL together: in one pipeline, each prepared, with
    prepared statements on (the default); as one string without them."""
    story = ArticleFactory(tags=["Housing"])
    with counting_round_trips() as trips:
        assert page_sql.story_page(story.slug, timezone.now(), 12, 0.1)[0].pk == story.pk
    assert trips.round_trips == 1
    assert trips.count == (4 if binds_on_server(connection) else 1)


def test_the_story_page_in_one_go_is_none_for_a_draft():
    draft = ArticleFactory(status=Article.Status.DRAFT, tags=["Housing"])
    assert page_sql.story_page(draft.slug, timezone.now(), 12, 0.1) is None


def test_published_story_is_none_for_a_draft_or_a_story_not_yet_due():
    draft = ArticleFactory(status=Article.Status.DRAFT)
    due = ArticleFactory(
        status=Article.Status.SCHEDULED, publish_at=timezone.now() + timedelta(hours=1)
    )
    assert published_story(draft.slug, timezone.now()) is None
    assert published_story(due.slug, timezone.now()) is None
    # The clock is a parameter of the SQL, not frozen into it.
    assert published_story(due.slug, timezone.now() + timedelta(hours=2)).pk == due.pk


def test_linking_the_related_cards_needs_no_further_queries(django_assert_num_queries):
    """A card's address is built in its own language: the language comes with the card (it
    was a query per card, doubling the uncached story page's cost)."""
    now = timezone.now()
    story = ArticleFactory()
    for related in (ArticleFactory(), ArticleFactory(language="fr")):
        RelatedPin.objects.create(article=story, related=related, position=1)
    cards = page_sql.related_cards(story.pk, now, limit=10, min_score=0.2, language="en")
    cards += page_sql.related_cards(story.pk, now, limit=10, min_score=0.2, language="fr")
    assert len(cards) == 2
    with django_assert_num_queries(0):
        addresses = [card.get_absolute_url() for card in cards]
    assert addresses[0].startswith("/story/") and addresses[1].startswith("/fr/")
