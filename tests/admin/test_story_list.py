"""Finding work: the story list, its filters and actions, and the desk on the admin's front page."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from articles.models import Article
from ratings.admin import average_rating, vote_count
from tests.factories import ArticleFactory, AuthorFactory, PhotoFactory, SectionFactory

pytestmark = pytest.mark.django_db

LIST = reverse("admin:articles_article_changelist")


def listed(response):
    return {a.headline for a in response.context["cl"].result_list}


def test_the_list_shows_what_the_desk_needs(editor_client, editor, section):
    author = AuthorFactory(name="Jane Doe")
    story = ArticleFactory(section=section, headline="Budget day", authors=[author])
    story.last_edited_by = editor
    story.save()
    response = editor_client.get(LIST)
    html = response.content.decode()
    for text in ("Budget day", "Published", "Canada", "Jane Doe", "editor"):
        assert text in html
    assert "average rating" in html.lower() and "votes" in html.lower()


def test_filters_by_status_section_author_and_my_stories(reporter_client, reporter, own_draft):
    sports = SectionFactory(name="Sports", slug="sports")
    ArticleFactory(headline="Leafs win", section=sports, authors=[AuthorFactory(name="Sam")])
    ArticleFactory(headline="In review", status=Article.Status.IN_REVIEW, publish_at=None)
    assert listed(reporter_client.get(LIST, {"status__exact": "review"})) == {"In review"}
    assert listed(reporter_client.get(LIST, {"section__id__exact": sports.pk})) == {"Leafs win"}
    sam = own_draft.bylines.model.objects.get(author__name="Sam").author
    assert listed(reporter_client.get(LIST, {"author": sam.pk})) == {"Leafs win"}
    assert listed(reporter_client.get(LIST, {"mine": "1"})) == {own_draft.headline}


def test_search_looks_in_headlines_and_bodies(editor_client, section):
    ArticleFactory(headline="Transit vote", body="<p>Nothing here.</p>", section=section)
    ArticleFactory(headline="Other", body="<p>The transit authority said.</p>", section=section)
    ArticleFactory(headline="Unrelated", section=section)
    assert listed(editor_client.get(LIST, {"q": "transit"})) == {"Transit vote", "Other"}


def test_the_rating_column_shows_readers_votes(editor_client, section):
    from ratings.models import RatingSummary

    story = ArticleFactory(section=section, headline="Rated story")
    RatingSummary.objects.create(article=story, vote_count=2, vote_total=9, stars_4=1, stars_5=1)
    ArticleFactory(section=section, headline="Unrated story")
    response = editor_client.get(LIST)
    rows = {a.headline: a for a in response.context["cl"].result_list}
    assert average_rating(rows["Rated story"]) == Decimal("4.5")
    assert vote_count(rows["Rated story"]) == 2
    assert average_rating(rows["Unrated story"]) == "–"
    assert "4.5" in response.content.decode()


def make_stories(count, section, editor, with_ratings=True):
    photo = PhotoFactory()
    for _ in range(count):
        story = ArticleFactory(
            section=section,
            authors=[AuthorFactory(), AuthorFactory()],
            lead_photo=photo,
            tags=["Housing"],
        )
        story.last_edited_by = editor
        story.save()
        if with_ratings:
            from ratings.models import RatingSummary

            RatingSummary.objects.create(article=story, vote_count=1, vote_total=4, stars_4=1)


def count_list_queries(client):
    client.get(LIST)  # the first view after new data may fill caches; compare like with like
    with CaptureQueriesContext(connection) as queries:
        response = client.get(LIST)
    assert response.status_code == 200
    return len(queries), len(response.context["cl"].result_list)


def test_the_list_takes_the_same_queries_for_10_or_100_stories(
    editor_client, editor, section, django_assert_max_num_queries
):
    make_stories(10, section, editor)
    few, shown = count_list_queries(editor_client)
    assert shown == 10
    make_stories(90, section, editor)
    many, shown = count_list_queries(editor_client)
    assert shown == 50  # one page
    assert many == few
    with django_assert_max_num_queries(few):
        editor_client.get(LIST, {"p": "2"})


def test_a_story_page_takes_a_fixed_number_of_queries(
    editor_client, editor, section, django_assert_max_num_queries
):
    make_stories(1, section, editor)
    story = Article.objects.get()
    url = reverse("admin:articles_article_change", args=[story.pk])
    editor_client.get(url)
    # 35: the form, its inlines, the "why these" related panel, notes, the autosave, the
    # languages panel (the story's translations), the public record's panel, the live
    # coverage panel (whether the story is covered live: live/admin.py), the wire's panel
    # (whether the story was made from a wire item: wire/admin.py), the pending change and
    # the comments on the text (one query each: desk/admin/pending.py, comments.py).
    with django_assert_max_num_queries(35):
        assert editor_client.get(url).status_code == 200


def test_the_front_page_shows_what_waits_for_review_and_what_goes_out_next(editor_client, section):
    ArticleFactory(headline="Please read me", status=Article.Status.IN_REVIEW, publish_at=None)
    ArticleFactory(
        headline="Goes out at noon",
        status=Article.Status.SCHEDULED,
        publish_at=timezone.now() + timedelta(hours=2),
    )
    ArticleFactory(headline="Already out")
    response = editor_client.get(reverse("admin:index"))
    desk = response.content.decode().split('id="newsroom-desk"')[1].split("</div>")[0]
    assert "Waiting for review" in desk and "Please read me" in desk
    assert "Scheduled next" in desk and "Goes out at noon" in desk
    assert "Already out" not in desk
