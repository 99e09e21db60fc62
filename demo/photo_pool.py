"""The demo's pool of photos: one picture per topic subject and story shape, made on demand."""

import random

from django.db.models import Q

from articles.models import Photo

from . import shapes as S
from . import topics as T
from .fr import shapes as FS
from .pictures import photo_file


class DemoPhotos:
    """The demo's photos, made when a story first needs one (a small demo makes few).

    Each topic has three subjects (``shapes.PHOTOS``); each shape that uses a subject gets its
    own picture of it (``variant``: the shape's rank among the shapes of that subject), so a
    related grid of one topic's stories, which are different shapes, never shows the same
    picture twice. Captions name no place unless the subject fixes one, so they never
    contradict a story; stories share photos only when they are one shape told again.
    """

    def __init__(self, seed):
        self.seed = seed
        self.made = {}
        self.subjects = {}  # (label, subject) -> (the subject's number, caption, composition)
        number = 0
        for topic in T.TOPICS:
            for subject, (caption, kind) in enumerate(S.PHOTOS[topic["label"]]):
                self.subjects[topic["label"], subject] = (number, caption, kind)
                number += 1

    def get(self, label, subject, variant=0):
        key = label, subject, variant
        if key not in self.made:
            self.made[key] = self._make(label, subject, variant)
        return self.made[key]

    def _make(self, label, subject, variant):
        index, caption, kind = self.subjects[label, subject]
        suffix = f"-{variant}" if variant else ""
        file_name = f"demo-{index:03d}{suffix}.jpg"
        # Stored names are random; the demo's own name is kept as the original name (older
        # demo databases still carry it in the stored name, for the first picture of each).
        older = Q(image__contains=f"demo-{index:03d}") & ~Q(
            original_filename__startswith=f"demo-{index:03d}-"
        )
        found = Q(original_filename=file_name) | (older if not variant else Q(pk__in=[]))
        photo = Photo.objects.filter(found, caption=caption).first()
        # The French words of the same picture: same photographer, French agency name.
        photographer = T.PHOTOGRAPHERS[(index + variant * 5) % len(T.PHOTOGRAPHERS)]
        caption_fr = FS.PHOTOS[label][subject][0]
        french = {
            "caption_fr": caption_fr,
            "credit_fr": f"LA PRESSE CANADIENNE/{photographer}",
            "alt_text_fr": caption_fr.rstrip("."),
        }
        if photo is None:
            photo = Photo(
                caption=caption,
                credit=f"THE CANADIAN PRESS/{photographer}",
                alt_text=caption.rstrip("."),
                **french,
            )
            rng = random.Random(f"{self.seed}:photo:{index}:{variant}")
            photo.image.save(file_name, photo_file(rng, index, kind, variant), save=False)
            photo.save()
        elif not photo.caption_fr:  # a demo photo loaded before the French content
            for name, value in french.items():
                setattr(photo, name, value)
            photo.save(update_fields=list(french))
        return photo


def photo_variant(shapes, label, shape_index):
    """The shape's rank among its topic's shapes that show the same photo subject; French
    original shapes rank after the English ones (a French list holds translations of English
    stories, with their English originals' photos, beside original French stories)."""
    subject = shapes.SHAPES[label][shape_index][2]
    rank = sum(shape[2] == subject for shape in shapes.SHAPES[label][:shape_index])
    if shapes is FS:
        rank += sum(shape[2] == subject for shape in S.SHAPES[label])
    return rank
