"""The newsletters app's series, registered with the project's metrics (``newsroom.metrics``).

``newsroom_newsletter_mails_total`` (counter; ``outcome``): copies of issues by what became of
them in the sending worker: ``sent`` (the mail server took it), ``bounced`` (refused for good:
the address is suppressed), ``failed`` (given up after the retries), ``retried`` (put back
for a later attempt) and ``skipped`` (unsubscribed or suppressed since the send began).
A send's progress is its rate of ``sent``; a rise of ``bounced`` or ``failed`` is the runbook's
"a send goes wrong". Made at start-up (``NewslettersConfig.ready()``) so every process lists
it, even before its first send.
"""

from newsroom import metrics

MAILS = metrics.counter(
    "newsroom_newsletter_mails_total",
    "Newsletter copies by outcome: sent, bounced, failed, retried, skipped.",
    ("outcome",),
)


def count(outcome, amount=1):
    if amount:
        MAILS.labels(outcome=outcome).inc(amount)
