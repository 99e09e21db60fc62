"""Readers' star votes and the per-story summaries kept for speed.

``Vote`` rows are the source of truth: one per (story, voter). ``RatingSummary`` holds
running totals so a story page never aggregates; it is only written while its row is locked
(by the vote's ``UPDATE`` of it, or ``SELECT … FOR UPDATE``) in the same transaction as the
vote, before the vote row is written, and
``manage.py rebuild_rating_summaries`` can recompute it from the votes at any time.

A story brought over from another site (the WordPress import, with Rate My Post's totals)
also carries *imported* totals: a count and a sum of stars with no per-reader rows and no
per-star split. They are stored apart (``imported_count``, ``imported_total``) and included
in ``vote_count`` and ``vote_total``, the numbers every page shows, so readers see one
combined rating; the per-star counters hold the votes cast here only.
"""

from datetime import timedelta
from decimal import ROUND_HALF_UP, Decimal
from functools import partial
from typing import NamedTuple

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import connection, models, transaction
from django.db.models import Count, ExpressionWrapper, F, Q, Sum
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from articles.models import Article

from .signals import rating_changed

STAR_CHOICES = [(n, str(n)) for n in range(1, 6)]
LOW_STARS = 2  # a vote of this many stars or fewer may come with feedback for editors
FEEDBACK_MAX_LENGTH = 1000


class RatingSummaryQuerySet(models.QuerySet):
    def locked_for(self, article_id):
        """The story's summary row, created if missing, locked until the transaction ends.

        Every writer of a story's votes takes this lock first, so the votes of one story are
        applied one at a time and the running totals never drift.
        """
        locked = self.select_for_update()
        try:
            return locked.get(article_id=article_id)
        except RatingSummary.DoesNotExist:
            # First vote on the story: INSERT … ON CONFLICT DO NOTHING, so two first votes
            # at once cannot both create it.
            self.bulk_create([RatingSummary(article_id=article_id)], ignore_conflicts=True)
            return locked.get(article_id=article_id)


