"""The push endpoint: an agency POSTs one item, signed with the shared secret.

``X-Wire-Signature: sha256=<hex>``, the HMAC-SHA256 of the exact body with
``WIRE_PUSH_SECRET``. A missing or wrong signature answers 403 and stores nothing. A good
one stores the raw item (nothing is parsed here) and queues the worker; 202 Accepted.
"""

import hashlib
import hmac
import logging

from django.conf import settings
from django.db import transaction
from django.http import HttpResponse, HttpResponseForbidden, JsonResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from . import tasks
from .models import InboundItem

logger = logging.getLogger(__name__)

HEADER = "X-Wire-Signature"


def signature(body, secret):
    """The header's value for ``body``: what an agency computes (docs/how-to/wire.md)."""
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def signed(request):
    secret = settings.WIRE_PUSH_SECRET
    given = request.headers.get(HEADER, "")
    if not secret or not given:
        return False
    return hmac.compare_digest(given.strip(), signature(request.body, secret))


@csrf_exempt  # machine to machine: the signature is the proof, there is no session
@require_POST
def push(request):
    if len(request.body) > settings.WIRE_MAX_PUSH_BYTES:
        return HttpResponse(
            "The item is larger than this endpoint accepts.", status=413, content_type="text/plain"
        )
    if not signed(request):
        logger.warning("Wire push refused: missing or wrong signature")
        return HttpResponseForbidden(
            "Missing or wrong signature (X-Wire-Signature: sha256=HMAC of the body).",
            content_type="text/plain",
        )
    if not request.body.strip():
        return HttpResponse(
            "The body is empty: send one item.", status=400, content_type="text/plain"
        )
    inbound = InboundItem.objects.create(raw=request.body)
    transaction.on_commit(lambda: tasks.queue_inbound(inbound.pk))
    return JsonResponse({"queued": inbound.pk}, status=202)
