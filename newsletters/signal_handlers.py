"""Every receiver of the newsletters app, connected in ``NewslettersConfig.ready()``.

A provider's tracking webhook (anymail checks its signature before sending the signal) that
reports a hard bounce or a complaint suppresses the address (``services.suppress``).
"""

from anymail.signals import tracking

from . import webhooks


def connect():
    tracking.connect(webhooks.on_tracking_event, dispatch_uid="newsletters-tracking")
