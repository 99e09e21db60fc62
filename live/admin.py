"""The desk's side of live coverage: the composer panel on a story's admin page (through the
desk's ``story_admin_extensions`` hook), its endpoints, and the editors' list of every entry,
deleted ones included.

The composer posts without leaving or reloading the page (``live/static/live/composer.js``,
Ctrl/Cmd+Enter) and, without JavaScript, as a plain form that comes back to the story's page.
Every change goes through ``live.services`` (permissions, log entry, invalidation).
"""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import JsonResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.loader import render_to_string
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.decorators import method_decorator
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from articles import workflow
from articles.models import Article
from desk.admin.permissions import EditorsReadOnlyAdmin
from desk.admin.stories import story_admin_extensions

from . import services
from .forms import EntryForm
from .models import LiveCoverage, LiveEntry

method_decorator_post = method_decorator(require_POST)
DESK_ENTRIES = 50
COMPOSER_MEDIA = forms.Media(
    css={"all": ["live/desk.css"]}, js=["live/composer.js"]
)  # the newest entries the composer lists; older ones are on the public pages


def _wants_json(request):
    return "application/json" in request.headers.get("Accept", "")


def _story_page(article):
    return reverse("admin:articles_article_change", args=[article.pk]) + "#live-desk"


def _entry_html(request, entry):
    return render_to_string(
        "admin/live/_entry.html", {"entry": entry, "can_change": True}, request=request
    )


def composer_panel(request, article):
    """The story page's "Live coverage" panel, or None for someone who may not cover it."""
    coverage = LiveCoverage.objects.filter(article=article).first()
    if not services.can_cover(request.user, article):
        return None
    form = EntryForm()
    entries = []
    if coverage is not None:
        entries = list(
            coverage.entries.not_deleted()
            .select_related("posted_by")
            .prefetch_related("authors")
            .order_by("-pk")[:DESK_ENTRIES]
        )
        editor = workflow.is_editor(request.user)
        for entry in entries:
            entry.can_change = editor or entry.posted_by_id == request.user.pk
    html = render_to_string(
        "admin/live/composer.html",
        {
            "article": article,
            "coverage": coverage,
            "form": form,
            "entries": entries,
            "start_url": reverse("admin:live_liveentry_start", args=[article.pk]),
            "end_url": reverse("admin:live_liveentry_end", args=[article.pk]),
            "post_url": reverse("admin:live_liveentry_post", args=[article.pk]),
        },
        request=request,
    )
    return html, form.media + COMPOSER_MEDIA


@admin.register(LiveEntry)
class LiveEntryAdmin(EditorsReadOnlyAdmin, admin.ModelAdmin):
    """Every entry, deleted ones included, for the editors (read only: the composer writes)."""

    list_display = ["summary", "story", "posted_at", "updated_at", "deleted_at", "deleted_by"]
    list_filter = [("deleted_at", admin.EmptyFieldListFilter), "key_point", "pinned"]
    list_select_related = ["coverage__article", "deleted_by"]
    search_fields = ["body", "coverage__article__headline"]
    date_hierarchy = "posted_at"

    @admin.display(description=gettext_lazy("story"))
    def story(self, entry):
        return entry.coverage.article.headline

    def get_urls(self):
        view = self.admin_site.admin_view
        return [
            path(
                "story/<int:article_id>/start/", view(self.start_view), name="live_liveentry_start"
            ),
            path("story/<int:article_id>/end/", view(self.end_view), name="live_liveentry_end"),
            path("story/<int:article_id>/post/", view(self.post_view), name="live_liveentry_post"),
            path("<int:entry_id>/edit/", view(self.edit_view), name="live_liveentry_edit"),
            path("<int:entry_id>/remove/", view(self.remove_view), name="live_liveentry_remove"),
            *super().get_urls(),
        ]

    # --- the composer's endpoints: POST only, CSRF checked by the admin's views -------

    @staticmethod
    def _story(request, article_id):
        article = get_object_or_404(Article, pk=article_id)
        if not services.can_cover(request.user, article):
            raise PermissionDenied
        return article

    @staticmethod
    def _entry(request, entry_id):
        entry = get_object_or_404(
            LiveEntry.objects.select_related("coverage__article"), pk=entry_id
        )
        if not services.can_change_entry(request.user, entry):
            raise PermissionDenied
        return entry

    @staticmethod
    def _refused(request, article, error):
        text = " ".join(error.messages)
        if _wants_json(request):
            return JsonResponse({"ok": False, "message": text}, status=400)
        messages.error(request, text)
        return redirect(_story_page(article))

    @staticmethod
    def _done(request, article, text, **payload):
        if _wants_json(request):
            return JsonResponse({"ok": True, "message": text, **payload})
        messages.success(request, text)
        return redirect(_story_page(article))

    @staticmethod
    def _at(moment):
        return date_format(timezone.localtime(moment), "TIME_FORMAT")

    @method_decorator_post
    def start_view(self, request, article_id):
        article = self._story(request, article_id)
        services.start(article, by=request.user)
        return self._done(request, article, _("Live coverage started."))

    @method_decorator_post
    def end_view(self, request, article_id):
        article = self._story(request, article_id)
        coverage = get_object_or_404(LiveCoverage, article=article)
        services.end(coverage, by=request.user)
        return self._done(request, article, _("Live coverage ended."))

    @method_decorator_post
    def post_view(self, request, article_id):
        article = self._story(request, article_id)
        coverage = get_object_or_404(LiveCoverage, article=article)
        if not coverage.is_live:
            return self._refused(
                request,
                article,
                ValidationError(_("Live coverage has ended: start it again to post an update.")),
            )
        form = EntryForm(request.POST)
        if not form.is_valid():
            return self._refused(request, article, ValidationError(_invalid(form)))
        try:
            entry = services.post(coverage, by=request.user, **form.values())
        except ValidationError as error:
            return self._refused(request, article, error)
        entry.can_change = True
        return self._done(
            request,
            article,
            _("Update posted at %(time)s.") % {"time": self._at(entry.posted_at)},
            id=entry.pk,
            html=_entry_html(request, entry),
        )

    def edit_view(self, request, entry_id):
        entry = self._entry(request, entry_id)
        article = entry.coverage.article
        if entry.deleted_at is not None:
            raise PermissionDenied
        form = EntryForm.for_entry(entry) if request.method != "POST" else EntryForm(request.POST)
        if request.method == "POST" and form.is_valid():
            try:
                services.edit(entry, by=request.user, **form.values())
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(
                    request,
                    _("Update edited; readers see “Updated %(time)s”.")
                    % {"time": self._at(entry.updated_at)},
                )
                return redirect(_story_page(article))
        context = {
            **self.admin_site.each_context(request),
            "title": _("Edit a live update"),
            "subtitle": article.headline,
            "opts": self.opts,
            "form": form,
            "entry": entry,
            "article": article,
            "story_url": _story_page(article),
            "media": self.media + form.media + COMPOSER_MEDIA,
        }
        return TemplateResponse(request, "admin/live/edit_entry.html", context)

    @method_decorator_post
    def remove_view(self, request, entry_id):
        entry = self._entry(request, entry_id)
        services.delete(entry, by=request.user)
        return self._done(request, entry.coverage.article, _("Update deleted."), id=entry.pk)


def _invalid(form):
    return [
        f"{form.fields[name].label}: {' '.join(errors)}"
        if name in form.fields
        else " ".join(errors)
        for name, errors in form.errors.items()
    ]


story_admin_extensions.add(panels=[composer_panel])
