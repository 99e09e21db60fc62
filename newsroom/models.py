"""What the admin sign-in throttle keeps (newsroom/login_throttle.py).

In the database rather than the cache, so the throttle holds while Redis is down and every
app server sees the same counts. Usernames and addresses are kept only as keyed hashes:
what someone typed in the username field is sometimes a password.
"""

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class FailedSignIn(models.Model):
    """One failed admin sign-in; rows older than the throttle window are deleted."""

    username_key = models.CharField(_("username (hashed)"), max_length=64)
    address_key = models.CharField(_("address (hashed)"), max_length=64)
    at = models.DateTimeField(_("time"), default=timezone.now)

    class Meta:
        verbose_name = _("failed sign-in")
        verbose_name_plural = _("failed sign-ins")
        # Given to the Editor group (articles/migrations/0006_editors_unlock_sign_in.py).
        permissions = [("unlock_signin", _("Can unlock an account locked out of sign-in"))]
        indexes = [
            models.Index(fields=["username_key", "at"], name="failed_signin_user_idx"),
            models.Index(fields=["address_key", "at"], name="failed_signin_address_idx"),
            models.Index(fields=["at"], name="failed_signin_at_idx"),
        ]

    def __str__(self):
        return f"{self._meta.verbose_name} {self.at:%Y-%m-%d %H:%M:%S}"


class KnownSignInAddress(models.Model):
    """An account that has signed in successfully from an address (an office, say).

    When strangers at that address trip the per-address limit, these accounts can still
    sign in from it (each under its own per-account limit).
    """

    username_key = models.CharField(_("username (hashed)"), max_length=64)
    address_key = models.CharField(_("address (hashed)"), max_length=64)
    last_success_at = models.DateTimeField(_("last successful sign-in"), default=timezone.now)

    class Meta:
        verbose_name = _("known sign-in address")
        verbose_name_plural = _("known sign-in addresses")
        constraints = [
            models.UniqueConstraint(
                fields=["username_key", "address_key"], name="known_signin_address_once"
            )
        ]

    def __str__(self):
        return f"{self._meta.verbose_name} {self.last_success_at:%Y-%m-%d}"
