"""Private preview links: a draft as readers will see it, at a signed address that expires.

The link carries the story's id signed with the site's secret and a timestamp, so it
cannot be guessed or altered and stops working after ``PREVIEW_MAX_AGE``. It is meant
to be passed around the newsroom: any logged-in staff member holding it may look,
whether or not they could edit the story.
"""

from datetime import timedelta

from django.core import signing
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext as _

from articles.models import Article

PREVIEW_SALT = "articles.preview"
PREVIEW_MAX_AGE = timedelta(days=2)

_signer = signing.TimestampSigner(salt=PREVIEW_SALT)


def make_token(article):
    return _signer.sign(str(article.pk))


def preview_url(article):
    return reverse("admin:articles_article_preview", args=[make_token(article)])


def article_for_token(token):
    """The story a preview token points at; ``PermissionDenied`` if it is forged or stale."""
    try:
        pk = _signer.unsign(token, max_age=PREVIEW_MAX_AGE)
    except signing.SignatureExpired as exc:
        raise PermissionDenied(
            _("This preview link has expired. Ask for a new one from the story's page.")
        ) from exc
    except signing.BadSignature as exc:
        raise PermissionDenied(_("This preview link is not valid.")) from exc
    try:
        return Article.objects.with_related_data().get(pk=pk)
    except Article.DoesNotExist as exc:
        raise Http404(_("This story no longer exists.")) from exc


def render_preview(request, token):
    """The story page exactly as readers get it, whatever the story's status."""
    return render_story(request, article_for_token(token))


def render_story(request, article, kind="saved", frame=False):
    """The story page for ``article`` as given (its text may be unsaved or pending).

    ``kind`` picks the banner: "saved", "pending" (a live story's pending change) or
    "unsaved" (the story form's current text). ``frame``: the page may be shown in a frame
    of the desk's own pages (the preview beside the form), and nowhere else.
    """
    response = TemplateResponse(
        request,
        "admin/articles/article/preview.html",
        {"article": article, "object": article, "is_preview": True, "preview_kind": kind},
    )
    if frame:
        # The security middleware then lets only our own origin frame it.
        response["X-Frame-Options"] = "SAMEORIGIN"
    # A preview is for the newsroom only: never cached, never indexed.
    response["Cache-Control"] = "private, no-store"
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response
