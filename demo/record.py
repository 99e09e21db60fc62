"""The demo's public record: a couple of published stories per language are corrected,
one of them updated too, so the notes, histories and corrections page have something to show.
"""

import random
import re

from articles.languages import ENGLISH, FRENCH
from articles.models import Article

# A whole number of one to three digits: not part of a decimal, a thousand or an amount.
NUMBER = re.compile(r"(?<![\w$.,;\u00a0])(\d{1,3})(?!\w|[.,\u00a0]\d|&nbsp;\d)")
CORRECTIONS = {
    ENGLISH: (
        "An earlier version of this story misstated a figure: it is {new}, not {old}.",
        "Adds comment from officials late in the day.",
        "<p>Officials said late in the day that they would give more details this week.</p>",
    ),
    FRENCH: (
        "Une version précédente de cet article donnait un chiffre erroné\u00a0: il s’agit de "
        "{new}, et non de {old}.",
        "Ajoute la réaction des autorités en fin de journée.",
        "<p>Les autorités ont indiqué en fin de journée qu’elles donneraient plus de détails "
        "cette semaine.</p>",
    ),
}


def correct_a_few(seed):
    """A couple of published stories per language get a correction, one of them an update
    too, through the one path (Article.describe_change, then save): the public record,
    the notes and the corrections page have something to show (docs/development.md)."""
    rng = random.Random(seed)
    for language, (correction, update, paragraph) in CORRECTIONS.items():
        stories = list(
            # No original with a translation: correcting it would put the translation out of
            # date, which the demo keeps for the desk's own examples.
            Article.objects.published()
            .in_language(language)
            .filter(translations__isnull=True)
            .order_by("-publish_at", "pk")[:200]
        )
        rng.shuffle(stories)
        corrected = 0
        for story in stories:
            found = NUMBER.search(story.body)
            if found is None:
                continue
            old = found.group(1)
            new = str(int(old) + 1)
            story.body = story.body[: found.start()] + new + story.body[found.end() :]
            story.describe_change("correction", correction.format(old=old, new=new))
            story.save()
            if corrected == 0:
                story.body += paragraph
                story.describe_change("update", update)
                story.save()
            corrected += 1
            if corrected == 2:
                break
