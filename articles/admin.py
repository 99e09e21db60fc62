import json

from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.contrib.admin.models import LogEntry
from django.contrib.admin.utils import unquote
from django.contrib.admin.views.main import IS_POPUP_VAR, ORDER_VAR, ChangeList
from django.contrib.admin.widgets import AutocompleteSelect, ForeignKeyRawIdWidget
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import BooleanField, Case, Exists, OuterRef, Prefetch, Q, Value, When
from django.http import HttpResponseNotAllowed, JsonResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe
from django.utils.text import format_lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django_prose_editor.fields import ProseEditorFormField
from django_prose_editor.widgets import AdminProseEditorWidget
from reversion.admin import VersionAdmin
from reversion.models import Version
from taggit.models import Tag

from newsroom.params import OutOfRangeFiltersMixin, positive_int
from ratings.admin import RatingSummaryInline, average_rating, vote_count

from . import autosave, notifications, preview, revisions, workflow
from .forms import BODY_EDITOR_EXTENSIONS, ArticleAdminForm
from .models import (
    Article,
    Author,
    Byline,
    FrontPage,
    FrontPageStory,
    InfoPage,
    Photo,
    RelatedExclusion,
    RelatedPin,
    Section,
    StoryNote,
)
from .related import explanation as related_explanation
from .sanitize import clean_html

revisions.register()

admin.site.site_header = format_lazy("{} · {}", settings.SITE_NAME, gettext_lazy("Newsroom"))
admin.site.site_title = admin.site.site_header
admin.site.index_title = gettext_lazy("Today's desk")


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


class IdAutocompleteSelect(AutocompleteSelect):
    """Django's autocomplete select, for a foreign key to an integer id, that survives a
    posted value which is no id ("abc", "1.5", 10^20, a NUL).

    The form already answers such a value with "Select a valid choice"; Django's widget then
    looks the value up again to redisplay it, and that query fails (a 500). Values that
    cannot be an id are left out of the redisplay instead.
    """

    def optgroups(self, name, value, attr=None):
        return super().optgroups(name, [v for v in value if positive_int(v) is not None], attr)


class IdAutocompleteMixin:
    """Use ``IdAutocompleteSelect`` for every field in ``autocomplete_fields``."""

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name in self.get_autocomplete_fields(request) and "widget" not in kwargs:
            kwargs["widget"] = IdAutocompleteSelect(
                db_field, self.admin_site, using=kwargs.get("using")
            )
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


class BylineInline(IdAutocompleteMixin, admin.TabularInline):
    model = Byline
    extra = 1
    autocomplete_fields = ["author"]


class MyStoriesFilter(admin.SimpleListFilter):
    title = gettext_lazy("whose stories")
    parameter_name = "mine"

    def lookups(self, request, model_admin):
        return [("1", _("My stories"))]

    def queryset(self, request, queryset):
        if self.value() == "1":
            user = request.user
            mine = Article.objects.filter(Q(created_by=user) | Q(bylines__author__user=user))
            return queryset.filter(pk__in=mine.values("pk"))
        return queryset


class AuthorFilter(admin.SimpleListFilter):
    title = gettext_lazy("author")
    parameter_name = "author"

    def lookups(self, request, model_admin):
        return list(Author.objects.order_by("name").values_list("pk", "name"))

    def queryset(self, request, queryset):
        if self.value():
            # ?author=abc (a hand-edited address) is no author: no stories, not a 500.
            author_id = positive_int(self.value())
            if author_id is None:
                return queryset.none()
            return queryset.filter(pk__in=Byline.objects.filter(author=author_id).values("article"))
        return queryset


class StoryChangeList(ChangeList):
    """A reporter's own stories first; sorting by a column header replaces that."""

    def get_ordering(self, request, queryset):
        ordering = super().get_ordering(request, queryset)
        if "is_mine" in queryset.query.annotations and ORDER_VAR not in self.params:
            return ["-is_mine", *ordering]
        return ordering


class _RelatedChoiceForm(forms.ModelForm):
    def clean_related(self):
        related = self.cleaned_data["related"]
        if related and related.pk == self.instance.article_id:
            raise forms.ValidationError(_("A story cannot be related to itself."))
        return related


