import time

from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from articles.models import Article
from articles.search import REBUILD_BATCH_SIZE, update_search_vectors, uses_full_text_search


class Command(BaseCommand):
    help = (
        "Recompute every story's full-text search vector (PostgreSQL). Run it after a bulk "
        "import that bypassed Article.save(); day-to-day edits keep the index fresh by themselves."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--batch-size",
            type=int,
            default=REBUILD_BATCH_SIZE,
            help=f"Stories per UPDATE (default {REBUILD_BATCH_SIZE}).",
        )

    def handle(self, *args, batch_size, **options):
        if batch_size < 1:
            raise CommandError("--batch-size must be at least 1.")
        if not uses_full_text_search():
            self.stdout.write(
                "This database is not PostgreSQL: search uses simple text matching and "
                "needs no index. Nothing to do."
            )
            return
        ids = list(Article.objects.order_by("pk").values_list("pk", flat=True))
        total, done, started = len(ids), 0, time.monotonic()
        self.stdout.write(f"Rebuilding the search index for {total:,} stories…")
        for start in range(0, total, batch_size):
            batch = ids[start : start + batch_size]
            # Each batch commits on its own: a long rebuild never holds one huge lock.
            update_search_vectors(batch)
            done += len(batch)
            rate = done / max(time.monotonic() - started, 1e-6)
            self.stdout.write(
                f"\r  {done:,}/{total:,} stories ({100 * done // total}%, {rate:,.0f}/s)",
                ending="",
            )
            self.stdout.flush()
        self.stdout.write("")
        # Fresh statistics, so the planner knows the vectors are there and uses the GIN index.
        with connection.cursor() as cursor:
            cursor.execute(f"ANALYZE {connection.ops.quote_name(Article._meta.db_table)}")
        self.stdout.write(
            self.style.SUCCESS(f"Indexed {total:,} stories in {time.monotonic() - started:.1f} s.")
        )
