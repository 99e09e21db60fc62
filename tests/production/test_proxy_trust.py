"""Forwarded headers count only from the proxies in TRUSTED_PROXIES; gunicorn listens locally.

The vote and sign-in limits per address are in tests/ratings/test_abuse_limits.py and
tests/production/test_login_throttle.py; nginx's side in test_nginx_config.py.
"""

import runpy

import pytest
from django.test import RequestFactory

from devtools.cluster import ROOT
from newsroom.addresses import ForwardedHeadersMiddleware

pytestmark = pytest.mark.django_db

FORGED = {
    "HTTP_X_FORWARDED_FOR": "198.51.100.1",
    "HTTP_X_FORWARDED_PROTO": "https",
    "HTTP_X_FORWARDED_HOST": "evil.example",
    "HTTP_X_REAL_IP": "198.51.100.1",
    "HTTP_FORWARDED": "for=198.51.100.1;proto=https",
}


@pytest.fixture
def behind_nginx(settings):
    """Production's HTTPS settings, with nginx on this host as the one trusted proxy."""
    settings.TRUSTED_PROXIES = ["127.0.0.1"]
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    settings.SECURE_SSL_REDIRECT = True
    return settings


def test_x_forwarded_proto_from_an_untrusted_peer_does_not_make_the_request_secure(
    client, behind_nginx
):
    """Sent past the proxy over plain HTTP, "https" is not believed: the HTTPS redirect."""
    response = client.get("/", REMOTE_ADDR="192.0.2.9", HTTP_X_FORWARDED_PROTO="https")
    assert response.status_code == 301
    assert response["Location"].startswith("https://")


def test_x_forwarded_proto_from_the_trusted_proxy_is_believed(client, behind_nginx):
    response = client.get("/", REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_PROTO="https")
    assert response.status_code == 200


def _seen_by_the_view(remote):
    seen = {}

    def view(request):
        seen.update(request.META)

    ForwardedHeadersMiddleware(view)(RequestFactory().get("/", REMOTE_ADDR=remote, **FORGED))
    return seen


def test_forwarded_headers_from_an_untrusted_peer_never_reach_the_site(settings):
    settings.TRUSTED_PROXIES = ["127.0.0.1", "10.0.0.0/8"]
    seen = _seen_by_the_view("192.0.2.9")
    assert not set(FORGED) & set(seen)
    assert seen["REMOTE_ADDR"] == "192.0.2.9"


def test_forwarded_headers_from_a_trusted_proxy_are_kept(settings):
    settings.TRUSTED_PROXIES = ["127.0.0.1", "10.0.0.0/8"]
    seen = _seen_by_the_view("10.1.2.3")
    assert {name: seen[name] for name in FORGED} == FORGED


def test_with_no_trusted_proxies_no_forwarded_header_counts(settings):
    settings.TRUSTED_PROXIES = []
    assert not set(FORGED) & set(_seen_by_the_view("127.0.0.1"))


def _gunicorn_config(monkeypatch, **env):
    for name in ("BIND", "PORT", "FORWARDED_ALLOW_IPS", "TRUSTED_PROXIES"):
        monkeypatch.delenv(name, raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    return runpy.run_path(str(ROOT / "newsroom" / "gunicorn.conf.py"))


def test_gunicorn_listens_on_the_loopback_address_by_default(monkeypatch):
    """Only a proxy on the same machine reaches it unless BIND says otherwise."""
    assert _gunicorn_config(monkeypatch)["bind"] == "127.0.0.1:8000"
    assert _gunicorn_config(monkeypatch, PORT="8010")["bind"] == "127.0.0.1:8010"


def test_bind_opens_gunicorn_to_other_machines(monkeypatch):
    assert _gunicorn_config(monkeypatch, BIND="0.0.0.0:8000")["bind"] == "0.0.0.0:8000"


def test_gunicorn_believes_x_forwarded_proto_from_the_same_proxies_as_django(monkeypatch):
    assert _gunicorn_config(monkeypatch)["forwarded_allow_ips"] == ""
    config = _gunicorn_config(monkeypatch, TRUSTED_PROXIES="127.0.0.1, 10.0.0.5/8")
    assert config["forwarded_allow_ips"] == "127.0.0.1/32,10.0.0.0/8"
    config = _gunicorn_config(monkeypatch, TRUSTED_PROXIES="10.0.0.5", FORWARDED_ALLOW_IPS="*")
    assert config["forwarded_allow_ips"] == "*"


def test_any_host_without_a_site_url_is_a_deployment_warning(settings):
    """The links' origin would then be whatever Host header a client sends."""
    from newsroom import checks

    settings.SITE_URL, settings.ALLOWED_HOSTS = "", ["*"]
    assert [w.id for w in checks.request_host_is_checked(None)] == ["newsroom.W003"]
    settings.SITE_URL = "https://news.example.ca"
    assert checks.request_host_is_checked(None) == []
    settings.SITE_URL, settings.ALLOWED_HOSTS = "", ["news.example.ca"]
    assert checks.request_host_is_checked(None) == []