class RatingSummary(models.Model):
    """Running totals of a story's votes (derived data: see ``rebuild_from_votes``).

    ``vote_count`` and ``vote_total`` are what readers see: the votes cast here plus the
    imported totals, if any.
    """

    article = models.OneToOneField(
        Article,
        verbose_name=_("story"),
        primary_key=True,
        on_delete=models.CASCADE,
        related_name="rating_summary",
    )
    vote_count = models.PositiveIntegerField(_("vote count"), default=0)
    vote_total = models.PositiveIntegerField(_("sum of stars"), default=0)
    stars_1 = models.PositiveIntegerField(_("1 star"), default=0)
    stars_2 = models.PositiveIntegerField(_("2 stars"), default=0)
    stars_3 = models.PositiveIntegerField(_("3 stars"), default=0)
    stars_4 = models.PositiveIntegerField(_("4 stars"), default=0)
    stars_5 = models.PositiveIntegerField(_("5 stars"), default=0)
    imported_count = models.PositiveIntegerField(
        _("imported votes"),
        default=0,
        help_text=_("Votes brought over from the old site (no per-reader rows)."),
    )
    imported_total = models.PositiveIntegerField(
        _("imported sum of stars"), default=0, help_text=_("Sum of the imported votes' stars.")
    )
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = RatingSummaryQuerySet.as_manager()

    class Meta:
        verbose_name = _("story rating")
        verbose_name_plural = _("story ratings")
        constraints = [
            models.CheckConstraint(
                condition=Q(
                    vote_count=F("imported_count")
                    + F("stars_1")
                    + F("stars_2")
                    + F("stars_3")
                    + F("stars_4")
                    + F("stars_5")
                ),
                name="rating_summary_count_matches_votes",
            ),
            models.CheckConstraint(
                condition=Q(
                    imported_total__gte=F("imported_count"),
                    imported_total__lte=F("imported_count") * 5,
                ),
                name="rating_summary_imported_total_in_range",
            ),
        ]

    def __str__(self):
        return str(self.article_id)

    @property
    def average(self):
        """The exact average of the current votes (a Decimal), 0 with no votes."""
        if not self.vote_count:
            return Decimal(0)
        return Decimal(self.vote_total) / Decimal(self.vote_count)

    @property
    def rounded_average(self):
        """The average as readers see it: one decimal, halves rounded up (4.25 → 4.3)."""
        return self.average.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)

    @property
    def display_average(self):
        """What the page shows: the rounded average, or a plain 0 before the first vote."""
        return self.rounded_average if self.vote_count else 0

    @property
    def distribution(self):
        """``[(stars, votes), …]`` from 5 stars down to 1."""
        return [(n, getattr(self, f"stars_{n}")) for n in range(5, 0, -1)]

    def as_dict(self):
        return {
            "average": str(self.rounded_average),
            "count": self.vote_count,
            "distribution": {str(n): votes for n, votes in self.distribution},
        }

    @classmethod
    def empty(cls, article_id=None):
        """An unsaved all-zero summary for a story nobody has rated."""
        return cls(article_id=article_id)

    @classmethod
    def for_article_id(cls, article_id):
        return cls.objects.filter(article_id=article_id).first() or cls.empty(article_id)

    def apply(self, old_stars, new_stars):
        """Move one vote from ``old_stars`` (None for a new vote) to ``new_stars``.

        The caller holds the row lock; values are written with F() expressions anyway so
        nothing can be lost even if a writer forgot the lock. This instance is not refreshed.
        """
        changes = {"vote_total": F("vote_total") + new_stars - (old_stars or 0)}
        changes[f"stars_{new_stars}"] = F(f"stars_{new_stars}") + 1
        if old_stars is None:
            changes["vote_count"] = F("vote_count") + 1
        else:
            changes[f"stars_{old_stars}"] = F(f"stars_{old_stars}") - 1
        RatingSummary.objects.filter(pk=self.pk).update(**changes)

    def rebuild_from_votes(self):
        """Recompute the totals from the Vote rows (plus the imported totals, which are kept).

        Returns True when they had drifted.
        """
        fresh = Vote.objects.filter(article_id=self.article_id).aggregate(
            vote_count=Count("pk"),
            vote_total=Sum("stars", default=0),
            **{f"stars_{n}": Count("pk", filter=Q(stars=n)) for n in range(1, 6)},
        )
        fresh["vote_count"] += self.imported_count
        fresh["vote_total"] += self.imported_total
        drifted = any(getattr(self, field) != value for field, value in fresh.items())
        if drifted:
            for field, value in fresh.items():
                setattr(self, field, value)
            self.save()
            announce_change(self.article_id)
        return drifted


def set_imported_totals(article_id, count, total):
    """Set a story's imported rating totals (e.g. Rate My Post's), keeping readers' votes.

    One UPDATE: the row lock it takes orders it with any vote in progress, and its F()
    expressions swap the old imported part for the new one. A story without a summary row
    gets one (stories created in the current transaction: :func:`create_imported_totals`).
    Returns True when the totals changed. ``count <= total <= 5 * count``.
    """
    check_imported_totals(count, total)
    imported = {"imported_count": count, "imported_total": total}
    RatingSummary.objects.bulk_create([RatingSummary(article_id=article_id)], ignore_conflicts=True)
    changed = (
        RatingSummary.objects.filter(article_id=article_id)
        .exclude(**imported)
        .update(
            vote_count=F("vote_count") - F("imported_count") + count,
            vote_total=F("vote_total") - F("imported_total") + total,
            **imported,
        )
    )
    if changed:
        announce_change(article_id)
    return bool(changed)


# The most votes a story may be given from elsewhere: its totals are 32-bit integers
# (PostgreSQL's integer), and readers' votes still have to fit beside them.
MAX_IMPORTED_VOTES = 100_000_000


def check_imported_totals(count, total):
    """Raise ValueError unless ``count`` votes of 1 to 5 stars can sum to ``total``, with
    room for readers' votes in the summary's columns."""
    if count < 0 or not count <= total <= 5 * count:
        raise ValueError(f"{count} votes cannot sum to {total} stars")
    if count > MAX_IMPORTED_VOTES:
        raise ValueError(f"{count} votes are more than the {MAX_IMPORTED_VOTES:,} a story can hold")


