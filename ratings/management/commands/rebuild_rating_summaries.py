from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from articles.models import Article
from ratings.models import RatingSummary, Vote


class Command(BaseCommand):
    help = (
        "Recompute every story's rating summary (count, total, distribution) from the Vote "
        "rows. Each story is locked while it is rebuilt, so voting can go on meanwhile."
    )

    def add_arguments(self, parser):
        parser.add_argument("--article", type=int, action="append", help="only this story id")
        parser.add_argument(
            "--check",
            action="store_true",
            help="report drifted summaries and exit with status 1 if any, without fixing them",
        )

    def handle(self, *args, article=None, check=False, **options):
        ids = set(Vote.objects.values_list("article_id", flat=True).distinct())
        ids |= set(RatingSummary.objects.values_list("article_id", flat=True))
        if article:
            missing = set(article) - set(
                Article.objects.filter(pk__in=article).values_list("pk", flat=True)
            )
            if missing:
                raise CommandError(f"No story with id {', '.join(map(str, sorted(missing)))}.")
            ids = set(article)
        total, drifted = len(ids), []
        for done, article_id in enumerate(sorted(ids), start=1):
            with transaction.atomic():
                summary = RatingSummary.objects.locked_for(article_id)
                if summary.rebuild_from_votes():
                    drifted.append(article_id)
                if check:  # report only: undo the rebuild
                    transaction.set_rollback(True)
            if done % 500 == 0 or done == total:
                self.stdout.write(f"{done}/{total} stories checked")
        for article_id in drifted:
            self.stdout.write(f"story {article_id}: summary {'drifted' if check else 'rebuilt'}")
        if check and drifted:
            raise CommandError(
                f"{len(drifted)} rating summaries differ from their votes: "
                "run manage.py rebuild_rating_summaries to fix them."
            )
        self.stdout.write(
            self.style.SUCCESS(
                f"{total} stories, {len(drifted)} summaries {'drifted' if check else 'corrected'}."
            )
        )
