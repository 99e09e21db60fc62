"""Ratings in the admin: per-story numbers, the ratings report with CSV, the feedback inbox.

The story admin (desk/admin/stories.py) knows nothing of ratings: this module adds
``RatingSummaryInline`` and the list columns ``average_rating`` and ``vote_count`` (with
``rating_summary`` selected alongside) through its ``story_admin_extensions`` hook.
"""

import io
from datetime import timedelta

from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.db.models import FloatField
from django.db.models.functions import Cast, NullIf
from django.http import HttpResponse
from django.template.loader import render_to_string
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from desk.admin.permissions import ReadOnlyAdmin
from desk.admin.stories import story_admin_extensions
from newsroom.params import OutOfRangeFiltersMixin

from .models import Feedback, RatingSummary
from .report import RatingsReport, ReportPeriodForm, chart_bars

AVERAGE_ORDERING = Cast("rating_summary__vote_total", FloatField()) / NullIf(
    "rating_summary__vote_count", 0
)


def distribution_chart(distribution, label=""):
    """A small inline SVG bar chart of ``[(stars, votes), …]`` (no JavaScript, no style="")."""
    return render_to_string(
        "ratings/admin/distribution.svg.html",
        {"bars": chart_bars(distribution), "label": label},
    )


def _summary(article):
    try:
        return article.rating_summary
    except RatingSummary.DoesNotExist:
        return RatingSummary.empty(article.pk)


@admin.display(description=_("average rating"), ordering=AVERAGE_ORDERING.desc(nulls_last=True))
def average_rating(article):
    summary = _summary(article)
    return summary.rounded_average if summary.vote_count else "–"


@admin.display(description=_("votes"), ordering="rating_summary__vote_count")
def vote_count(article):
    return _summary(article).vote_count


class RatingSummaryInline(admin.StackedInline):
    """Read-only: the numbers come from readers' votes, never from an editor."""

    model = RatingSummary
    fk_name = "article"
    template = "ratings/admin/rating_inline.html"
    can_delete = False
    extra = 0
    fields = ["average_display", "vote_count", "distribution_display"]
    readonly_fields = fields
    verbose_name = _("reader rating")
    verbose_name_plural = _("reader ratings")

    @admin.display(description=_("average rating"))
    def average_display(self, summary):
        return f"{summary.rounded_average} / 5"

    @admin.display(description=_("distribution"))
    def distribution_display(self, summary):
        return distribution_chart(summary.distribution, label=str(summary.article))

    def has_view_permission(self, request, obj=None):
        # Readers rate published stories only: a new or unpublished story has nothing to
        # show, so the block is left out rather than shown empty.
        return obj is not None and obj.is_published and super().has_view_permission(request, obj)

    def get_queryset(self, request):
        # Django's inline asks has_view_permission() without the story here and empties the
        # rows on "no"; whether the block shows at all was decided above, with the story.
        return self.model._default_manager.all()

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


# The story admin shows each story's rating (an inline on the form, two list columns).
story_admin_extensions.add(
    inlines=[RatingSummaryInline],
    list_display=[average_rating, vote_count],
    list_select_related=["rating_summary"],
)


@admin.register(RatingSummary)
class RatingSummaryAdmin(ReadOnlyAdmin, admin.ModelAdmin):
    list_display = ["article", "average_display", "vote_count", "distribution_display"]
    list_select_related = ["article"]
    search_fields = ["article__headline"]
    ordering = ["-vote_count"]
    fields = ["article", "average_display", "vote_count", "vote_total", "distribution_display"]
    readonly_fields = fields
    change_list_template = "ratings/admin/summary_change_list.html"

    @admin.display(
        description=_("average rating"),
        ordering=(Cast("vote_total", FloatField()) / NullIf("vote_count", 0)).desc(nulls_last=True),
    )
    def average_display(self, summary):
        return summary.rounded_average

    @admin.display(description=_("distribution"))
    def distribution_display(self, summary):
        return distribution_chart(summary.distribution, label=str(summary.article))

    def get_urls(self):
        view = self.admin_site.admin_view
        return [
            path("report/", view(self.report_view), name="ratings_report"),
            path("report/csv/", view(self.report_csv_view), name="ratings_report_csv"),
            *super().get_urls(),
        ]

    def _report(self, request):
        form = ReportPeriodForm(request.GET or None)
        if form.is_bound and form.is_valid():
            start, end = form.period()
            min_votes = form.cleaned_data.get("min_votes") or 5
        else:
            end = timezone.localdate()
            start, min_votes = end - timedelta(days=29), 5
        return form, RatingsReport(start, end, min_votes=min_votes)

    def report_view(self, request):
        if not self.has_view_permission(request):
            raise PermissionDenied
        form, report = self._report(request)
        distribution = report.distribution()
        context = {
            **self.admin_site.each_context(request),
            "title": _("Ratings report"),
            "opts": self.model._meta,
            "form": form,
            "report": report,
            "top": report.top(),
            "bottom": report.bottom(),
            "pairs": report.pairs(),
            "chart": distribution_chart(distribution, label=_("All votes in the period")),
            "distribution": distribution,
            "feedback": report.feedback()[:50],
            "csv_url": reverse("admin:ratings_report_csv") + "?" + request.GET.urlencode(),
        }
        return TemplateResponse(request, "ratings/admin/report.html", context)

    def report_csv_view(self, request):
        if not self.has_view_permission(request):
            raise PermissionDenied
        form, report = self._report(request)
        if form.is_bound and not form.is_valid():
            return HttpResponse(
                " ".join(e for errors in form.errors.values() for e in errors),
                status=400,
                content_type="text/plain; charset=utf-8",
            )
        buffer = io.StringIO()
        report.write_csv(buffer)
        response = HttpResponse(buffer.getvalue(), content_type="text/csv; charset=utf-8")
        name = f"ratings-{report.start:%Y%m%d}-{report.end:%Y%m%d}.csv"
        response["Content-Disposition"] = f'attachment; filename="{name}"'
        return response


@admin.register(Feedback)
class FeedbackAdmin(OutOfRangeFiltersMixin, admin.ModelAdmin):
    """The low-vote feedback inbox."""

    list_display = ["created_at", "article", "stars", "excerpt", "handled"]
    list_editable = ["handled"]
    list_filter = ["handled", "stars", "created_at"]
    search_fields = ["text", "article__headline"]
    date_hierarchy = "created_at"
    list_select_related = ["article"]
    fields = ["article", "stars", "text", "created_at", "handled"]
    readonly_fields = ["article", "stars", "text", "created_at"]
    actions = ["mark_handled"]

    @admin.display(description=_("feedback"))
    def excerpt(self, feedback):
        return feedback.text[:120]

    # Only for those who may change feedback: an action is otherwise offered to anyone who
    # can see the list, and update() would bypass the change permission.
    @admin.action(description=_("Mark selected feedback as handled"), permissions=["change"])
    def mark_handled(self, request, queryset):
        queryset.update(handled=True)

    def has_add_permission(self, request):
        return False
