"""The wire's background work, run by the worker; each task a thin call into the module doing it.

- ``process_inbound``: a pushed item, stored by the endpoint, is ingested.
- ``poll`` (beat, every ``WIRE_POLL_SECONDS``): the inbox folder, then any pushed item whose
  task was lost (a broker outage when it arrived): the sweep is the retry.
- ``expire`` (beat, nightly): unused items older than ``WIRE_EXPIRY_DAYS``.
"""

import logging
from datetime import timedelta

from celery import shared_task
from django.conf import settings
from django.db import transaction
from django.utils import timezone

from newsroom.breaker import breaker

from . import inbox, ingest, services
from .models import InboundItem, Source

logger = logging.getLogger(__name__)

# A pushed item waiting longer than this lost its task: the next poll ingests it.
LOST_AFTER = timedelta(seconds=60)


def queue_inbound(inbound_id):
    """Queue a pushed item's task; a broker outage leaves it for the next poll."""
    broker = breaker("Celery broker", settings.BROKER_BREAKER_SECONDS)
    if not broker.allow():
        return
    try:
        process_inbound.delay(inbound_id)
    except Exception:
        broker.failed()
        logger.exception("Could not queue wire item %s; the next poll takes it", inbound_id)
    else:
        broker.succeeded()


def process(inbound_id):
    """Ingest one pushed item and forget the raw copy, in one transaction."""
    with transaction.atomic():
        inbound = (
            InboundItem.objects.select_for_update(skip_locked=True).filter(pk=inbound_id).first()
        )
        if inbound is None:
            return None  # done already, or being done by another worker
        outcome = ingest.ingest(bytes(inbound.raw), source=Source.PUSH, name=f"push-{inbound.pk}")
        inbound.delete()
    return outcome


@shared_task(ignore_result=True)
def process_inbound(inbound_id):
    process(inbound_id)


def poll_all():
    counts = inbox.poll()
    lost = InboundItem.objects.filter(received_at__lt=timezone.now() - LOST_AFTER)
    for inbound_id in lost.values_list("pk", flat=True):
        outcome = process(inbound_id)
        if outcome is not None:
            counts[outcome.result] = counts.get(outcome.result, 0) + 1
    return counts


@shared_task(ignore_result=True)
def poll():
    poll_all()


@shared_task(ignore_result=True)
def expire():
    services.expire()
