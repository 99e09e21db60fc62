"""One newsletter issue to many readers through a local SMTP server, timed.

    .venv/bin/python bench/newsletter.py                    # 100,000 readers
    .venv/bin/python bench/newsletter.py --readers 5000 --profile
    .venv/bin/python bench/newsletter.py --sink-only --readers 10000   # the SMTP server alone

It creates the PostgreSQL database ``newsroom_newsletter_bench`` (dropped at the end), adds
the readers (confirmed) and an issue of five stories, starts a real SMTP server (aiosmtpd,
devtools/smtp.py) in a process of its own, and runs the worker's send loop
(``newsletters.sending.run``) in this process, unthrottled (``--rate`` to pace it). It prints
mails per second, the process's memory as the send goes (resident set: flat means the send
does not grow with the list), and the database time per 1,000 mails (every query timed
through Django's ``execute_wrapper``). ``--sink-only`` times the SMTP server alone: a
trivial client (smtplib, one connection) sends it the same number of 10 KB mails, no
database, no Django: the most the sink could take from the send loop on this machine.
"""

import argparse
import cProfile
import os
import pstats
import subprocess
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PG = "postgres://postgres@127.0.0.1:5432"
DB_NAME = "newsroom_newsletter_bench"
SINK = """
import signal, sys, threading
from devtools.smtp import SMTPServer, Sink
sink = Sink(keep=False)
done = threading.Event()
signal.signal(signal.SIGTERM, lambda *a: done.set())
with SMTPServer(sink, port=int(sys.argv[1])):
    print("ready", flush=True)
    done.wait()
print(sink.count, flush=True)
"""


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--readers", type=int, default=100_000)
    parser.add_argument("--rate", type=float, default=0, help="mails a second (0: no limit)")
    parser.add_argument("--batch", type=int, default=500)
    parser.add_argument("--profile", action="store_true", help="print the top functions")
    parser.add_argument(
        "--sink-only", action="store_true", help="time the SMTP server with a trivial client"
    )
    return parser.parse_args()


def psql(sql):
    subprocess.run(
        ["psql", "-h", "127.0.0.1", "-U", "postgres", "-qc", sql, "postgres"],
        check=True,
        capture_output=True,
    )


def rss_mb():
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20


class Sampler(threading.Thread):
    """The resident set every 0.2 s, and its peak."""

    def __init__(self):
        super().__init__(daemon=True)
        self.peak, self.stop = 0.0, threading.Event()

    def run(self):
        while not self.stop.is_set():
            self.peak = max(self.peak, rss_mb())
            self.stop.wait(0.2)


def start_sink(port):
    sink = subprocess.Popen(
        [sys.executable, "-c", SINK, str(port)], cwd=ROOT, stdout=subprocess.PIPE, text=True
    )
    assert sink.stdout.readline().strip() == "ready"
    return sink


def sink_only(args, port):
    import smtplib

    message = (
        b"From: a@example.ca\r\nTo: b@example.ca\r\nSubject: x\r\n\r\n"
        + (b"x" * 70 + b"\r\n") * 150
    )
    sink = start_sink(port)
    try:
        client = smtplib.SMTP("127.0.0.1", port)
        started = time.perf_counter()
        for n in range(args.readers):
            client.sendmail("newsletters@example.ca", [f"reader{n:06d}@example.ca"], message)
        elapsed = time.perf_counter() - started
        client.quit()
    finally:
        sink.terminate()
        received = sink.communicate(timeout=30)[0].strip()
    print(f"| mails (10 KB, trivial client) | {args.readers:,} |\n| --- | --- |")
    print(f"| seconds | {elapsed:.1f} |\n| mails per second | {args.readers / elapsed:,.0f} |")
    print(f"| mails the SMTP server accepted | {received} |")


