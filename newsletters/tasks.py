"""The newsletters' background work, run by the worker's ``newsletters`` queue.

Each task is a thin call into ``newsletters.sending`` or ``newsletters.mail``; tests call
those directly. Every task is idempotent (deliveries are claimed, not counted), so Celery's
late acknowledgement may hand a killed worker's task out again, and ``resume_sending`` (the
beat, and each worker as it starts) queues again every issue left in the middle.
"""

import logging

from celery import shared_task
from celery.signals import worker_ready
from django.db import InterfaceError, OperationalError
from django.utils import timezone
from kombu.exceptions import OperationalError as BrokerError

from . import mail, schedule, sending
from .models import Issue, Subscription, mask_email

logger = logging.getLogger(__name__)

TRANSIENT = (
    OperationalError,
    InterfaceError,
    BrokerError,
    ConnectionError,
    TimeoutError,
    sending.MailServerUnavailable,
)
RETRY = {
    "autoretry_for": TRANSIENT,
    "retry_backoff": 5,
    "retry_backoff_max": 300,
    "max_retries": 10,
    "ignore_result": True,
}


def _queue(task, *args, **kwargs):
    """Send a task; a broker that does not answer is logged, and the beat's sweep (for
    issues) or the reader's next sign-up (for a confirmation) does it later."""
    try:
        task.apply_async(args, kwargs)
    except Exception:
        logger.warning("Could not queue %s; the sweep will", task.name, exc_info=True)


def queue_send(issue_id):
    _queue(send_issue, issue_id)


def queue_confirmation(subscription_id):
    _queue(send_confirmation, subscription_id)


@shared_task(**RETRY)
def send_issue(issue_id):
    """Send what is left of an issue; if another worker (or a killed one) holds rows, come
    back once its lease has passed."""
    state = sending.run(issue_id)
    if state == "waiting":
        until = sending.next_lease_end(issue_id)
        delay = max(1, int((until - timezone.now()).total_seconds()) + 1) if until else 1
        send_issue.apply_async((issue_id,), countdown=delay)
    return state


@shared_task(**RETRY)
def send_confirmation(subscription_id):
    subscription = (
        Subscription.objects.select_related("subscriber", "list")
        .filter(pk=subscription_id, status=Subscription.Status.PENDING)
        .first()
    )
    if subscription is None:  # confirmed or gone meanwhile
        return
    mail.confirmation_message(subscription).send()
    logger.info("Newsletter confirmation sent to %s", mask_email(subscription.subscriber.email))


@shared_task(ignore_result=True)
def resume_sending():
    """Queue every issue still sending (a worker killed in the middle, a lost message)."""
    for issue_id in Issue.objects.filter(status=Issue.Status.SENDING).values_list("pk", flat=True):
        queue_send(issue_id)


@shared_task(ignore_result=True)
def send_scheduled():
    """Send the digests whose send time has come (``newsletters.schedule``); the beat runs
    it every minute."""
    schedule.run()


@worker_ready.connect
def _resume_on_start(sender=None, **kwargs):
    """A worker that starts takes up issues left in the middle at once, not at the next beat."""
    try:
        resume_sending.delay()
    except Exception:
        logger.warning("Could not queue the newsletters' resume", exc_info=True)
