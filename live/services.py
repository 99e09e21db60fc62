"""Every change to live coverage, whichever path asks for it (the composer's fetch, its plain
form, a command): the permission check, the save, the log entry editors read in the story's
history, and the page cache's invalidation after commit. One function per operation.

Who may do what follows the workflow's rules (``articles.workflow``): editors on any story;
a reporter on the stories that are their own (they started it or carry its byline), even once
published, since a live story is a published one. A reporter edits and deletes their own
entries; an editor any.
"""

from functools import partial

from django.contrib.admin.models import CHANGE, LogEntry
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from articles import workflow
from articles.sanitize import html_to_text

from . import cached_pages
from .models import LiveCoverage, LiveEntry


def can_cover(user, article):
    """May ``user`` start, end and post to live coverage of ``article``?"""
    if not (user and user.is_authenticated and user.is_active and user.is_staff):
        return False
    return workflow.is_editor(user) or workflow.is_own(user, article)


def can_change_entry(user, entry):
    if not can_cover(user, entry.coverage.article):
        return False
    return workflow.is_editor(user) or entry.posted_by_id == user.pk


def _check(allowed):
    if not allowed:
        raise PermissionDenied(_("You cannot change the live coverage of this story."))


def _log(user, article, message):
    LogEntry.objects.log_actions(
        user_id=user.pk,
        queryset=[article],
        action_flag=CHANGE,
        change_message=message,
        single_object=True,
    )


def _after_commit(article_id):
    transaction.on_commit(partial(cached_pages.coverage_changed, article_id))


def _clean(body, link):
    text = html_to_text(body or "").strip()
    if not text and not link:
        raise ValidationError({"body": _("Write the update before posting it.")})


def start(article, *, by):
    _check(can_cover(by, article))
    with transaction.atomic():
        coverage, created = LiveCoverage.objects.get_or_create(
            article=article, defaults={"started_by": by}
        )
        if not created and coverage.ended_at is not None:
            coverage.ended_at = None
            coverage.save(update_fields=["ended_at"])
        _log(by, article, _("Live coverage started."))
        _after_commit(article.pk)
    return coverage


def end(coverage, *, by):
    _check(can_cover(by, coverage.article))
    with transaction.atomic():
        coverage.ended_at = timezone.now()
        coverage.save(update_fields=["ended_at"])
        _log(by, coverage.article, _("Live coverage ended."))
        _after_commit(coverage.article_id)
    return coverage


def post(coverage, *, by, body, photo=None, link="", key_point=False, pinned=False, authors=None):
    """Post an entry: readers see it as soon as the transaction commits."""
    _check(can_cover(by, coverage.article))
    _clean(body, link)
    with transaction.atomic():
        entry = LiveEntry.objects.create(
            coverage=coverage,
            posted_by=by,
            body=body,
            photo=photo,
            link=link,
            key_point=key_point,
            pinned=pinned,
        )
        if authors is None:
            profile = getattr(by, "author_profile", None)
            authors = [profile] if profile is not None else []
        entry.authors.set(authors)
        _log(by, coverage.article, _("Live update #%(id)s posted.") % {"id": entry.pk})
        _after_commit(coverage.article_id)
    return entry


def edit(entry, *, by, body, photo=None, link="", key_point=False, pinned=False):
    """Change an entry; readers see "Updated 10:32 a.m." beside it."""
    _check(can_change_entry(by, entry))
    if entry.deleted_at is not None:
        raise ValidationError(_("This update was deleted."))
    _clean(body, link)
    with transaction.atomic():
        entry.body, entry.photo, entry.link = body, photo, link
        entry.key_point, entry.pinned = key_point, pinned
        entry.updated_at = timezone.now()
        entry.save()
        _log(by, entry.coverage.article, _("Live update #%(id)s edited.") % {"id": entry.pk})
        _after_commit(entry.coverage.article_id)
    return entry


def delete(entry, *, by):
    """Take an entry off the page; the row stays, and the story's history says who and what."""
    _check(can_change_entry(by, entry))
    if entry.deleted_at is not None:
        return entry
    with transaction.atomic():
        entry.deleted_at = timezone.now()
        entry.deleted_by = by
        entry.save(update_fields=["deleted_at", "deleted_by"])
        _log(
            by,
            entry.coverage.article,
            _("Live update #%(id)s deleted: “%(text)s”") % {"id": entry.pk, "text": entry.summary},
        )
        _after_commit(entry.coverage.article_id)
    return entry