def main():
    args = parse_args()
    sys.path.insert(0, str(ROOT))
    from devtools.smtp import free_port

    port = free_port()
    if args.sink_only:
        return sink_only(args, port)
    env = {
        "DATABASE_URL": f"{PG}/{DB_NAME}",
        "DJANGO_SETTINGS_MODULE": "newsroom.settings",
        "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "NEWSLETTER_EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "EMAIL_HOST": "127.0.0.1",
        "EMAIL_PORT": str(port),
        "EMAIL_USE_TLS": "0",
        "SITE_URL": "https://news.example.ca",
        "NEWSLETTER_FROM_EMAIL": "newsletters@news.example.ca",
        "NEWSLETTER_POSTAL_ADDRESS": "1 Front St. W., Toronto ON",
        "CELERY_BROKER_URL": "",
        "REDIS_URL": "",
        "LOG_LEVEL": "WARNING",
    }
    os.environ.update(env)
    psql(f"DROP DATABASE IF EXISTS {DB_NAME}")
    psql(f"CREATE DATABASE {DB_NAME}")
    sink = None
    try:
        subprocess.run(
            [sys.executable, "manage.py", "migrate", "-v0"], cwd=ROOT, check=True, env=os.environ
        )
        import django

        django.setup()
        sink = start_sink(port)
        run(args)
    finally:
        if sink is not None:
            sink.terminate()
            received = sink.communicate(timeout=30)[0].strip()
            print(f"| mails the SMTP server accepted | {received} |")
        from django.db import connections

        connections.close_all()
        psql(f"DROP DATABASE IF EXISTS {DB_NAME}")


def run(args):
    from django.db import connection

    from newsletters import sending, services, tasks
    from newsletters.models import Issue, IssueStory, NewsletterList, Subscriber, Subscription
    from tests.factories import ArticleFactory

    digest = NewsletterList.objects.create(name="Daily", slug="daily", kind="digest")
    chunk = 10_000
    for start in range(0, args.readers, chunk):
        made = Subscriber.objects.bulk_create(
            Subscriber(email=f"reader{n:06d}@example.ca")
            for n in range(start, min(args.readers, start + chunk))
        )
        Subscription.objects.bulk_create(
            Subscription(
                subscriber=s, list=digest, status="confirmed", consent_wording="Yes, send it."
            )
            for s in made
        )
    issue = Issue.objects.create(list=digest, subject="Your morning briefing", introduction="Hi.")
    for n in range(5):
        IssueStory.objects.create(issue=issue, article=ArticleFactory(), position=n)
    tasks.queue_send = lambda issue_id: None  # this process is the worker
    services.send_issue(issue)

    db_seconds = [0.0]

    def timed(execute, sql, params, many, context):
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            db_seconds[0] += time.perf_counter() - started

    sampler = Sampler()
    sampler.start()
    progress = []
    sent = [0]
    started = time.perf_counter()

    def on_batch(count):
        sent[0] += count
        progress.append((sent[0], time.perf_counter() - started, rss_mb()))

    profiler = cProfile.Profile() if args.profile else None
    with connection.execute_wrapper(timed):
        if profiler:
            profiler.enable()
        sending.run(issue.pk, batch_size=args.batch, rate=args.rate, on_batch=on_batch)
        if profiler:
            profiler.disable()
    elapsed = time.perf_counter() - started
    sampler.stop.set()
    counts = Issue.objects.get(pk=issue.pk).counts()

    print(f"\n| readers | {args.readers:,} |\n| --- | --- |")
    print(f"| sent | {counts['sent']:,} (failed {counts['failed']}, queued {counts['queued']}) |")
    print(f"| seconds | {elapsed:.1f} |")
    print(f"| mails per second | {counts['sent'] / elapsed:,.0f} |")
    print(f"| database time per 1,000 mails | {db_seconds[0] / counts['sent'] * 1000:.2f} s |")
    print(f"| peak resident memory | {sampler.peak:.0f} MB |")
    marks = [progress[int(len(progress) * f) - 1] for f in (0.1, 0.5, 1.0) if progress]
    print(
        "| memory at 10 % / 50 % / 100 % of the send | "
        + " / ".join(f"{rss:.0f} MB" for _n, _t, rss in marks)
        + " |"
    )
    if profiler:
        pstats.Stats(profiler).sort_stats("cumulative").print_stats(30)


if __name__ == "__main__":
    main()