def create_imported_totals(totals):
    """Imported totals for stories created in the current transaction, in one INSERT.

    ``totals`` maps a story's id to ``(count, total)``. Nobody can have voted on those
    stories or cached their pages yet, so unlike :func:`set_imported_totals` nothing is
    announced: a bulk import (the WordPress one) clears cached pages once at its end.
    """
    rows = []
    for article_id, (count, total) in totals.items():
        check_imported_totals(count, total)
        if count:
            rows.append(
                RatingSummary(
                    article_id=article_id,
                    vote_count=count,
                    vote_total=total,
                    imported_count=count,
                    imported_total=total,
                )
            )
    RatingSummary.objects.bulk_create(rows)
    return len(rows)


def announce_change(article_id):
    """Send ``rating_changed`` once the current transaction commits."""
    transaction.on_commit(partial(rating_changed.send, sender=RatingSummary, article_id=article_id))


TOP_RATED_DAYS = 7
TOP_RATED_MIN_VOTES = 5  # fewer votes say little about a story
TOP_RATED_COUNT = 5


def top_rated(
    now, days=TOP_RATED_DAYS, min_votes=TOP_RATED_MIN_VOTES, count=TOP_RATED_COUNT, language=None
):
    """Published stories of the last ``days`` with at least ``min_votes``, best average first
    (in ``language`` when given: the French home page lists French stories only).

    Read from the kept summaries in one query, so the home page can show it; nothing in it
    depends on who is reading.
    """
    average = ExpressionWrapper(
        F("rating_summary__vote_total") * 1.0 / F("rating_summary__vote_count"),
        output_field=models.FloatField(),
    )
    stories = Article.objects.published(now)
    if language is not None:
        stories = stories.in_language(language)
    return list(
        stories
        .filter(
            publish_at__gte=now - timedelta(days=days),
            rating_summary__vote_count__gte=min_votes,
        )
        .select_related("rating_summary")
        .only(
            "headline", "slug", "publish_at", "rating_summary__vote_count",
            "rating_summary__vote_total",
        )
        .annotate(average=average)
        .order_by("-average", "-rating_summary__vote_count", "-publish_at")[:count]
    )  # fmt: skip


class VoteQuerySet(models.QuerySet):
    def from_address_since(self, article_id, address_hash, since):
        return self.filter(article_id=article_id, address_hash=address_hash, created_at__gte=since)


