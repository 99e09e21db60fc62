"""The story admin: the list, the form and the workflow's buttons, the bulk moves."""

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import BooleanField, Case, Exists, OuterRef, Prefetch, Q, Value, When
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from reversion.admin import VersionAdmin

from articles import languages, workflow
from articles.models import (
    Article,
    Byline,
)
from desk import autosave, revisions, translation
from desk.forms import ArticleAdminForm
from newsroom.params import OutOfRangeFiltersMixin

from .comments import CommentsMixin, comments_panel
from .filters import (
    AuthorFilter,
    LanguageFilter,
    MyStoriesFilter,
    OutOfDateFilter,
    SectionFilter,
    StoryChangeList,
    section_label,
)
from .inlines import BylineInline, RelatedExclusionInline, RelatedPinInline
from .pending import PendingChangeMixin, editing_panel
from .photos import warn_of_duplicates
from .record import PublicRecordMixin
from .review import review_panel
from .story_columns import StoryColumnsMixin
from .story_pages import StoryNoteForm, StoryPagesMixin
from .widgets import PhotoChooserWidget
from .withdrawals import WithdrawalsMixin
from .writing import WritingAidsMixin, checks_panel, keyboard_panel


class StoryAdminExtensions:
    """What other apps add to the story admin, filled from their own ``admin.py``.

    The desk knows nothing of them: ``ratings`` adds its summary inline and its list columns
    here (``ratings/admin.py``), ``live`` its composer panel (``live/admin.py``), so the
    dependency points from them to the desk.
    """

    def __init__(self):
        self.inlines = []  # InlineModelAdmin classes, after the desk's own
        self.list_display = []  # columns (names or callables), after the desk's own
        self.list_select_related = []  # relations those columns read
        # Callables (request, story) -> (html, forms.Media) or None: panels shown above a
        # saved story's form, outside it (they may hold forms of their own).
        self.panels = []

    def add(self, *, inlines=(), list_display=(), list_select_related=(), panels=()):
        self.panels.extend(p for p in panels if p not in self.panels)
        self.inlines.extend(i for i in inlines if i not in self.inlines)
        self.list_display.extend(c for c in list_display if c not in self.list_display)
        self.list_select_related.extend(
            r for r in list_select_related if r not in self.list_select_related
        )


story_admin_extensions = StoryAdminExtensions()


