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
