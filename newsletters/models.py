"""Lists, subscribers and their consent, suppressions, issues and per-reader deliveries.

The consent record (CASL's express consent) lives on ``Subscription``: the wording the reader
saw, when, on which page, and when they confirmed or left. No IP address is stored.
A ``Delivery`` row per (issue, subscriber), unique, is what makes a send idempotent: the
worker claims rows with a lease and marks each one sent as soon as the mail server accepts it
(``newsletters.sending``).
"""

import datetime
import zoneinfo

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from articles import languages
from articles.models import Article, Section


def normalise_email(email):
    """One spelling per address: surrounding space removed, lower case throughout.

    The local part is case-sensitive in theory and never in practice; one reader typing
    ``Ana@`` and ``ana@`` must be one subscriber, once.
    """
    return (email or "").strip().lower()


def mask_email(email):
    """``ana.tremblay@example.ca`` → ``a***@example.ca``: for logs and the desk without the
    address permission."""
    local, _at, domain = (email or "").partition("@")
    return f"{local[:1]}***@{domain}" if domain else "***"


def _toronto():
    """Send times are Toronto's (the site's zone), whatever zone a request has activated."""
    return zoneinfo.ZoneInfo(settings.TIME_ZONE)


class NewsletterListQuerySet(models.QuerySet):
    def active(self):
        return self.filter(active=True)

    def scheduled(self):
        """Lists that go out by themselves: a send time, and not an alert."""
        return self.exclude(kind=NewsletterList.Kind.ALERT).filter(send_time__isnull=False)

    def with_subscriber_count(self):
        return self.annotate(
            subscriber_count=models.Count(
                "subscriptions",
                filter=models.Q(subscriptions__status=Subscription.Status.CONFIRMED),
            )
        )


