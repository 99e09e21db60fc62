"""``manage.py wire_poll``: take the inbox folder's items now (what the beat's task does)."""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from wire import tasks


class Command(BaseCommand):
    help = "Ingest the wire items waiting in WIRE_INBOX_DIR and any pushed item left behind."

    def add_arguments(self, parser):
        parser.add_argument(
            "--expire",
            action="store_true",
            help="Also delete unused items older than WIRE_EXPIRY_DAYS.",
        )

    def handle(self, *args, expire=False, **options):
        folder = settings.WIRE_INBOX_DIR
        if folder:
            from pathlib import Path

            if not Path(folder).is_dir():
                raise CommandError(f"WIRE_INBOX_DIR ({folder}) is not a folder.")
        counts = tasks.poll_all()
        summary = ", ".join(f"{n} {result}" for result, n in sorted(counts.items())) or "nothing"
        self.stdout.write(f"Wire: {summary}.")
        if expire:
            from wire import services

            items, rejected = services.expire()
            self.stdout.write(f"Expired {items} unused items and {rejected} refused ones.")
