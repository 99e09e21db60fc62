"""Original, deterministic demo content for a bilingual Canadian news site.

The same ``seed`` and ``articles`` always give the same stories (text, tags, authors,
photos and relative dates). Stories are written in batches with ``bulk_create`` so
10,000 or 100,000 of them load in reasonable time.

Two stories in three are English, one in five is original French news (``demo.fr``, written
for francophone readers), and the rest are French translations of the English story just
before them (``MIX``). See docs/development.md ("Demo content").
"""

import functools
import math
import random
import uuid
from datetime import timedelta

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.text import slugify
from taggit.models import Tag

from articles.models import (
    Article,
    Author,
    Byline,
    FrontPage,
    InfoPage,
    Section,
    TaggedArticle,
)
from articles.models.record import record_bulk_writes
from ratings.models import RatingSummary, Vote

from . import shapes as S
from . import topics as T
from .fr import shapes as FS
from .fr import topics as FT
from .photo_pool import DemoPhotos, photo_variant
from .pictures import portrait_file
from .record import correct_a_few
from .videos import DEMO_VIDEOS, with_demo_video
from .writing import (
    ENGLISH,
    FRENCH,
    capitalized,
    de_place,
    draw_facts,
    english_body,
    english_words,
    french_body,
    french_words,
)

BATCH_SIZE = 1000


# The kind of story ``index`` is, by ``index % len(MIX)``: English, original French, or the
# French translation of the (English) story just before it. 300 stories: 200 / 60 / 40.
MIX = "EEFETEEFEETEFEE"


def _kind(index):
    return MIX[index % len(MIX)]


def _ordinal(index):
    """How many stories of ``index``'s kind come before it (each kind has its own shapes)."""
    runs, position = divmod(index, len(MIX))
    kind = MIX[position]
    return runs * MIX.count(kind) + MIX[:position].count(kind)


def ensure_sections():
    """``{(language, slug): section}``: the English sections and the French ones, each French
    section paired with the English one at the same position (Politique with Politics)."""
    sections = {}
    for position, ((name, slug, description), (nom, fr_slug, fr_description)) in enumerate(
        zip(T.SECTIONS, FT.SECTIONS, strict=True)
    ):
        english, _ = Section.objects.get_or_create(
            language=ENGLISH,
            slug=slug,
            defaults={"name": name, "description": description, "position": position},
        )
        french, _ = Section.objects.get_or_create(
            language=FRENCH,
            slug=fr_slug,
            defaults={
                "name": nom,
                "description": fr_description,
                "position": position,
                "translation_of": english,
            },
        )
        sections[ENGLISH, slug], sections[FRENCH, fr_slug] = english, french
    return sections


# English section slug → the French section paired with it.
FRENCH_SECTION = {
    en[1]: fr[1] for en, fr in zip(T.SECTIONS, FT.SECTIONS, strict=True)
}  # fmt: skip


def ensure_site_pages():
    """The French site pages, each paired with the English page of the same subject, for
    the English pages that exist (editors may have deleted some)."""
    for english in InfoPage.objects.filter(
        language=ENGLISH, slug__in=FT.SITE_PAGES, translation_of=None
    ):
        title, slug, body = FT.SITE_PAGES[english.slug]
        if InfoPage.objects.filter(
            Q(translation_of=english) | Q(slug=slug), language=FRENCH
        ).exists():
            continue  # already translated, or the address is taken: an editor's page stays
        InfoPage.objects.create(
            language=FRENCH,
            slug=slug,
            title=title,
            body=body,
            translation_of=english,
            position=english.position,
            in_footer=english.in_footer,
        )


def ensure_front_pages():
    """A front page per language (empty slots show the newest stories)."""
    for language in (ENGLISH, FRENCH):
        FrontPage.current(language)


# Section → the job title of the reporters who write its stories.
BEATS = {
    "politics": "Parliamentary reporter", "business": "Business reporter",
    "sports": "Sports writer", "canada": "Staff reporter", "arts": "Arts critic",
    "world": "Foreign correspondent", "opinion": "Columnist",
}  # fmt: skip


