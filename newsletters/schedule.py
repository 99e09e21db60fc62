"""Digests go out by themselves at their send time (docs/architecture/newsletters.md).

The beat runs ``tasks.send_scheduled`` every minute, which calls ``run()``. For each active
list with a send time, the *due day* is the latest day whose send time (Toronto time) has
come: today, or yesterday until today's time comes. Its issue is the draft an editor prepared
for that day (``Issue.scheduled_for``), or the default one made then; it goes through
``services.send_issue``, the one send, whose checks stand. Each list and day is done once:

- the list's row is locked while its day is looked at, so two beats (or a beat and a worker
  running the task by hand) take turns, and the second finds the issue sending;
- one issue per list and day (a unique constraint) is the backstop;
- a day whose send time passed more than ``NEWSLETTER_SCHEDULE_GRACE_MINUTES`` ago is not
  sent: its issue is kept as a draft marked *late* (a warning is logged) for an editor to
  send by hand or leave. Older days are never looked at, so a worker down all night does
  not send yesterday's digest in the morning;
- an issue without stories is not sent: marked *empty*, and logged.
"""

import datetime
import logging

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from . import services
from .models import Issue, NewsletterList

logger = logging.getLogger(__name__)


def grace():
    return datetime.timedelta(minutes=settings.NEWSLETTER_SCHEDULE_GRACE_MINUTES)


def run(now=None):
    """Send every list's due issue not sent yet; returns ``{slug: outcome}`` (see
    ``send_due``). One list's failure is logged and does not stop the others."""
    now = timezone.now() if now is None else now
    outcomes = {}
    for newsletter in NewsletterList.objects.active().scheduled():
        try:
            outcomes[newsletter.slug] = send_due(newsletter, now)
        except Exception:
            logger.exception("Scheduled newsletter %s failed", newsletter.slug)
            outcomes[newsletter.slug] = "error"
    return outcomes


def send_due(newsletter, now):
    """Send ``newsletter``'s issue for its due day if that is still to do.

    Returns ``"waiting"`` (nothing due since the list was made), ``"done"`` (already sent,
    sending or set aside), ``"sent"`` (sending started), or why it was set aside:
    ``"late"``, ``"empty"``, ``"refused"``.
    """
    day = newsletter.last_due_day(now)
    due = newsletter.send_moment(day)
    if due < newsletter.created_at:
        return "waiting"  # a list made after its time today starts tomorrow
    with transaction.atomic():
        NewsletterList.objects.select_for_update().get(pk=newsletter.pk)
        issue = Issue.objects.scheduled_for_day(newsletter, day).first()
        if issue is not None and (issue.status != Issue.Status.DRAFT or issue.not_sent):
            return "done"
        if issue is None:
            issue = services.default_issue(newsletter, now=now, scheduled_for=day)
        if now - due > grace():
            logger.warning(
                "Newsletter %s of %s not sent: its send time passed %s ago (grace %s); "
                "left as a draft for the desk",
                newsletter.slug,
                day.isoformat(),
                now - due,
                grace(),
            )
            return _set_aside(issue, Issue.NotSent.LATE)
        try:
            services.send_issue(issue)
        except ValidationError as exc:
            empty = exc.code == "empty"
            (logger.info if empty else logger.error)(
                "Newsletter %s of %s not sent: %s",
                newsletter.slug,
                day.isoformat(),
                " ".join(exc.messages),
            )
            return _set_aside(issue, Issue.NotSent.EMPTY if empty else Issue.NotSent.REFUSED)
    logger.info("Newsletter %s of %s: sending started", newsletter.slug, day.isoformat())
    return "sent"


def _set_aside(issue, reason):
    issue.not_sent = reason
    issue.save(update_fields=["not_sent"])
    return reason.value
