"""The story admin's pages for a pending change to a live story, and the preview of
unsaved text beside the story form.

Each page is thin: the workflow service (``articles.workflow``) checks who may do what and
does it; the preview renders the story page readers would get, from text that is not
saved (``desk.preview``).
"""

import copy

from django import forms
from django.contrib import messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponseBadRequest, HttpResponseNotAllowed
from django.shortcuts import get_object_or_404, redirect
from django.template.loader import render_to_string
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_prose_editor.fields import ProseEditorFormField

from articles import workflow
from articles.models import Article, PendingChange, Photo
from articles.models.record import CHANGE_KINDS, Kind
from articles.sanitize import clean_html
from desk import preview, revisions
from desk.editor import BodyEditorWidget
from desk.forms import BODY_EDITOR_EXTENSIONS

from .writing import keyboard_panel


class PendingChangeForm(forms.Form):
    """The text of a pending change, and (for editors publishing it) its kind and note."""

    headline = forms.CharField(
        label=gettext_lazy("Headline"),
        max_length=200,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    standfirst = forms.CharField(
        label=gettext_lazy("Standfirst"),
        max_length=400,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    body = ProseEditorFormField(
        label=gettext_lazy("Body"),
        required=False,
        extensions=BODY_EDITOR_EXTENSIONS,
        sanitize=clean_html,
        widget=BodyEditorWidget,
    )
    change_kind = forms.ChoiceField(
        label=gettext_lazy("Kind of change"),
        required=False,
        choices=[("", "---------"), *((k.value, k.label) for k in map(Kind, CHANGE_KINDS))],
        help_text=gettext_lazy(
            "Asked when the change is published. Correction: a fact was wrong. "
            "Clarification: it could be misread. Update: the news developed. Minor edit: "
            "spelling or style, not listed for readers."
        ),
    )
    change_note = forms.CharField(
        label=gettext_lazy("Note for readers"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=gettext_lazy("Needed for a correction or clarification."),
    )

    def clean_headline(self):
        return " ".join(self.cleaned_data["headline"].split())


# The submit buttons of the pending change's page, and what each one does.
ACTIONS = ("_save", "_submit", "_publish", "_discard")


class PendingChangeMixin:
    """URLs ``admin:articles_article_pending``, ``…_pending_preview`` and ``…_preview_unsaved``."""

    def get_urls(self):
        view = self.admin_site.admin_view
        return [
            path(
                "<path:object_id>/pending-preview/",
                view(self.pending_preview_view),
                name="articles_article_pending_preview",
            ),
            path(
                "<path:object_id>/pending/",
                view(self.pending_view),
                name="articles_article_pending",
            ),
            path(
                "<path:object_id>/preview-unsaved/",
                view(self.preview_unsaved_view),
                name="articles_article_preview_unsaved",
            ),
            *super().get_urls(),
        ]

    # --- the pending change's page ---------------------------------------------------

    def _live_story(self, request, object_id):
        article = get_object_or_404(
            Article.objects.select_related("section"), pk=unquote(object_id)
        )
        if not workflow.can_prepare_change(request.user, article):
            raise PermissionDenied
        return article

    def pending_view(self, request, object_id):
        """GET: the pending change (or the live text to start one); POST: save, submit,
        publish (editors) or discard, each through the workflow service."""
        article = self._live_story(request, object_id)
        pending = PendingChange.objects.filter(article=article).first()
        editor = workflow.is_editor(request.user)
        if request.method == "POST":
            action = next((a for a in ACTIONS if a in request.POST), "_save")
            form = PendingChangeForm(request.POST)
            if action == "_discard":
                workflow.discard_pending(article, by=request.user)
                self.message_user(
                    request,
                    _("Pending change discarded: readers still see the live story."),
                    messages.SUCCESS,
                )
                return redirect("admin:articles_article_change", article.pk)
            if form.is_valid():
                done = self._pending_action(request, article, form, action)
                if done is not None:
                    return done
        elif request.method == "GET":
            source = pending or article
            form = PendingChangeForm(
                initial={f: getattr(source, f) for f in ("headline", "standfirst", "body")}
            )
        else:
            return HttpResponseNotAllowed(["GET", "POST"])
        live = revisions.article_values(article)
        keyboard = keyboard_panel(request)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "original": article,
            "title": _("Pending change: %(story)s") % {"story": article.headline},
            "form": form,
            "media": self.media + form.media + keyboard[1],
            "keyboard_panel": keyboard[0],
            "pending": pending,
            "is_editor": editor,
            "changes": revisions.field_changes(live, {**live, **pending.text()}) if pending else [],
            "live_moved_on": pending is not None and pending.base_version != article.version,
            "preview_url": reverse("admin:articles_article_pending_preview", args=[article.pk]),
        }
        return TemplateResponse(request, "admin/articles/article/pending.html", context)

    def _pending_action(self, request, article, form, action):
        """Save the typed text, then submit or publish it; a redirect, or None with the
        refusal on the form."""
        data = form.cleaned_data
        try:
            workflow.save_pending(
                article,
                by=request.user,
                headline=data["headline"],
                standfirst=data["standfirst"],
                body=data["body"],
            )
            if action == "_submit":
                pending = workflow.submit_pending(article, by=request.user)
                self.warn_before_review(request, article, pending.text())
                message = _(
                    "Pending change submitted for review: “%(story)s”. Readers still see the "
                    "live story."
                )
            elif action == "_publish":
                workflow.publish_pending(
                    article, by=request.user, kind=data["change_kind"], note=data["change_note"]
                )
                self.message_user(
                    request,
                    _("Pending change published: “%(story)s”. Readers now see it.")
                    % {"story": data["headline"]},
                    messages.SUCCESS,
                )
                return redirect("admin:articles_article_change", article.pk)
            else:
                message = _("Pending change saved: “%(story)s”. Readers still see the live story.")
        except ValidationError as refused:
            field = "change_note" if refused.code in ("note_required", "note_not_shown") else None
            if refused.code in ("unknown_change_kind", "change_kind_required"):
                field = "change_kind"
            form.add_error(field, refused)
            return None
        self.message_user(request, message % {"story": article.headline}, messages.SUCCESS)
        return redirect("admin:articles_article_pending", article.pk)

    def pending_preview_view(self, request, object_id):
        """The story page as readers will see it once the pending change is published."""
        article = self._live_story(request, object_id)
        pending = get_object_or_404(PendingChange, article=article)
        story = Article.objects.with_related_data().get(pk=article.pk)
        for field, value in pending.text().items():
            setattr(story, field, value)
        return preview.render_story(request, story, kind="pending")

    # --- the preview beside the story form -----------------------------------------

    def preview_unsaved_view(self, request, object_id):
        """POST from the story form: its current, unsaved text as readers would see it."""
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        article = get_object_or_404(Article, pk=unquote(object_id))
        if not workflow.can_preview(request.user, article):
            raise PermissionDenied
        story = copy.copy(Article.objects.with_related_data().get(pk=article.pk))
        headline = " ".join(request.POST.get("headline", "").split())
        if len(headline) > 200 or len(request.POST.get("standfirst", "")) > 400:
            return HttpResponseBadRequest(
                _("The headline or standfirst is longer than the story form allows.")
            )
        story.headline = headline or story.headline
        story.standfirst = request.POST.get("standfirst", "").strip()
        story.body = clean_html(request.POST.get("body", ""))
        photo = request.POST.get("lead_photo", "")
        if photo.isdigit():
            story.lead_photo = Photo.objects.filter(pk=int(photo)).first()
        elif not photo:
            story.lead_photo = None
        return preview.render_story(request, story, kind="unsaved", frame=True)


def editing_panel(request, article):
    """The story page's panel for the pending change and the preview beside the form:
    ``(html, media)``, or None when the user has neither."""
    preparing = workflow.can_prepare_change(request.user, article)
    previewing = workflow.can_preview(request.user, article) and workflow.can_edit(
        request.user, article
    )
    if not (preparing or previewing):
        return None
    pending = (
        PendingChange.objects.select_related("submitted_by", "updated_by")
        .filter(article=article)
        .first()
        if preparing
        else None
    )
    html = render_to_string(
        "admin/articles/article/_editing_panel.html",
        {
            "article": article,
            "preparing": preparing,
            "pending": pending,
            "pending_url": reverse("admin:articles_article_pending", args=[article.pk]),
            # Editors may keep the story form's text as the pending change (the form's
            # own button saves it live, with its kind of change).
            "from_form": preparing and workflow.can_edit(request.user, article),
            "preview_url": (
                reverse("admin:articles_article_preview_unsaved", args=[article.pk])
                if previewing
                else None
            ),
        },
        request=request,
    )
    media = forms.Media(js=["desk/side_preview.js"], css={"all": ["desk/editing.css"]})
    return html, media  # (render_to_string's answer is already safe, autoescaped HTML)
