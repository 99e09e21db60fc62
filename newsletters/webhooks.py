"""Providers' delivery events, through anymail's tracking webhooks.

anymail receives the provider's POST at ``/newsletters/webhooks/<provider>/tracking/``,
checks it (its shared ``WEBHOOK_SECRET`` basic authentication and, where the provider signs,
the provider's signature: Mailgun's HMAC, Amazon SNS's certificate, …) and answers 400
without sending any signal when the check fails. What it passes on is handled here:
a hard bounce or a complaint suppresses the address (``services.suppress``); the delivery
it was for, found by its message id, is marked bounced.
"""

from . import services
from .models import Delivery, Suppression

# anymail's normalised event types: "bounced" is a permanent failure (a soft one is
# "deferred"), "complained" a spam report; "rejected" a provider refusing to send at all.
SUPPRESSING = {
    "bounced": Suppression.Reason.HARD_BOUNCE,
    "rejected": Suppression.Reason.HARD_BOUNCE,
    "complained": Suppression.Reason.COMPLAINT,
}


def on_tracking_event(sender, event, esp_name, **kwargs):
    reason = SUPPRESSING.get(event.event_type)
    if reason is None or not event.recipient:
        return
    services.suppress(event.recipient, reason)
    if event.event_type == "bounced" and event.message_id:
        Delivery.objects.filter(message_id=event.message_id, status=Delivery.Status.SENT).update(
            status=Delivery.Status.BOUNCED
        )