def ensure_authors(rng, count=18):
    authors = []
    beats = ["Parliamentary reporter", "Business reporter", "Sports writer", "Health reporter",
             "Arts critic", "Foreign correspondent", "Columnist", "Staff reporter"]  # fmt: skip
    for i in range(count):
        name = (
            f"{T.FIRST_NAMES[i % len(T.FIRST_NAMES)]} {T.LAST_NAMES[(i * 7) % len(T.LAST_NAMES)]}"
        )
        place = T.PLACES[(i * 5) % len(T.PLACES)]
        author, created = Author.objects.get_or_create(
            slug=slugify(name),
            defaults={
                "name": name,
                "job_title": beats[i % len(beats)],
                "bio": (
                    f"{name.split()[0]} reports from {place} and has covered "
                    f"{S.PLACE_PROVINCE.get(place, 'the region')} for {3 + (i * 7) % 15} years. "
                    f"Before that, {name.split()[0]} worked for community papers."
                ),
                "email": f"{slugify(name).replace('-', '.')}@example.ca",
            },
        )
        if created or not author.photo:
            author.photo.save(f"author-{i:02d}.jpg", portrait_file(i), save=True)
        authors.append(author)
    return authors


# French beats whose title is gendered: who holds them (first names alternate: even
# masculine, odd feminine, in ``demo.fr.topics.FIRST_NAMES``).
FEMININE_BEATS = {"Critique culturelle", "Correspondante à l’étranger"}
MASCULINE_BEATS = {"Journaliste sportif", "Chroniqueur"}


def ensure_french_authors(per_beat=2):
    """The French desk: ``per_beat`` journalists for each French section, with French job
    titles and bios (``demo.fr.topics.BEATS`` and ``BODY["author_bio"]``)."""
    authors = []
    masculine, feminine = iter(range(0, 1000, 2)), iter(range(1, 1000, 2))
    portrait = 18  # after the English desk's portraits, so the colours continue
    for beat in FT.BEATS.values():
        for k in range(per_beat):
            if beat in FEMININE_BEATS or (beat not in MASCULINE_BEATS and k % 2):
                i = next(feminine)
            else:
                i = next(masculine)
            first = FT.FIRST_NAMES[i % len(FT.FIRST_NAMES)]
            name = f"{first} {FT.LAST_NAMES[(i * 7 + 3) % len(FT.LAST_NAMES)]}"
            place = FT.PLACES[(i * 5) % len(FT.PLACES)]
            province = FS.PLACE_PROVINCE[place]
            author, created = Author.objects.get_or_create(
                slug=slugify(name),
                defaults={
                    "name": name,
                    "job_title": beat,
                    "bio": FT.BODY["author_bio"].format(
                        first_name=first,
                        de_place=de_place(place),
                        de_province=FS.PROVINCE_FORMS[province][1],
                        years=3 + (i * 7) % 15,
                    ),
                    "email": f"{slugify(name).replace('-', '.')}@example.ca",
                },
            )
            if created or not author.photo:
                author.photo.save(f"author-{portrait:02d}.jpg", portrait_file(portrait), save=True)
            portrait += 1
            authors.append(author)
    return authors


# A shape told again must differ from its first telling: a place, a province or a number.
VARIABLE = ("{place}", "{province}", "{n}", "{pct}", "{money}")
VARIABLE_FR = ("{place}", "{de_place}", "{province}", "{en_province}", "{de_province}",
               "{n}", "{pct}", "{money}")  # fmt: skip
PLACE_SLOTS = {ENGLISH: ("{place}",), FRENCH: ("{place}", "{de_place}")}
PROVINCE_SLOTS = {
    ENGLISH: ("{province}",),
    FRENCH: ("{province}", "{en_province}", "{de_province}"),
}


def _data(language):
    """(topics, shapes, slots a retelling may change) of ``language``'s original stories."""
    return (T, S, VARIABLE) if language == ENGLISH else (FT, FS, VARIABLE_FR)


@functools.cache
def _shape_order(seed, cycle=0, language=ENGLISH):
    """Cycle 0: every (topic, shape) once, in an order fixed by the seed. Later cycles: the
    shapes that can be told again (news shapes with a place or a number in the headline; an
    opinion piece is never written twice), in a new order each cycle."""
    topics, shapes, variable = _data(language)
    pairs = [
        (topic_index, shape_index)
        for topic_index, topic in enumerate(topics.TOPICS)
        for shape_index, shape in enumerate(shapes.SHAPES[topic["label"]])
        if cycle == 0 or (len(shape) < 4 and any(slot in shape[0] for slot in variable))
    ]
    # English keeps its seed string, so an English-only seed's order is as before.
    name = f"{seed}:shapes:{cycle}" if language == ENGLISH else f"{seed}:{language}:{cycle}"
    random.Random(name).shuffle(pairs)
    return pairs


