"""Partners' API keys: stored hashed, shown once, revoked by editors (``api.keys``)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class ApiKeyQuerySet(models.QuerySet):
    def active(self):
        """Keys that open the API: not revoked."""
        return self.filter(revoked_at__isnull=True)


class ApiKey(models.Model):
    """A partner's key. Only its SHA-256 is kept; its first characters (``prefix``) find it.

    A key is random (256 bits), so a fast hash is enough to keep it from being read back out
    of the database: there is nothing to guess that a slow hash would protect.
    """

    name = models.CharField(
        _("partner"),
        max_length=120,
        help_text=_("Who uses this key, e.g. “CBC mobile app” or “Radio-Canada syndication”."),
    )
    prefix = models.CharField(_("key starts with"), max_length=12, unique=True, editable=False)
    hashed_key = models.CharField(max_length=64, unique=True, editable=False)
    requests_per_minute = models.PositiveIntegerField(
        _("requests per minute"),
        null=True,
        blank=True,
        help_text=_("Leave empty for the partners' default limit."),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True, editable=False)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("revoked by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )

    objects = ApiKeyQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("API key")
        verbose_name_plural = _("API keys")

    def __str__(self):
        return f"{self.name} ({self.prefix}…)"

    @property
    def is_active(self):
        return self.revoked_at is None

    def limit_per_minute(self):
        if self.requests_per_minute is not None:
            return self.requests_per_minute
        return settings.API_KEY_REQUESTS_PER_MINUTE