@admin.register(Article)
class ArticleAdmin(
    PublicRecordMixin,
    StoryColumnsMixin,
    StoryPagesMixin,
    PendingChangeMixin,
    CommentsMixin,
    WritingAidsMixin,
    WithdrawalsMixin,
    OutOfRangeFiltersMixin,
    VersionAdmin,
):
    form = ArticleAdminForm
    object_history_template = "admin/articles/article/object_history.html"
    change_list_template = "admin/articles/article/change_list.html"
    list_display = [
        "headline",
        "thumbnail",
        "status_badge",
        "language_state",
        "section",
        "byline_names",
        "publish_when",
        "last_edited_by",
    ]
    list_filter = [
        "status",
        LanguageFilter,
        OutOfDateFilter,
        ("section", SectionFilter),
        AuthorFilter,
        MyStoriesFilter,
    ]
    # translation_of: the language column says whether a translation is out of date.
    list_select_related = ["section", "last_edited_by", "lead_photo", "translation_of"]
    search_fields = ["headline", "body"]
    list_per_page = 50
    inlines = [BylineInline, RelatedPinInline, RelatedExclusionInline]
    # Picked from the photo library's grid (PhotoChooserWidget), not by typing a caption.
    raw_id_fields = ["lead_photo"]
    actions = [
        "publish_selected",
        "unpublish_selected",
        "retract_selected",
        "remove_selected",
        "translate_selected",
    ]
    history_latest_first = True

    # --- the list ---------------------------------------------------------------

    def get_queryset(self, request):
        queryset = (
            super()
            .get_queryset(request)
            .prefetch_related(
                Prefetch("bylines", queryset=Byline.objects.select_related("author")),
                # The language column's "EN → FR: draft": one query for the whole page.
                Prefetch(
                    "translations",
                    queryset=Article.objects.only(
                        "pk", "language", "status", "translated_version", "translation_of"
                    ).order_by("language"),
                ),
            )
        )
        if workflow.is_editor(request.user):
            return queryset
        # A legal removal's story, and its log with the reason, are for editors only.
        queryset = queryset.exclude(status=Article.Status.REMOVED)
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

    # Other apps' inlines and columns (story_admin_extensions) come after the desk's own.
    def get_list_display(self, request):
        return [*super().get_list_display(request), *story_admin_extensions.list_display]

    def get_list_select_related(self, request):
        return [
            *super().get_list_select_related(request),
            *story_admin_extensions.list_select_related,
        ]

    def get_inlines(self, request, obj):
        return [*super().get_inlines(request, obj), *story_admin_extensions.inlines]

    def get_changelist(self, request, **kwargs):
        return StoryChangeList

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
        # A new story is in the desk's language unless the journalist picks the other one.
        initial.setdefault("language", languages.current())
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

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "lead_photo":
            kwargs["widget"] = PhotoChooserWidget(
                db_field.remote_field, self.admin_site, using=kwargs.get("using")
            )
            kwargs.setdefault(
                "help_text",
                gettext_lazy(
                    "Choose one from the library, or drop a new photo here or pick its file below."
                ),
            )
        field = super().formfield_for_foreignkey(db_field, request, **kwargs)
        if db_field.name == "section" and field is not None:
            field.label_from_instance = section_label
        return field

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
                        *(["change_kind", "change_note"] if self._asks_change(obj) else []),
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
                {"classes": ["newsroom-side"], "fields": ["language", "section", "tags"]},
            ),
            (
                _("Lead photo"),
                {
                    "classes": ["newsroom-side", "newsroom-photo"],
                    "fields": [
                        "lead_photo",
                        "photo_upload",
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
        if obj is not None and not self.has_change_permission(request, obj):
            # Read-only (a reporter's story once it is out): what readers see, not the
            # stored HTML and the form's empty photo fields (StoryColumnsMixin).
            swap = {"body": "body_html", "lead_photo": "photo_preview"}
            for _name, options in fieldsets:
                options["fields"] = [
                    swap.get(f, f)
                    for f in options["fields"]
                    if f not in ("photo_upload", "change_kind", "change_note")
                ]
        if obj is not None:
            fieldsets.append((_("Public record"), {"fields": ["public_record"]}))
            fieldsets.append((_("Who did what"), {"fields": ["activity"]}))
            fieldsets.append(
                (
                    _("Related stories: why these"),
                    {"fields": ["related_why"], "classes": ["collapse"]},
                )
            )
        return fieldsets

    @staticmethod
    def _asks_change(obj):
        """The story form asks what kind of change a save is when the story is public, or
        unpublished (publishing it again with new text is a change readers are told about);
        ``Article.save()`` has the last word."""
        return obj is not None and (obj.is_published or obj.status == Article.Status.UNPUBLISHED)

    def get_readonly_fields(self, request, obj=None):
        readonly = [
            "photo_preview",
            "body_html",
            "status_summary",
            "public_record",
            "activity",
            "related_why",
            "lead_story",
        ]
        if obj is not None:
            # A story's language is chosen when it is started (its address, section and
            # translations follow from it); a story in the other language is a translation.
            readonly.append("language")
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
            withdrawal_links=self.withdrawal_links(request, obj),
        )
        # Panels above the form: a submitted story's review, the desk's writing aids (new
        # stories get the checks), then other apps' (story_admin_extensions).
        panels = [keyboard_panel, checks_panel]
        if obj is not None:
            context.update(self._translation_context(request, obj))
            panels = [
                review_panel,
                keyboard_panel,
                editing_panel,
                checks_panel,
                comments_panel,
                *story_admin_extensions.panels,
            ]
        context["story_panels"] = []
        for panel in panels:
            found = panel(request, obj)
            if found:
                html, media = found
                context["story_panels"].append(html)
                context["media"] = context["media"] + media
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
            }
            theirs = {field: getattr(conflict, field) for field in yours}
            context.update(
                conflict=conflict,
                conflict_changes=revisions.field_changes(theirs, yours),
            )
        return super().render_change_form(request, context, add, change, form_url, obj)

    def _translation_context(self, request, obj):
        """The change page's "Languages" panel: the original or the translations, the
        "Translate" button, and for a translation behind its original, what changed."""
        other = languages.other(obj.language)
        # (A translation has none of its own: Article.clean.)
        # all(): get_queryset's prefetch (the change page loads the story through it too).
        translations = [] if obj.translation_of_id else list(obj.translations.all())
        context = {
            # Whole sentences: French writes language names in lower case.
            "translate_label": (
                _("Translate into French")
                if other == languages.FRENCH
                else _("Translate into English")
            ),
            "story_translations": translations,
        }
        if obj.translation_of_id is None:
            # The button only where translation.refusal() would let it through (its
            # view asks again): an original, none yet in that language, a user who may
            # create stories.
            if self.has_add_permission(request) and all(t.language != other for t in translations):
                context["translate_url"] = reverse(
                    "admin:articles_article_translate", args=[obj.pk]
                )
        elif obj.is_out_of_date:
            changes, found = translation.original_changes(obj)
            context.update(
                out_of_date=True,
                original_changes=changes,
                original_changes_found=found,
            )
            if self.has_change_permission(request, obj):
                context["up_to_date_url"] = reverse(
                    "admin:articles_article_translation_up_to_date", args=[obj.pk]
                )
        return context

    # --- saving and the log ---------------------------------------------------------

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        if request.method == "POST" and object_id is not None and "_pending" in request.POST:
            # "Save as a pending change": the live story stays as readers see it.
            return self.pending_view(request, object_id)
        return super().changeform_view(request, object_id, form_url, extra_context)

    def save_model(self, request, obj, form, change):
        old = form.initial.get("status", Article.Status.DRAFT)
        # The workflow service saves (and re-checks) the move; log_change/log_addition, once
        # the bylines and tags are saved too, record it: the same revision, log entry and
        # notification as the bulk actions and every other path (articles.workflow).
        request._newsroom_move = workflow.save_move(obj, old, by=request.user, created=not change)
        if obj.status == Article.Status.IN_REVIEW and old != obj.status:
            self.warn_before_review(request, obj)
        if form.cleaned_data.get("photo_upload") and obj.lead_photo_id:
            warn_of_duplicates(self, request, obj.lead_photo)
        # Replaces Django's "…was changed successfully" (see message_user).
        back_to_list = "_continue" not in request.POST
        request._newsroom_outcome = self._outcome(old, obj, back_to_list=back_to_list)
        autosave.forget_after_save(request.user, obj)

    def _outcome(self, old, obj, back_to_list=False):
        text = workflow.outcome_message(old, obj.status, obj)
        if obj.is_published:
            return format_html(
                '{} <a href="{}">{}</a>', text, obj.get_absolute_url(), _("View on site")
            )
        if back_to_list:
            # A move ("Submit for review") lands on the story list: the message leads back.
            address = reverse("admin:articles_article_change", args=[obj.pk])
            return format_html('{} <a href="{}">{}</a>', text, address, _("Open the story"))
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

    def _record(self, request, obj, message, log):
        move = getattr(request, "_newsroom_move", None)
        if move is None or move.article is not obj:
            return log(request, obj, message)  # not a form save (a restore, say): Django's own
        request._newsroom_move = None
        return move.record(message)

    def log_addition(self, request, obj, message):
        return self._record(request, obj, message, super().log_addition)

    def log_change(self, request, obj, message):
        return self._record(request, obj, message, super().log_change)

    # --- bulk actions -------------------------------------------------------------

    @admin.action(permissions=["publish"], description=gettext_lazy("Publish selected stories now"))
    def publish_selected(self, request, queryset):
        self._move_many(request, queryset, Article.Status.PUBLISHED)

    @admin.action(permissions=["publish"], description=gettext_lazy("Unpublish selected stories"))
    def unpublish_selected(self, request, queryset):
        self._move_many(request, queryset, Article.Status.UNPUBLISHED)

    @admin.action(
        permissions=["add"], description=gettext_lazy("Translate selected stories (new drafts)")
    )
    def translate_selected(self, request, queryset):
        for article in queryset.select_related("section", "translation_of"):
            self._translate(request, article)

    def _move_many(self, request, queryset, target):
        moved = 0
        for article in queryset.select_related("lead_photo"):
            if article.status == target:
                continue
            try:
                workflow.move(article, target, by=request.user)
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

    def _refused(self, request, article, reasons):
        self.message_user(
            request,
            _("“%(story)s” was not moved: %(reasons)s")
            % {"story": article, "reasons": " ".join(str(r) for r in reasons)},
            messages.WARNING,
        )

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
