"""Read replicas: readers' page reads go to a PostgreSQL streaming replica; the rest stays.

Configured by ``DATABASE_REPLICA_URLS`` (settings: one alias ``replica_<n>`` per address).
Without it there is one database and nothing here does anything.

Which reads may go to a replica is decided per request by ``ReplicaMiddleware``: only a
GET or HEAD, outside the admin (``/admin/``: the desk), carrying no session cookie (a
signed-in editor or reader) and no ``REPLICA_STICKY_COOKIE``. Everything else reads from the
primary: other methods, the admin, Celery tasks, management commands and migrations (the
router answers "primary" whenever no request allowed a replica). Inside an allowed request,
sessions and users are read from the primary all the same, and once the request writes (the
router is asked where to write) its later reads go to the primary too.

Read your own writes: a request that wrote, and any POST, PUT, PATCH or DELETE (a vote, a
sign-in), answers with the cookie ``REPLICA_STICKY_COOKIE`` for ``REPLICA_STICKY_SECONDS``,
and the client's requests carrying it read from the primary, so a reader who voted sees the
vote counted on the next request even if the replicas are a second behind.

A replica is used only while it is fresh enough. Each process checks each replica at most
every ``REPLICA_CHECK_SECONDS`` (one short query on each side, with a statement timeout):

- it is caught up when it has replayed the WAL position the primary had just before the
  check; then it holds every transaction committed before that moment (``fresh_as_of``);
- otherwise its lag is ``now() - pg_last_xact_replay_timestamp()`` and it is skipped while
  that is over ``REPLICA_MAX_LAG_SECONDS``;
- a replica that does not answer, or that is not in recovery (promoted: it no longer
  follows the primary), is skipped for ``REPLICA_BREAKER_SECONDS``
  (``newsroom.breaker``), then probed again by one request.

Pages that are kept: a page rendered for the page cache after an invalidation must not be
rendered from a replica that has not yet replayed the change, or the old page (an
unpublished story) would be kept again under the new generation for minutes, and a CDN
purged of it would fetch it back. The page cache tells this module how fresh its render
must be (``require_fresh_as_of``: the time of its groups' last invalidation), and a replica
is used for that request only if it was known to be caught up after that time; otherwise
the render reads from the primary. So for about ``REPLICA_CHECK_SECONDS`` after each
invalidation the pages it touched are rendered from the primary, and after that from the
replicas again.

A replica that fails in the middle of a request (stopped between two checks) costs that
request nothing but time: the middleware sees the database error, skips the replica and
runs the request again on the primary (a GET or HEAD, so running it again is harmless).
"""

import contextvars
import logging
import random
import threading
import time

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, InterfaceError, OperationalError, connections

from newsroom.breaker import breaker

logger = logging.getLogger(__name__)

DATABASE_ERRORS = (OperationalError, InterfaceError)
ALIAS_PREFIX = "replica_"
# Models read from the primary even in a reader's request: a session or a user read from a
# replica a moment after the sign-in wrote it would not be there yet.
PRIMARY_APPS = frozenset({"sessions", "auth", "admin"})
# The check's own statement timeout (milliseconds): a hung replica is skipped, not waited on.
CHECK_TIMEOUT_MS = 500


def replica_aliases():
    return [alias for alias in settings.DATABASES if alias.startswith(ALIAS_PREFIX)]


# --------------------------------------------------------------------------- per request


class _Reads:
    """What the current request allows: replicas or not, and which one it picked."""

    __slots__ = ("allowed", "wrote", "fresh_as_of", "alias", "failed")

    def __init__(self, allowed):
        self.allowed = allowed
        self.wrote = False
        self.fresh_as_of = 0.0
        self.alias = None  # None: not picked yet
        self.failed = False


_PRIMARY_ONLY = _Reads(allowed=False)
_current = contextvars.ContextVar("newsroom_replica_reads", default=_PRIMARY_ONLY)


