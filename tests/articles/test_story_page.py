"""What a reader sees on a story page, in the order a news outlet shows it."""

from datetime import UTC, datetime, timedelta

import pytest
from django.db import connection
from django.utils import timezone

from tests.factories import ArticleFactory, AuthorFactory, PhotoFactory
from tests.round_trips import counting_round_trips

pytestmark = pytest.mark.django_db


def test_caption_and_credit_are_shown_together_in_a_figure(client):
    article = ArticleFactory(lead_photo=PhotoFactory())
    html = client.get(article.get_absolute_url()).content.decode()
    figure = html[html.index("<figure") : html.index("</figure>")]
    caption = figure[figure.index("<figcaption>") :]
    assert "Firefighters work on a hot spot near Kelowna" in caption
    assert '<span class="credit">THE CANADIAN PRESS/Darryl Dyck</span>' in caption
    assert 'alt="Firefighters spray water on a smouldering hillside"' in figure
    assert 'type="image/webp"' in figure and "srcset=" in figure
    assert 'width="960" height="640"' in figure


def test_publication_date_is_written_the_canadian_way_in_toronto_time(client):
    """03:30 UTC on January 7 is still January 6 in Toronto."""
    article = ArticleFactory(publish_at=datetime(2026, 1, 7, 3, 30, tzinfo=UTC))
    html = client.get(article.get_absolute_url()).content.decode()
    assert (
        'Published <time datetime="2026-01-06T22:30:00-05:00">Jan. 6, 2026, 10:30 p.m.</time>'
        in html
    )


def test_story_edited_after_publishing_says_updated(client, time_machine):
    time_machine.move_to(datetime(2026, 3, 2, 15, 0, tzinfo=UTC), tick=False)
    article = ArticleFactory(publish_at=timezone.now() - timedelta(hours=3))
    assert "Updated" not in client.get(article.get_absolute_url()).content.decode()
    article.body += "<p>This story has been updated with comment from the minister.</p>"
    article.describe_change("update")
    article.save()
    html = client.get(article.get_absolute_url()).content.decode()
    assert "Updated" in html
    assert (
        'Updated <time datetime="2026-03-02T10:00:00-05:00">March 2, 2026, 10 a.m.</time>' in html
    )


def test_order_of_the_story_page(client):
    article = ArticleFactory(lead_photo=PhotoFactory(), tags=["Wildfires"])
    html = client.get(article.get_absolute_url()).content.decode()
    order = [
        'class="kicker"',
        'class="story__headline"',
        'class="story__standfirst"',
        'class="byline"',
        "<time",
        "<figure",
        'class="story__body"',
        "Tags:",
        "ratings-block",
        "related-stories",
    ]
    positions = [html.index(marker) for marker in order]
    assert positions == sorted(positions)


def test_tags_link_to_their_pages_and_vanish_when_there_are_none(client):
    tagged = ArticleFactory(tags=["Wildfires", "Climate"])
    html = client.get(tagged.get_absolute_url()).content.decode()
    assert 'Tags: <a href="/tag/wildfires/" rel="tag">Wildfires</a>' in html or (
        'Tags: <a href="/tag/climate/" rel="tag">Climate</a>' in html
    )
    untagged = ArticleFactory()
    assert "Tags:" not in client.get(untagged.get_absolute_url()).content.decode()


def test_bylines_in_order_joined_with_and(client):
    first, second = AuthorFactory(name="Amara Singh"), AuthorFactory(name="Marc Roy")
    article = ArticleFactory(authors=[first, second])
    html = client.get(article.get_absolute_url()).content.decode()
    assert "Amara Singh</a> and <a" in html
    assert html.index("Amara Singh") < html.index("Marc Roy")


def _story_page_queries(client, count):
    article = ArticleFactory(
        lead_photo=PhotoFactory(),
        authors=[AuthorFactory() for _ in range(count)],
        tags=[f"Topic {i}" for i in range(count)],
    )
    client.get(article.get_absolute_url())  # warm the navigation cache
    with counting_round_trips() as trips:
        response = client.get(article.get_absolute_url())
    assert response.status_code == 200
    assert response.content.decode().count('rel="tag"') == count
    return trips.round_trips


def test_story_page_query_count_does_not_grow_with_tags_and_authors(client):
    one = _story_page_queries(client, 1)
    ten = _story_page_queries(client, 10)
    assert one == ten
    # The story with its section, photo and rating summary; bylines; tags; related list:
    # one round trip on PostgreSQL (articles.page_sql.story_page), four on SQLite. Then one
    # more: whether the story is covered live (live.pages.coverage_of, through the story
    # page's parts; docs/architecture/live.md, "The cost model").
    assert ten == (2 if connection.vendor == "postgresql" else 5)
