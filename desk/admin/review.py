"""The story form's review panel: what an editor opening a submitted story needs first.

An editor arrives from the desk's "Waiting for review" list. Above the writing aids, the
form then says that the story waits for them, who saved it last and when, shows its lead
photo with the words readers will get, names what would stop it from going out now (the
same rules as the "Publish now" button: ``workflow.article_publish_problems``), and points
to the bar of buttons at the bottom of the form.
"""

from django import forms
from django.template.loader import render_to_string

from articles import workflow
from articles.models import Article


def review_panel(request, article):
    """The panel for a story in review, for editors and its own reporters; else ``None``."""
    if article.status != Article.Status.IN_REVIEW or not workflow.can_preview(
        request.user, article
    ):
        return None
    photo = article.lead_photo
    editor = workflow.is_editor(request.user)
    html = render_to_string(
        "admin/articles/article/_review_panel.html",
        {
            "story": article,
            "editor": editor,
            "photo": photo,
            "photo_url": photo.rendition_url(320) if photo is not None and photo.image else "",
            "photo_text": photo.text_in(article.language) if photo is not None else {},
            "problems": (
                list(workflow.article_publish_problems(article, Article.Status.PUBLISHED).values())
                if editor
                else []
            ),
        },
        request=request,
    )
    return html, forms.Media(css={"all": ["desk/editing.css"]})