def _pick_shape(seed, index, language=ENGLISH):
    """``(topic index, shape index, how many times the shape was told before)`` of the
    ``index``-th story of ``language``'s own shapes."""
    first = len(_shape_order(seed, 0, language))
    if index < first:
        return (*_shape_order(seed, 0, language)[index], 0)
    cycle, position = divmod(index - first, len(_shape_order(seed, 1, language)))
    return (*_shape_order(seed, cycle + 1, language)[position], cycle + 1)


# Story ``index`` is about this many hours old: the newest first, denser in recent weeks and
# thinning out over two years, like a real archive.
ARCHIVE_HOURS = 2 * 365 * 24
ARCHIVE_SCALE = 6000


def _age_hours(rng, index):
    def age(i):
        return ARCHIVE_HOURS * (1 - math.exp(-i / ARCHIVE_SCALE))

    return age(index) + rng.random() * (age(index + 1) - age(index))


def _status(rng):
    roll = rng.random()
    return (
        Article.Status.DRAFT if roll < 0.02
        else Article.Status.IN_REVIEW if roll < 0.03
        else Article.Status.PUBLISHED
    )  # fmt: skip


# Every tag name an English story can carry, by slug: tag slugs are unique, so a French tag
# whose slug is an English tag's of another name (« Montréal », "Montreal") is left off.
ENGLISH_TAGS = {
    slugify(name): name
    for name in [tag for topic in T.TOPICS for tag in topic["tags"]]
    + [place.split(",")[0] for place in [*T.PLACES, *S.PLACE_PROVINCE]]
}


def _french_tag_is_free(name):
    return ENGLISH_TAGS.get(slugify(name), name) == name


def _french_tags(rng, topic, place, headline_slots):
    tags = rng.sample(topic["tags"], k=rng.randint(1, len(topic["tags"])))
    name = place.split(",")[0]
    if any(slot in headline_slots for slot in PLACE_SLOTS[FRENCH]) and rng.random() < 0.5:
        if _french_tag_is_free(name) and name not in tags:
            tags.append(name)
    return [tag for tag in tags if _french_tag_is_free(tag)]


def _original_plan(seed, index, language):
    """An original story of ``language``, the ``_ordinal(index)``-th of its language."""
    topics, shapes, _variable = _data(language)
    # English keeps its seed strings (the same English text as before French existed).
    key = f"{seed}:{index}" if language == ENGLISH else f"{seed}:{language}:{index}"
    rng = random.Random(key)
    topic_index, shape_index, told = _pick_shape(seed, _ordinal(index), language)
    topic = topics.TOPICS[topic_index]
    label = topic["label"]
    headline, standfirst, photo_index, *flags = shapes.SHAPES[label][shape_index]
    opinion = bool(flags and flags[0])
    # Each retelling of a shape moves to the next place, so no place gets the same story twice.
    places = shapes.TOPIC_PLACES.get(label, topics.PLACES)
    has_place = any(slot in headline for slot in PLACE_SLOTS[language])
    if not has_place and any(slot in headline for slot in PROVINCE_SLOTS[language]):
        places = list({shapes.PLACE_PROVINCE[p]: p for p in reversed(places)}.values())  # one each
    shape_key = label if language == ENGLISH else f"{language}:{label}"
    first_place = random.Random(f"{seed}:{shape_key}:{shape_index}:place").randrange(len(places))
    place = places[(first_place + told) % len(places)]
    if language == ENGLISH:
        tags = rng.sample(topic["tags"], k=rng.randint(1, len(topic["tags"])))
        if has_place and rng.random() < 0.5:
            tags.append(place.split(",")[0])
    else:
        tags = _french_tags(rng, topic, place, headline)
    status = _status(rng)
    headline_facts = draw_facts(rng, place, first_place + told, language)
    standfirst_facts = draw_facts(rng, place, None, language)
    words = english_words if language == ENGLISH else french_words
    body = english_body if language == ENGLISH else french_body
    return {
        "language": language,
        "label": label,
        "topic": topic,
        "shape": shape_index,
        "place": place,
        "section": "opinion" if opinion else topic["section"],
        "headline": capitalized(headline.format(**words(headline_facts))),
        "standfirst": standfirst.format(**words(standfirst_facts)),
        "facts": (headline_facts, standfirst_facts),
        # The same shape in another place is told in the same words (a wire story reused):
        # the related-stories engine then sees the two as near-duplicates and never lists one
        # under the other.
        "body": body(random.Random(f"{seed}:{shape_key}:{shape_index}"), topic, place),
        "tags": tags,
        "status": status,
        "age_hours": _age_hours(rng, index),
        "featured": rng.random() < 0.04,
        "authors": rng.sample(range(1000), k=2 if rng.random() < 0.12 else 1),
        "photo": rng.random() < 0.85,
        "photo_choice": photo_index,
        "photo_variant": photo_variant(shapes, label, shape_index),
        "translation_of": None,
    }


