from django.core.management.base import BaseCommand, CommandError

from articles.models import Photo
from articles.models.photos import fingerprints


class Command(BaseCommand):
    help = (
        "Store the fingerprints (bytes and look) of photos uploaded before they were kept, so "
        "the desk warns of a second upload of them too. Reads each file once; run it again to "
        "resume."
    )

    def add_arguments(self, parser):
        parser.add_argument("--limit", type=int, default=None, help="Stop after this many photos.")

    def handle(self, *args, limit, **options):
        if limit is not None and limit < 1:
            raise CommandError("--limit must be 1 or more.")
        todo = Photo.objects.filter(content_hash="").exclude(image="").order_by("pk")
        done = unreadable = 0
        for photo in todo[:limit] if limit else todo.iterator():
            content, look = fingerprints(photo.image)
            if not content:
                unreadable += 1
                continue
            Photo.objects.filter(pk=photo.pk).update(content_hash=content, look_hash=look)
            done += 1
        self.stdout.write(f"{done} photo(s) fingerprinted, {unreadable} unreadable.")
