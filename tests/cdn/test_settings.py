"""A purge backend that cannot work refuses to start, with a sentence."""

from tests.test_settings import STRONG, _run


def test_an_unknown_purge_backend_refuses_to_start():
    result = _run("check", CDN_PURGE_BACKEND="akamai", SECRET_KEY=STRONG)
    assert result.returncode != 0
    assert "CDN_PURGE_BACKEND must be one of none, varnish" in result.stderr


def test_varnish_without_its_address_refuses_to_start():
    result = _run("check", CDN_PURGE_BACKEND="varnish", SECRET_KEY=STRONG)
    assert result.returncode != 0
    assert "CDN_PURGE_URLS" in result.stderr
