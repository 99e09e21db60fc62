"""Every newsletter operation, whichever path asks for it (the readers' pages, the desk, a
command, a webhook, the worker): one function per business operation.

Nothing here logs an address: ``mask_email`` where a log line must say whom.
"""

import logging
from functools import partial

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from .models import (
    Issue,
    IssueStory,
    NewsletterList,
    Subscriber,
    Subscription,
    Suppression,
    mask_email,
    normalise_email,
)

logger = logging.getLogger(__name__)


def clean_email(email):
    """The address normalised, or ``ValidationError`` with a sentence for the reader."""
    email = normalise_email(email)
    try:
        validate_email(email)
    except ValidationError as exc:
        raise ValidationError(
            _("Enter a valid email address, such as name@example.ca."), code="invalid"
        ) from exc
    return email


def is_suppressed(email):
    return Suppression.objects.filter(email=normalise_email(email)).exists()


def subscribe(email, list, wording, source_path):
    """Record the reader's consent to ``list`` and mail them a confirmation link.

    The subscription stays pending until the link is followed (double opt-in). Signing up
    again while pending records the new consent and sends a new link (the old one stops
    working); signing up to a list one already receives changes nothing and sends nothing.
    A suppressed address is accepted in appearance (the reader learns nothing about it) but
    nothing is mailed. Raises ``ValidationError`` for an invalid address or an inactive list.
    """
    email = clean_email(email)
    if not list.active:
        raise ValidationError(_("This newsletter is no longer taking subscribers."))
    if not (wording or "").strip():
        raise ValueError("The consent wording shown to the reader must be recorded.")
    now = timezone.now()
    with transaction.atomic():
        subscriber = _subscriber_for(email)
        subscription, created = Subscription.objects.select_for_update().get_or_create(
            subscriber=subscriber,
            list=list,
            defaults={
                "consent_wording": wording,
                "consented_at": now,
                "source_path": (source_path or "")[:300],
            },
        )
        if not created:
            if subscription.status == Subscription.Status.CONFIRMED:
                return subscription
            subscription.status = Subscription.Status.PENDING
            subscription.consent_wording = wording
            subscription.consented_at = now
            subscription.source_path = (source_path or "")[:300]
            subscription.confirmed_at = None
            subscription.save()
        if not is_suppressed(email):
            from . import tasks

            transaction.on_commit(partial(tasks.queue_confirmation, subscription.pk))
    return subscription


def _subscriber_for(email):
    subscriber = Subscriber.objects.filter(email=email).first()
    if subscriber is not None:
        return subscriber
    try:
        with transaction.atomic():
            return Subscriber.objects.create(email=email)
    except IntegrityError:  # two sign-ups of one address at once: the other one won
        return Subscriber.objects.get(email=email)


def confirm(token):
    """Confirm the subscription a confirmation link names; ``tokens.BadToken`` for a link
    that is altered, expired or already used (nothing changes then)."""
    from .tokens import read_confirmation_token

    subscription = read_confirmation_token(token)
    with transaction.atomic():
        locked = Subscription.objects.select_for_update().get(pk=subscription.pk)
        if locked.status != Subscription.Status.PENDING or (
            locked.consented_at != subscription.consented_at
        ):
            from .tokens import BadToken

            raise BadToken(_("This confirmation link has already been used."))
        locked.status = Subscription.Status.CONFIRMED
        locked.confirmed_at = timezone.now()
        locked.unsubscribed_at = None
        locked.unsubscribed_how = ""
        locked.save(update_fields=["status", "confirmed_at", "unsubscribed_at", "unsubscribed_how"])
    return locked


def unsubscribe(subscriber, list, how):
    """Stop ``list`` for ``subscriber`` (pending or confirmed); ``how`` is a
    ``Subscription.How``. Idempotent: leaving twice keeps the first time. Returns the
    subscription, or ``None`` when there was none."""
    with transaction.atomic():
        subscription = (
            Subscription.objects.select_for_update()
            .filter(subscriber=subscriber, list=list)
            .first()
        )
        if subscription is None or subscription.status == Subscription.Status.UNSUBSCRIBED:
            return subscription
        subscription.status = Subscription.Status.UNSUBSCRIBED
        subscription.unsubscribed_at = timezone.now()
        subscription.unsubscribed_how = how
        subscription.save(update_fields=["status", "unsubscribed_at", "unsubscribed_how"])
    return subscription


def update_preferences(subscriber, lists, wording="", source_path=""):
    """Keep ``subscriber`` on exactly ``lists`` among the active lists.

    Lists left are unsubscribed (``How.PREFERENCES``). A list newly chosen from the
    preferences page (reached from a confirmed address's own mail) is confirmed at once with
    the consent recorded (wording and page), since the address is already proven; an empty
    ``lists`` unsubscribes from everything. Returns the subscriber's subscriptions.
    """
    chosen = {newsletter.pk for newsletter in lists}
    now = timezone.now()
    with transaction.atomic():
        current = {
            s.list_id: s
            for s in Subscription.objects.select_for_update().filter(subscriber=subscriber)
        }
        for list_id, subscription in current.items():
            if list_id not in chosen and subscription.status != Subscription.Status.UNSUBSCRIBED:
                unsubscribe(subscriber, subscription.list, Subscription.How.PREFERENCES)
        for newsletter in NewsletterList.objects.active().filter(pk__in=chosen):
            subscription = current.get(newsletter.pk)
            if subscription is not None and subscription.status == Subscription.Status.CONFIRMED:
                continue
            if not wording:
                raise ValueError("The consent wording shown to the reader must be recorded.")
            Subscription.objects.update_or_create(
                subscriber=subscriber,
                list=newsletter,
                defaults={
                    "status": Subscription.Status.CONFIRMED,
                    "consent_wording": wording,
                    "consented_at": now,
                    "source_path": (source_path or "")[:300],
                    "confirmed_at": now,
                    "unsubscribed_at": None,
                    "unsubscribed_how": "",
                },
            )
    return list(Subscription.objects.filter(subscriber=subscriber).select_related("list"))