def read_alias():
    """The database alias the current code should read from (the primary unless a reader's
    request allowed a fresh enough replica)."""
    reads = _current.get()
    if not reads.allowed or reads.wrote:
        return DEFAULT_DB_ALIAS
    if reads.alias is None:
        reads.alias = _pick(reads.fresh_as_of) or DEFAULT_DB_ALIAS
    return reads.alias


def require_fresh_as_of(moment):
    """The current request's reads must include every commit before ``moment`` (a Unix time).

    Called by the page cache before it renders a page it will keep; a replica picked earlier
    in the request that is not that fresh is given up for the primary.
    """
    reads = _current.get()
    if not reads.allowed or moment <= reads.fresh_as_of:
        return
    reads.fresh_as_of = moment
    if reads.alias not in (None, DEFAULT_DB_ALIAS) and not _states.fresh(reads.alias, moment):
        reads.alias = DEFAULT_DB_ALIAS


def noted_write():
    reads = _current.get()
    if reads is not _PRIMARY_ONLY:  # outside a request everything is on the primary anyway
        reads.wrote = True


class ReplicaRouter:
    """Django's database router: reads where ``read_alias`` says, writes and migrations on
    the primary."""

    def db_for_read(self, model, **hints):
        # No "instance" hint: a related object of a row read from either copy is the same
        # data, read where the request reads.
        if model is not None and model._meta.app_label in PRIMARY_APPS:
            return DEFAULT_DB_ALIAS
        return read_alias()

    def db_for_write(self, model, **hints):
        noted_write()
        return DEFAULT_DB_ALIAS

    def allow_relation(self, obj1, obj2, **hints):
        return True  # every alias holds the same data

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        return db == DEFAULT_DB_ALIAS


# --------------------------------------------------------------------------- replica health


class _ReplicaStates:
    """Per process: when each replica was last checked, and what was found."""

    def __init__(self):
        self._lock = threading.Lock()
        self._found = {}  # alias -> (checked at, monotonic; usable; fresh as of, Unix time)
        self._checking = set()

    def state(self, alias):
        """``(usable, fresh_as_of)``, checking the replica first when the last check is old."""
        found = self._found.get(alias)
        seconds = settings.REPLICA_CHECK_SECONDS
        if found is not None and time.monotonic() - found[0] < seconds:
            return found[1], found[2]
        with self._lock:
            if alias in self._checking:  # another thread is checking: use what is known
                return (found[1], found[2]) if found else (False, 0.0)
            self._checking.add(alias)
        try:
            usable, fresh_as_of = check(alias)
            with self._lock:
                self._found[alias] = (time.monotonic(), usable, fresh_as_of)
            return usable, fresh_as_of
        finally:
            with self._lock:
                self._checking.discard(alias)

    def fresh(self, alias, moment):
        usable, fresh_as_of = self.state(alias)
        return usable and fresh_as_of >= moment

    def failed(self, alias):
        with self._lock:
            self._found[alias] = (time.monotonic(), False, 0.0)

    def forget(self):
        with self._lock:
            self._found.clear()


_states = _ReplicaStates()


def forget_states():
    """Check every replica afresh on next use (tests; an operator's shell)."""
    _states.forget()


def _breaker(alias):
    return breaker(f"Database replica {alias}", settings.REPLICA_BREAKER_SECONDS)


def _pick(fresh_as_of):
    candidates = replica_aliases()
    random.shuffle(candidates)  # spread the readers over the replicas
    for alias in candidates:
        if _states.fresh(alias, fresh_as_of):
            return alias
    return None


PRIMARY_POSITION_SQL = "SELECT pg_current_wal_lsn()"
REPLICA_STATE_SQL = """
SELECT pg_is_in_recovery() AS in_recovery,
       COALESCE(pg_last_wal_replay_lsn() >= %(position)s::pg_lsn, false) AS caught_up,
       EXTRACT(EPOCH FROM now() - pg_last_xact_replay_timestamp()) AS lag
"""


