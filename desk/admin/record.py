"""The public record in the desk: the corrections list (editors only, with a CSV export)
and the story form's panel listing the story's public versions."""

import csv

from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from articles.models import StoryChange
from articles.models.record import CHANGE_KINDS, Kind
from articles.structured_data import absolute_url
from newsroom.params import OutOfRangeFiltersMixin

from .filters import LanguageFilter
from .permissions import EditorsReadOnlyAdmin

# A spreadsheet runs a cell starting with one of these as a formula: such a note is written
# with a leading apostrophe (OWASP's advice on CSV injection).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def _when(moment):
    return date_format(timezone.localtime(moment), "DATETIME_FORMAT")


class KindFilter(admin.SimpleListFilter):
    title = gettext_lazy("kind")
    parameter_name = "kind"

    def lookups(self, request, model_admin):
        return [(kind.value, kind.label) for kind in map(Kind, CHANGE_KINDS)]

    def queryset(self, request, queryset):
        if self.value():
            return queryset.filter(kind=self.value())
        return queryset


class StoryLanguageFilter(LanguageFilter):
    field = "article__language"


@admin.register(StoryChange)
class StoryChangeAdmin(OutOfRangeFiltersMixin, EditorsReadOnlyAdmin, admin.ModelAdmin):
    """Every change made to a public story after its first publication, newest first; editors
    only, and read-only: the record is written by saving the story."""

    list_display = ["when", "story", "kind", "who", "note"]
    list_filter = [KindFilter, StoryLanguageFilter, ("by", admin.RelatedOnlyFieldListFilter)]
    date_hierarchy = "at"
    search_fields = ["note", "article__headline"]
    list_select_related = ["article", "by"]
    list_per_page = 50
    actions = None

    def get_queryset(self, request):
        # The first publication is not a change; it stays in each story's history.
        queryset = super().get_queryset(request).exclude(kind=StoryChange.Kind.PUBLISHED)
        return queryset.order_by("-at", "-pk")

    @admin.display(description=gettext_lazy("when"), ordering="at")
    def when(self, obj):
        return _when(obj.at)

    @admin.display(description=gettext_lazy("story"), ordering="article__headline")
    def story(self, obj):
        return format_html(
            '<a href="{}">{}</a>',
            reverse("admin:articles_article_change", args=[obj.article_id]),
            obj.article.headline,
        )

    @admin.display(description=gettext_lazy("by"), ordering="by__username")
    def who(self, obj):
        return obj.by.get_username() if obj.by else "—"

    def get_urls(self):
        export = self.admin_site.admin_view(self.export_view)
        return [
            path("export.csv", export, name="articles_storychange_export"),
            *super().get_urls(),
        ]

    def export_view(self, request):
        """The list as it is filtered, as CSV (every row, not one page)."""
        if not self.has_view_permission(request):
            raise PermissionDenied
        changes = self.get_changelist_instance(request).get_queryset(request)
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = 'attachment; filename="corrections.csv"'
        writer = csv.writer(response)
        writer.writerow(
            [_("When"), _("Story"), _("Address"), _("Language"), _("Kind"), _("By"), _("Note")]
        )
        for change in changes.iterator(chunk_size=500):
            story = change.article
            writer.writerow(
                [
                    timezone.localtime(change.at).isoformat(timespec="seconds"),
                    _cell(story.headline),
                    absolute_url(story.get_absolute_url()),
                    story.language,
                    change.get_kind_display(),
                    change.by.get_username() if change.by else "",
                    _cell(change.note),
                ]
            )
        return response


def _cell(text):
    return f"'{text}" if text.startswith(FORMULA_STARTS) else text


class PublicRecordMixin:
    """The story form's "Public record" panel (for ArticleAdmin)."""

    @admin.display(description=gettext_lazy("public versions"))
    def public_record(self, obj):
        versions = list(obj.public_versions.select_related("by").order_by("-at", "-pk"))
        if not versions:
            return _("Not public yet: the first publication starts the record.")
        rows = format_html_join(
            "",
            "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
            (
                (
                    _when(v.at) + ("" if v.at <= timezone.now() else " " + _("(scheduled)")),
                    v.get_kind_display(),
                    v.by.get_username() if v.by else "—",
                    v.note,
                )
                for v in versions
            ),
        )
        link = ""
        if obj.is_published:
            link = format_html(
                '<p><a href="{}">{}</a></p>',
                reverse("articles:history", args=[obj.slug]),
                _("The history page readers see"),
            )
        return format_html(
            '<table class="newsroom-record"><thead><tr><th scope="col">{}</th>'
            '<th scope="col">{}</th><th scope="col">{}</th><th scope="col">{}</th></tr></thead>'
            "<tbody>{}</tbody></table>{}",
            _("When"),
            _("Kind"),
            _("By"),
            _("Note for readers"),
            rows,
            link,
        )
