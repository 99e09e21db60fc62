"""The story admin's extra pages: preview link and preview, autosave, notes, tag
suggestions, one saved version (and restoring it)."""

from django import forms
from django.contrib import messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponseNotAllowed, JsonResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from reversion.models import Version
from taggit.models import Tag

from articles import workflow
from articles.models import (
    Article,
    StoryNote,
)
from articles.models.record import CHANGE_KINDS, Kind
from desk import autosave, preview, revisions, translation


def change_kinds():
    """``[(value, label)]`` of the kinds of change an editor chooses from."""
    return [(kind.value, kind.label) for kind in map(Kind, CHANGE_KINDS)]


class StoryNoteForm(forms.Form):
    text = forms.CharField(
        label=gettext_lazy("Add a note"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=gettext_lazy("Seen by the story's reporters and the editors; never by readers."),
    )

    def clean_text(self):
        text = self.cleaned_data["text"].strip()
        if not text:
            raise forms.ValidationError(_("Write something first."))
        return text


class StoryPagesMixin:
    """Extra URLs of the story admin (their names stay ``admin:articles_article_…``)."""

    def get_urls(self):
        view = self.admin_site.admin_view
        return [
            path(
                "preview/<str:token>/",
                view(self.preview_view),
                name="articles_article_preview",
            ),
            path(
                "tag-suggestions/",
                view(self.tag_suggestions_view),
                name="articles_article_tag_suggestions",
            ),
            path(
                "<path:object_id>/autosave/",
                view(self.autosave_view),
                name="articles_article_autosave",
            ),
            path(
                "<path:object_id>/notes/",
                view(self.notes_view),
                name="articles_article_notes",
            ),
            path(
                "<path:object_id>/translate/",
                view(self.translate_view),
                name="articles_article_translate",
            ),
            path(
                "<path:object_id>/translation-up-to-date/",
                view(self.translation_up_to_date_view),
                name="articles_article_translation_up_to_date",
            ),
            path(
                "<path:object_id>/preview/",
                view(self.preview_link_view),
                name="articles_article_preview_link",
            ),
            *super().get_urls(),
        ]

    def preview_link_view(self, request, object_id):
        """Sends the author or an editor to the story's private, expiring preview link."""
        article = get_object_or_404(Article, pk=unquote(object_id))
        if not workflow.can_preview(request.user, article):
            raise PermissionDenied
        return redirect(preview.preview_url(article))

    def autosave_view(self, request, object_id):
        """POST (JSON): keep the writer's unsaved text; POST ``discard``: drop it."""
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        article = get_object_or_404(Article, pk=unquote(object_id))
        if not self.has_change_permission(request, article):
            raise PermissionDenied
        if "discard" in request.POST:
            autosave.discard(request.user, article)
            self.message_user(request, _("Your unsaved changes were discarded."), messages.INFO)
            return redirect("admin:articles_article_change", article.pk)
        return autosave.store(request, article)

    def notes_view(self, request, object_id):
        """Adds a note to the story (POST from the notes panel), then back to the story."""
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        article = get_object_or_404(Article, pk=unquote(object_id))
        # The people working on the story: its editors and its own reporters.
        if not workflow.can_preview(request.user, article):
            raise PermissionDenied
        form = StoryNoteForm(request.POST)
        if form.is_valid():
            StoryNote.objects.create(
                article=article, author=request.user, text=form.cleaned_data["text"]
            )
            self.message_user(
                request, _("Note added to “%(story)s”.") % {"story": article}, messages.SUCCESS
            )
        else:
            self.message_user(
                request,
                _("The note was not added: %(why)s")
                % {"why": " ".join(form.errors.get("text", []))},
                messages.ERROR,
            )
        return redirect(reverse("admin:articles_article_change", args=[article.pk]) + "#notes")

    def translate_view(self, request, object_id):
        """POST: start the story's translation and open it; refused in words otherwise."""
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        article = get_object_or_404(Article, pk=unquote(object_id))
        if not self.has_view_permission(request, article):
            raise PermissionDenied
        draft = self._translate(request, article)
        if draft is None:
            return redirect("admin:articles_article_change", article.pk)
        return redirect("admin:articles_article_change", draft.pk)

    def _translate(self, request, article):
        """The new draft, with a message saying so; ``None`` with the refusal as a message."""
        why = translation.refusal(article, request.user, may_add=self.has_add_permission(request))
        if why is None:
            try:
                draft = translation.start(article, request.user)
            except ValidationError as refused:
                why = " ".join(refused.messages)
        if why is not None:
            self.message_user(request, why, messages.WARNING)
            return None
        self.message_user(
            request,
            _("Translation started: “%(story)s”, a draft in %(language)s linked to its original.")
            % {"story": draft, "language": draft.get_language_display()},
            messages.SUCCESS,
        )
        return draft

    def translation_up_to_date_view(self, request, object_id):
        """POST: the translator has caught up with the original (sets translated_version)."""
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        article = get_object_or_404(
            Article.objects.select_related("translation_of"), pk=unquote(object_id)
        )
        if not self.has_change_permission(request, article):
            raise PermissionDenied
        try:
            message = translation.mark_up_to_date(article, request.user)
        except ValidationError as refused:
            self.message_user(request, " ".join(refused.messages), messages.WARNING)
        else:
            self.message_user(request, message, messages.SUCCESS)
        return redirect("admin:articles_article_change", article.pk)

    def preview_view(self, request, token):
        if not self.has_view_permission(request):
            raise PermissionDenied
        article = preview.article_for_token(token)
        if article.status == Article.Status.REMOVED and not workflow.is_editor(request.user):
            raise PermissionDenied  # a legal removal's text: editors only, links or not
        return preview.render_preview(request, token)

    def tag_suggestions_view(self, request):
        if not self.has_view_permission(request):
            raise PermissionDenied
        term = " ".join(request.GET.get("q", "").split())
        if not term:
            return JsonResponse({"tags": []})
        tags = Tag.objects.filter(name__icontains=term).order_by("name")
        starting = [t.name for t in tags if t.name.lower().startswith(term.lower())]
        others = [t.name for t in tags if not t.name.lower().startswith(term.lower())]
        return JsonResponse({"tags": (starting + others)[:10]})

    def revision_view(self, request, object_id, version_id, extra_context=None):
        """One saved version: what changed in it, and (for editors) restoring its text."""
        article = get_object_or_404(Article, pk=unquote(object_id))
        if not self.has_view_permission(request, article):
            raise PermissionDenied
        version = get_object_or_404(
            Version.objects.get_for_object(article).select_related("revision__user"),
            pk=version_id,
        )
        editor = workflow.is_editor(request.user)
        if request.method == "POST":
            if not editor:
                raise PermissionDenied
            try:
                comment = revisions.restore(
                    article,
                    version,
                    request.user,
                    kind=request.POST.get("change_kind", ""),
                    note=request.POST.get("change_note", ""),
                )
            except ValidationError as refused:
                self.message_user(request, " ".join(refused.messages), messages.ERROR)
                return redirect(request.path)
            self.log_change(request, article, comment)
            self.message_user(request, comment, messages.SUCCESS)
            return redirect("admin:articles_article_change", article.pk)
        if request.method != "GET":
            return HttpResponseNotAllowed(["GET", "POST"])
        previous = (
            Version.objects.get_for_object(article)
            .filter(pk__lt=version.pk)
            .order_by("-pk")
            .first()
        )
        this = revisions.version_values(version)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "original": article,
            "version": version,
            "title": _("Version of %(when)s")
            % {
                "when": date_format(
                    timezone.localtime(version.revision.date_created), "DATETIME_FORMAT"
                )
            },
            "changes_in_version": revisions.field_changes(
                revisions.version_values(previous) if previous else {}, this
            ),
            "changes_since": revisions.field_changes(this, revisions.article_values(article)),
            "can_restore": editor,
            "change_kinds": change_kinds() if article.is_published else None,
        }
        return TemplateResponse(request, "admin/articles/article/revision.html", context)
