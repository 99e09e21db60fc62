import json
import time
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from articles.models import RelatedArticle
from articles.related import RelatedIndex, config, forget_index, index_path, rebuild_all

from .load_demo import progress_bar


class Command(BaseCommand):
    help = (
        "Recompute every story's related list and the related-stories index. Resumes an "
        "interrupted run unless --fresh is given."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--fresh", action="store_true", help="Start over even if an earlier run was cut off."
        )
        parser.add_argument(
            "--block", type=int, default=256, help="Stories scored per step (default 256)."
        )

    def handle(self, *args, fresh, block, **options):
        if block < 1:
            raise CommandError("--block must be 1 or more.")
        conf = config()
        path = index_path(conf)
        if path is None:
            raise CommandError(
                "RELATED_STORIES['INDEX_PATH'] is empty: set RELATED_INDEX_PATH to a writable file."
            )
        checkpoint_path = Path(f"{path}.progress.json")
        started = time.monotonic()
        index, start = None, 0
        if not fresh and checkpoint_path.exists() and path.exists():
            state = json.loads(checkpoint_path.read_text())
            loaded = RelatedIndex.load(path)
            if loaded.build_id == state.get("build_id"):
                index, start = loaded, state["next_row"]
                self.stdout.write(
                    f"Resuming an interrupted rebuild at story {start:,} of {len(index.ids):,} "
                    "(use --fresh to start over)."
                )
        if index is None:
            self.stdout.write("Reading stories and learning the text model…")
            index = RelatedIndex.build(conf, progress=progress_bar(self.stdout))
            if not len(index.ids):
                self.stdout.write("No stories yet: nothing to rebuild.")
                return
            try:
                index.save(path)
            except OSError as exc:
                raise CommandError(
                    f"Could not write the index to {path} ({exc}); set RELATED_INDEX_PATH to a "
                    "writable file."
                ) from exc
            self.stdout.write(f"Index of {len(index.ids):,} stories written to {path}.")

        def checkpoint(next_row):
            checkpoint_path.write_text(
                json.dumps({"build_id": index.build_id, "next_row": next_row})
            )

        checkpoint(start)
        self.stdout.write("Scoring and storing related lists…")
        rebuild_all(
            index,
            conf,
            start=start,
            block=block,
            progress=progress_bar(self.stdout),
            checkpoint=checkpoint,
        )
        checkpoint_path.unlink(missing_ok=True)
        forget_index()
        if connection.vendor == "postgresql":
            # Fresh planner statistics for the rewritten table, or the page's one query may
            # scan instead of using the index until autovacuum gets round to it.
            with connection.cursor() as cursor:
                cursor.execute(
                    f"ANALYZE {connection.ops.quote_name(RelatedArticle._meta.db_table)}"
                )
        self.stdout.write(
            self.style.SUCCESS(
                f"Related lists rebuilt for {len(index.ids):,} stories in "
                f"{time.monotonic() - started:.1f} s."
            )
        )
