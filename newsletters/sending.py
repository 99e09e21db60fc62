"""The worker's side of sending an issue: claim, send, record, one reader at a time.

Idempotency rests on one row per (issue, subscriber) (``Delivery``, unique), written when
sending starts. A worker claims a batch of rows by marking them ``sending`` with a lease
(``lease_until``), in one statement that skips rows another worker holds; it sends each mail
and marks that row ``sent`` the moment the mail server has accepted it, before the next.

- A worker killed in the middle leaves its claimed, unsent rows ``sending``; once their
  lease has passed, any worker claims them again. The rows already marked ``sent`` are never
  claimed again: nobody gets a second copy of a mail the server had accepted and we recorded.
- The one place a reader can get two copies is a kill between the server's "250 accepted"
  and our write that records it (well under a millisecond per mail). We choose to send
  again then (at-least-once), because a reader who misses a digest is worse for an outlet
  than one who rarely gets it twice; the copy carries the same Message-ID, which many
  mailbox providers use to drop it.
- Unsubscribed and suppressed readers are checked again for each batch, just before it is
  sent, and their rows are marked ``skipped``.

The rate (``NEWSLETTER_RATE_PER_SECOND``) is paced per sending process; the ``newsletters``
queue is consumed by one process (``scripts/worker``), so that is the outlet's rate.
"""

import logging
import smtplib
import time
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.core.mail.backends.smtp import EmailBackend as SMTPBackend
from django.db import DatabaseError, transaction
from django.db import connection as db
from django.db.models import Exists, OuterRef
from django.utils import timezone

from . import mail
from .metrics import count
from .models import Delivery, Issue, Subscriber, Subscription, Suppression, mask_email

logger = logging.getLogger(__name__)

MAX_ATTEMPTS = 5


@dataclass
class Reader:
    delivery_id: int
    pk: int  # the subscriber's
    email: str


def _tables():
    return {
        "delivery": Delivery._meta.db_table,
        "subscription": Subscription._meta.db_table,
        "subscriber": Subscriber._meta.db_table,
        "suppression": Suppression._meta.db_table,
    }


def create_deliveries(issue):
    """One queued row per confirmed, unsuppressed subscriber of the issue's list, in one
    statement; rows already there are left alone (calling it again adds nobody twice)."""
    sql = """
        INSERT INTO {delivery} (issue_id, subscriber_id, status, attempts, message_id, error)
        SELECT %s, s.subscriber_id, 'queued', 0, '', ''
        FROM {subscription} s
        JOIN {subscriber} r ON r.id = s.subscriber_id
        WHERE s.list_id = %s AND s.status = 'confirmed'
          AND NOT EXISTS (SELECT 1 FROM {suppression} x WHERE x.email = r.email)
        ON CONFLICT (issue_id, subscriber_id) DO NOTHING
    """.format(**_tables())  # noqa: S608 (table names from the models, values as parameters)
    with db.cursor() as cursor:
        cursor.execute(sql, [issue.pk, issue.list_id])


def claim(issue_id, size, lease_seconds, now=None):
    """Take up to ``size`` rows of ``issue_id`` that are queued, or whose lease has passed
    (a killed worker's), for ``lease_seconds``; committed at once. Returns their ids."""
    now = timezone.now() if now is None else now
    until = now + timedelta(seconds=lease_seconds)
    skip_locked = " FOR UPDATE SKIP LOCKED" if db.vendor == "postgresql" else ""
    sql = f"""
        UPDATE {Delivery._meta.db_table}
        SET status = 'sending', lease_until = %s, attempts = attempts + 1
        WHERE id IN (
            SELECT id FROM {Delivery._meta.db_table}
            WHERE issue_id = %s
              AND (status = 'queued' OR (status = 'sending' AND lease_until < %s))
            ORDER BY id
            LIMIT %s{skip_locked}
        )
        RETURNING id
    """  # noqa: S608
    with transaction.atomic(), db.cursor() as cursor:
        # A mail that killed its worker MAX_ATTEMPTS times is given up, not retried forever.
        Delivery.objects.filter(
            issue_id=issue_id,
            status=Delivery.Status.SENDING,
            lease_until__lt=now,
            attempts__gte=MAX_ATTEMPTS,
        ).update(status=Delivery.Status.FAILED, lease_until=None, error="gave up")
        cursor.execute(sql, [until, issue_id, now, size])
        return sorted(row[0] for row in cursor.fetchall())