def check(alias):
    """``(usable, fresh_as_of)`` of one replica, asked now (a short timeout on each side).

    ``fresh_as_of``: a Unix time before which every transaction the primary committed is
    visible on the replica.
    """
    gate = _breaker(alias)
    if not gate.allow():
        return False, 0.0
    started = time.time()
    try:
        with connections[DEFAULT_DB_ALIAS].cursor() as cursor:
            cursor.execute(PRIMARY_POSITION_SQL)
            (position,) = cursor.fetchone()
        replica = connections[alias]
        with replica.cursor() as cursor:
            cursor.execute(f"SET statement_timeout = {CHECK_TIMEOUT_MS}")
            cursor.execute(REPLICA_STATE_SQL, {"position": position})
            in_recovery, caught_up, lag = cursor.fetchone()
            cursor.execute("RESET statement_timeout")
    except Exception:
        gate.failed()
        _close(alias)
        logger.warning("Replica %s did not answer its check: reading from the primary", alias)
        return False, 0.0
    gate.succeeded()
    if not in_recovery:
        logger.warning("Replica %s is not in recovery (promoted?): not reading from it", alias)
        return False, 0.0
    if caught_up:
        return True, started
    if lag is None or float(lag) > settings.REPLICA_MAX_LAG_SECONDS:
        logger.warning("Replica %s lags %s s: reading from the primary", alias, lag)
        return False, 0.0
    return True, started - float(lag)


def _close(alias):
    try:
        connections[alias].close()
    except Exception:  # a dead connection may fail to close; it is dropped either way
        logger.debug("Closing the connection to %s failed", alias, exc_info=True)


# --------------------------------------------------------------------------- the middleware


def _admin_prefix():
    from django.urls import NoReverseMatch, reverse

    try:
        return reverse("admin:index")
    except NoReverseMatch:
        return "/admin/"


def replicas_allowed(request):
    """May this request's reads go to a replica? (see the module's docstring)"""
    return (
        request.method in ("GET", "HEAD")
        and settings.SESSION_COOKIE_NAME not in request.COOKIES
        and settings.REPLICA_STICKY_COOKIE not in request.COOKIES
        and not request.path.startswith(_admin_prefix())
    )


class ReplicaMiddleware:
    """Says per request whether reads may go to a replica; keeps a writer on the primary."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.enabled = bool(replica_aliases())

    def __call__(self, request):
        if not self.enabled:
            return self.get_response(request)
        reads = _Reads(allowed=replicas_allowed(request))
        token = _current.set(reads)
        try:
            response = self.get_response(request)
            if reads.failed:
                # The replica broke in the middle: the same request again, on the primary.
                logger.warning(
                    "Replica %s failed during %s: answered from the primary",
                    reads.alias,
                    request.path,
                )
                _current.reset(token)
                reads = _Reads(allowed=False)
                token = _current.set(reads)
                response = self.get_response(request)
        finally:
            _current.reset(token)
        if reads.wrote or request.method not in ("GET", "HEAD", "OPTIONS"):
            response.set_cookie(
                settings.REPLICA_STICKY_COOKIE,
                "1",
                max_age=settings.REPLICA_STICKY_SECONDS,
                secure=settings.SESSION_COOKIE_SECURE,
                httponly=True,
                samesite="Lax",
            )
        return response

    def process_exception(self, request, exception):
        """A database error while reading from a replica: skip it, let ``__call__`` retry."""
        reads = _current.get()
        if (
            isinstance(exception, DATABASE_ERRORS)
            and reads.allowed
            and reads.alias not in (None, DEFAULT_DB_ALIAS)
        ):
            reads.failed = True
            _breaker(reads.alias).failed()
            _states.failed(reads.alias)
            _close(reads.alias)
        return None
