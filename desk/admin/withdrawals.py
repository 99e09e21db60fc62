"""Retracting a story and removing it for legal reasons: the desk's confirmation pages.

Both are editors' moves of the one workflow service (``articles.workflow.move`` with its
``note``), which checks them again whatever the path. Each has a page of its own, from the
story (``<id>/retract/``, ``<id>/remove/``) or from the list's bulk actions, that says what
will happen and asks for the words the move cannot go without: the retraction's note for
readers, the legal removal's reason for the editors' log. Reporters see neither.
"""

from django import forms
from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from articles import workflow
from articles.models import Article

Status = Article.Status

# Per kind: the move, the address word, and what the page says.
KINDS = {
    "retract": {
        "status": Status.RETRACTED,
        "link": gettext_lazy("Retract…"),
        "title": gettext_lazy("Retract a story"),
        "title_many": gettext_lazy("Retract stories"),
        "label": gettext_lazy("Note for readers (required)"),
        "help": gettext_lazy(
            "Shown at the story's address under its headline: say what was wrong and why the "
            "story was withdrawn."
        ),
        "consequences": (
            gettext_lazy(
                "Its address will answer “410 Gone” with a notice: the headline, when it was "
                "retracted and your note. Its text, photo, byline and ratings are no longer "
                "shown."
            ),
            gettext_lazy(
                "It leaves the front page, its section, tag and author pages, search, the "
                "feeds, the sitemaps and every “You may also like” list."
            ),
            gettext_lazy(
                "A retraction is part of the public record: it cannot be undone. A legal "
                "removal is still possible afterwards."
            ),
        ),
        "button": gettext_lazy("Retract"),
    },
    "remove": {
        "status": Status.REMOVED,
        "link": gettext_lazy("Remove (legal)…"),
        "title": gettext_lazy("Remove a story for legal reasons"),
        "title_many": gettext_lazy("Remove stories for legal reasons"),
        "label": gettext_lazy("Reason, for the editors' log (required)"),
        "help": gettext_lazy(
            "Never shown to readers or reporters: who asked for the removal and on what "
            "grounds (a court order, a publication ban…)."
        ),
        "consequences": (
            gettext_lazy(
                "Its address, its history and every list answer as if it had never been "
                "published (404): no notice, no headline."
            ),
            gettext_lazy(
                "Its lead photo's files move to new, unpublished addresses when no other "
                "story uses the photo."
            ),
            gettext_lazy(
                "The reason, your name and the time go into the story's log, which only "
                "editors read; reporters no longer see the story in the desk."
            ),
        ),
        "button": gettext_lazy("Remove for legal reasons"),
    },
}


class WithdrawalForm(forms.Form):
    note = forms.CharField(widget=forms.Textarea(attrs={"rows": 4}), max_length=2000)

    def __init__(self, kind, *args, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["note"]
        field.label = KINDS[kind]["label"]
        field.help_text = KINDS[kind]["help"]
        field.error_messages["required"] = workflow.NOTE_REQUIRED[KINDS[kind]["status"]]

    def clean_note(self):
        note = self.cleaned_data["note"].strip()
        if not note:
            raise forms.ValidationError(self.fields["note"].error_messages["required"])
        return note


class WithdrawalsMixin:
    """The story admin's "Retract…" and "Remove (legal)…": pages, links and bulk actions."""

    def get_urls(self):
        view = self.admin_site.admin_view
        return [
            path(
                "<path:object_id>/retract/",
                view(self.withdraw_view),
                {"kind": "retract"},
                name="articles_article_retract",
            ),
            path(
                "<path:object_id>/remove/",
                view(self.withdraw_view),
                {"kind": "remove"},
                name="articles_article_remove",
            ),
            *super().get_urls(),
        ]

    def withdrawal_links(self, request, obj):
        """``[(label, address)]`` of the withdrawals this user may make on this story now."""
        if obj is None or obj.pk is None:
            return []
        return [
            (spec["link"], reverse(f"admin:articles_article_{kind}", args=[obj.pk]))
            for kind, spec in KINDS.items()
            if workflow.may_withdraw(request.user, obj, spec["status"])
        ]

    def withdraw_view(self, request, object_id, kind):
        """GET: what will happen, and the note's box; POST: the move, or the form's errors."""
        article = get_object_or_404(
            Article.objects.select_related("lead_photo"), pk=unquote(object_id)
        )
        if not workflow.is_editor(request.user):
            raise PermissionDenied
        target = KINDS[kind]["status"]
        if not workflow.may_withdraw(request.user, article, target):
            self.message_user(
                request,
                _("“%(story)s” cannot be moved from “%(status)s” that way.")
                % {"story": article, "status": article.get_status_display()},
                messages.WARNING,
            )
            return redirect("admin:articles_article_change", article.pk)
        form = WithdrawalForm(kind, request.POST if request.method == "POST" else None)
        if form.is_valid():
            try:
                workflow.move(article, target, by=request.user, note=form.cleaned_data["note"])
            except ValidationError as refusal:
                form.add_error(None, refusal)
            else:
                self.message_user(
                    request, workflow.outcome_message(None, target, article), messages.SUCCESS
                )
                return redirect("admin:articles_article_change", article.pk)
        return self._withdrawal_page(request, kind, [article], form)

    def _withdrawal_page(self, request, kind, stories, form, action=None):
        spec = KINDS[kind]
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": spec["title"] if len(stories) == 1 else spec["title_many"],
            "kind": kind,
            "spec": spec,
            "stories": stories,
            "form": form,
            "action": action,
            "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
            "cancel_url": (
                reverse("admin:articles_article_change", args=[stories[0].pk])
                if action is None
                else reverse("admin:articles_article_changelist")
            ),
        }
        request.current_app = self.admin_site.name
        return TemplateResponse(request, "admin/articles/article/withdraw.html", context)

    # --- bulk actions: the same page for several stories, one note for all -------------

    @admin.action(permissions=["publish"], description=gettext_lazy("Retract selected stories…"))
    def retract_selected(self, request, queryset):
        return self._withdraw_many(request, queryset, "retract", "retract_selected")

    @admin.action(
        permissions=["publish"],
        description=gettext_lazy("Remove selected stories for legal reasons…"),
    )
    def remove_selected(self, request, queryset):
        return self._withdraw_many(request, queryset, "remove", "remove_selected")

    def _withdraw_many(self, request, queryset, kind, action):
        if not workflow.is_editor(request.user):  # (the action's permission says so too)
            raise PermissionDenied
        stories = list(queryset.select_related("lead_photo"))
        form = WithdrawalForm(kind, request.POST if "confirm" in request.POST else None)
        if form.is_valid():
            moved = 0
            for article in stories:
                try:
                    workflow.move(
                        article,
                        KINDS[kind]["status"],
                        by=request.user,
                        note=form.cleaned_data["note"],
                    )
                except ValidationError as refusal:
                    self._refused(request, article, refusal.messages)
                    continue
                moved += 1
            if moved:
                self.message_user(
                    request,
                    ngettext("%(count)d story moved.", "%(count)d stories moved.", moved)
                    % {"count": moved},
                    messages.SUCCESS,
                )
            return None  # back to the list
        return self._withdrawal_page(request, kind, stories, form, action=action)