def readers_to_send(issue, delivery_ids):
    """Of the claimed rows, those still to be sent (``Reader``s); the others (unsubscribed
    or suppressed since sending started) are marked ``skipped`` here.

    One query, each row checked with ``EXISTS`` on its own subscription (the unique
    subscriber-and-list index) and suppression: asking instead for "the list's confirmed
    subscriptions among these 500 subscribers" made PostgreSQL walk the whole list per
    batch, 7 ms a batch at the start of a 20,000-reader send and 210 ms at its end."""
    rows = (
        Delivery.objects.filter(pk__in=delivery_ids, status=Delivery.Status.SENDING)
        .annotate(
            confirmed=Exists(
                Subscription.objects.filter(
                    subscriber_id=OuterRef("subscriber_id"),
                    list_id=issue.list_id,
                    status=Subscription.Status.CONFIRMED,
                )
            ),
            suppressed=Exists(Suppression.objects.filter(email=OuterRef("subscriber__email"))),
        )
        .values_list("pk", "subscriber_id", "subscriber__email", "confirmed", "suppressed")
        .order_by("pk")
    )
    readers, skipped = [], []
    for pk, subscriber_id, email, confirmed, suppressed in rows:
        if confirmed and not suppressed:
            readers.append(Reader(pk, subscriber_id, email))
        else:
            skipped.append(pk)
    if skipped:
        count("skipped", len(skipped))
        Delivery.objects.filter(pk__in=skipped).update(
            status=Delivery.Status.SKIPPED, lease_until=None
        )
    return readers


def _mark(delivery_id, status, **fields):
    Delivery.objects.filter(pk=delivery_id, status=Delivery.Status.SENDING).update(
        status=status, lease_until=None, **fields
    )


def mark_sent(delivery_id, message_id, sent_at=None):
    """Record one accepted mail: the write made once per mail, before the next one is sent,
    so it is one ``UPDATE`` by primary key in SQL (through the ORM, building the query cost
    as much again as running it). Leaves the row as ``_mark(..., SENT, ...)`` would (a test
    compares them column by column)."""
    sql = f"""
        UPDATE {Delivery._meta.db_table}
        SET status = %s, lease_until = NULL, sent_at = %s, message_id = %s
        WHERE id = %s AND status = %s
    """  # noqa: S608 (the table name from the model, values as parameters)
    sent_at = timezone.now() if sent_at is None else sent_at
    with db.cursor() as cursor:
        cursor.execute(
            sql,
            [
                Delivery.Status.SENT,
                sent_at,
                message_id[:255],
                delivery_id,
                Delivery.Status.SENDING,
            ],
        )


def _release(delivery_ids):
    """Give claimed rows back (a mail server that went away): queued again at once."""
    Delivery.objects.filter(pk__in=delivery_ids, status=Delivery.Status.SENDING).update(
        status=Delivery.Status.QUEUED, lease_until=None
    )


class Pacer:
    """At most ``rate`` mails a second from this process on average (0: no limit).

    Mails are due at fixed intervals. One that goes out late (the process was not scheduled,
    a batch was being claimed) lets the next ones catch up, but only for ``slack`` seconds
    of lateness: without it, every stall on a busy machine was lost for good and the send
    ran well under its rate (110 a second paced at 150); with it, a long pause still brings
    no more than ``slack`` seconds' worth of mails at once."""

    def __init__(self, rate, clock=time.monotonic, sleep=time.sleep, slack=0.25):
        self.interval = 1.0 / rate if rate and rate > 0 else 0.0
        self.clock, self.sleep, self.slack = clock, sleep, slack
        self.next_at = clock()

    def wait(self):
        if not self.interval:
            return
        now = self.clock()
        if self.next_at > now:
            self.sleep(self.next_at - now)
        self.next_at = max(self.next_at, now - self.slack) + self.interval


class MailServerUnavailable(Exception):
    """The connection failed; the batch is given back and the send is retried later."""


def send_batch(issue_mail, readers, pacer):
    """Send each reader's copy over one connection and record each result at once."""
    connection = mail.connection()
    done = 0
    try:
        connection.open()
        for n, reader in enumerate(readers):
            pacer.wait()
            try:
                message_id = _send_one(issue_mail, reader, connection)
            except smtplib.SMTPRecipientsRefused as exc:
                code = next(iter(exc.recipients.values()), (0, b""))[0]
                _refused(reader, code, exc)
                continue
            except (smtplib.SMTPDataError, smtplib.SMTPSenderRefused) as exc:
                if 500 <= exc.smtp_code < 600:
                    _mark(reader.delivery_id, Delivery.Status.FAILED, error=str(exc)[:300])
                    count("failed")
                else:
                    _retry_later(reader, exc)
                continue
            except (smtplib.SMTPException, OSError) as exc:
                _release([r.delivery_id for r in readers[n:]])
                raise MailServerUnavailable(str(exc)) from exc
            mark_sent(reader.delivery_id, message_id)
            count("sent")
            done += 1
    except (smtplib.SMTPException, OSError) as exc:  # opening the connection
        _release([r.delivery_id for r in readers])
        raise MailServerUnavailable(str(exc)) from exc
    finally:
        try:
            connection.close()
        except (smtplib.SMTPException, OSError):
            pass
    return done


