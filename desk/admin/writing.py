"""The story form's writing aids: content checks as the journalist types, and the link
dialog's search for other stories (staff only, behind the admin's sign-in)."""

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import HttpResponseNotAllowed, JsonResponse
from django.template.loader import render_to_string
from django.urls import path, reverse
from django.utils.translation import gettext as _

from articles import languages, workflow
from articles.models import Article, Photo
from articles.page_helpers import canonical
from desk import checks

MAX_RESULTS = 8


class WritingAidsMixin:
    """URLs ``admin:articles_article_content_checks`` and ``…_link_search``."""

    def get_urls(self):
        view = self.admin_site.admin_view
        return [
            path(
                "content-checks/",
                view(self.content_checks_view),
                name="articles_article_content_checks",
            ),
            path("link-search/", view(self.link_search_view), name="articles_article_link_search"),
            *super().get_urls(),
        ]

    def content_checks_view(self, request):
        """POST the form's text → ``{"warnings": […], "reading": {…}}`` (JSON)."""
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        if not self.has_view_permission(request):
            raise PermissionDenied
        language = request.POST.get("language")
        if language not in (languages.ENGLISH, languages.FRENCH):
            language = languages.current()
        photo_id = request.POST.get("lead_photo", "")
        photo = bool(request.POST.get("photo_upload")) or (
            photo_id.isdigit() and Photo.objects.filter(pk=int(photo_id)).exists()
        )
        return JsonResponse(
            checks.run(
                headline=request.POST.get("headline", ""),
                body=request.POST.get("body", ""),
                language=language,
                photo=photo,
                photo_alt=request.POST.get("photo_alt_text", ""),
            )
        )

    def link_search_view(self, request):
        """``?q=`` words of a headline → published stories with their public address."""
        if not self.has_view_permission(request):
            raise PermissionDenied
        words = request.GET.get("q", "").split()[:8]
        if not words or sum(len(w) for w in words) < 2:
            return JsonResponse({"stories": []})
        found = Article.objects.published()
        for word in words:
            found = found.filter(Q(headline__icontains=word[:100]))
        found = found.order_by("-publish_at").only("headline", "slug", "language", "publish_at")
        return JsonResponse(
            {
                "stories": [
                    {
                        "headline": story.headline,
                        "url": canonical(story),
                        "language": story.language,
                    }
                    for story in found[:MAX_RESULTS]
                ]
            }
        )

    def warn_before_review(self, request, article, text=None):
        """The content checks as warnings after a submission for review (never a refusal)."""
        found = checks.run_on_story(article, text)["warnings"]
        if found:
            self.message_user(
                request,
                _("Before review, have a look: %(warnings)s")
                % {"warnings": " ".join(w["message"] for w in found)},
                messages.WARNING,
            )


def _writing(request, article):
    return article is None or workflow.can_edit(request.user, article)


def checks_panel(request, article=None):
    """The story form's "Checks" panel, filled by ``desk/content_checks.js``."""
    if not _writing(request, article):
        return None
    html = render_to_string(
        "admin/articles/article/_checks_panel.html",
        {"checks_url": reverse("admin:articles_article_content_checks")},
        request=request,
    )
    return html, forms.Media(js=["desk/content_checks.js"], css={"all": ["desk/editing.css"]})


def keyboard_panel(request, article=None):
    """The story form's keyboard shortcuts, their "?" list and the link dialog's search."""
    if not _writing(request, article):
        return None
    html = render_to_string(
        "admin/articles/article/_keyboard_panel.html",
        {"link_search_url": reverse("admin:articles_article_link_search")},
        request=request,
    )
    return html, forms.Media(js=["desk/keyboard.js"], css={"all": ["desk/editing.css"]})