class RelatedPinInline(IdAutocompleteMixin, admin.TabularInline):
    model = RelatedPin
    form = _RelatedChoiceForm
    fk_name = "article"
    extra = 0
    autocomplete_fields = ["related"]
    fields = ["related", "position"]


class RelatedExclusionInline(IdAutocompleteMixin, admin.TabularInline):
    model = RelatedExclusion
    form = _RelatedChoiceForm
    fk_name = "article"
    extra = 0
    autocomplete_fields = ["related"]


@admin.register(Article)
class ArticleAdmin(OutOfRangeFiltersMixin, VersionAdmin):
    form = ArticleAdminForm
    object_history_template = "admin/articles/article/object_history.html"
    change_list_template = "admin/articles/article/change_list.html"
    list_display = [
        "headline",
        "thumbnail",
        "status_badge",
        "section",
        "byline_names",
        "publish_when",
        "last_edited_by",
        average_rating,
        vote_count,
    ]
    list_filter = ["status", "section", AuthorFilter, MyStoriesFilter]
    list_select_related = ["section", "last_edited_by", "rating_summary", "lead_photo"]
    search_fields = ["headline", "body"]
    list_per_page = 50
    inlines = [BylineInline, RelatedPinInline, RelatedExclusionInline, RatingSummaryInline]
    # Picked from the photo library's grid (PhotoChooserWidget), not by typing a caption.
    raw_id_fields = ["lead_photo"]
    actions = ["publish_selected", "unpublish_selected"]
    history_latest_first = True

    # --- the list ---------------------------------------------------------------

    def get_queryset(self, request):
        queryset = (
            super()
            .get_queryset(request)
            .prefetch_related(Prefetch("bylines", queryset=Byline.objects.select_related("author")))
        )
        if workflow.is_editor(request.user):
            return queryset
        # Whether the story is the reporter's own (workflow.is_own, in SQL): the story
        # list shows those first (StoryChangeList).
        user = request.user
        own_byline = Byline.objects.filter(article=OuterRef("pk"), author__user=user)
        # Case, not the bare condition: "created_by = me" is NULL, not false, for a story
        # nobody created in the admin (an import), and PostgreSQL sorts NULL first when
        # descending.
        return queryset.annotate(
            is_mine=Case(
                When(Q(created_by=user) | Exists(own_byline), then=Value(True)),
                default=Value(False),
                output_field=BooleanField(),
            )
        )

    def get_changelist(self, request, **kwargs):
        return StoryChangeList

    @admin.display(description=gettext_lazy("photo"))
    def thumbnail(self, obj):
        photo = obj.lead_photo
        if photo is None or not photo.image:
            return mark_safe('<span class="newsroom-thumb newsroom-thumb--none"></span>')
        return format_html(
            '<img class="newsroom-thumb" src="{}" alt="" width="64" height="43" loading="lazy">',
            photo.crop(160)["url"],
        )

    @admin.display(description=gettext_lazy("status"), ordering="status")
    def status_badge(self, obj):
        label = obj.get_status_display()
        if obj.status == Article.Status.SCHEDULED and obj.is_published:
            label = _("Live (was scheduled)")
        return format_html(
            '<span class="newsroom-badge newsroom-badge--{}">{}</span>', obj.status, label
        )

    @admin.display(description=gettext_lazy("publish time"), ordering="publish_at")
    def publish_when(self, obj):
        # Date and time on two lines, so the column takes a date's width, not a sentence's.
        if obj.publish_at is None:
            return "–"
        local = timezone.localtime(obj.publish_at)
        return format_html(
            '<time datetime="{}"><span>{}</span> <span>{}</span></time>',
            local.isoformat(),
            # Translators: a Django "date" filter format, short, e.g. "Dec. 2, 2026".
            date_format(local, _("N j, Y")),
            date_format(local, "TIME_FORMAT"),
        )

    @admin.display(description=gettext_lazy("bylines"))
    def byline_names(self, obj):
        return ", ".join(b.author.name for b in obj.bylines.all())

    # --- who may do what ----------------------------------------------------------

    def has_change_permission(self, request, obj=None):
        allowed = super().has_change_permission(request, obj)
        if not allowed or obj is None:
            return allowed
        return workflow.can_edit(request.user, obj)

    def has_delete_permission(self, request, obj=None):
        allowed = super().has_delete_permission(request, obj)
        if not allowed or obj is None:
            return allowed
        return workflow.is_editor(request.user) or (
            obj.status == Article.Status.DRAFT and workflow.is_own(request.user, obj)
        )

    def get_deleted_objects(self, objs, request):
        # Django asks for the delete permission on every row the deletion cascades to. What
        # a story takes with it through on_delete=CASCADE (its readers' votes, feedback and
        # rating summary, bylines, notes…) is part of the story: whoever may delete the
        # story may delete those with it, without rights on them anywhere else. The
        # stories' own permission is still checked, one by one, by the same function.
        deleted, counts, perms_needed, protected = super().get_deleted_objects(objs, request)
        own_name = str(self.opts.verbose_name)
        perms_needed = {name for name in perms_needed if str(name) == own_name}
        return deleted, counts, perms_needed, protected

    def has_publish_permission(self, request):
        return workflow.is_editor(request.user)

    # --- the form -----------------------------------------------------------------

    def get_changeform_initial_data(self, request):
        initial = super().get_changeform_initial_data(request)
        if "section" not in initial:
            # The section this journalist used last is the likeliest one for the next story.
            last = (
                Article.objects.filter(created_by=request.user)
                .order_by("-created_at", "-pk")
                .values_list("section", flat=True)
                .first()
            )
            if last is not None:
                initial["section"] = last
        return initial

    def get_formset_kwargs(self, request, obj, inline, prefix):
        kwargs = super().get_formset_kwargs(request, obj, inline, prefix)
        profile = getattr(request.user, "author_profile", None)
        if isinstance(inline, BylineInline) and obj.pk is None and profile is not None:
            # A new story is offered under the byline of whoever is writing it.
            kwargs["initial"] = [{"author": profile.pk, "position": 0}]
        return kwargs

    @admin.display(description=gettext_lazy("lead story"))
    def lead_story(self, obj):
        # Words, not Django's green ✓ / red ✗ icons: "no" is not an error.
        if obj is not None and obj.featured:
            return _("Yes: a candidate for the top of the home page")
        return _("No")

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "lead_photo":
            kwargs["widget"] = PhotoChooserWidget(
                db_field.remote_field, self.admin_site, using=kwargs.get("using")
            )
            kwargs.setdefault(
                "help_text",
                gettext_lazy(
                    "Choose one from the library (its number goes in this box), or upload "
                    "a new photo above."
                ),
            )
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        # A subclass per request: the form checks the workflow against this user.
        return type(form.__name__, (form,), {"user": request.user})

    def get_fieldsets(self, request, obj=None):
        # "newsroom-main" fieldsets make the writing column, "newsroom-side" ones the
        # sidebar (change_form.html places them, with the workflow buttons and bylines).
        fieldsets = [
            (
                None,
                {
                    "classes": ["newsroom-main"],
                    "fields": [
                        "headline",
                        "slug",
                        "standfirst",
                        "body",
                        "correction",
                        "loaded_version",
                    ],
                },
            ),
            (
                _("Search and social"),
                {
                    "classes": ["newsroom-main", "newsroom-social"],
                    "fields": ["social_headline", "social_description"],
                    "description": _(
                        "Optional. Search results and social cards cut off long text: write "
                        "a shorter headline and summary here, or leave these empty to use the "
                        "headline and standfirst."
                    ),
                },
            ),
            (
                _("Publishing"),
                {
                    "classes": ["newsroom-side", "newsroom-publishing"],
                    "fields": [
                        "status_summary",
                        "publish_at",
                        "featured" if workflow.is_editor(request.user) else "lead_story",
                    ],
                },
            ),
            (
                _("Section and tags"),
                {"classes": ["newsroom-side"], "fields": ["section", "tags"]},
            ),
            (
                _("Lead photo"),
                {
                    "classes": ["newsroom-side", "newsroom-photo"],
                    "fields": [
                        "photo_preview",
                        "photo_upload",
                        "lead_photo",
                        "photo_caption",
                        "photo_credit",
                        "photo_alt_text",
                    ],
                    "description": _(
                        "Caption, credit and alt text may wait while you draft; the story "
                        "cannot be scheduled or published without them."
                    ),
                },
            ),
        ]
        if obj is not None:
            fieldsets.append((_("Who did what"), {"fields": ["activity"]}))
            fieldsets.append(
                (
                    _("Related stories: why these"),
                    {"fields": ["related_why"], "classes": ["collapse"]},
                )
            )
        return fieldsets

    def get_readonly_fields(self, request, obj=None):
        readonly = ["photo_preview", "status_summary", "activity", "related_why", "lead_story"]
        if obj is not None and obj.status in workflow.OUT_STATUSES:
            # The address is out in the world: it no longer follows the headline.
            readonly.append("slug")
        if not workflow.is_editor(request.user):
            readonly.append("featured")  # (shown as "lead_story"; listed so a POST cannot set it)
        return readonly

    def get_prepopulated_fields(self, request, obj=None):
        if "slug" in self.get_readonly_fields(request, obj):
            return {}
        return {"slug": ["headline"]}

    @admin.display(description=gettext_lazy("current photo"))
    def photo_preview(self, obj):
        photo = obj.lead_photo if obj and obj.lead_photo_id else None
        image = (
            format_html(
                '<img src="{}" alt="{}" width="320" loading="lazy">',
                photo.rendition_url(320),
                photo.alt_text,
            )
            if photo is not None and photo.image
            else format_html("<span>{}</span>", _("No photo yet."))
        )
        return format_html('<div class="newsroom-photo-preview" data-photo-preview>{}</div>', image)

    @admin.display(description=gettext_lazy("status"))
    def status_summary(self, obj):
        if obj is None or obj.pk is None:
            return _("New draft")
        label = obj.get_status_display()
        if obj.status == Article.Status.SCHEDULED and obj.publish_at:
            when = date_format(timezone.localtime(obj.publish_at), "DATETIME_FORMAT")
            if obj.is_published:
                return _("%(status)s: live since %(when)s") % {"status": label, "when": when}
            return _("%(status)s: goes live by itself at %(when)s") % {
                "status": label,
                "when": when,
            }
        if obj.is_published:
            return _("%(status)s: live") % {"status": label}
        return label

    @admin.display(description=gettext_lazy("related stories"))
    def related_why(self, obj):
        if obj is None or obj.pk is None:
            return "—"
        return related_explanation.render(obj)

    @admin.display(description=gettext_lazy("activity"))
    def activity(self, obj):
        if obj is None or obj.pk is None:
            return "—"
        entries = (
            LogEntry.objects.filter(
                content_type=ContentType.objects.get_for_model(Article), object_id=str(obj.pk)
            )
            .select_related("user")
            .order_by("-action_time")[:20]
        )
        if not entries:
            return _("Nothing recorded yet.")
        return format_html(
            '<ol class="newsroom-activity">{}</ol>',
            format_html_join(
                "",
                "<li><time>{}</time> · <strong>{}</strong> · {}</li>",
                (
                    (
                        date_format(timezone.localtime(e.action_time), "DATETIME_FORMAT"),
                        e.user.get_username() if e.user else "—",
                        e.get_change_message() or e.get_action_flag_display(),
                    )
                    for e in entries
                ),
            ),
        )

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        form = context["adminform"].form
        subject = obj if obj is not None else Article()
        context.update(
            transitions=workflow.allowed_targets(request.user, subject),
            save_label=(
                _("Save draft") if subject.status == Article.Status.DRAFT else _("Save changes")
            ),
            can_save=add or self.has_change_permission(request, obj),
            preview_link=(
                reverse("admin:articles_article_preview_link", args=[obj.pk])
                if obj is not None
                and not obj.is_published
                and workflow.can_preview(request.user, obj)
                else None
            ),
            tag_suggest_url=reverse("admin:articles_article_tag_suggestions"),
        )
        if obj is not None and context["can_save"] and workflow.can_edit(request.user, obj):
            context["autosave_url"] = reverse("admin:articles_article_autosave", args=[obj.pk])
            kept = autosave.pending(request.user, obj)
            if kept is not None and request.method == "GET":
                if request.GET.get("restore") == "autosave":
                    autosave.restore_into(form, kept)
                    context["autosave_restored"] = True
                else:
                    context["autosave_offer"] = autosave.offer_text(kept, obj)
        if obj is not None and workflow.can_preview(request.user, obj):
            context.update(
                notes=obj.notes.select_related("author"),
                note_form=StoryNoteForm(),
                notes_url=reverse("admin:articles_article_notes", args=[obj.pk]),
            )
        conflict = getattr(form, "conflict", None)
        if conflict is not None:
            yours = {
                "headline": form.data.get("headline", ""),
                "standfirst": form.data.get("standfirst", ""),
                "body": form.data.get("body", ""),
                "correction": form.data.get("correction", ""),
            }
            theirs = {field: getattr(conflict, field) for field in yours}
            context.update(
                conflict=conflict,
                conflict_changes=revisions.field_changes(theirs, yours),
            )
        return super().render_change_form(request, context, add, change, form_url, obj)

    # --- saving and the log ---------------------------------------------------------

    def save_model(self, request, obj, form, change):
        if not change:
            obj.created_by = request.user
        obj.last_edited_by = request.user
        old = form.initial.get("status", Article.Status.DRAFT)
        obj.save()
        obj._workflow_event = workflow.event_message(old, obj.status, obj)
        # Replaces Django's "…was changed successfully" (see message_user).
        request._newsroom_outcome = self._outcome(old, obj)
        notifications.story_moved(obj, old, obj.status, request.user)
        autosave.forget_after_save(request.user, obj)

    def _outcome(self, old, obj):
        text = workflow.outcome_message(old, obj.status, obj)
        if obj.is_published:
            return format_html(
                '{} <a href="{}">{}</a>', text, obj.get_absolute_url(), _("View on site")
            )
        return text

    def message_user(self, request, message, level=messages.INFO, *args, **kwargs):
        outcome = getattr(request, "_newsroom_outcome", None)
        if outcome is not None and level == messages.SUCCESS:
            request._newsroom_outcome = None
            message = outcome
        return super().message_user(request, message, level, *args, **kwargs)

    def view_on_site(self, obj):
        # A draft's public address is a 404: "View on site" only for what readers see.
        return obj.get_absolute_url() if obj.is_published else None

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        article = form.instance
        profile = getattr(request.user, "author_profile", None)
        # A reporter's new story carries their byline unless they gave it another.
        if profile is not None and not article.bylines.exists():
            Byline.objects.create(article=article, author=profile, position=0)

    def _with_event(self, obj, message):
        event = getattr(obj, "_workflow_event", "")
        if not event:
            return message
        text = message if isinstance(message, str) else json.dumps(message)
        readable = LogEntry(change_message=text).get_change_message()
        if not message or readable == _("No fields changed."):
            return event
        return f"{event} {readable}"

    def log_addition(self, request, obj, message):
        return super().log_addition(request, obj, self._with_event(obj, message))

    def log_change(self, request, obj, message):
        return super().log_change(request, obj, self._with_event(obj, message))

    # --- bulk actions -------------------------------------------------------------

    @admin.action(permissions=["publish"], description=gettext_lazy("Publish selected stories now"))
    def publish_selected(self, request, queryset):
        self._move_many(request, queryset, Article.Status.PUBLISHED)

    @admin.action(permissions=["publish"], description=gettext_lazy("Unpublish selected stories"))
    def unpublish_selected(self, request, queryset):
        self._move_many(request, queryset, Article.Status.UNPUBLISHED)

    def _move_many(self, request, queryset, target):
        moved = 0
        for article in queryset.select_related("lead_photo"):
            if article.status == target:
                continue
            old = article.status
            try:
                workflow.check_transition(request.user, article, old, target)
            except ValidationError as refusal:
                self._refused(request, article, refusal.messages)
                continue
            problems = workflow.article_publish_problems(article, target)
            if problems:
                self._refused(request, article, problems.values())
                continue
            now = timezone.now()
            if target == Article.Status.PUBLISHED and (
                article.publish_at is None or article.publish_at > now
            ):
                article.publish_at = now
            article.status = target
            article.last_edited_by = request.user
            with self.create_revision(request):
                article.save()
                article._workflow_event = workflow.event_message(old, target, article)
                self.log_change(request, article, [])
            notifications.story_moved(article, old, target, request.user)
            moved += 1
        if moved:
            self.message_user(
                request,
                ngettext("%(count)d story moved.", "%(count)d stories moved.", moved)
                % {"count": moved},
                messages.SUCCESS,
            )

    def _refused(self, request, article, reasons):
        self.message_user(
            request,
            _("“%(story)s” was not moved: %(reasons)s")
            % {"story": article, "reasons": " ".join(str(r) for r in reasons)},
            messages.WARNING,
        )

    # --- extra pages: preview, tag suggestions, versions ------------------------------

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

    def preview_view(self, request, token):
        if not self.has_view_permission(request):
            raise PermissionDenied
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
            comment = revisions.restore(article, version, request.user)
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
        }
        return TemplateResponse(request, "admin/articles/article/revision.html", context)

    def changelist_view(self, request, extra_context=None):
        # Reversion's list offers "Recover deleted stories"; that is an editor's job.
        context = {"has_change_permission": workflow.is_editor(request.user)}
        return super().changelist_view(request, {**context, **(extra_context or {})})

    def recoverlist_view(self, request, extra_context=None):
        if not workflow.is_editor(request.user):
            raise PermissionDenied
        return super().recoverlist_view(request, extra_context)

    def recover_view(self, request, version_id, extra_context=None):
        if not workflow.is_editor(request.user):
            raise PermissionDenied
        return super().recover_view(request, version_id, extra_context)


