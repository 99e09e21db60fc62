"""Deployment checks of our own, run by ``manage.py check --deploy``."""

from django.conf import settings
from django.core.checks import Tags, Warning, register


@register(Tags.compatibility, deploy=True)
def background_worker_configured(app_configs, **kwargs):
    """Production needs a broker: without one, tasks run inside the web processes."""
    if not settings.CELERY_TASK_ALWAYS_EAGER:
        return []
    return [
        Warning(
            "CELERY_BROKER_URL is not set, so background work (related lists, renditions) "
            "runs inside the web processes.",
            hint="Set CELERY_BROKER_URL (e.g. redis://cache:6379/1) and run scripts/worker.",
            id="newsroom.W001",
        )
    ]


# deploy/nginx/newsroom-locations.conf sends requests carrying this cookie past its page cache.
NGINX_SESSION_COOKIE = "sessionid"


@register(Tags.security, deploy=True)
def proxy_knows_the_session_cookie(app_configs, **kwargs):
    """nginx recognises signed-in editors by the session cookie's name."""
    if settings.PAGE_PROXY_SECONDS <= 0 or settings.SESSION_COOKIE_NAME == NGINX_SESSION_COOKIE:
        return []
    return [
        Warning(
            f"SESSION_COOKIE_NAME is {settings.SESSION_COOKIE_NAME!r}, but the nginx site "
            f"lets requests past its page cache by the cookie {NGINX_SESSION_COOKIE!r}.",
            hint="Replace $cookie_sessionid in deploy/nginx/newsroom-locations.conf with "
            f"$cookie_{settings.SESSION_COOKIE_NAME}, or set PAGE_PROXY_SECONDS=0.",
            id="newsroom.W002",
        )
    ]


@register(Tags.security, deploy=True)
def request_host_is_checked(app_configs, **kwargs):
    """Without SITE_URL the site's links are built on the request's Host header."""
    if settings.SITE_URL or "*" not in settings.ALLOWED_HOSTS:
        return []
    return [
        Warning(
            "ALLOWED_HOSTS accepts any host and SITE_URL is unset, so whatever Host header a "
            "client sends becomes the origin of the links in feeds, sitemaps and share links.",
            hint="Set SITE_URL to the site's canonical origin (https://news.example.ca), "
            "or list the site's host names in ALLOWED_HOSTS.",
            id="newsroom.W003",
        )
    ]
