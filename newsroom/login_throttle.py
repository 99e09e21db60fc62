"""Slow down password guessing on the admin login.

After ``LOGIN_FAILURES_PER_USER`` failed logins for one username, or
``LOGIN_FAILURES_PER_ADDRESS`` from one client address, within ``LOGIN_LOCKOUT_SECONDS``,
further login attempts for that username or from that address are refused with 429 and a
sentence saying when to try again; the window restarts with each failure. A successful
login clears its username's count.

Why a small cache-based throttle rather than django-axes: the counters live in the shared
cache (Redis in production), so every app server sees them; it needs no migrations, no
change to ``AUTHENTICATION_BACKENDS`` and no ``request`` in ``authenticate()``, so the
test client's ``login()`` and the rewritten admin keep working unchanged. The trade-off:
if Redis is down the counters are not kept and logins are not throttled (the password
validators still apply); axes would keep them in the database.
"""

import hashlib

from django.conf import settings
from django.contrib.auth.signals import user_logged_in, user_login_failed
from django.core.cache import cache
from django.http import HttpResponse
from django.template import loader
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _

from .addresses import client_address


def _limits():
    return (
        getattr(settings, "LOGIN_FAILURES_PER_USER", 5),
        getattr(settings, "LOGIN_FAILURES_PER_ADDRESS", 30),
        getattr(settings, "LOGIN_LOCKOUT_SECONDS", 15 * 60),
    )


def _key(kind, value):
    digest = hashlib.sha256(str(value).strip().lower().encode()).hexdigest()[:32]
    return f"login-failures:{kind}:{digest}"


def _count_failure(key, window):
    cache.add(key, 0, timeout=window)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add() and incr()
        cache.set(key, 1, timeout=window)
        count = 1
    cache.touch(key, window)
    return count


def record_failure(sender, credentials, request=None, **kwargs):
    if request is None:
        return
    window = _limits()[2]
    username = credentials.get("username") or request.POST.get("username", "")
    if username:
        _count_failure(_key("user", username), window)
    _count_failure(_key("address", client_address(request)), window)


def record_success(sender, request, user, **kwargs):
    cache.delete(_key("user", user.get_username()))


def is_locked_out(request):
    per_user, per_address, _window = _limits()
    username = request.POST.get("username", "")
    counts = cache.get_many([_key("user", username), _key("address", client_address(request))])
    return (username and (counts.get(_key("user", username)) or 0) >= per_user) or (
        counts.get(_key("address", client_address(request))) or 0
    ) >= per_address


def connect_signals():
    user_login_failed.connect(record_failure, dispatch_uid="login-throttle-failure")
    user_logged_in.connect(record_success, dispatch_uid="login-throttle-success")


def locked_out_response(request):
    minutes = max(1, _limits()[2] // 60)
    message = _(
        "Too many failed sign-in attempts. For your account’s safety, sign-in is paused: "
        "try again in %(minutes)s minutes."
    ) % {"minutes": minutes}
    html = loader.render_to_string("429.html", {"message": message})
    response = HttpResponse(html, status=429)
    response["Retry-After"] = str(_limits()[2])
    response["Cache-Control"] = "no-store"
    return response


class LoginThrottleMiddleware:
    """Refuse login POSTs for a username or address that failed too often."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.method == "POST" and request.path in self.login_paths():
            if is_locked_out(request):
                return locked_out_response(request)
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
