"""PostgreSQL restarts while readers vote: clean 503s, then service again, no vote lost.

Runs a real production server (gunicorn, DEBUG off, persistent database connections)
against a throw-away PostgreSQL that the test restarts in the middle of a stream of votes.
"""

import threading
import time
import urllib.error
import urllib.request
from collections import Counter
from http.cookies import SimpleCookie

import pytest

pytestmark = pytest.mark.postgres

VOTER_COOKIE = "nr_voter"


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


opener = urllib.request.build_opener(NoRedirect)


def send(url, data=None, headers=None):
    """``(status, headers, body)``; an HTTP error status is an answer, not an exception."""
    request = urllib.request.Request(url, data=data, headers=headers or {})  # noqa: S310
    try:
        with opener.open(request, timeout=10) as response:
            return response.status, response.headers, response.read()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.headers, exc.read()


def voter_from(headers):
    """The voter id in the signed cookie the vote answer sets ("uuid:signature")."""
    for value in headers.get_all("Set-Cookie") or []:
        cookie = SimpleCookie(value)
        if VOTER_COOKIE in cookie:
            return cookie[VOTER_COOKIE].value.split(":", 1)[0]
    return None


def first_story(server):
    return server.query(
        "SELECT id, slug FROM articles_article WHERE status = 'published' "
        "AND language = 'en' AND publish_at <= now() ORDER BY id LIMIT 1"
    )[0]


def test_site_serves_again_after_a_database_restart(throwaway_postgres, production_server):
    story_id, slug = first_story(throwaway_postgres)
    url = f"{production_server}/story/{slug}/"
    assert send(url)[0] == 200
    throwaway_postgres.restart()
    # The workers' pooled connections are dead now; each must notice and reconnect.
    statuses = [send(url)[0] for _ in range(8)]
    assert set(statuses) <= {200, 503}, statuses
    assert statuses[-1] == 200
    assert send(f"{production_server}/healthz")[0] == 200


def test_votes_during_a_database_restart_are_never_lost_or_doubled(
    throwaway_postgres, production_server
):
    story_id, slug = first_story(throwaway_postgres)
    vote_url = f"{production_server}/ratings/{story_id}/vote/"
    if send(vote_url, data=b"stars=5", headers={"Origin": production_server})[0] == 404:
        pytest.skip("the ratings app has no vote endpoint here yet")
    before = throwaway_postgres.query(
        "SELECT count(*) FROM ratings_vote WHERE article_id = %s", [story_id]
    )[0][0]

    answers = []  # (status, voter id or None, seconds since start)
    lock = threading.Lock()
    stop = threading.Event()
    started = time.monotonic()

    def vote_repeatedly(n):
        stars = n % 5 + 1
        while not stop.is_set():
            try:
                status, headers, _ = send(
                    vote_url,
                    data=f"stars={stars}".encode(),
                    headers={
                        "Origin": production_server,
                        "Content-Type": "application/x-www-form-urlencoded",
                    },
                )
                voter = voter_from(headers) if status == 303 else None
            except OSError as exc:  # the connection itself failed: not a clean answer
                status, voter = f"connection error: {exc}", None
            with lock:
                answers.append((status, voter, time.monotonic() - started))

    threads = [threading.Thread(target=vote_repeatedly, args=(n,)) for n in range(6)]
    for thread in threads:
        thread.start()
    time.sleep(1.5)
    restart_at = time.monotonic() - started
    throwaway_postgres.restart()
    back_at = time.monotonic() - started
    time.sleep(2.0)
    stop.set()
    for thread in threads:
        thread.join(timeout=30)

    statuses = Counter(status for status, _, _ in answers)
    # Only clean answers: success (303 back to the story) or 503 "try again".
    assert set(statuses) <= {303, 503}, statuses
    assert any(s == 303 and t < restart_at for s, _, t in answers), "no vote before the restart"
    assert any(s == 303 and t > back_at for s, _, t in answers), "no vote after the restart"

    voters = [voter for status, voter, _ in answers if status == 303]
    assert None not in voters and len(set(voters)) == len(voters)
    rows = dict(
        throwaway_postgres.query(
            "SELECT voter::text, count(*) FROM ratings_vote WHERE article_id = %s GROUP BY voter",
            [story_id],
        )
    )
    missing = [v for v in voters if rows.get(v) != 1]
    assert missing == [], f"{len(missing)} successful votes not stored exactly once"
    # A vote whose answer was a 503 may or may not have committed, so rows >= successes.
    stored = sum(rows.values()) - before
    assert len(voters) <= stored <= len(voters) + statuses[503]
    # The kept summary still equals the votes.
    summary = throwaway_postgres.query(
        "SELECT vote_count FROM ratings_ratingsummary WHERE article_id = %s", [story_id]
    )[0][0]
    assert summary == sum(rows.values())
    print(f"answers: {dict(statuses)}; restart took {back_at - restart_at:.1f} s")
