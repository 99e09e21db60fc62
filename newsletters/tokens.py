"""Signed links in newsletter mail: no account, no stored secret per reader.

``django.core.signing`` with a salt per purpose, so a token made for one job (unsubscribe) is
refused by another (preferences) even though both carry a subscriber's id.

- confirmation: expires after ``NEWSLETTER_CONFIRMATION_DAYS`` and is single use: it names the
  subscription *and* the moment consent was given, and only a pending subscription with that
  very moment is confirmed by it;
- unsubscribe: names a subscriber and a list, works for ``NEWSLETTER_LINK_DAYS`` (months: a
  reader unsubscribes from an old issue);
- preferences: names a subscriber, works as long.

Each ``read_*`` returns the model objects or raises ``BadToken`` (altered, expired, or for a
subscriber or list that no longer exists), whose message is a sentence for the reader.
"""

from datetime import timedelta

from django.conf import settings
from django.core import signing
from django.utils.translation import gettext_lazy as _

from .models import NewsletterList, Subscriber, Subscription

CONFIRM_SALT = "newsletters.confirm"
UNSUBSCRIBE_SALT = "newsletters.unsubscribe"
PREFERENCES_SALT = "newsletters.preferences"


class BadToken(Exception):
    """A link that is altered, expired, already used or for something gone."""

    def __init__(self, message=None):
        super().__init__(message or _("This link is not valid. It may have been altered."))
        self.message = message or _("This link is not valid. It may have been altered.")


def _stamp(moment):
    return int(moment.timestamp() * 1_000_000)


def _load(token, salt, max_age):
    try:
        return signing.loads(token, salt=salt, max_age=max_age)
    except signing.SignatureExpired as exc:
        raise BadToken(_("This link has expired.")) from exc
    except signing.BadSignature as exc:
        raise BadToken() from exc


def confirmation_token(subscription):
    return signing.dumps(
        [subscription.pk, _stamp(subscription.consented_at)], salt=CONFIRM_SALT, compress=True
    )


def read_confirmation_token(token):
    """The pending ``Subscription`` this link confirms; ``BadToken`` otherwise (a link used
    once is refused: the subscription is no longer pending, or was given again since)."""
    data = _load(token, CONFIRM_SALT, timedelta(days=settings.NEWSLETTER_CONFIRMATION_DAYS))
    try:
        pk, stamp = int(data[0]), int(data[1])
    except (TypeError, ValueError, IndexError, KeyError) as exc:
        raise BadToken() from exc
    subscription = Subscription.objects.select_related("subscriber", "list").filter(pk=pk).first()
    if subscription is None or _stamp(subscription.consented_at) != stamp:
        raise BadToken(_("This confirmation link is no longer valid."))
    if subscription.status != Subscription.Status.PENDING:
        raise BadToken(_("This confirmation link has already been used."))
    return subscription


def unsubscribe_token(subscriber, newsletter_list):
    return signing.dumps([subscriber.pk, newsletter_list.pk], salt=UNSUBSCRIBE_SALT)


def read_unsubscribe_token(token):
    """``(subscriber, newsletter_list)`` this link unsubscribes; ``BadToken`` otherwise."""
    data = _load(token, UNSUBSCRIBE_SALT, timedelta(days=settings.NEWSLETTER_LINK_DAYS))
    try:
        subscriber_pk, list_pk = int(data[0]), int(data[1])
    except (TypeError, ValueError, IndexError, KeyError) as exc:
        raise BadToken() from exc
    subscriber = Subscriber.objects.filter(pk=subscriber_pk).first()
    newsletter_list = NewsletterList.objects.filter(pk=list_pk).first()
    if subscriber is None or newsletter_list is None:
        raise BadToken(_("This link is for a subscription that no longer exists."))
    return subscriber, newsletter_list


def preferences_token(subscriber):
    return signing.dumps(subscriber.pk, salt=PREFERENCES_SALT)


def read_preferences_token(token):
    """The ``Subscriber`` whose preferences this link opens; ``BadToken`` otherwise."""
    data = _load(token, PREFERENCES_SALT, timedelta(days=settings.NEWSLETTER_LINK_DAYS))
    try:
        pk = int(data)
    except (TypeError, ValueError) as exc:
        raise BadToken() from exc
    subscriber = Subscriber.objects.filter(pk=pk).first()
    if subscriber is None:
        raise BadToken(_("This link is for a subscription that no longer exists."))
    return subscriber
