"""What editors see: per-story numbers, the ratings report, its CSV, the feedback inbox."""

import csv
import io
import uuid
from datetime import UTC, datetime
from decimal import Decimal

import pytest
from django.contrib import admin
from django.contrib.auth.models import Permission
from django.urls import reverse

from articles.models import Article
from ratings.addresses import address_hash
from ratings.admin import RatingSummaryInline, average_rating, vote_count
from ratings.models import Feedback, RatingSummary, record_vote
from tests.factories import ArticleFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def editor_client(client):
    user = UserFactory(username="editor", is_staff=True, is_superuser=True)
    # UserFactory does not save the password it sets; the session must match the stored one.
    user.refresh_from_db()
    client.force_login(user)
    return client


def _votes(article, *stars):
    for n in stars:
        record_vote(article.pk, uuid.uuid4(), n, address_hash("192.0.2.1"))


def test_story_list_columns_show_average_and_count(article):
    _votes(article, 5, 4)
    article = Article.objects.select_related("rating_summary").get(pk=article.pk)
    assert (str(average_rating(article)), vote_count(article)) == ("4.5", 2)
    unrated = ArticleFactory()
    assert (average_rating(unrated), vote_count(unrated)) == ("–", 0)


def test_the_story_inline_shows_average_count_and_distribution(article, rf):
    _votes(article, 5, 5, 1)
    inline = RatingSummaryInline(Article, admin.site)
    summary = RatingSummary.objects.get(article=article)
    assert inline.average_display(summary) == "3.7 / 5"
    chart = inline.distribution_display(summary)
    assert chart.startswith("<svg") and "style=" not in chart
    assert "5 stars: 2" in chart and "1 star: 1" in chart
    request = rf.get("/")
    request.user = UserFactory(is_staff=True, is_superuser=True)
    assert not inline.has_change_permission(request, article)
    assert not inline.has_add_permission(request, article)


def test_the_ratings_list_in_the_admin_shows_each_story(editor_client, article):
    _votes(article, 4, 4, 5)
    html = editor_client.get(reverse("admin:ratings_ratingsummary_changelist")).content.decode()
    assert article.headline in html
    assert "4.3" in html
    assert reverse("admin:ratings_report") in html


def _report_stories(time_machine):
    time_machine.move_to(datetime(2026, 3, 10, 15, 0, tzinfo=UTC), tick=False)
    # Published before January's votes: a vote needs a story readers can see.
    published = datetime(2025, 12, 1, tzinfo=UTC)
    loved, liked, disliked, old = (
        ArticleFactory(headline=h, publish_at=published)
        for h in ("Loved", "Liked", "=HYPERLINK(evil)", "Old")
    )
    _votes(loved, 5, 5, 5, 4, 5)
    _votes(liked, 4, 4, 3, 4, 4)
    _votes(disliked, 1, 2, 1, 1, 2)
    _votes(ArticleFactory(headline="Too few votes"), 1)
    time_machine.move_to(datetime(2026, 1, 5, 15, 0, tzinfo=UTC), tick=False)
    _votes(old, 1, 1, 1, 1, 1)
    record_vote(disliked.pk, uuid.uuid4(), 1, "h", feedback="Needs sources.")
    time_machine.move_to(datetime(2026, 3, 11, 15, 0, tzinfo=UTC), tick=False)


def test_report_ranks_top_and_bottom_stories_of_the_chosen_period(editor_client, time_machine):
    _report_stories(time_machine)
    url = reverse("admin:ratings_report")
    response = editor_client.get(url, {"start": "2026-03-01", "end": "2026-03-31", "min_votes": 5})
    assert response.status_code == 200
    top = [s.headline for s in response.context["top"]]
    bottom = [s.headline for s in response.context["bottom"]]
    assert top == ["Loved", "Liked", "=HYPERLINK(evil)"]
    assert bottom == ["=HYPERLINK(evil)", "Liked", "Loved"]  # "Old" voted in January
    assert response.context["distribution"] == [(5, 4), (4, 5), (3, 1), (2, 2), (1, 4)]
    html = response.content.decode()
    assert "<svg" in html and "Download CSV" in html
    assert "Needs sources." not in html  # feedback from January is outside the period


def test_report_shows_the_feedback_inbox_for_the_period(editor_client, time_machine):
    _report_stories(time_machine)
    html = editor_client.get(
        reverse("admin:ratings_report"), {"start": "2026-01-01", "end": "2026-01-31"}
    ).content.decode()
    assert "Needs sources." in html
    assert "Old" in html  # January's votes rank now


def test_report_refuses_a_period_that_ends_before_it_starts(editor_client):
    response = editor_client.get(
        reverse("admin:ratings_report"), {"start": "2026-03-10", "end": "2026-03-01"}
    )
    assert "The start date must be on or before the end date." in response.content.decode()
    csv_response = editor_client.get(
        reverse("admin:ratings_report_csv"), {"start": "2026-03-10", "end": "2026-03-01"}
    )
    assert csv_response.status_code == 400


