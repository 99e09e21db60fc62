"""What stories, sections and site pages share as things that come in language pairs.

Each has a ``language`` and a ``translation_of`` (its original, or None when it is one): the
same database rules and the same way to find its group (docs/architecture/languages.md).
"""

from django.db import models
from django.db.models import F, Q

from .. import languages


def pair_constraints(prefix, one_per_language):
    """The rules one row can enforce: a slug per language, one translation per language, a
    known language, never its own translation (names as the migrations created them)."""
    return [
        models.UniqueConstraint(fields=["language", "slug"], name=f"{prefix}_slug_per_language"),
        models.UniqueConstraint(fields=["translation_of", "language"], name=one_per_language),
        models.CheckConstraint(
            condition=Q(language__in=languages.CODES), name=f"{prefix}_known_language"
        ),
        models.CheckConstraint(
            condition=~Q(translation_of=F("pk")), name=f"{prefix}_not_its_own_translation"
        ),
    ]


class Paired:
    """A model with ``language`` and ``translation_of`` (a mixin: no fields of its own)."""

    def pair_group(self):
        """Every row of its group: the original and its translations, this one included."""
        root = self.translation_of_id or self.pk
        return type(self)._default_manager.filter(Q(pk=root) | Q(translation_of_id=root))
