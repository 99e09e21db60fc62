"""WSGI entry point (gunicorn newsroom.wsgi)."""

import logging
import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsroom.settings")

application = get_wsgi_application()
logger = logging.getLogger(__name__)


def warm_up():
    """Compile the site's templates and load the URL patterns and translations now.

    Django does all of this lazily, on the first request that needs it, which makes the first
    readers of every new worker wait tens of milliseconds. gunicorn imports this module once in
    its master process (``preload_app``), so the work is done once and every worker, including
    the ones started later to replace recycled workers, is forked with it already done.
    Nothing here opens a database connection (a connection must not cross a fork).
    """
    from django.conf import settings
    from django.template.loader import get_template
    from django.urls import get_resolver
    from django.utils import translation

    get_resolver().reverse_dict  # noqa: B018 (builds the reverse-lookup tables)
    for language, _name in settings.LANGUAGES:
        with translation.override(language):
            translation.gettext("Search")
    for directory in settings.TEMPLATES[0]["DIRS"]:
        for path in sorted(directory.rglob("*.html")):
            if "admin" not in path.relative_to(directory).parts:
                get_template(str(path.relative_to(directory)))


def warm_up_task_sending():
    """Import Celery's task-sending path now, without connecting to the broker.

    Celery and kombu import it lazily on the first task sent, so each worker's first save
    would import some 30 modules (about 2 MiB, the Redis transport, the result backend, the
    event dispatcher) and every worker would hold its own copy; imported here, in the master,
    the forked workers share it.
    """
    import celery.contrib.django.task  # noqa: F401 (the task class used when sending)
    import celery.events  # noqa: F401
    import kombu.mixins  # noqa: F401

    from newsroom.celery import app

    app.amqp.router  # noqa: B018 (the routing of task names to queues)
    app.backend  # noqa: B018
    app.events  # noqa: B018
    with app.connection_for_write() as connection:
        connection.transport  # noqa: B018 (the broker's transport module; no network I/O)
    "localhost".encode("idna")  # the codec the broker's host name goes through


def warm_up_worker():
    """Open this worker's database connection and run what the apps registered once.

    Called in each worker before its first request (gunicorn's ``post_worker_init``), so no
    reader pays for it (the apps register their steps: ``newsroom.warm_up``; the articles
    app runs the story page's queries). A database that is down now only means a cold
    start: it is logged.
    """
    from django.db import DatabaseError, connection

    from newsroom import warm_up as registered

    try:
        connection.ensure_connection()
        for step in registered.steps():
            step()
    except DatabaseError as error:
        logger.warning("Worker warm-up skipped, the database is not answering: %s", error)


warm_up()
warm_up_task_sending()
