"""The editors' ratings report: best and worst rated stories over a period, from the votes."""

import csv
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import ROUND_HALF_UP, Decimal

from django import forms
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db.models import Avg, Count, Q, Sum
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from articles.models import Article

from .models import Feedback, Vote

CSV_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")

# The period is turned into times a day around it (and 29 days back when only the end is
# given): dates at the very ends of the calendar (0001-01-05, 9999-12-31) would overflow.
FIRST_DATE, LAST_DATE = date(1900, 1, 1), date(2999, 12, 31)
_DATE_RANGE_MESSAGE = _("Choose a date between 1900-01-01 and 2999-12-31.")


def _report_date(label):
    return forms.DateField(
        label=label,
        required=False,
        # The browser's date picker; it sends (and is given) ISO dates whatever its language.
        widget=forms.DateInput(
            attrs={"type": "date", "min": "1900-01-01", "max": "2999-12-31"}, format="%Y-%m-%d"
        ),
        validators=[
            MinValueValidator(FIRST_DATE, message=_DATE_RANGE_MESSAGE),
            MaxValueValidator(LAST_DATE, message=_DATE_RANGE_MESSAGE),
        ],
    )


class ReportPeriodForm(forms.Form):
    start = _report_date(_("From"))
    end = _report_date(_("To (inclusive)"))
    min_votes = forms.IntegerField(
        label=_("Minimum votes"),
        min_value=1,
        max_value=100000,
        required=False,
        help_text=_("Stories with fewer votes in the period are left out of the rankings."),
    )

    def clean(self):
        data = super().clean()
        start, end = data.get("start"), data.get("end")
        if start and end and start > end:
            raise forms.ValidationError(_("The start date must be on or before the end date."))
        return data

    def period(self):
        today = timezone.localdate()
        end = self.cleaned_data.get("end") or today
        start = self.cleaned_data.get("start") or end - timedelta(days=29)
        return start, end


@dataclass
class RankedStory:
    article_id: int
    headline: str
    votes: int
    total: int
    distribution: list

    @property
    def average(self):
        return (Decimal(self.total) / Decimal(self.votes)).quantize(
            Decimal("0.1"), rounding=ROUND_HALF_UP
        )


@dataclass
class PairedStory:
    """One side of a story and its translation in the report."""

    article_id: int
    headline: str
    language: str
    votes: int
    total: int

    @property
    def average(self):
        if not self.votes:
            return None
        return (Decimal(self.total) / Decimal(self.votes)).quantize(
            Decimal("0.1"), rounding=ROUND_HALF_UP
        )


class RatingsReport:
    """Votes last cast within [start, end] (local dates, inclusive)."""

    def __init__(self, start: date, end: date, min_votes=5, limit=10):
        self.start, self.end, self.min_votes, self.limit = start, end, min_votes, limit
        zone = timezone.get_current_timezone()
        self.since = datetime.combine(start, time.min, tzinfo=zone)
        self.until = datetime.combine(end + timedelta(days=1), time.min, tzinfo=zone)

    def votes(self):
        return Vote.objects.filter(updated_at__gte=self.since, updated_at__lt=self.until)

    def _ranked(self):
        rows = (
            self.votes()
            .values("article_id", "article__headline")
            .annotate(
                n=Count("pk"),
                total=Sum("stars"),
                avg=Avg("stars"),
                **{f"s{k}": Count("pk", filter=Q(stars=k)) for k in range(1, 6)},
            )
            .filter(n__gte=self.min_votes)
        )
        return rows

    def _stories(self, rows):
        return [
            RankedStory(
                article_id=r["article_id"],
                headline=r["article__headline"],
                votes=r["n"],
                total=r["total"],
                distribution=[(k, r[f"s{k}"]) for k in range(5, 0, -1)],
            )
            for r in rows
        ]

    def top(self):
        return self._stories(self._ranked().order_by("-avg", "-n", "article_id")[: self.limit])

    def bottom(self):
        return self._stories(self._ranked().order_by("avg", "-n", "article_id")[: self.limit])

    def pairs(self):
        """Each story with votes in the period beside its translation (or its original).

        ``[[PairedStory, …]]``, the original first, the groups with the most votes first.
        Ratings stay per story: each side shows its own votes, none when it has none.
        """
        rows = self.votes().values("article_id").annotate(n=Count("pk"), total=Sum("stars"))
        voted = {r["article_id"]: r for r in rows}
        links = Article.objects.filter(translation_of__isnull=False).filter(
            Q(pk__in=self.votes().values("article_id"))
            | Q(translation_of__in=self.votes().values("article_id"))
        )
        groups = {}
        for translation_id, original_id in links.values_list("pk", "translation_of_id"):
            groups.setdefault(original_id, []).append(translation_id)
        members = {original: [original, *sorted(ts)] for original, ts in groups.items()}
        stories = Article.objects.in_bulk(
            [pk for group in members.values() for pk in group], field_name="pk"
        )
        result = []
        for group in members.values():
            sides = []
            for pk in group:
                row = voted.get(pk, {"n": 0, "total": 0})
                story = stories[pk]
                sides.append(
                    PairedStory(
                        article_id=pk,
                        headline=story.headline,
                        language=story.get_language_display(),
                        votes=row["n"],
                        total=row["total"] or 0,
                    )
                )
            result.append(sides)
        result.sort(key=lambda sides: (-sum(s.votes for s in sides), sides[0].article_id))
        return result[: self.limit]

    def distribution(self):
        counts = self.votes().aggregate(
            **{f"s{k}": Count("pk", filter=Q(stars=k)) for k in range(1, 6)}
        )
        return [(k, counts[f"s{k}"]) for k in range(5, 0, -1)]

    def feedback(self):
        return Feedback.objects.filter(
            created_at__gte=self.since, created_at__lt=self.until
        ).select_related("article")

    def write_csv(self, stream):
        """Both rankings as CSV; text cells cannot start a spreadsheet formula."""
        writer = csv.writer(stream)
        writer.writerow(
            [
                "ranking",
                "position",
                "story id",
                "headline",
                "votes",
                "average",
                "5 stars",
                "4 stars",
                "3 stars",
                "2 stars",
                "1 star",
            ]
        )
        for ranking, stories in (("top", self.top()), ("bottom", self.bottom())):
            for position, story in enumerate(stories, start=1):
                writer.writerow(
                    [
                        ranking,
                        position,
                        story.article_id,
                        _csv_text(story.headline),
                        story.votes,
                        story.average,
                        *(n for _, n in story.distribution),
                    ]
                )


def _csv_text(value):
    return f"'{value}" if value.startswith(CSV_FORMULA_STARTS) else value


def chart_bars(distribution, width=200):
    """Bar lengths (pixels) for an inline SVG chart of ``[(stars, votes), …]``."""
    most = max((n for _, n in distribution), default=0) or 1
    return [
        {"stars": stars, "votes": n, "length": round(width * n / most), "y": i * 22}
        for i, (stars, n) in enumerate(distribution)
    ]
