from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from newsroom import login_throttle


class Command(BaseCommand):
    help = (
        "Let a locked-out account sign in to the admin again at once, by forgetting its "
        "failed sign-ins (and, with --address, those from an address)."
    )

    def add_arguments(self, parser):
        parser.add_argument("usernames", nargs="*", help="Usernames to unlock.")
        parser.add_argument(
            "--address",
            action="append",
            default=[],
            help="Also forget the failures from this client address (repeatable).",
        )

    def handle(self, *args, usernames, address, **options):
        if not usernames and not address:
            raise CommandError("Name at least one username, or an --address.")
        known = get_user_model()._default_manager
        for username in usernames:
            if not known.filter(**{f"{known.model.USERNAME_FIELD}__iexact": username}).exists():
                self.stderr.write(f"No account is called {username!r}; clearing its count anyway.")
        forgotten = login_throttle.unlock(usernames, address)
        names = ", ".join([*usernames, *address])
        self.stdout.write(
            self.style.SUCCESS(f"Unlocked {names} ({forgotten} failed sign-ins forgotten).")
        )
