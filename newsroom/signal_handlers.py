"""Every receiver of the project package, connected in ``NewsroomConfig.ready()``."""

import logging
import os
import time

from celery.signals import (
    before_task_publish,
    task_postrun,
    task_prerun,
    worker_process_shutdown,
    worker_ready,
)
from django.conf import settings
from django.contrib.auth.signals import user_logged_in, user_login_failed

from . import login_throttle, logs, metrics

logger = logging.getLogger(__name__)

REQUEST_ID_HEADER = "newsroom_request_id"


def connect():
    # The sign-in throttle counts failures per account and per client, and forgets an
    # account's failures once it signs in.
    user_login_failed.connect(login_throttle.record_failure, dispatch_uid="login-throttle-failure")
    user_logged_in.connect(login_throttle.record_success, dispatch_uid="login-throttle-success")
    # A task takes the request id along and says when it was sent (newsroom/logs.py,
    # newsroom/metrics.py); the worker sets the id again around it and logs its start and end.
    before_task_publish.connect(stamp_task, dispatch_uid="newsroom-stamp-task")
    task_prerun.connect(task_started, dispatch_uid="newsroom-task-started")
    task_postrun.connect(task_finished, dispatch_uid="newsroom-task-finished")
    worker_ready.connect(worker_started, dispatch_uid="newsroom-worker-metrics")
    worker_process_shutdown.connect(worker_process_gone, dispatch_uid="newsroom-worker-gone")


def stamp_task(sender=None, headers=None, **kwargs):
    if headers is None:
        return
    headers[metrics.SENT_AT_HEADER] = time.time()
    request_id = logs.current()
    if request_id:
        headers[REQUEST_ID_HEADER] = request_id


_tokens = {}


def task_started(sender=None, task_id=None, task=None, **kwargs):
    request = task.request
    # Run in the process that queued it (no broker): the request's own id is still current.
    request_id = getattr(request, REQUEST_ID_HEADER, None) or logs.current()
    _tokens[task_id] = logs.begin(request_id)
    sent_at = getattr(request, metrics.SENT_AT_HEADER, None)
    queue = (getattr(request, "delivery_info", None) or {}).get("routing_key") or "unknown"
    if sent_at:
        metrics.TASK_WAIT_SECONDS.labels(queue).observe(max(0.0, time.time() - float(sent_at)))
    logger.info("Task %s[%s] started", task.name, task_id, extra={"task": task.name})


def task_finished(sender=None, task_id=None, task=None, state=None, **kwargs):
    logger.info("Task %s[%s] finished: %s", task.name, task_id, state, extra={"task": task.name})
    token = _tokens.pop(task_id, None)
    if token is not None:
        try:
            logs.end(token)
        except ValueError:  # set in another context (a thread pool): nothing to undo here
            pass


def worker_started(sender=None, **kwargs):
    if settings.WORKER_METRICS_PORT:
        metrics.serve_worker_metrics(settings.WORKER_METRICS_PORT)


def worker_process_gone(sender=None, pid=None, **kwargs):
    metrics.process_gone(pid or os.getpid())
