"""What the desk keeps of its own: each journalist's choice of the desk's language."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class DeskPreference(models.Model):
    """One staff user's desk settings (a row only once they chose something)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="desk_preference",
        verbose_name=_("user"),
    )
    # Empty: the browser's language (cookie, then Accept-Language), as before.
    language = models.CharField(
        _("desk language"),
        max_length=10,
        blank=True,
        choices=settings.LANGUAGES,
        help_text=_("The language of the desk's menus, buttons and messages."),
    )

    class Meta:
        verbose_name = _("desk preference")
        verbose_name_plural = _("desk preferences")

    def __str__(self):
        return str(self.user)