def export_subscriber(email):
    """Everything kept about an address (PIPEDA access request), as plain data."""
    email = normalise_email(email)
    subscriber = Subscriber.objects.filter(email=email).first()
    suppression = Suppression.objects.filter(email=email).first()
    data = {
        "email": email,
        "subscriber": None,
        "subscriptions": [],
        "deliveries": [],
        "suppression": None,
    }
    if suppression is not None:
        data["suppression"] = {"reason": suppression.reason, "at": suppression.at.isoformat()}
    if subscriber is None:
        return data
    data["subscriber"] = {"created_at": subscriber.created_at.isoformat()}
    for s in subscriber.subscriptions.select_related("list").order_by("pk"):
        data["subscriptions"].append(
            {
                "list": s.list.slug,
                "status": s.status,
                "consent_wording": s.consent_wording,
                "consented_at": s.consented_at.isoformat(),
                "source_path": s.source_path,
                "confirmed_at": s.confirmed_at.isoformat() if s.confirmed_at else None,
                "unsubscribed_at": s.unsubscribed_at.isoformat() if s.unsubscribed_at else None,
                "unsubscribed_how": s.unsubscribed_how,
            }
        )
    for d in subscriber.deliveries.select_related("issue").order_by("pk"):
        data["deliveries"].append(
            {
                "issue": d.issue.subject,
                "status": d.status,
                "sent_at": d.sent_at.isoformat() if d.sent_at else None,
            }
        )
    return data


def erase_subscriber(email):
    """Erase an address (PIPEDA): the subscriber, their consent records and deliveries go.

    A suppression stays (it is what keeps mail from ever reaching them again, which they
    asked for or their server demanded). Returns whether there was a subscriber to erase.
    """
    email = normalise_email(email)
    with transaction.atomic():
        deleted, _detail = Subscriber.objects.filter(email=email).delete()
    logger.info("Newsletter subscriber %s erased", mask_email(email))
    return bool(deleted)


def suppress(email, reason):
    """Never mail ``email`` again (hard bounce, complaint, or by hand); a complaint also
    unsubscribes it from everything. Idempotent: the first reason is kept."""
    email = normalise_email(email)
    with transaction.atomic():
        suppression, created = Suppression.objects.get_or_create(
            email=email, defaults={"reason": reason}
        )
        if reason == Suppression.Reason.COMPLAINT:
            subscriber = Subscriber.objects.filter(email=email).first()
            if subscriber is not None:
                for s in subscriber.subscriptions.exclude(
                    status=Subscription.Status.UNSUBSCRIBED
                ).select_related("list"):
                    unsubscribe(subscriber, s.list, Subscription.How.COMPLAINT)
    if created:
        logger.info("Newsletter address %s suppressed (%s)", mask_email(email), reason)
    return suppression


def default_issue(list, *, by=None, now=None, scheduled_for=None):
    """A draft issue of ``list`` filled with the default stories: the front page's top
    stories (the section's newest for a section digest), then the readers' top rated,
    each once, in the list's language. With ``scheduled_for`` (a day) it goes out by itself
    at the list's send time that day."""
    from .content import default_stories, default_subject

    now = timezone.now() if now is None else now
    stories = default_stories(list, now)
    with transaction.atomic():
        issue = Issue.objects.create(
            list=list,
            subject=default_subject(list, now),
            created_by=by,
            scheduled_for=scheduled_for,
        )
        IssueStory.objects.bulk_create(
            IssueStory(issue=issue, article=story, position=n) for n, story in enumerate(stories)
        )
    return issue


def send_issue(issue, *, by=None):
    """Start sending ``issue`` to every confirmed, unsuppressed subscriber of its list.

    One ``Delivery`` row per reader is written in one statement (unique per issue and
    subscriber, so calling this twice adds nobody twice), then the worker sends them in
    batches (``newsletters.sending``). Raises ``ValidationError`` for an issue already sent
    or without stories.
    """
    from . import sending, tasks

    if settings.PRODUCTION and not settings.NEWSLETTER_POSTAL_ADDRESS.strip():
        raise ValidationError(
            _(
                "Newsletters cannot be sent until the outlet's postal address is set "
                "(NEWSLETTER_POSTAL_ADDRESS): Canada's anti-spam law requires it in every mail."
            ),
            code="no_postal_address",
        )
    with transaction.atomic():
        issue = Issue.objects.select_for_update().get(pk=issue.pk)
        if issue.status == Issue.Status.SENT:
            raise ValidationError(_("This issue has already been sent."), code="sent")
        if not issue.entries.exists():
            raise ValidationError(
                _("Add at least one story before sending the issue."), code="empty"
            )
        sending.create_deliveries(issue)
        if issue.status == Issue.Status.DRAFT:
            issue.status = Issue.Status.SENDING
            issue.send_started_at = timezone.now()
        issue.recipient_count = issue.deliveries.count()
        issue.save(update_fields=["status", "send_started_at", "recipient_count"])
        transaction.on_commit(partial(tasks.queue_send, issue.pk))
    return issue


def send_test(issue, user):
    """Mail ``issue`` to ``user``'s own address, as a reader gets it (the links point to a
    stand-in subscriber and do nothing). Raises ``ValidationError`` if the user has no
    address."""
    from . import mail

    if not user.email:
        raise ValidationError(_("Add an email address to your account to receive a test."))
    message = mail.proof_message(issue, user.email)
    message.send()
    return message