def _translation_plan(seed, index):
    """The French translation of story ``index - 1`` (English): ``TRANSLATED_SHAPES`` at the
    original's shape, its place's French name and its numbers, its photo; out a little later."""
    original = _original_plan(seed, index - 1, ENGLISH)
    rng = random.Random(f"{seed}:tr:{index}")
    label = original["label"]
    topic = FT.TOPICS[[t["label"] for t in FT.TOPICS].index(label)]
    headline, standfirst, *_photo = FS.TRANSLATED_SHAPES[label][original["shape"]]
    headline_facts, standfirst_facts = original["facts"]
    place = FS.PLACE_NAMES[original["place"]]
    published = original["status"] == Article.Status.PUBLISHED
    return {
        "language": FRENCH,
        "label": label,
        "topic": topic,
        "shape": original["shape"],
        "place": place,
        "section": FRENCH_SECTION[original["section"]],
        "headline": capitalized(headline.format(**french_words(headline_facts))),
        "standfirst": standfirst.format(**french_words(standfirst_facts)),
        "facts": original["facts"],
        "body": french_body(random.Random(f"{seed}:tr:{label}:{original['shape']}"), topic, place),
        "tags": _french_tags(rng, topic, place, headline),
        # A draft's translation is a draft too; a published story's goes out after it.
        "status": original["status"],
        "age_hours": max(0.0, original["age_hours"] - rng.uniform(0.5, 4)) if published else 0,
        "featured": False,
        "authors": rng.sample(range(1000), k=2 if rng.random() < 0.12 else 1),
        "photo": original["photo"],
        "photo_choice": original["photo_choice"],
        "photo_variant": original["photo_variant"],
        "translation_of": index - 1,
    }


def story_plan(seed, index):
    """The language, topic, text and metadata of demo story ``index`` (pure: no database).

    Story 0 is the newest. ``MIX`` says which stories are English, original French, or the
    French translation of the English story before them. The first stories of each language
    use every shape of every topic once before any shape comes back, so neighbours in time
    (the home page, a section's first pages) are different stories.
    """
    kind = _kind(index)
    if kind == "T":
        return _translation_plan(seed, index)
    return _original_plan(seed, index, ENGLISH if kind == "E" else FRENCH)


def _slug(headline):
    # « l’évacuation » → "l-evacuation", not "levacuation".
    return slugify(headline.replace("’", " ").replace("'", " "))[:180].strip("-") or "story"