@admin.register(Section)
class SectionAdmin(admin.ModelAdmin):
    list_display = ["name", "position", "in_navigation"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Author)
class AuthorAdmin(admin.ModelAdmin):
    list_display = ["name", "job_title", "user"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}


class PhotoChooserWidget(ForeignKeyRawIdWidget):
    """The story form's lead photo: the photo's number, and a link that opens the photo
    library as a picker (Django's lookup popup); the picked photo fills the field."""

    template_name = "admin/widgets/photo_chooser.html"

    class Media:
        css = {"all": ["articles/admin/photo_library.css"]}
        js = ["articles/admin/photo_chooser.js"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.attrs.setdefault("inputmode", "numeric")
        self.attrs.setdefault("size", 8)


class PhotoAdminForm(forms.ModelForm):
    class Meta:
        model = Photo
        fields = ["image", "focal_x", "focal_y", "caption", "credit", "alt_text"]
        widgets = {
            # The plain fallback for the click-to-set picker (photo_focal.js).
            "focal_x": forms.NumberInput(attrs={"step": "0.01", "min": "0", "max": "1"}),
            "focal_y": forms.NumberInput(attrs={"step": "0.01", "min": "0", "max": "1"}),
        }


@admin.register(Photo)
class PhotoAdmin(OutOfRangeFiltersMixin, admin.ModelAdmin):
    """The photo library: a grid of thumbnails (templates/admin/articles/photo/), searchable
    by caption and credit, by upload date; also the picker the story form opens."""

    form = PhotoAdminForm
    change_list_template = "admin/articles/photo/change_list.html"
    change_form_template = "admin/articles/photo/change_form.html"
    list_display = ["__str__", "credit", "uploaded_at"]
    search_fields = ["caption", "credit", "original_filename"]
    date_hierarchy = "uploaded_at"
    list_filter = ["uploaded_at"]
    list_per_page = 48  # rows of 2, 3, 4 and 6 tiles all come out even
    # A grid has no row checkboxes: a photo is deleted from its own page, where Django
    # first lists the stories that show it.
    actions = None
    readonly_fields = ["focal_picker", "original_filename", "width", "height"]
    fields = [
        "image",
        "focal_picker",
        ("focal_x", "focal_y"),
        "caption",
        "credit",
        "alt_text",
        "original_filename",
        ("width", "height"),
    ]

    def changelist_view(self, request, extra_context=None):
        title = _("Choose a photo") if IS_POPUP_VAR in request.GET else _("Photo library")
        return super().changelist_view(request, {"title": title, **(extra_context or {})})

    @admin.display(description=gettext_lazy("focal point"))
    def focal_picker(self, obj):
        if obj is None or obj.pk is None or not obj.image:
            return _("Save the photo first; then click on it to set its focal point.")
        shown = obj.fallback  # a stored rendition, not the full-size original
        return format_html(
            '<div class="newsroom-focal" data-focal-picker>'
            '<img src="{}" width="{}" height="{}" alt="">'
            '<span class="newsroom-focal__marker" hidden></span></div>'
            '<p class="newsroom-focal__help">{}</p>',
            shown["url"],
            shown["width"],
            shown["height"],
            _(
                "Click on the subject of the photo: crops for story cards and thumbnails keep "
                "that point in frame. Or type the numbers below."
            ),
        )

    # A photo shows in every story that uses it: whoever may not edit one of those
    # stories sees the photo read-only (workflow.can_edit_photo), on every path.
    def has_change_permission(self, request, obj=None):
        allowed = super().has_change_permission(request, obj)
        if not allowed or obj is None:
            return allowed
        return workflow.can_edit_photo(request.user, obj)

    def has_delete_permission(self, request, obj=None):
        allowed = super().has_delete_permission(request, obj)
        if not allowed or obj is None:
            return allowed
        return workflow.can_edit_photo(request.user, obj)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        photo = self.get_object(request, unquote(object_id))
        if (
            request.method == "GET"
            and photo is not None
            and super().has_change_permission(request, photo)
            and not workflow.can_edit_photo(request.user, photo)
        ):
            self.message_user(
                request,
                _(
                    "This photo is used by a story you cannot edit, so it is read-only to "
                    "you. You may still attach it to your own draft; to describe it "
                    "differently, upload it again as a new photo."
                ),
                messages.INFO,
            )
        return super().change_view(request, object_id, form_url, extra_context)


def _must_be_live(article):
    """Only stories readers can see (or will, once scheduled) go on the front page."""
    if article is not None and article.status not in Article.LIVE_STATUSES:
        raise ValidationError(_("Only published or scheduled stories can go on the front page."))
    return article


class FrontPageForm(forms.ModelForm):
    class Meta:
        model = FrontPage
        fields = ["lead", "lead_until", "breaking_text", "breaking_url", "breaking_until"]

    def clean_lead(self):
        return _must_be_live(self.cleaned_data.get("lead"))


class FrontPageStoryForm(forms.ModelForm):
    class Meta:
        model = FrontPageStory
        fields = ["position", "article", "until"]

    def clean_article(self):
        return _must_be_live(self.cleaned_data.get("article"))


class FrontPageStoryInline(IdAutocompleteMixin, admin.TabularInline):
    model = FrontPageStory
    form = FrontPageStoryForm
    extra = 1
    autocomplete_fields = ["article"]
    fields = ["position", "article", "until"]


@admin.register(FrontPage)
class FrontPageAdmin(IdAutocompleteMixin, admin.ModelAdmin):
    """One front page: the list goes straight to its form."""

    form = FrontPageForm
    autocomplete_fields = ["lead"]
    inlines = [FrontPageStoryInline]
    fieldsets = [
        (gettext_lazy("Lead story"), {"fields": ["lead", "lead_until"]}),
        (
            gettext_lazy("Breaking news banner"),
            {"fields": ["breaking_text", "breaking_url", "breaking_until"]},
        ),
    ]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def changelist_view(self, request, extra_context=None):
        if not self.has_view_or_change_permission(request):
            raise PermissionDenied
        page = FrontPage.current()
        return redirect(reverse("admin:articles_frontpage_change", args=[page.pk]))


class InfoPageForm(forms.ModelForm):
    body = ProseEditorFormField(
        label=gettext_lazy("Text"),
        extensions=BODY_EDITOR_EXTENSIONS,
        sanitize=clean_html,
        widget=AdminProseEditorWidget,
    )

    class Meta:
        model = InfoPage
        fields = ["title", "slug", "body", "in_footer", "position"]


@admin.register(InfoPage)
class InfoPageAdmin(admin.ModelAdmin):
    form = InfoPageForm
    list_display = ["title", "slug", "in_footer", "position", "updated_at"]
    list_editable = ["in_footer", "position"]
    prepopulated_fields = {"slug": ["title"]}
    search_fields = ["title", "body"]


# Related stories: editors pin stories (shown first, in order) and exclude others.
