from django.core.management.base import BaseCommand, CommandError

from ..progress import progress_bar


class Command(BaseCommand):
    help = (
        "Compute and store the semantic vector (RELATED_EMBEDDING) of every story that has "
        "none, a batch at a time; stop it at any point and run it again to resume. The plain "
        "method serves until the vectors cover the archive; --rebuild then rebuilds every "
        "list with them."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--batch", type=int, default=64, help="Stories per commit (default 64)."
        )
        parser.add_argument("--limit", type=int, default=None, help="Stop after this many stories.")
        parser.add_argument(
            "--rebuild",
            action="store_true",
            help="Rebuild every related list afterwards, so they use the new vectors.",
        )

    def handle(self, *args, batch, limit, rebuild, **options):
        from articles.related import config, embeddings

        if batch < 1:
            raise CommandError("--batch must be 1 or more.")
        name = config()["EMBEDDING"]
        if name == embeddings.OFF:
            raise CommandError(
                "RELATED_EMBEDDING is off: set it to glove or minilm first "
                "(see docs/architecture/related.md)."
            )
        try:
            done = embeddings.backfill(batch=batch, limit=limit, progress=progress_bar(self.stdout))
        except embeddings.EmbeddingUnavailable as exc:
            raise CommandError(str(exc)) from exc
        have, total = embeddings.coverage(name)
        self.stdout.write(
            self.style.SUCCESS(
                f"{done:,} vectors computed; {have:,} of {total:,} stories have a {name} vector."
            )
        )
        if rebuild:
            from articles.related.worker import rebuild as rebuild_lists

            rebuild_lists(fresh=True, say=self.stdout.write)
