"""The vote URL: answers for ratings.js and for the plain form, and for bad input."""

import uuid
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from articles.models import Article
from ratings.models import Feedback, RatingSummary, Vote
from ratings.voters import VOTER_COOKIE, VOTER_COOKIE_MAX_AGE
from tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db


def test_a_vote_from_javascript_answers_the_new_numbers_and_thanks(article, post_vote):
    response = post_vote(article, {"stars": "4"}, json=True)
    assert response.status_code == 200
    data = response.json()
    assert data["count"] == 1
    assert data["average_display"] == "4.0"
    assert data["your_vote"] == 4
    assert data["message"] == "Thank you for rating this story."
    assert "no-store" in response["Cache-Control"]


def test_the_plain_form_redirects_back_to_the_story_block(article, post_vote):
    response = post_vote(article, {"stars": "4"})
    assert response.status_code == 303
    assert response["Location"] == f"{article.get_absolute_url()}#ratings-thanks"
    assert RatingSummary.objects.get(article=article).vote_count == 1


def test_first_vote_sets_a_signed_long_lived_httponly_voter_cookie(article, post_vote):
    response = post_vote(article, {"stars": "3"})
    cookie = response.cookies[VOTER_COOKIE]
    assert cookie["httponly"]
    assert cookie["samesite"] == "Lax"
    assert cookie["max-age"] == VOTER_COOKIE_MAX_AGE
    stored = Vote.objects.get()
    assert str(stored.voter) in cookie.value
    assert cookie.value != str(stored.voter)  # signed, not the bare id


def test_the_same_browser_voting_again_changes_its_vote(article, post_vote):
    post_vote(article, {"stars": "1"})
    post_vote(article, {"stars": "5"})
    assert Vote.objects.count() == 1
    summary = RatingSummary.objects.get(article=article)
    assert (summary.vote_count, summary.vote_total) == (1, 5)


def test_a_tampered_voter_cookie_is_treated_as_a_new_reader(article, post_vote, client):
    post_vote(article, {"stars": "2"})
    victim = Vote.objects.get().voter
    client.cookies[VOTER_COOKIE] = f"{uuid.uuid4()}:forged-signature"
    post_vote(article, {"stars": "5"})
    assert Vote.objects.get(voter=victim).stars == 2
    assert Vote.objects.count() == 2


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({}, "Choose a rating from 1 to 5 stars."),
        ({"stars": "0"}, "Choose a rating from 1 to 5 stars."),
        ({"stars": "6"}, "Choose a rating from 1 to 5 stars."),
        ({"stars": "2.5"}, "Choose a rating from 1 to 5 stars."),
        ({"stars": "five"}, "Choose a rating from 1 to 5 stars."),
        ({"stars": "1", "feedback": "x" * 1001}, "Your feedback is too long"),
    ],
)
@pytest.mark.parametrize("json", [True, False])
def test_bad_input_gets_400_with_a_sentence_and_changes_nothing(
    article, post_vote, data, message, json
):
    response = post_vote(article, data, json=json)
    assert response.status_code == 400
    text = response.json()["error"] if json else response.content.decode()
    assert message in text
    assert not Vote.objects.exists()
    assert not RatingSummary.objects.filter(vote_count__gt=0).exists()
    assert not Feedback.objects.exists()


@pytest.mark.parametrize(
    "make_story",
    [
        lambda: ArticleFactory(status=Article.Status.DRAFT),
        lambda: ArticleFactory(publish_at=timezone.now() + timedelta(days=1)),
        lambda: ArticleFactory(status=Article.Status.UNPUBLISHED),
    ],
    ids=["draft", "scheduled-for-tomorrow", "unpublished"],
)
def test_votes_on_stories_readers_cannot_see_get_404(post_vote, make_story):
    story = make_story()
    assert post_vote(story, {"stars": "4"}).status_code == 404
    assert post_vote(story, {"stars": "4"}, json=True).status_code == 404
    assert not Vote.objects.exists()


def test_a_vote_on_a_story_that_does_not_exist_gets_404(post_vote):
    assert post_vote(987654, {"stars": "4"}).status_code == 404


