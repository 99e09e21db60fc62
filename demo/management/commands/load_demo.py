import os
import time

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from articles.management.progress import progress_bar
from articles.models import Article, Author
from articles.workflow import EDITOR_GROUP, REPORTER_GROUP

from ...generator import generate


class Command(BaseCommand):
    help = "Fill the site with original demo stories, sections, authors and photos."

    def add_arguments(self, parser):
        parser.add_argument(
            "--articles", type=int, default=300, help="How many stories (default 300)."
        )
        parser.add_argument("--seed", type=int, default=2026, help="Same seed, same stories.")
        parser.add_argument(
            "--reset", action="store_true", help="Delete all stories first, then load."
        )
        parser.add_argument(
            "--editor-password",
            default="newsroom-demo",
            help="Password for the demo accounts 'editor' and 'reporter'.",
        )

    def handle(self, *args, articles, seed, reset, editor_password, **options):
        if articles < 0:
            raise CommandError("--articles must be zero or more.")
        existing = Article.objects.count()
        if existing and not reset:
            self.stdout.write(
                f"Demo content already loaded ({existing:,} stories); use --reset to replace it."
            )
        else:
            if reset:
                Article.objects.all().delete()
            self.stdout.write(f"Loading {articles:,} demo stories (seed {seed})…")
            started = time.monotonic()
            count = generate(seed=seed, articles=articles, progress=progress_bar(self.stdout))
            if connection.vendor == "postgresql":
                # bulk_create skips Article.save(), so the search index is filled here.
                call_command("rebuild_search_index", stdout=self.stdout)
            # Likewise the stored "You may also like" lists.
            call_command("rebuild_related", fresh=True, stdout=self.stdout)
            self.stdout.write(
                self.style.SUCCESS(
                    f"Loaded {count:,} stories in {time.monotonic() - started:.1f} s."
                )
            )
        self._demo_accounts(editor_password)

    def _demo_accounts(self, password):
        """The demo desk: an editor and a reporter; passwords (re)set so the printed logins work."""
        User = get_user_model()
        for username, group_name in (("editor", EDITOR_GROUP), ("reporter", REPORTER_GROUP)):
            user, _ = User.objects.get_or_create(
                username=username, defaults={"email": f"{username}@example.com"}
            )
            user.is_staff = True
            user.is_superuser = False
            user.set_password(password)
            user.save()
            user.groups.add(Group.objects.get(name=group_name))
            if not hasattr(user, "author_profile"):
                # Give the account a byline so "my stories" and own drafts work at once.
                author = Author.objects.filter(user=None).order_by("pk").first()
                if author is not None:
                    author.user = user
                    author.save(update_fields=["user"])
            self.stdout.write(
                f"Admin login ({group_name}): "
                f"http://127.0.0.1:{os.environ.get('PORT') or 8000}/admin/  "
                f"user: {username}  password: {password}"
            )
