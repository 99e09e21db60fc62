"""Replicas of a database that cannot have any refuse to start, with a sentence."""

from tests.test_settings import STRONG, _run


def test_replicas_need_a_postgresql_primary():
    result = _run(
        "check",
        SECRET_KEY=STRONG,
        DATABASE_URL="sqlite:///tmp/x.sqlite3",
        DATABASE_REPLICA_URLS="postgres://postgres@127.0.0.1:5441/newsroom",
    )
    assert result.returncode != 0
    assert "DATABASE_REPLICA_URLS" in result.stderr
