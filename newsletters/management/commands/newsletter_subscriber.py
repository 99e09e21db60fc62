"""A reader's request about their data (PIPEDA): see it, or have it erased.

    manage.py newsletter_subscriber export ana@example.ca    # JSON on standard output
    manage.py newsletter_subscriber erase ana@example.ca

Erasing removes the subscriber, their consent records and their deliveries; a suppression of
the address stays, so that nothing is ever mailed to it again (say so to the reader).
"""

import json

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from newsletters import services


class Command(BaseCommand):
    help = "Export (JSON) or erase everything kept about a newsletter subscriber's address."

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["export", "erase"])
        parser.add_argument("email")

    def handle(self, action, email, **options):
        try:
            email = services.clean_email(email)
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from exc
        if action == "export":
            self.stdout.write(json.dumps(services.export_subscriber(email), indent=2))
            return
        if services.erase_subscriber(email):
            self.stdout.write("The subscriber and their records are erased.")
        else:
            self.stdout.write("No subscriber has this address; nothing to erase.")