def generate(seed=2026, articles=300, progress=None):
    """Create ``articles`` demo stories in English and French (plus sections, authors,
    photos, the French site pages and front page); return the count."""
    rng = random.Random(seed)
    sections = ensure_sections()
    ensure_site_pages()
    ensure_front_pages()
    authors = {ENGLISH: ensure_authors(rng), FRENCH: ensure_french_authors()}
    beats = {ENGLISH: BEATS, FRENCH: FT.BEATS}
    by_beat = {}
    for language, desk in authors.items():
        for author in desk:
            by_beat.setdefault((language, author.job_title), []).append(author)
    photos = DemoPhotos(seed)
    tag_objects = {}
    now = timezone.now().replace(minute=0, second=0, microsecond=0)
    taken = set(Article.objects.values_list("language", "slug"))
    pk_of = {}  # story index → pk, for translations of the previous batch's last story
    videos = dict(DEMO_VIDEOS)  # language → the video its newest story has not shown yet
    done = 0
    for start in range(0, articles, BATCH_SIZE):
        plans = [story_plan(seed, i) for i in range(start, min(start + BATCH_SIZE, articles))]
        batch = []
        for i, plan in enumerate(plans, start=start):
            language = plan["language"]
            slug = _slug(plan["headline"])
            if (language, slug) in taken:
                slug = f"{slug}-{i}"
            taken.add((language, slug))
            body = plan["body"]
            published = plan["status"] == Article.Status.PUBLISHED
            if published and plan["translation_of"] is None and language in videos:
                body = with_demo_video(body, videos.pop(language))
            article = Article(
                headline=plan["headline"],
                slug=slug,
                language=language,
                standfirst=plan["standfirst"],
                body=body,
                section=sections[language, plan["section"]],
                status=plan["status"],
                publish_at=now - timedelta(hours=plan["age_hours"]),
                featured=plan["featured"],
                lead_photo=(
                    photos.get(plan["label"], plan["photo_choice"], plan["photo_variant"])
                    if plan["photo"]
                    else None
                ),
            )
            if plan["status"] != Article.Status.PUBLISHED:
                article.publish_at = None
            article.derive_fields()
            batch.append(article)
        originals = [a for a, p in zip(batch, plans, strict=True) if p["translation_of"] is None]
        translations = [
            (a, p) for a, p in zip(batch, plans, strict=True) if p["translation_of"] is not None
        ]
        with transaction.atomic():
            # Originals first: a translation's row names its original's id.
            _create(originals)
            pk_of.update(
                (i, a.pk)
                for i, (a, p) in enumerate(zip(batch, plans, strict=True), start=start)
                if p["translation_of"] is None
            )
            for article, plan in translations:
                article.translation_of_id = pk_of[plan["translation_of"]]
                # Translated from the original as it stands (version 1): up to date.
                article.translated_version = 1
            _create([article for article, _plan in translations])
            bylines, tagged = [], []
            for article, plan in zip(batch, plans, strict=True):
                # Bylines from the section's own beat, the second name too: no sports writer
                # on a budget story, and a business reporter's page holds business stories.
                for position, author in enumerate(_byline_authors(plan, authors, by_beat, beats)):
                    bylines.append(Byline(article=article, author=author, position=position))
                for name in plan["tags"]:
                    if name not in tag_objects:
                        tag_objects[name], _ = Tag.objects.get_or_create(
                            name=name, defaults={"slug": slugify(name)}
                        )
                    tagged.append(TaggedArticle(content_object=article, tag=tag_objects[name]))
            Byline.objects.bulk_create(bylines, ignore_conflicts=True)
            TaggedArticle.objects.bulk_create(tagged, ignore_conflicts=True)
            record_bulk_writes([article.pk for article in batch])
        done += len(batch)
        if progress:
            progress(done, articles)
    add_demo_votes(seed)
    correct_a_few(seed)  # demo/record.py
    return done


def _byline_authors(plan, authors, by_beat, beats):
    """The story's bylines, all from its section's desk (a second name only when the desk has
    two people: never someone from another beat)."""
    language = plan["language"]
    desk = by_beat.get((language, beats[language].get(plan["section"]))) or authors[language]
    first = desk[plan["authors"][0] % len(desk)]
    names = [first]
    if len(plan["authors"]) > 1 and len(desk) > 1:
        names.append(
            desk[(desk.index(first) + 1 + plan["authors"][1] % (len(desk) - 1)) % len(desk)]
        )
    return names


def _create(articles):
    Article.objects.bulk_create(articles)
    if not all(a.pk for a in articles):  # SQLite < 3.35 does not return ids
        ids = {
            (language, slug): pk
            for language, slug, pk in Article.objects.filter(
                slug__in=[a.slug for a in articles]
            ).values_list("language", "slug", "pk")
        }
        for a in articles:
            a.pk = a.id = ids[a.language, a.slug]


def add_demo_votes(seed, days=7):
    """Readers' votes on about half of the last week's stories, so the ratings show."""

    rng = random.Random(f"{seed}:votes")
    recent = Article.objects.published().filter(
        publish_at__gte=timezone.now() - timedelta(days=days), rating_summary__isnull=True
    )
    votes, summaries = [], []
    for article in recent.order_by("pk"):
        if rng.random() < 0.5:
            continue
        lean = rng.uniform(2.8, 5.2)
        stars = [min(5, max(1, round(rng.gauss(lean, 0.9)))) for _ in range(rng.randint(2, 40))]
        votes += [
            Vote(article=article, voter=uuid.UUID(int=rng.getrandbits(128)), stars=n,
                 address_hash="demo")
            for n in stars
        ]  # fmt: skip
        summaries.append(
            RatingSummary(
                article=article,
                vote_count=len(stars),
                vote_total=sum(stars),
                **{f"stars_{n}": stars.count(n) for n in range(1, 6)},
            )
        )
    with transaction.atomic():
        Vote.objects.bulk_create(votes)
        RatingSummary.objects.bulk_create(summaries)
