"""A circuit breaker: after a service fails, stop asking it for a while, then probe once.

A service that refuses connections fails at once, but a hung one (it accepts and never
answers) costs every caller its full timeout. Short timeouts bound one call; the breaker
bounds the total: after a failure the service is skipped for ``seconds`` (callers get their
outage answer at once), then the next caller alone probes it while the others keep skipping.
A probe that succeeds closes the breaker; one that fails opens it again.

State is per process (each gunicorn or Celery worker learns of an outage by itself, at the
cost of one timeout) and shared by the threads of a process. Breakers are kept by name, so
every cache instance Django makes for the same Redis (one per thread) shares one.
"""

import logging
import threading
import time

logger = logging.getLogger(__name__)


class CircuitBreaker:
    def __init__(self, name, seconds):
        self.name = name
        self.seconds = seconds
        self._lock = threading.Lock()
        self._open_until = None  # None: closed
        self._probing = False

    @property
    def is_open(self):
        """True while callers skip the service (a probe in flight counts as open)."""
        return self._open_until is not None

    def allow(self):
        """May the caller use the service now? Closed: yes; open: no, except one probe."""
        if self._open_until is None:  # the common case, without the lock
            return True
        with self._lock:
            if self._open_until is None:
                return True
            if self._probing or time.monotonic() < self._open_until:
                return False
            self._probing = True
            return True

    def succeeded(self):
        if self._open_until is None:
            return
        with self._lock:
            if self._open_until is not None:
                logger.warning("%s answers again: using it again", self.name)
            self._open_until = None
            self._probing = False

    def failed(self):
        with self._lock:
            if self._open_until is None:
                logger.warning(
                    "%s did not answer: skipping it for %s s in this process",
                    self.name,
                    self.seconds,
                )
            self._open_until = time.monotonic() + self.seconds
            self._probing = False

    def reset(self):
        """Close the breaker (tests; an operator's shell after a fix)."""
        with self._lock:
            self._open_until = None
            self._probing = False


_breakers = {}
_registry_lock = threading.Lock()


def breaker(name, seconds):
    """The process's breaker for this service, made on first use."""
    with _registry_lock:
        found = _breakers.get(name)
        if found is None:
            found = _breakers[name] = CircuitBreaker(name, seconds)
        found.seconds = seconds  # the latest setting wins (tests override it)
        return found


def reset_all():
    with _registry_lock:
        for each in _breakers.values():
            each.reset()
