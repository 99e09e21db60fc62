import os

from django.core.management.base import BaseCommand, CommandError

from ...live_story import ensure_live_story


class Command(BaseCommand):
    help = "Add the demo's live story (a winter storm, 20 updates) once; after load_demo."

    def handle(self, *args, **options):
        story = ensure_live_story()
        if story is None:
            raise CommandError("No sections yet: run `manage.py load_demo` first.")
        port = os.environ.get("PORT") or 8000
        self.stdout.write(f"Live coverage: http://127.0.0.1:{port}{story.get_absolute_url()}")