class Vote(models.Model):
    """One reader's current vote on one story."""

    article = models.ForeignKey(
        Article, verbose_name=_("story"), on_delete=models.CASCADE, related_name="votes"
    )
    # Random id from the reader's signed cookie: says "the same browser", not who they are.
    voter = models.UUIDField(_("voter"))
    stars = models.PositiveSmallIntegerField(
        _("stars"),
        choices=STAR_CHOICES,
        validators=[MinValueValidator(1), MaxValueValidator(5)],
    )
    # HMAC of the client address with a secret key: lets us cap votes per address without
    # keeping anyone's IP address.
    address_hash = models.CharField(_("address hash"), max_length=64, editable=False)
    created_at = models.DateTimeField(_("first voted"), auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField(_("last voted"), auto_now=True, db_index=True)

    objects = VoteQuerySet.as_manager()

    class Meta:
        verbose_name = _("vote")
        verbose_name_plural = _("votes")
        constraints = [
            models.UniqueConstraint(fields=["article", "voter"], name="one_vote_per_reader"),
            models.CheckConstraint(
                condition=Q(stars__gte=1, stars__lte=5), name="vote_stars_1_to_5"
            ),
        ]
        indexes = [
            models.Index(
                fields=["article", "address_hash", "created_at"], name="vote_address_window_idx"
            )
        ]

    def __str__(self):
        return f"{self.article_id}: {self.stars}"


class Feedback(models.Model):
    """What a reader who gave 1 or 2 stars told editors (plain text, shown escaped)."""

    article = models.ForeignKey(
        Article, verbose_name=_("story"), on_delete=models.CASCADE, related_name="rating_feedback"
    )
    stars = models.PositiveSmallIntegerField(_("stars"), choices=STAR_CHOICES)
    text = models.TextField(_("feedback"), max_length=FEEDBACK_MAX_LENGTH)
    voter = models.UUIDField(_("voter"), editable=False)
    created_at = models.DateTimeField(_("sent"), auto_now_add=True, db_index=True)
    handled = models.BooleanField(
        _("handled"), default=False, help_text=_("Tick once an editor has read and acted on it.")
    )

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("reader feedback")
        verbose_name_plural = _("reader feedback")

    def __str__(self):
        return self.text[:60]


class AddressCapReached(Exception):
    """Too many different voters from one client address on one story in the window."""


class StoryNotFound(Exception):
    """No published story with this id: nobody can vote on it."""


class RecordedVote(NamedTuple):
    """What ``record_vote`` did: the vote, whether the numbers changed, the numbers now.

    ``story`` has its id, slug and headline loaded; ``summary`` its counters.
    """

    vote: Vote
    changed: bool
    summary: RatingSummary
    story: Article


# A reader's first vote sent several times at once (see ratings.vote_sql): each attempt
# after the first finds the stored vote, so a second is all it takes; the rest is margin.
VOTE_ATTEMPTS = 3


def record_vote(
    article_id, voter, stars, address_hash, *, feedback="", address_cap=None, new_voter=False
):
    """Store ``voter``'s vote on a published story and update its summary, in one transaction.

    Voting again moves the reader's existing vote; it never adds a second one. Returns a
    ``RecordedVote``. Raises ``StoryNotFound`` when no published story has this id.
    ``address_cap`` is ``(max_new_voters, since)``: a new voter beyond it raises
    ``AddressCapReached`` and nothing is written. ``new_voter=True`` says the voter id was
    made for this very request (no cookie came with it), so it cannot have voted before and
    the lookup of a previous vote is skipped.

    On PostgreSQL the statements are ``ratings.vote_sql``'s (four round trips); elsewhere
    the ORM's, in the same order of locks.
    """
    from . import vote_sql

    now = timezone.now()
    for attempt in range(1, VOTE_ATTEMPTS + 1):
        try:
            with transaction.atomic():
                if connection.vendor == "postgresql":
                    applied = vote_sql.apply_vote(
                        article_id,
                        voter,
                        stars,
                        address_hash,
                        now=now,
                        address_cap=address_cap,
                        new_voter=new_voter,
                    )
                else:
                    applied = _apply_vote_with_orm(
                        article_id, voter, stars, address_hash, now, address_cap, new_voter
                    )
                if applied is None:
                    raise StoryNotFound
                story, summary, vote, old_stars = applied
                changed = old_stars != stars
                if changed:
                    announce_change(article_id)
                if feedback and stars <= LOW_STARS:
                    Feedback.objects.create(
                        article_id=article_id, stars=stars, text=feedback, voter=voter
                    )
            return RecordedVote(vote, changed, summary, story)
        except vote_sql.Conflict:
            if attempt == VOTE_ATTEMPTS:
                raise
            new_voter = False  # the vote is stored now: look it up


def _apply_vote_with_orm(article_id, voter, stars, address_hash, now, address_cap, new_voter):
    """``vote_sql.apply_vote`` for SQLite: the same steps through the ORM, same results."""
    story = (
        Article.objects.published(now).filter(pk=article_id).only("pk", "slug", "headline").first()
    )
    if story is None:
        return None
    summary = RatingSummary.objects.locked_for(article_id)
    # Under the summary lock no other request can be writing this story's votes, so this
    # read-then-write cannot race; the unique constraint stays as the last line of defence.
    vote = None if new_voter else Vote.objects.filter(article_id=article_id, voter=voter).first()
    old_stars = vote.stars if vote else None
    if vote is None:
        if address_cap is not None:
            limit, since = address_cap
            if Vote.objects.from_address_since(article_id, address_hash, since).count() >= limit:
                raise AddressCapReached
        vote = Vote.objects.create(
            article_id=article_id, voter=voter, stars=stars, address_hash=address_hash
        )
    elif vote.stars != stars:
        vote.stars = stars
        vote.save(update_fields=["stars", "updated_at"])
    if old_stars != stars:
        summary.apply(old_stars, stars)
        summary.refresh_from_db()
    return story, summary, vote, old_stars
