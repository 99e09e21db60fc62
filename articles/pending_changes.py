"""Pending changes to live stories, part of the workflow service (``articles.workflow``).

A live story can carry new text that readers do not see yet, prepared and submitted by its
reporters or an editor, and published by an editor when it is ready: docs/architecture/
desk-editing.md.
"""

from functools import partial

import reversion
from django.contrib.admin.models import CHANGE, LogEntry
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from .models import Article, PendingChange
from .sanitize import clean_html
from .signals import pending_change


def is_editor(user):
    from .workflow import is_editor as editor

    return editor(user)


def is_own(user, article):
    from .workflow import is_own as own

    return own(user, article)


def save_move(article, old, *, by):
    from .workflow import save_move as save

    return save(article, old, by=by)


# --- pending changes to live stories ---------------------------------------------------


def can_prepare_change(user, article):
    """Who may prepare, submit or discard a pending change: the editors and the story's own
    reporters, while the story is live (before, its own text is the draft)."""
    return article.is_published and (is_editor(user) or is_own(user, article))


def _check_prepare(user, article):
    if not article.is_published:
        raise ValidationError(
            _(
                "Only a story readers can see now takes a pending change; edit this one in "
                "its form."
            ),
            code="not_live",
        )
    if not can_prepare_change(user, article):
        raise ValidationError(_("You cannot prepare changes to this story."), code="not_allowed")


def _log(user, article, message):
    if user is not None:
        LogEntry.objects.log_actions(
            user_id=user.pk,
            queryset=[article],
            action_flag=CHANGE,
            change_message=str(message),
            single_object=True,
        )


def save_pending(article, *, by, headline, standfirst="", body=""):
    """Keep new text for the live ``article`` without touching what readers see.

    Creates the story's pending change or replaces its text. The story row is not saved,
    so no page, feed, API answer or search result changes. Returns the ``PendingChange``.
    """
    _check_prepare(by, article)
    headline = " ".join((headline or "").split())
    if not headline:
        raise ValidationError(_("A headline is needed."), code="headline_required")
    limit = PendingChange._meta.get_field("headline").max_length
    if len(headline) > limit:
        raise ValidationError(
            _("The headline is longer than %(max)d characters.") % {"max": limit},
            code="headline_too_long",
        )
    with transaction.atomic():
        pending = PendingChange.objects.select_for_update().filter(article=article).first()
        if pending is None:
            pending = PendingChange(article=article, base_version=article.version, created_by=by)
        pending.headline = headline
        pending.standfirst = (standfirst or "").strip()
        pending.body = clean_html(body or "")
        pending.updated_by = by
        pending.save()
        _log(by, article, _("Prepared a change to the live story (not public yet)."))
    return pending


def submit_pending(article, *, by):
    """Hand the pending change to the editors (they are told after commit)."""
    _check_prepare(by, article)
    with transaction.atomic():
        pending = PendingChange.objects.select_for_update().filter(article=article).first()
        if pending is None:
            raise ValidationError(
                _("There is no pending change to submit."), code="no_pending_change"
            )
        pending.submitted_at = timezone.now()
        pending.submitted_by = by
        pending.save(update_fields=["submitted_at", "submitted_by"])
        _log(by, article, _("Submitted the pending change for review."))
        transaction.on_commit(partial(_announce_pending, article.pk, "submitted", by))
    return pending


def publish_pending(article, *, by, kind, note=""):
    """Put the pending change before readers: editors only, with the kind of change.

    The live story takes the change's headline, standfirst and body in one save through
    :func:`save_move` (revision, log entry, public record, page cache, related lists), and
    the pending change is gone. Refused with a sentence (nothing saved) when the user is not
    an editor, the story is no longer live, or the kind and note do not fit the public
    record's rule (``Article.describe_change``). Returns the saved story.
    """
    if not is_editor(by):
        raise ValidationError(
            _("Only editors can publish a pending change. Submit it for review."),
            code="editors_only",
        )
    with transaction.atomic(), reversion.create_revision():
        story = Article.objects.select_for_update().get(pk=article.pk)
        if not story.is_published:
            raise ValidationError(
                _("This story is no longer live: edit it in its form instead."),
                code="not_live",
            )
        pending = PendingChange.objects.filter(article=story).first()
        if pending is None:
            raise ValidationError(
                _("There is no pending change to publish."), code="no_pending_change"
            )
        for field, value in pending.text().items():
            setattr(story, field, value)
        story.describe_change(kind, note)
        move = save_move(story, story.status, by=by)
        move.record(_("Published the pending change."))
        pending.delete()
        transaction.on_commit(partial(_announce_pending, story.pk, "published", by))
    return story


def discard_pending(article, *, by):
    """Drop the pending change; the live story stays as it is."""
    _check_prepare(by, article)
    deleted, _counts = PendingChange.objects.filter(article=article).delete()
    if deleted:
        _log(by, article, _("Discarded the pending change."))
    return bool(deleted)


def _announce_pending(article_id, action, by):
    pending_change.send(sender=Article, article_id=article_id, action=action, by=by)
