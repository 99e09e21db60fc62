"""The desk pages of pending changes, comments, checks and photo usage are valid HTML (the
Nu Html Checker, as for the public pages: tests/test_html_validity.py)."""

import pytest
from django.urls import reverse

from articles import workflow
from desk import comments
from desk.admin.comments import comments_panel
from desk.admin.pending import editing_panel
from desk.admin.writing import checks_panel, keyboard_panel
from tests.admin.story_form import change_url
from tests.factories import ArticleFactory, PhotoFactory
from tests.test_html_validity import assert_valid, vnu  # noqa: F401  (the checker fixture)

pytestmark = pytest.mark.django_db


def test_the_editing_pages_are_valid_html(
    editor_client,
    editor,
    reporter,
    section,
    vnu,  # noqa: F811
    tmp_path,
    rf,
):
    photo = PhotoFactory()
    story = ArticleFactory(
        headline="Council approves new transit line",
        body="<p>The vote was 9 to 4.</p>",
        section=section,
        lead_photo=photo,
        created_by=reporter,
        authors=[reporter.author_profile],
    )
    workflow.save_pending(story, by=reporter, headline="Council approves transit line at last")
    workflow.submit_pending(story, by=reporter)
    comment = comments.add(story, by=editor, field="body", quote="9 to 4", text="Source?")
    comments.add(story, by=editor, field="headline", quote="Council", text="Which one?")
    comments.resolve(comment, by=reporter)
    pages = {
        "pending": reverse("admin:articles_article_pending", args=[story.pk]),
        "pending-preview": reverse("admin:articles_article_pending_preview", args=[story.pk]),
        "photo": reverse("admin:articles_photo_change", args=[photo.pk]),
    }
    files = []
    for name, address in pages.items():
        response = editor_client.get(address)
        assert response.status_code == 200, address
        file = tmp_path / f"{name}.html"
        file.write_bytes(response.content)
        files.append(str(file))
    unsaved = editor_client.post(
        reverse("admin:articles_article_preview_unsaved", args=[story.pk]),
        {"headline": "Unsaved", "body": "<p>Typed.</p>"},
    )
    (tmp_path / "unsaved.html").write_bytes(unsaved.content)
    # The story form's own panels, in a page of their own (the rest of the story form is
    # the desk's look, checked with it).
    request = rf.get(change_url(story))
    request.user = editor
    panels = "".join(
        panel(request, story)[0]
        for panel in (editing_panel, comments_panel, checks_panel, keyboard_panel)
    )
    (tmp_path / "panels.html").write_text(
        '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>Panels</title>'
        f"</head><body><main>{panels}</main></body></html>"
    )
    assert_valid(vnu, [*files, str(tmp_path / "unsaved.html"), str(tmp_path / "panels.html")])
