"""What the public record costs: a save of a public story, and its uncached history page.

    DATABASE_URL=sqlite:////tmp/record-bench.sqlite3 .venv/bin/python bench/record.py

Makes one story in a scratch database (migrated first; use a database of its own), then for
stories with 1, 10 and 50 public versions prints the median milliseconds and the queries
of: a save that changes no public text (no version added), a save with a correction (one
version added), and rendering the history page without the page cache; and the record's
own part of a save (``Plan``: what the save does to the record). Figures go in
docs/benchmarks.md with the date and commit.
"""

import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsroom.settings")
os.environ.setdefault("ALLOWED_HOSTS", "testserver")


def timed(work, rounds):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    times = []
    for _ in range(rounds):
        with CaptureQueriesContext(connection) as queries:
            started = time.perf_counter()
            work()
            times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times), len(queries.captured_queries)


def main():
    import django

    django.setup()
    from django.core.management import call_command
    from django.test import Client
    from django.test.utils import setup_test_environment

    setup_test_environment()
    call_command("migrate", verbosity=0)
    from django.utils import timezone

    from articles.models import Article, Section
    from articles.models.record import Plan

    section, _ = Section.objects.get_or_create(slug="bench", defaults={"name": "Bench"})
    Article.objects.filter(slug="record-bench").delete()
    story = Article.objects.create(
        headline="Record bench",
        slug="record-bench",
        body="".join(f"<p>Paragraph {n} of the story, with a few words.</p>" for n in range(30)),
        section=section,
        status=Article.Status.PUBLISHED,
    )
    client = Client()
    rows = []
    made = 1
    for versions in (1, 10, 50):
        while made < versions:
            story.body = story.body.replace(f"Paragraph {made} ", f"Paragraph {made}b ", 1)
            story.describe_change("correction", f"Correction number {made}.")
            story.save()
            made += 1
        quiet = timed(lambda: (setattr(story, "featured", not story.featured), story.save()), 20)

        def correct():
            nonlocal made
            story.body += "<p>More.</p>"
            story.describe_change("update")
            story.save()

        change = timed(correct, 1)
        made += 1
        history = timed(lambda: client.get(f"/story/{story.slug}/history/"), 10)
        # The record's own part of a save: planning it (the other queries of a save are the
        # story's own and its after-commit work, run at once outside a transaction).
        own = timed(lambda: Plan(story, None, timezone.now()), 20)
        rows.append((versions, own, quiet, change, history))
    heads = ("record's plan", "save, no change", "save, correction", "history page")
    print(f"{'versions':>8} | " + " | ".join(f"{head:>18}" for head in heads))
    print(f"{'':>8} | " + " | ".join(f"{'ms':>8} {'queries':>9}" for _head in heads))
    for versions, *cells in rows:
        print(f"{versions:>8} | " + " | ".join(f"{ms:>8.1f} {q:>9}" for ms, q in cells))


if __name__ == "__main__":
    main()
