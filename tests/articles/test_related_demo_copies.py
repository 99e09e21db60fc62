"""On the demo archive, no related list holds two versions of one text.

The demo tells a story shape again in another place in the same words (as a regional version
of a wire story is), so its archive is full of near-copies that differ by a place name: the
rule the lists must keep (``articles/related/variety.py``, duplicates) is judged here exactly,
on the stories' word 5-shingles, not with the engine's own MinHash estimate.
"""

import io
import re
from itertools import combinations

import pytest
from django.core.management import call_command

from articles.models import Article, Byline, RelatedArticle
from articles.sanitize import html_to_text
from tests.articles.test_demo import _delete_rows_not_in, _rows_of_every_model

# The related lists are computed in Python from the demo's text, the same on either database
# (load_demo itself runs on PostgreSQL in tests/articles/test_demo.py): run once.
pytestmark = [pytest.mark.django_db, pytest.mark.once]

# One of two stories shares at least this share of its 5-word shingles with the other.
COPY = 0.8


@pytest.fixture(scope="module")
def demo_archive(django_db_setup, django_db_blocker):
    """The 300 demo stories ``scripts/serve`` loads, with their related lists, once per module."""
    with django_db_blocker.unblock():
        before = _rows_of_every_model()
        call_command("load_demo", articles=300, seed=2026, reset=True, stdout=io.StringIO())
        yield
        _delete_rows_not_in(before)


def shingles(article):
    """The story's runs of five words (headline, standfirst and body), lower case."""
    text = f"{article.headline}. {article.standfirst}\n{html_to_text(article.body)}"
    words = re.findall(r"\w+", text.lower())
    return {tuple(words[i : i + 5]) for i in range(len(words) - 4)}


def copies(a, b):
    smaller = min(len(a), len(b))
    return bool(smaller) and len(a & b) >= COPY * smaller


def test_no_demo_related_list_holds_two_versions_of_one_text(demo_archive):
    stories = {a.pk: shingles(a) for a in Article.objects.all()}
    lists = {}
    for owner, related in RelatedArticle.objects.order_by("article_id", "-score").values_list(
        "article_id", "related_id"
    ):
        lists.setdefault(owner, []).append(related)
    assert len(lists) > 200  # the archive has its lists
    crowded = [
        (owner, a, b)
        for owner, related in lists.items()
        for a, b in combinations([owner, *related], 2)
        if copies(stories[a], stories[b])
    ]
    assert not crowded, [
        [Article.objects.get(pk=pk).headline for pk in triple] for triple in crowded[:5]
    ]


def test_the_demo_archive_does_hold_versions_of_one_text(demo_archive):
    """What the rule is tested against: regional versions of one story (same words, another
    place) are in the archive, so a list could hold them."""
    stories = list(Article.objects.filter(language="en"))
    sets = [shingles(a) for a in stories]
    pairs = [
        (stories[i].headline, stories[j].headline)
        for i, j in combinations(range(len(stories)), 2)
        if stories[i].headline != stories[j].headline and copies(sets[i], sets[j])
    ]
    assert len(pairs) >= 20


def test_no_demo_related_grid_shows_the_same_picture_twice(demo_archive):
    photo = dict(Article.objects.values_list("pk", "lead_photo_id"))
    published = set(Article.objects.published().values_list("pk", flat=True))
    grids = {}
    for owner, related in RelatedArticle.objects.order_by("article_id", "-score").values_list(
        "article_id", "related_id"
    ):
        grid = grids.setdefault(owner, [])
        if related in published and len(grid) < 6:  # what the page shows
            grid.append(related)
    repeated = {
        owner: grid
        for owner, grid in grids.items()
        if len({photo[pk] for pk in grid if photo[pk]}) < len([pk for pk in grid if photo[pk]])
    }
    assert not repeated


def test_demo_reporters_write_in_their_beats(demo_archive):
    """Every byline is from the story's section's desk: a business reporter's page holds
    business stories, not a sports story co-signed with a sports writer."""
    from demo.fr.topics import BEATS as FRENCH_BEATS
    from demo.generator import BEATS

    beats = {"en": BEATS, "fr": FRENCH_BEATS}
    wrong = [
        (byline.article.headline, byline.author.job_title)
        for byline in Byline.objects.select_related("article__section", "author")
        if byline.author.job_title != beats[byline.article.language][byline.article.section.slug]
    ]
    assert not wrong
