"""Lists, subscribers and their consent, suppressions, issues and per-reader deliveries.

The consent record (CASL's express consent) lives on ``Subscription``: the wording the reader
saw, when, on which page, and when they confirmed or left. No IP address is stored.
A ``Delivery`` row per (issue, subscriber), unique, is what makes a send idempotent: the
worker claims rows with a lease and marks each one sent as soon as the mail server accepts it
(``newsletters.sending``).
"""

from django.conf import settings
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


class NewsletterListQuerySet(models.QuerySet):
    def active(self):
        return self.filter(active=True)

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


class Issue(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SENDING = "sending", _("Sending")
        SENT = "sent", pgettext_lazy("newsletter status", "Sent")

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
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    send_started_at = models.DateTimeField(_("sending started"), null=True, blank=True)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)
    recipient_count = models.PositiveIntegerField(
        _("recipients"), default=0, help_text=_("Deliveries queued when sending started.")
    )

    class Meta:
        verbose_name = _("issue")
        verbose_name_plural = _("issues")
        ordering = ["-created_at"]

    def __str__(self):
        return self.subject

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
