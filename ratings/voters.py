"""The reader's voter id: a random UUID in a signed, long-lived, HttpOnly cookie.

The cookie only says "the same browser as before"; it holds nothing about the reader. It is
set by the first private request a story page makes (``ensure_voter``), or by the first
vote when a browser loads neither.
Signing stops anyone from choosing an id (say, someone else's) by editing the cookie.
"""

import uuid

from django.conf import settings

VOTER_COOKIE = "nr_voter"
VOTER_COOKIE_SALT = "ratings.voter"
VOTER_COOKIE_MAX_AGE = 2 * 365 * 24 * 60 * 60  # two years


def voter_id(request):
    """The voter id from the request's cookie, or None when missing or tampered with."""
    value = request.get_signed_cookie(VOTER_COOKIE, default=None, salt=VOTER_COOKIE_SALT)
    if value is None:
        return None
    try:
        return uuid.UUID(value)
    except ValueError:
        return None


def new_voter_id():
    return uuid.uuid4()


def remember_voter(response, voter):
    response.set_signed_cookie(
        VOTER_COOKIE,
        str(voter),
        salt=VOTER_COOKIE_SALT,
        max_age=VOTER_COOKIE_MAX_AGE,
        httponly=True,
        samesite="Lax",
        secure=settings.SESSION_COOKIE_SECURE,
    )


def ensure_voter(request, response):
    """Give a reader without a voter id one now, before their first vote.

    Called by the private requests a story page makes (the live summary and the no-JS
    stylesheet), so a double-click, or two tabs voting at once, carry the same id and are
    stored as one vote even the very first time. Never called for cached public pages:
    they must carry no Set-Cookie.
    """
    if voter_id(request) is None:
        remember_voter(response, new_voter_id())
    return response