def _send_one(issue_mail, reader, connection):
    """Send one reader's copy; returns the Message-ID to record (the provider's, if any).

    Over Django's SMTP backend the prepared bytes go straight into the open SMTP
    conversation (``sendmail`` on the backend's ``connection``, as the backend itself does),
    skipping an ``EmailMessage`` and two address parsings per reader; the envelope sender
    is parsed once per issue. Other backends (anymail's providers) get the message."""
    if isinstance(connection, SMTPBackend) and connection.connection is not None:
        copy = issue_mail.smtp_copy(reader)
        if copy is not None:
            message_id, data = copy
            connection.connection.sendmail(issue_mail.envelope_from, [reader.email], data)
            return message_id
    message = issue_mail.message(reader, connection=connection)
    connection.send_messages([message])
    status = getattr(message, "anymail_status", None)
    provider_id = getattr(status, "message_id", None) if status else None
    return str(provider_id or message.extra_headers["Message-ID"])


def _refused(reader, code, exc):
    if 500 <= code < 600:
        # The receiving server says the address does not exist: a hard bounce.
        from . import services

        _mark(reader.delivery_id, Delivery.Status.BOUNCED, error=str(code))
        count("bounced")
        services.suppress(reader.email, Suppression.Reason.HARD_BOUNCE)
        logger.info("Newsletter to %s refused (%s): suppressed", mask_email(reader.email), code)
    else:
        _retry_later(reader, exc)


def _retry_later(reader, exc):
    row = Delivery.objects.filter(pk=reader.delivery_id).values_list("attempts", flat=True)
    if (row.first() or 0) >= MAX_ATTEMPTS:
        _mark(reader.delivery_id, Delivery.Status.FAILED, error=str(exc)[:300])
        count("failed")
    else:
        _release([reader.delivery_id])
        count("retried")


def lease_seconds(batch_size, rate):
    """Long enough for a batch at the paced rate, twice over, and never under the setting."""
    paced = batch_size / rate if rate and rate > 0 else 0
    return max(settings.NEWSLETTER_LEASE_SECONDS, int(2 * paced))


def finish_if_done(issue_id):
    """Mark the issue sent once no row is queued or being sent; returns whether it is."""
    with transaction.atomic():
        issue = Issue.objects.select_for_update().get(pk=issue_id)
        if issue.status == Issue.Status.SENT:
            return True
        open_rows = issue.deliveries.filter(
            status__in=[Delivery.Status.QUEUED, Delivery.Status.SENDING]
        ).exists()
        if open_rows:
            return False
        issue.status = Issue.Status.SENT
        issue.sent_at = timezone.now()
        issue.save(update_fields=["status", "sent_at"])
        return True


def next_lease_end(issue_id):
    return (
        Delivery.objects.filter(issue_id=issue_id, status=Delivery.Status.SENDING)
        .order_by("lease_until")
        .values_list("lease_until", flat=True)
        .first()
    )


def _set_commits(mode):
    """Each "sent" mark is its own commit; without waiting for PostgreSQL's disk flush it
    costs a fraction of a millisecond. The mark is visible to every other connection at once
    and survives the worker being killed; only a crash of the database server itself could
    lose the last fraction of a second of marks (those mails would then go again: the
    at-least-once side, as above)."""
    if db.vendor != "postgresql":
        return
    try:
        with db.cursor() as cursor:
            cursor.execute(f"SET synchronous_commit TO {mode}")
    except DatabaseError:
        if mode == "OFF":
            raise  # else: a broken connection is about to be replaced anyway


def run(issue_id, *, wait_for_leases=False, batch_size=None, rate=None, on_batch=None):
    """Send what is left of an issue. Returns ``"sent"`` when the issue is done, or
    ``"waiting"`` with rows still leased by another (or a killed) worker; with
    ``wait_for_leases`` it waits for those leases to pass and takes them over.

    Raises ``MailServerUnavailable`` when the mail server cannot be reached (the batch is
    given back first)."""
    batch_size = batch_size or settings.NEWSLETTER_BATCH_SIZE
    rate = settings.NEWSLETTER_RATE_PER_SECOND if rate is None else rate
    issue = Issue.objects.select_related("list").get(pk=issue_id)
    if issue.status == Issue.Status.DRAFT:
        return "draft"
    issue_mail = mail.IssueMail(issue)
    pacer = Pacer(rate)
    lease = lease_seconds(batch_size, rate)
    _set_commits("OFF")
    try:
        return _send_all(issue, issue_mail, pacer, batch_size, lease, wait_for_leases, on_batch)
    finally:
        _set_commits("DEFAULT")


def _send_all(issue, issue_mail, pacer, batch_size, lease, wait_for_leases, on_batch):
    issue_id = issue.pk
    while True:
        ids = claim(issue_id, batch_size, lease)
        if ids:
            readers = readers_to_send(issue, ids)
            send_batch(issue_mail, readers, pacer)
            if on_batch:
                on_batch(len(ids))
            continue
        if finish_if_done(issue_id):
            return "sent"
        if not wait_for_leases:
            return "waiting"
        until = next_lease_end(issue_id)
        if until is not None:
            time.sleep(max(0.0, (until - timezone.now()).total_seconds()) + 0.05)
