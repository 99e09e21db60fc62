"""Slow down password guessing on the admin sign-in, without locking a newsroom out.

Two limits, counted over the last ``LOGIN_LOCKOUT_SECONDS`` (15 minutes):

- **Per account, strict.** After ``LOGIN_FAILURES_PER_USER`` (5) failures for a username,
  sign-in for that username is refused with 429, even with the right password, until the
  oldest of those failures is older than the window, or an editor unlocks it
  (``python manage.py unlock_login <username>``). A successful sign-in clears the count.
- **Per address, bounded.** After ``LOGIN_FAILURES_PER_ADDRESS`` (30) failures from one
  client address (IPv6 grouped by /64), that address may only try accounts that have
  signed in successfully from it within ``LOGIN_KNOWN_ADDRESS_DAYS`` (90). A stranger
  behind an office's shared address who tries many accounts is stopped, but cannot lock
  the office's staff out: they have signed in from there before, and each of them keeps
  their own per-account limit. Someone signing in from a new address while it is over
  the limit waits for the window or asks for ``unlock_login --address``.

Why the database and not the cache: the counts must hold while Redis is down (with the
cache, an outage used to mean "no throttle", and a cache error even a 500), and every app
server must see the same counts. A failed sign-in is rare and costs one insert; a sign-in
attempt costs two indexed counts. Usernames and addresses are stored only as keyed hashes
(HMAC-SHA256 keyed from ``SECRET_KEY``; the username field sometimes holds a password).
"""

from datetime import timedelta

from django.conf import settings
from django.http import HttpResponse
from django.template import loader
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.translation import ngettext

from .addresses import address_hash, client_address


def _limits():
    return (
        getattr(settings, "LOGIN_FAILURES_PER_USER", 5),
        getattr(settings, "LOGIN_FAILURES_PER_ADDRESS", 30),
        getattr(settings, "LOGIN_LOCKOUT_SECONDS", 15 * 60),
    )


def username_key(username):
    normalized = str(username or "").strip().lower()
    return salted_hmac("newsroom.login.username", normalized, algorithm="sha256").hexdigest()


def address_key(address):
    """Keyed hash of an address (IPv6 by /64): ``newsroom.addresses.address_hash``."""
    return address_hash(address, "newsroom.login.address")


def _window_start(now):
    return now - timedelta(seconds=_limits()[2])


def record_failure(sender, credentials, request=None, **kwargs):
    from .models import FailedSignIn

    if request is None:
        return
    now = timezone.now()
    username = credentials.get("username") or request.POST.get("username", "")
    FailedSignIn.objects.filter(at__lt=_window_start(now)).delete()  # keep the table small
    FailedSignIn.objects.create(
        username_key=username_key(username),
        address_key=address_key(client_address(request)),
        at=now,
    )


def record_success(sender, request, user, **kwargs):
    from .models import FailedSignIn, KnownSignInAddress

    user_key = username_key(user.get_username())
    FailedSignIn.objects.filter(username_key=user_key).delete()
    if request is None or not request.META.get("REMOTE_ADDR"):
        return  # e.g. the test client's login(): no address to remember
    now = timezone.now()
    KnownSignInAddress.objects.update_or_create(
        username_key=user_key,
        address_key=address_key(client_address(request)),
        defaults={"last_success_at": now},
    )


def _known_at(user_key, addr_key, now):
    from .models import KnownSignInAddress

    days = getattr(settings, "LOGIN_KNOWN_ADDRESS_DAYS", 90)
    return KnownSignInAddress.objects.filter(
        username_key=user_key, address_key=addr_key, last_success_at__gte=now - timedelta(days)
    ).exists()


def seconds_locked(request):
    """Seconds until this sign-in attempt may be tried, or 0 when it may be tried now."""
    from .models import FailedSignIn

    per_user, per_address, window = _limits()
    now = timezone.now()
    since = _window_start(now)
    user_key = username_key(request.POST.get("username", ""))
    addr_key = address_key(client_address(request))
    recent = FailedSignIn.objects.filter(at__gte=since)

    if per_user > 0:
        # The lock lifts when the per_user-th most recent failure leaves the window.
        times = list(
            recent.filter(username_key=user_key)
            .order_by("-at")
            .values_list("at", flat=True)[:per_user]
        )
        if len(times) >= per_user:
            return _seconds_left(times[-1], window, now)

    if per_address > 0:
        times = list(
            recent.filter(address_key=addr_key)
            .order_by("-at")
            .values_list("at", flat=True)[:per_address]
        )
        if len(times) >= per_address and not _known_at(user_key, addr_key, now):
            return _seconds_left(times[-1], window, now)
    return 0


def _seconds_left(oldest_counted, window, now):
    return max(1, int((oldest_counted + timedelta(seconds=window) - now).total_seconds()) + 1)


def unlock(usernames=(), addresses=()):
    """Forget the failures of these accounts and addresses; returns how many were forgotten."""
    from .models import FailedSignIn

    keys = [username_key(name) for name in usernames]
    addr_keys = [address_key(address) for address in addresses]
    deleted = 0
    if keys:
        deleted += FailedSignIn.objects.filter(username_key__in=keys).delete()[0]
    if addr_keys:
        deleted += FailedSignIn.objects.filter(address_key__in=addr_keys).delete()[0]
    return deleted


def locked_accounts():
    """Active staff accounts that cannot sign in now (per-account limit reached)."""
    from django.contrib.auth import get_user_model
    from django.db.models import Count

    from .models import FailedSignIn

    per_user = _limits()[0]
    if per_user <= 0:
        return []
    locked_keys = set(
        FailedSignIn.objects.filter(at__gte=_window_start(timezone.now()))
        .values("username_key")
        .annotate(failures=Count("pk"))
        .filter(failures__gte=per_user)
        .values_list("username_key", flat=True)
    )
    if not locked_keys:
        return []
    staff = get_user_model()._default_manager.filter(is_staff=True, is_active=True)
    return [user for user in staff if username_key(user.get_username()) in locked_keys]


def locked_out_response(request, seconds):
    minutes = max(1, -(-seconds // 60))  # rounded up
    message = ngettext(
        "Too many failed sign-in attempts. For your account’s safety, sign-in is paused: "
        "try again in %(minutes)s minute, or ask an editor to unlock your account.",
        "Too many failed sign-in attempts. For your account’s safety, sign-in is paused: "
        "try again in %(minutes)s minutes, or ask an editor to unlock your account.",
        minutes,
    ) % {"minutes": minutes}
    html = loader.render_to_string("429.html", {"message": message})
    response = HttpResponse(html, status=429)
    response["Retry-After"] = str(seconds)
    response["Cache-Control"] = "no-store"
    return response


class LoginThrottleMiddleware:
    """Refuse sign-in POSTs for a locked account, or from an address over its limit."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.method == "POST" and request.path in self.login_paths():
            seconds = seconds_locked(request)
            if seconds:
                return locked_out_response(request, seconds)
        return self.get_response(request)

    @staticmethod
    def login_paths():
        paths = set()
        for name in getattr(settings, "LOGIN_THROTTLE_URL_NAMES", ["admin:login"]):
            try:
                paths.add(reverse(name))
            except NoReverseMatch:
                pass
        return paths