class NewsletterList(models.Model):
    class Kind(models.TextChoices):
        DIGEST = "digest", _("Daily digest")
        SECTION_DIGEST = "section", _("Section digest")
        ALERT = "alert", _("Breaking-news alert")

    name = models.CharField(_("name"), max_length=120)
    slug = models.SlugField(_("slug"), max_length=80, unique=True)
    language = models.CharField(
        _("language"), max_length=2, choices=languages.CHOICES, default=languages.DEFAULT
    )
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.DIGEST)
    section = models.ForeignKey(
        Section,
        verbose_name=_("section"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="newsletter_lists",
        help_text=_("For a section digest: the section whose stories it carries."),
    )
    send_time = models.TimeField(
        _("send time"),
        null=True,
        blank=True,
        help_text=_("Toronto time. Leave empty for alerts, which go when an editor sends them."),
    )
    description = models.TextField(
        _("description"), blank=True, help_text=_("Shown to readers on the sign-up page.")
    )
    active = models.BooleanField(
        _("active"), default=True, help_text=_("Inactive lists take no new subscribers.")
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now)

    objects = NewsletterListQuerySet.as_manager()

    class Meta:
        verbose_name = _("newsletter")
        verbose_name_plural = _("newsletters")
        ordering = ["language", "name"]

    def __str__(self):
        return self.name

    @property
    def is_scheduled(self):
        """Digests with a send time go out by themselves; alerts are sent by hand."""
        return self.kind != self.Kind.ALERT and self.send_time is not None

    def send_moment(self, day):
        """When ``day``'s issue is due: the send time on that day in Toronto, as an aware
        moment. A time that does not exist that day (spring forward) is read with the offset
        before the change, so it falls an hour later; a time that happens twice (fall back)
        is the first of the two."""
        return datetime.datetime.combine(day, self.send_time).replace(tzinfo=_toronto())

    def last_due_day(self, now):
        """The day whose send time is the latest at or before ``now`` (today or yesterday)."""
        today = timezone.localdate(now, _toronto())
        if self.send_moment(today) <= now:
            return today
        return today - datetime.timedelta(days=1)

    def next_send_day(self, now):
        """The first day whose send time is still to come."""
        return self.last_due_day(now) + datetime.timedelta(days=1)


class Subscriber(models.Model):
    email = models.EmailField(_("email address"), max_length=254, unique=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now)

    class Meta:
        verbose_name = _("subscriber")
        verbose_name_plural = _("subscribers")
        constraints = [
            # Addresses are stored lower-cased (normalise_email); this holds any other path too.
            models.UniqueConstraint(Lower("email"), name="newsletters_subscriber_email_ci"),
        ]
        permissions = [
            ("view_subscriber_address", _("Can see subscribers' email addresses")),
        ]

    def __str__(self):
        return mask_email(self.email)

    def save(self, *args, **kwargs):
        self.email = normalise_email(self.email)
        super().save(*args, **kwargs)


class SubscriptionQuerySet(models.QuerySet):
    def confirmed(self):
        return self.filter(status=Subscription.Status.CONFIRMED)


class Subscription(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting for confirmation")
        CONFIRMED = "confirmed", _("Confirmed")
        UNSUBSCRIBED = "unsubscribed", _("Unsubscribed")

    class How(models.TextChoices):
        """How a reader left (the unsubscribed count says which door they used)."""

        ONE_CLICK = "one-click", _("One-click (mail program)")
        LINK = "link", _("Unsubscribe link")
        PREFERENCES = "preferences", _("Preferences page")
        COMPLAINT = "complaint", _("Spam complaint")
        DESK = "desk", _("Desk")

    subscriber = models.ForeignKey(
        Subscriber, on_delete=models.CASCADE, related_name="subscriptions"
    )
    list = models.ForeignKey(
        NewsletterList,
        verbose_name=_("newsletter"),
        on_delete=models.CASCADE,
        related_name="subscriptions",
    )
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.PENDING
    )
    # The consent record (CASL s. 10: express consent, its purpose and who asked).
    consent_wording = models.TextField(_("consent wording shown"))
    consented_at = models.DateTimeField(_("consent given"), default=timezone.now)
    source_path = models.CharField(_("page of sign-up"), max_length=300, blank=True)
    confirmed_at = models.DateTimeField(_("confirmed"), null=True, blank=True)
    unsubscribed_at = models.DateTimeField(_("unsubscribed"), null=True, blank=True)
    unsubscribed_how = models.CharField(
        _("unsubscribed by"), max_length=12, choices=How.choices, blank=True
    )

    objects = SubscriptionQuerySet.as_manager()

    class Meta:
        verbose_name = _("subscription")
        verbose_name_plural = _("subscriptions")
        constraints = [
            models.UniqueConstraint(
                fields=["subscriber", "list"], name="newsletters_one_subscription_per_list"
            ),
        ]
        indexes = [models.Index(fields=["list", "status"])]

    def __str__(self):
        return f"{self.subscriber} → {self.list}"


class Suppression(models.Model):
    """An address no newsletter is ever sent to again, whatever its subscriptions say."""

    class Reason(models.TextChoices):
        HARD_BOUNCE = "bounce", _("Hard bounce")
        COMPLAINT = "complaint", _("Spam complaint")
        MANUAL = "manual", _("Added by hand")

    email = models.EmailField(_("email address"), max_length=254, unique=True)
    reason = models.CharField(_("reason"), max_length=10, choices=Reason.choices)
    at = models.DateTimeField(_("suppressed"), default=timezone.now)

    class Meta:
        verbose_name = _("suppressed address")
        verbose_name_plural = _("suppressed addresses")
        ordering = ["-at"]

    def __str__(self):
        return mask_email(self.email)

    def save(self, *args, **kwargs):
        self.email = normalise_email(self.email)
        super().save(*args, **kwargs)


class IssueQuerySet(models.QuerySet):
    def scheduled_for_day(self, newsletter_list, day):
        return self.filter(list=newsletter_list, scheduled_for=day)


class Issue(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SENDING = "sending", _("Sending")
        SENT = "sent", pgettext_lazy("newsletter status", "Sent")

    class NotSent(models.TextChoices):
        """Why a scheduled issue did not go out at its time (the desk shows it)."""

        EMPTY = "empty", _("it had no stories")
        LATE = "late", _("the send time had passed too long ago (no worker was running)")
        REFUSED = "refused", _("sending was refused (see the worker's log)")

    list = models.ForeignKey(
        NewsletterList,
        verbose_name=_("newsletter"),
        on_delete=models.PROTECT,
        related_name="issues",
    )
    subject = models.CharField(_("subject"), max_length=200)
    introduction = models.TextField(
        _("introduction"), blank=True, help_text=_("A few sentences above the stories.")
    )
    stories = models.ManyToManyField(
        Article, through="IssueStory", related_name="newsletter_issues", blank=True
    )
    status = models.CharField(
        _("status"), max_length=8, choices=Status.choices, default=Status.DRAFT
    )
    scheduled_for = models.DateField(
        _("goes out on"),
        null=True,
        blank=True,
        help_text=_(
            "The day this issue goes out by itself at its newsletter's send time (Toronto "
            "time); you can edit it until then. Empty: it is sent by hand."
        ),
    )
    not_sent = models.CharField(
        _("not sent automatically because"), max_length=8, choices=NotSent.choices, blank=True
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    send_started_at = models.DateTimeField(_("sending started"), null=True, blank=True)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)
    recipient_count = models.PositiveIntegerField(
        _("recipients"), default=0, help_text=_("Deliveries queued when sending started.")
    )

    objects = IssueQuerySet.as_manager()

    class Meta:
        verbose_name = _("issue")
        verbose_name_plural = _("issues")
        ordering = ["-created_at"]
        constraints = [
            # One issue per list and day: two beats racing cannot make (or send) two.
            models.UniqueConstraint(
                fields=["list", "scheduled_for"],
                condition=models.Q(scheduled_for__isnull=False),
                name="newsletters_one_issue_per_list_and_day",
            ),
        ]

    def __str__(self):
        return self.subject

    def clean(self):
        """A day to go out on only for a list with a send time, not a day already past, and
        one issue per list and day (the constraint, said as a sentence)."""
        super().clean()
        if self.scheduled_for is None or self.list_id is None:
            return
        if not self.list.is_scheduled:
            raise ValidationError(
                {"scheduled_for": _("This newsletter has no send time: it is sent by hand.")}
            )
        # A set-aside issue of a past day may still be edited (to send it by hand), not moved
        # to another past day.
        stored = Issue.objects.filter(pk=self.pk).values_list("scheduled_for", flat=True).first()
        if self.scheduled_for != stored and self.scheduled_for < timezone.localdate(
            timezone=_toronto()
        ):
            raise ValidationError({"scheduled_for": _("This day has already passed.")})
        others = Issue.objects.scheduled_for_day(self.list, self.scheduled_for)
        if others.exclude(pk=self.pk).exists():
            raise ValidationError(
                {"scheduled_for": _("Another issue of this newsletter goes out that day.")}
            )

    def goes_out_at(self):
        """The moment this draft goes out by itself, or ``None``."""
        if self.status != self.Status.DRAFT or self.scheduled_for is None or self.not_sent:
            return None
        if not self.list.is_scheduled:
            return None
        return self.list.send_moment(self.scheduled_for)

    def ordered_stories(self):
        return [
            entry.article
            for entry in self.entries.select_related("article__section").order_by("position")
        ]

    def counts(self):
        """Deliveries by status, every status present (one query): the desk's figures."""
        found = dict(
            self.deliveries.values_list("status").annotate(n=models.Count("id")).order_by()
        )
        return {status: found.get(status, 0) for status in Delivery.Status.values}


class IssueStory(models.Model):
    issue = models.ForeignKey(Issue, on_delete=models.CASCADE, related_name="entries")
    article = models.ForeignKey(
        Article, verbose_name=_("story"), on_delete=models.CASCADE, related_name="+"
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        verbose_name = _("story in the issue")
        verbose_name_plural = _("stories in the issue")
        ordering = ["position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["issue", "article"], name="newsletters_story_once"),
        ]

    def __str__(self):
        return str(self.article_id)


class Delivery(models.Model):
    """One issue to one subscriber: created when sending starts, never twice (unique)."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        SENDING = "sending", _("Being sent")
        SENT = "sent", pgettext_lazy("newsletter status", "Sent")
        FAILED = "failed", _("Failed")
        BOUNCED = "bounced", _("Bounced")
        SKIPPED = "skipped", _("Skipped (unsubscribed or suppressed)")

    issue = models.ForeignKey(Issue, on_delete=models.CASCADE, related_name="deliveries")
    subscriber = models.ForeignKey(Subscriber, on_delete=models.CASCADE, related_name="deliveries")
    status = models.CharField(
        _("status"), max_length=8, choices=Status.choices, default=Status.QUEUED
    )
    # A worker's claim: the row is its own until then; past it, a killed worker's claim.
    lease_until = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    message_id = models.CharField(_("message id"), max_length=255, blank=True, db_index=True)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)
    error = models.CharField(_("error"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("delivery")
        verbose_name_plural = _("deliveries")
        constraints = [
            models.UniqueConstraint(
                fields=["issue", "subscriber"], name="newsletters_one_delivery_per_reader"
            ),
        ]
        indexes = [models.Index(fields=["issue", "status"])]

    def __str__(self):
        return f"{self.issue_id}/{self.subscriber_id}: {self.status}"
