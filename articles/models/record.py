"""A story's public record: each version readers saw, and what kind of change made it.

A row is written when a save leaves a story public (or scheduled) with text readers have
not seen yet: its first publication, then each correction, clarification, update or minor
edit, with the headline, standfirst and body as they then stood. Text that was never
public (drafts before the first publication, drafts between two public versions) is never
written here: only the state of a story at the moment it goes or stays public is.

A save that changes a public story's text must say what kind of change it is
(``Article.describe_change()``); ``Article.save()`` refuses it otherwise, whatever the path
(docs/architecture/public-record.md).
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

# What readers read, compared between public versions.
PUBLIC_TEXT = ("headline", "standfirst", "body")


class Kind(models.TextChoices):
    PUBLISHED = "published", _("First publication")
    CORRECTION = "correction", _("Correction")
    CLARIFICATION = "clarification", _("Clarification")
    UPDATE = "update", _("Update")
    MINOR = "minor", _("Minor edit")


# What an editor may say about a change (the first publication is recorded by itself).
CHANGE_KINDS = (Kind.CORRECTION, Kind.CLARIFICATION, Kind.UPDATE, Kind.MINOR)
# Listed publicly with their note: on the story page, and they move "Updated".
LISTED = (Kind.CORRECTION, Kind.CLARIFICATION, Kind.UPDATE)
# On the corrections page and in its feeds.
CORRECTIONS = (Kind.CORRECTION, Kind.CLARIFICATION)
NOTE_REQUIRED = (Kind.CORRECTION, Kind.CLARIFICATION)


class Change:
    """What the person saving says about a change to a public story."""

    def __init__(self, kind, note=""):
        self.kind = kind
        self.note = (note or "").strip()

    def check(self):
        """Raise ``ValidationError`` with a sentence unless the kind and note go together."""
        if self.kind not in CHANGE_KINDS:
            raise ValidationError(
                _("Choose the kind of change: correction, clarification, update or minor edit."),
                code="unknown_change_kind",
            )
        if self.kind in NOTE_REQUIRED and not self.note:
            raise ValidationError(
                _("A %(kind)s needs a note for readers saying what changed.")
                % {"kind": Kind(self.kind).label.lower()},
                code="note_required",
            )
        if self.kind == Kind.MINOR and self.note:
            raise ValidationError(
                _("A minor edit is not listed publicly, so it takes no note."),
                code="note_not_shown",
            )


def missing_change_error():
    return ValidationError(
        _(
            "This story is public: say what kind of change this is (correction, "
            "clarification, update or minor edit). Nothing was saved."
        ),
        code="change_kind_required",
    )


class StoryChangeQuerySet(models.QuerySet):
    def public(self, now=None):
        """Versions readers have seen (a scheduled one waits for its time)."""
        return self.filter(at__lte=timezone.now() if now is None else now)

    def listed(self):
        """Corrections, clarifications and updates: the changes readers are told about."""
        return self.filter(kind__in=LISTED)

    def corrections(self):
        """Corrections and clarifications of stories readers may see, newest first."""
        from .stories import Article

        return (
            self.public()
            .filter(kind__in=CORRECTIONS, article__in=Article.objects.with_public_record())
            .select_related("article")
            .order_by("-at", "-pk")
        )


class StoryChange(models.Model):
    """One public version of a story: when, what kind of change, its note, who, its text."""

    Kind = Kind

    article = models.ForeignKey(
        "articles.Article",
        verbose_name=_("story"),
        on_delete=models.CASCADE,
        related_name="public_versions",
    )
    kind = models.CharField(_("kind"), max_length=14, choices=Kind.choices)
    note = models.TextField(_("note for readers"), blank=True)
    at = models.DateTimeField(_("public since"), db_index=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # The public version this change produced.
    headline = models.CharField(_("headline"), max_length=200)
    standfirst = models.TextField(_("standfirst"), blank=True)
    body = models.TextField(_("body"), blank=True)
    # Written when the record began, from the story as it then stood (and its old free-text
    # note): the text of earlier versions was not kept.
    carried_over = models.BooleanField(_("from before the record"), default=False)

    objects = StoryChangeQuerySet.as_manager()

    class Meta:
        ordering = ["at", "pk"]
        verbose_name = _("public change")
        verbose_name_plural = _("corrections and changes")
        indexes = [models.Index(fields=["article", "at"], name="storychange_article_at")]

    def __str__(self):
        return f"{self.get_kind_display()}: {self.article_id}"

    @property
    def is_listed(self):
        return self.kind in LISTED

    def text(self):
        return {field: getattr(self, field) for field in PUBLIC_TEXT}


def notes_of(changes):
    """The story row's copy of its listed notes, newest first (read by the story page)."""
    return [
        {"kind": c.kind, "note": c.note, "at": c.at.isoformat()}
        for c in sorted(changes, key=lambda c: c.at, reverse=True)
        if c.kind in LISTED
    ]


