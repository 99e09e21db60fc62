"""Comments on a field: an editor queries words of a story, the reporter resolves it, both
are mailed, and readers never see a comment."""

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from articles.models import FieldComment
from desk import comments
from tests.admin.story_form import change_url
from tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db
QUERY = "Source for the 9 to 4 vote? The clerk's minutes say 9 to 5."


@pytest.fixture
def story(reporter, section):
    return ArticleFactory(
        headline="Council approves new transit line",
        body="<p>The vote was 9 to 4 &amp; the mayor abstained.</p>",
        section=section,
        created_by=reporter,
        authors=[reporter.author_profile],
    )


def add_url(article):
    return reverse("admin:articles_article_comment_add", args=[article.pk])


def resolve_url(comment):
    return reverse("admin:articles_article_comment_resolve", args=[comment.article_id, comment.pk])


def test_an_editor_comments_the_reporter_is_mailed_and_resolves_the_editor_is_mailed(
    editor, reporter, story, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        comment = comments.add(
            story, by=editor, field="body", quote="vote was 9 to 4 & the", text=QUERY
        )
    assert [(m.subject, m.to) for m in mail.outbox] == [
        ("Comment on “Council approves new transit line”", [reporter.email])
    ]
    assert "vote was 9 to 4 & the" in mail.outbox[0].body and QUERY in mail.outbox[0].body
    with django_capture_on_commit_callbacks(execute=True):
        comments.resolve(comment, by=reporter)
    comment.refresh_from_db()
    assert comment.is_resolved and comment.resolved_by == reporter
    assert [(m.subject, m.to) for m in mail.outbox[1:]] == [
        ("Comment resolved: “Council approves new transit line”", [editor.email])
    ]


@pytest.mark.parametrize(
    ("field", "quote", "text", "code"),
    [
        ("body", "9 to 7", QUERY, "quote_not_found"),
        ("body", "", QUERY, "no_quote"),
        ("body", "9 to 4", "  ", "no_text"),
        ("slug", "9 to 4", QUERY, "field"),
        ("body", "x" * 501, QUERY, "quote_too_long"),
    ],
)
def test_a_comment_on_words_that_are_not_there_is_refused_in_words(
    editor, story, field, quote, text, code
):
    with pytest.raises(ValidationError) as refused:
        comments.add(story, by=editor, field=field, quote=quote, text=text)
    assert refused.value.code == code and refused.value.messages[0]
    assert not FieldComment.objects.exists()


def test_only_editors_comment_and_only_the_storys_people_resolve(
    editor, reporter, other_reporter, story
):
    with pytest.raises(ValidationError):
        comments.add(story, by=reporter, field="headline", quote="Council", text=QUERY)
    comment = comments.add(story, by=editor, field="headline", quote="Council", text=QUERY)
    with pytest.raises(ValidationError):
        comments.resolve(comment, by=other_reporter)
    assert not FieldComment.objects.get().is_resolved


def test_comments_never_reach_readers(client, editor, story):
    comments.add(story, by=editor, field="body", quote="9 to 4", text=QUERY)
    story.refresh_from_db()
    assert QUERY not in story.body
    for address in (
        story.get_absolute_url(),
        f"{story.get_absolute_url()}history/",
        reverse("articles:feed-latest-rss"),
    ):
        assert "minutes say" not in client.get(address).content.decode(), address
    found = client.get(reverse("articles:search") + "?q=clerk").content.decode()
    assert story.headline not in found


def test_through_the_desk_the_editor_adds_and_the_reporter_resolves(editor_client, reporter, story):
    response = editor_client.post(
        add_url(story), {"field": "body", "quote": "9 to 4", "text": QUERY}
    )
    assert response.status_code == 302 and response["Location"].endswith("#comments")
    comment = FieldComment.objects.get()
    reporter_client = Client()
    reporter_client.force_login(reporter)
    html = reporter_client.get(change_url(story)).content.decode()
    assert "The clerk&#x27;s minutes say 9 to 5." in html and resolve_url(comment) in html
    assert 'id="newsroom-comment-form"' not in html  # reporters answer, they do not query
    assert reporter_client.post(resolve_url(comment)).status_code == 302
    assert FieldComment.objects.get().is_resolved


def test_the_desk_refuses_bad_comments_with_a_message_and_strangers_with_403(
    editor_client, client, other_reporter, story
):
    response = editor_client.post(
        add_url(story), {"field": "body", "quote": "not there", "text": QUERY}, follow=True
    )
    assert "The comment was not added" in response.content.decode()
    assert editor_client.get(add_url(story)).status_code == 405
    client.force_login(other_reporter)
    assert client.post(add_url(story), {"quote": "9 to 4", "text": QUERY}).status_code == 403
    assert not FieldComment.objects.exists()
