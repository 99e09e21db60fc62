from django.core.management.base import BaseCommand, CommandError

from ..progress import progress_bar


class Command(BaseCommand):
    help = (
        "Recompute every story's related list and the related-stories index (stored in the "
        "database for every worker). Resumes an interrupted run unless --fresh is given; "
        "--queue hands the work to the background worker instead."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--fresh", action="store_true", help="Start over even if an earlier run was cut off."
        )
        parser.add_argument(
            "--block", type=int, default=256, help="Stories scored per step (default 256)."
        )
        parser.add_argument(
            "--queue", action="store_true", help="Queue the rebuild for the background worker."
        )

    def handle(self, *args, fresh, block, queue, **options):
        import time

        if block < 1:
            raise CommandError("--block must be 1 or more.")
        if queue:
            from articles.tasks import rebuild_related

            try:
                rebuild_related.delay(fresh=fresh)
            except Exception as exc:
                raise CommandError(
                    f"Could not queue the rebuild ({exc}). Is the broker in CELERY_BROKER_URL "
                    "running? Without --queue the rebuild runs here."
                ) from exc
            self.stdout.write("Rebuild queued; the worker's log shows its progress.")
            return
        from articles.related.worker import rebuild

        started = time.monotonic()
        count = rebuild(
            fresh=fresh, block=block, progress=progress_bar(self.stdout), say=self.stdout.write
        )
        if count:
            self.stdout.write(
                self.style.SUCCESS(
                    f"Related lists rebuilt for {count:,} stories in "
                    f"{time.monotonic() - started:.1f} s."
                )
            )