def test_get_on_the_vote_url_is_405(article, client):
    response = client.get(reverse("ratings:vote", args=[article.pk]))
    assert response.status_code == 405
    assert response["Allow"] == "POST"


def test_low_vote_feedback_is_stored_as_plain_text(article, post_vote):
    text = "<b>Too short</b>\x07 — needs the\nminister's side."
    assert post_vote(article, {"stars": "1", "feedback": text}).status_code == 303
    feedback = Feedback.objects.get()
    assert feedback.text == "<b>Too short</b> — needs the\nminister's side."
    assert (feedback.article, feedback.stars) == (article, 1)


def test_feedback_with_a_high_vote_is_not_kept(article, post_vote):
    assert post_vote(article, {"stars": "5", "feedback": "Loved it"}).status_code == 303
    assert not Feedback.objects.exists()


def test_sending_low_vote_feedback_is_acknowledged(article, post_vote):
    response = post_vote(article, {"stars": "2", "feedback": "Which hospital?"}, json=True)
    assert response.json()["message"].startswith("Thank you: your rating and your comments")
    assert Feedback.objects.get().text == "Which hospital?"


def test_a_vote_through_the_endpoint_announces_the_change_after_commit(
    article, post_vote, django_capture_on_commit_callbacks
):
    """The page cache listens to rating_changed to note when the numbers changed."""
    from ratings.signals import rating_changed

    received = []

    def listener(sender, article_id, **kwargs):
        received.append(article_id)

    rating_changed.connect(listener)
    try:
        with django_capture_on_commit_callbacks(execute=True):
            post_vote(article, {"stars": "3"})
        with django_capture_on_commit_callbacks(execute=True):
            post_vote(article, {"stars": "abc"})  # refused: nothing changed
    finally:
        rating_changed.disconnect(listener)
    assert received == [article.pk]


def _statements_of_a_vote(post_vote, article, stars, **headers):
    """The statements (BEGIN and COMMIT included) a vote sends to the database."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        response = post_vote(article, {"stars": str(stars)}, json=True, **headers)
    assert response.status_code == 200
    # The test's own transaction makes BEGIN/COMMIT savepoints: count either.
    return [q["sql"] for q in queries]


# Round trips of a vote on a story that already has votes, BEGIN and COMMIT included. On
# PostgreSQL: ratings/vote_sql.py; on SQLite the ORM path (story, lock, count, insert,
# update and re-read of the summary).
NEW_READER_STATEMENTS = {"postgresql": 4, "sqlite": 8}
CHANGED_VOTE_STATEMENTS = {"postgresql": 5, "sqlite": 8}


def test_a_new_readers_vote_costs_four_round_trips_on_postgresql(article, post_vote, client):
    """No story check before the transaction, no previous-vote lookup for a new voter id."""
    from django.db import connection

    post_vote(article, {"stars": "3"})  # another reader's: the story has its summary row
    client.cookies.clear()  # a new reader: no voter cookie
    statements = _statements_of_a_vote(post_vote, article, 4)
    assert len(statements) == NEW_READER_STATEMENTS[connection.vendor], statements
    assert not [sql for sql in statements if "voter" in sql and "SELECT" in sql[:20]]
    summary = RatingSummary.objects.get(article=article)
    assert (summary.vote_count, summary.vote_total) == (2, 7)


def test_changing_a_vote_costs_five_round_trips_on_postgresql(article, post_vote, client):
    from django.db import connection

    post_vote(article, {"stars": "2"})  # the client keeps the voter cookie it is given
    statements = _statements_of_a_vote(post_vote, article, 5)
    assert len(statements) == CHANGED_VOTE_STATEMENTS[connection.vendor], statements
    summary = RatingSummary.objects.get(article=article)
    assert (summary.vote_count, summary.vote_total, summary.stars_2, summary.stars_5) == (
        1,
        5,
        0,
        1,
    )


def test_a_refused_vote_on_a_hidden_story_still_gets_404_before_400(post_vote):
    """The story is checked inside the vote now; a refused vote looks it up to answer 404."""
    story = ArticleFactory(status=Article.Status.DRAFT)
    assert post_vote(story, {"stars": "nine"}).status_code == 404
    assert post_vote(story, {"stars": "nine"}, json=True).status_code == 404