def test_report_exports_csv_that_spreadsheets_cannot_execute(editor_client, time_machine):
    _report_stories(time_machine)
    response = editor_client.get(
        reverse("admin:ratings_report_csv"), {"start": "2026-03-01", "end": "2026-03-31"}
    )
    assert response["Content-Type"].startswith("text/csv")
    assert 'filename="ratings-20260301-20260331.csv"' in response["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0][:6] == ["ranking", "position", "story id", "headline", "votes", "average"]
    assert rows[1][0:2] == ["top", "1"] and rows[1][3:6] == ["Loved", "5", "4.8"]
    assert rows[1][6:] == ["4", "1", "0", "0", "0"]
    assert "'=HYPERLINK(evil)" in [row[3] for row in rows]


def test_the_report_needs_permission_to_view_ratings(client, article):
    staff = UserFactory(username="reporter", is_staff=True)
    staff.refresh_from_db()
    client.force_login(staff)
    assert client.get(reverse("admin:ratings_report")).status_code == 403
    staff.user_permissions.add(Permission.objects.get(codename="view_ratingsummary"))
    assert client.get(reverse("admin:ratings_report")).status_code == 200


def test_feedback_inbox_lists_and_marks_feedback_handled(editor_client, article):
    record_vote(article.pk, uuid.uuid4(), 2, "h", feedback="<script>alert(1)</script> too long")
    url = reverse("admin:ratings_feedback_changelist")
    html = editor_client.get(url).content.decode()
    assert "&lt;script&gt;alert(1)&lt;/script&gt; too long" in html
    feedback = Feedback.objects.get()
    editor_client.post(
        url, {"action": "mark_handled", "_selected_action": [feedback.pk]}, follow=True
    )
    feedback.refresh_from_db()
    assert feedback.handled


def test_story_admin_shows_the_ratings_inline_and_columns(editor_client, article):
    """Each story's average, count and distribution in the story admin."""
    _votes(article, 5, 3)
    ArticleFactory(headline="Nobody voted")
    listing = editor_client.get(reverse("admin:articles_article_changelist"), {"o": "5"})
    assert listing.status_code == 200
    # Added through the desk's story_admin_extensions hook (ratings/admin.py), so asked of
    # the admin's get_…() methods rather than its class attributes.
    story_admin = admin.site.get_model_admin(Article)
    request = listing.wsgi_request
    assert RatingSummaryInline in story_admin.get_inlines(request, article)
    assert {average_rating, vote_count} <= set(story_admin.get_list_display(request))
    assert "rating_summary" in story_admin.get_list_select_related(request)
    html = listing.content.decode()
    assert "average rating" in html.lower() and "4.0" in html
    page = editor_client.get(reverse("admin:articles_article_change", args=[article.pk]))
    assert page.status_code == 200
    html = page.content.decode()
    assert "4.0 / 5" in html and "<svg" in html


def test_report_shows_a_story_and_its_translation_side_by_side(editor_client, time_machine):
    """Each side of a pair keeps its own votes; a side without votes says so."""
    time_machine.move_to(datetime(2026, 3, 10, 15, 0, tzinfo=UTC), tick=False)
    published = datetime(2026, 3, 1, tzinfo=UTC)
    english = ArticleFactory(headline="Budget passes", publish_at=published)
    french = ArticleFactory(
        headline="Le budget adopté",
        language="fr",
        publish_at=published,
        translation_of=english,
        translated_version=english.version,
    )
    quiet = ArticleFactory(headline="Quiet story", publish_at=published)
    ArticleFactory(
        headline="Histoire tranquille",
        language="fr",
        publish_at=published,
        translation_of=quiet,
        translated_version=quiet.version,
    )
    ArticleFactory(headline="Alone", publish_at=published)
    _votes(english, 5, 4)
    _votes(french, 3)
    response = editor_client.get(reverse("admin:ratings_report"), {"start": "2026-03-01"})
    pairs = [
        [(s.headline, s.votes, s.average) for s in sides] for sides in response.context["pairs"]
    ]
    assert pairs == [
        [("Budget passes", 2, Decimal("4.5")), ("Le budget adopté", 1, Decimal("3.0"))]
    ]
    html = response.content.decode()
    assert "4.5 / 5 from 2 votes" in html
    assert "3.0 / 5 from 1 vote" in html


def test_the_reports_from_and_to_are_date_pickers_keeping_the_chosen_dates(editor_client):
    response = editor_client.get(
        reverse("admin:ratings_report"), {"start": "2026-03-01", "end": "2026-03-31"}
    )
    html = response.content.decode()
    assert 'type="date" name="start" value="2026-03-01"' in html
    assert 'type="date" name="end" value="2026-03-31"' in html