class Plan:
    """What a save does to the record, worked out before the row is written.

    ``Article.save()`` makes one (which may refuse the save), sets the story's ``revised_at``
    and ``public_notes`` from it, saves, then calls :meth:`write`.
    """

    def __init__(self, article, change, now):
        self.article = article
        self.new = None
        goes_live = article.status in article.LIVE_STATUSES and article.publish_at is not None
        versions = StoryChange.objects.filter(article_id=article.pk) if article.pk else None
        # A version still waiting for its time (a scheduled story) is replaced by this save.
        self.pending = versions.filter(at__gt=now) if versions is not None else None
        seen = versions.public(now) if versions is not None else StoryChange.objects.none()
        last = seen.order_by("-at", "-pk").first()
        listed = list(seen.listed().only("kind", "note", "at"))
        text = {field: getattr(article, field) for field in PUBLIC_TEXT}
        if goes_live:
            if last is None:
                self.new = StoryChange(kind=Kind.PUBLISHED, at=article.publish_at, **text)
            elif last.text() != text or (change is not None and change.kind in LISTED):
                if change is None:
                    raise missing_change_error()
                at = max(now, article.publish_at)
                self.new = StoryChange(kind=change.kind, note=change.note, at=at, **text)
        kept = listed + ([self.new] if self.new is not None else [])
        self.notes = notes_of(kept)
        times = [c.at for c in kept if c.kind in LISTED]
        self.revised_at = max(times) if times else None

    def write(self):
        if self.pending is not None:
            self.pending.delete()
        if self.new is not None:
            self.new.article = self.article
            self.new.by_id = self.article.last_edited_by_id
            self.new.save()


def record_bulk_writes(article_ids, now=None):
    """What ``Article.save()`` records, for writers that bypass it (the demo loader, the
    WordPress import): a live story without a record gets its first publication, and one
    whose public text changed gets an update (no note). A few queries per batch for new
    stories; stories that already have a record are planned one by one."""
    from .stories import Article

    now = timezone.now() if now is None else now
    ids = list(article_ids)
    recorded = set(
        StoryChange.objects.filter(article_id__in=ids).values_list("article_id", flat=True)
    )
    live = Article.objects.filter(pk__in=ids, status__in=Article.LIVE_STATUSES).exclude(
        publish_at=None
    )
    StoryChange.objects.bulk_create(
        StoryChange(
            article_id=story.pk,
            kind=Kind.PUBLISHED,
            at=story.publish_at,
            **{field: getattr(story, field) for field in PUBLIC_TEXT},
        )
        for story in live.exclude(pk__in=recorded).only("pk", "publish_at", *PUBLIC_TEXT)
    )
    for story in Article.objects.filter(pk__in=recorded):
        try:
            plan = Plan(story, None, now)
        except ValidationError:
            plan = Plan(story, Change(Kind.UPDATE), now)
        plan.write()
        Article.objects.filter(pk=story.pk).update(
            revised_at=plan.revised_at, public_notes=plan.notes
        )
