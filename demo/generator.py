"""Original, deterministic demo content for a Canadian news site.

The same ``seed`` and ``articles`` always give the same stories (text, tags, authors,
photos and relative dates). Stories are written in batches with ``bulk_create`` so
10,000 or 100,000 of them load in reasonable time.
"""

import functools
import io
import math
import random
import uuid
from datetime import timedelta

from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.text import slugify
from PIL import Image, ImageDraw
from taggit.models import Tag

from articles.models import Article, Author, Byline, Photo, Section, TaggedArticle
from ratings.models import RatingSummary, Vote

from . import shapes as S
from . import topics as T

BATCH_SIZE = 1000
# Cycles through topic colours so the generated photos are told apart at a glance.
PALETTE = [
    ((214, 110, 40), (60, 40, 30)), ((70, 120, 170), (30, 40, 60)), ((90, 140, 80), (30, 50, 30)),
    ((180, 60, 60), (40, 20, 20)), ((120, 90, 160), (40, 30, 60)), ((40, 150, 150), (20, 50, 50)),
]  # fmt: skip


PERCENTAGES = ["1.8", "2.4", "3.1", "4.5", "6", "12", "2.75", "3.25"]


def _fill(rng, text, place=None, told=None):
    """Fill a pattern; ``told`` (the how-many-th telling) picks numbers no telling repeats."""
    place = place or rng.choice(T.PLACES)
    return text.format(
        place=place,
        # The place's own province: a story about Halifax never cites Alberta's premier.
        province=S.PLACE_PROVINCE.get(place) or rng.choice(T.PROVINCES),
        n=rng.randint(2, 9) if told is None else 2 + told % 8,
        pct=rng.choice(PERCENTAGES) if told is None else PERCENTAGES[told % len(PERCENTAGES)],
        money=f"${rng.randint(45, 140) * 10_000:,}",
    )


def _capitalized(text):
    """ "The Northwest Territories declares…", not "the Northwest…", at the start of a headline."""
    return text[:1].upper() + text[1:]


def _person(rng):
    return f"{rng.choice(T.FIRST_NAMES)} {rng.choice(T.LAST_NAMES)}"


def _quote(text):
    """A quotation that runs into "said …": its final full stop becomes a comma."""
    return text[:-1] + "," if text.endswith(".") else text


def _body(rng, topic, place):
    facts = [_fill(rng, fact, place) for fact in topic["facts"]]
    rng.shuffle(facts)
    subheads = topic["subheads"][:]
    rng.shuffle(subheads)
    quotes = topic["quotes"][:]
    rng.shuffle(quotes)
    speaker, role = _person(rng), rng.choice(T.ROLES)
    paragraphs = [
        f"<p>{facts[0]} The news came as officials in {place} met to plan their next steps.</p>",
        f"<p>{facts[1]} {facts[2]}</p>",
        f"<p>“{_quote(quotes[0])}” said {speaker}, {role}.</p>",
        f"<h2>{subheads[0]}</h2>",
        f"<p>{facts[3]} {facts[4]}</p>",
        f"<blockquote><p>{quotes[1]}</p></blockquote>",
    ]
    if len(facts) > 6 and rng.random() < 0.6:
        paragraphs += [
            f"<h2>{subheads[1]}</h2>",
            f"<p>{facts[5]} {speaker.split()[0]} said the community would keep "
            "pressing for answers.</p>",
            f"<p>{facts[6]} More details are expected in the coming days.</p>",
            '<ul><li>Follow <a href="https://www.canada.ca/">official updates</a> for the '
            "latest information.</li><li>Share your story with our newsroom.</li></ul>",
        ]
    else:
        paragraphs.append(f"<p>{facts[5]} More details are expected in the coming days.</p>")
    return "\n".join(paragraphs)


def _gradient(draw, width, height, top, bottom, horizon=1.0):
    for y in range(height):
        t = min(1.0, y / (height * horizon))
        colour = tuple(int(top[c] * (1 - t) + bottom[c] * t) for c in range(3))
        draw.line([(0, y), (width, y)], fill=colour)


def _shade(colour, amount):
    return tuple(max(0, min(255, c + amount)) for c in colour)


def _draw_composition(rng, draw, width, height, kind, top, bottom):
    """Rough shapes that suggest the subject: a skyline, a crowd, ice, a podium…"""
    ground = int(height * rng.uniform(0.55, 0.72))
    dark = _shade(bottom, -25)
    if kind in ("skyline", "building", "bridge", "port"):
        x = 0
        while x < width:
            w = rng.randint(70, 220)
            h = rng.randint(120, 520) if kind != "building" else rng.randint(300, 560)
            draw.rectangle([x, ground - h, x + w, height], fill=_shade(dark, rng.randint(-20, 20)))
            for wy in range(ground - h + 20, ground, 40):  # windows
                for wx in range(x + 12, x + w - 12, 28):
                    if rng.random() < 0.45:
                        draw.rectangle([wx, wy, wx + 10, wy + 16], fill=_shade(top, 40))
            x += w + rng.randint(0, 30)
        if kind == "bridge":
            draw.rectangle([0, ground - 60, width, ground - 30], fill=_shade(dark, -30))
            for bx in range(0, width, 160):
                draw.line([(bx, ground - 60), (bx + 80, ground - 260)], fill=dark, width=8)
    elif kind in ("crowd", "stage", "podium"):
        draw.rectangle([0, ground, width, height], fill=dark)
        if kind in ("stage", "podium"):
            draw.rectangle(
                [width // 2 - 90, ground - 260, width // 2 + 90, ground], fill=_shade(top, 30)
            )
            draw.ellipse([width // 2 - 45, ground - 380, width // 2 + 45, ground - 270], fill=dark)
        for _ in range(70 if kind == "crowd" else 35):
            cx, cy = rng.randint(0, width), rng.randint(ground - 40, height)
            r = rng.randint(26, 48) * (cy / height + 0.4)
            colour = _shade(dark, rng.randint(-40, 30))
            draw.ellipse([cx - r, cy - r, cx + r, cy + r], fill=colour)
            draw.rectangle([cx - r * 1.3, cy + r * 0.8, cx + r * 1.3, cy + r * 3.2], fill=colour)
    elif kind in ("ice", "ice-sea", "sea", "pitch"):
        surface = (
            (235, 242, 248)
            if kind == "ice"
            else (60, 130, 70)
            if kind == "pitch"
            else _shade(bottom, 10)
        )
        draw.rectangle([0, ground, width, height], fill=surface)
        if kind == "ice-sea":
            for _ in range(14):
                cx, cy = rng.randint(0, width), rng.randint(ground, height)
                r = rng.randint(60, 200)
                draw.polygon([(cx - r, cy), (cx - r // 3, cy - r // 4), (cx + r, cy - r // 6),
                              (cx + r // 2, cy + r // 4)], fill=(236, 244, 250))  # fmt: skip
        elif kind == "sea":
            for y in range(ground + 20, height, 36):
                draw.line(
                    [(0, y), (width, y + rng.randint(-8, 8))], fill=_shade(surface, 30), width=4
                )
            draw.polygon([(520, ground - 10), (1100, ground - 10), (1040, ground + 70),
                          (580, ground + 70)], fill=(170, 40, 40))  # fmt: skip
            draw.rectangle([700, ground - 120, 900, ground - 10], fill=(235, 235, 235))
        else:
            for _ in range(6):
                cx, cy = rng.randint(100, width - 100), rng.randint(ground + 30, height - 60)
                colour = (200, 30, 40) if rng.random() < 0.5 else (30, 60, 160)
                draw.ellipse([cx - 22, cy - 120, cx + 22, cy - 76], fill=(60, 40, 30))
                draw.rectangle([cx - 28, cy - 76, cx + 28, cy], fill=colour)
    elif kind in ("houses", "rail", "corridor"):
        draw.rectangle([0, ground, width, height], fill=dark)
        if kind == "rail":
            draw.rectangle([200, ground - 230, width - 150, ground], fill=(220, 220, 225))
            for wx in range(240, width - 200, 120):
                draw.rectangle([wx, ground - 190, wx + 80, ground - 110], fill=_shade(top, -40))
        elif kind == "corridor":
            draw.polygon([(0, 0), (width // 2 - 120, ground - 200), (width // 2 - 120, ground),
                          (0, height)], fill=(225, 228, 230))  # fmt: skip
            draw.polygon([(width, 0), (width // 2 + 120, ground - 200), (width // 2 + 120, ground),
                          (width, height)], fill=(215, 218, 222))  # fmt: skip
        else:
            x = 40
            while x < width - 100:
                w = rng.randint(160, 260)
                h = rng.randint(140, 220)
                colour = _shade(top, rng.randint(-60, 0))
                draw.rectangle([x, ground - h, x + w, ground], fill=colour)
                draw.polygon([(x - 20, ground - h), (x + w // 2, ground - h - 110),
                              (x + w + 20, ground - h)], fill=_shade(dark, -20))  # fmt: skip
                x += w + rng.randint(40, 90)
    else:  # smoke, sky
        for _ in range(9 if kind == "smoke" else 3):
            cx, cy = rng.randint(0, width), rng.randint(0, ground)
            r = rng.randint(120, 320)
            draw.ellipse(
                [cx - r, cy - r // 2, cx + r, cy + r // 2], fill=_shade(top, rng.randint(-30, 30))
            )
        ridge = [(x, ground - rng.randint(0, 160)) for x in range(0, width + 100, 100)]
        draw.polygon([(0, ground), *ridge, (width, height), (0, height)], fill=dark)
        if kind == "sky":
            draw.polygon([(700, 300), (980, 330), (700, 360)], fill=(200, 40, 30))
            draw.polygon([(780, 330), (860, 250), (880, 330)], fill=(220, 60, 40))


def _make_photo_file(rng, index, kind="smoke"):
    top, bottom = PALETTE[index % len(PALETTE)]
    width, height = 1600, 1000
    image = Image.new("RGB", (width, height))
    draw = ImageDraw.Draw(image)
    _gradient(draw, width, height, _shade(top, 40), bottom)
    _draw_composition(rng, draw, width, height, kind, top, bottom)
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=85)
    return ContentFile(buffer.getvalue(), name=f"demo-{index:03d}.jpg")


def _make_portrait_file(index):
    """A plain head-and-shoulders silhouette on a coloured ground, for a demo byline."""
    top, bottom = PALETTE[index % len(PALETTE)]
    size = 240
    image = Image.new("RGB", (size, size), _shade(top, 30))
    draw = ImageDraw.Draw(image)
    draw.ellipse([70, 40, 170, 150], fill=_shade(bottom, 30))
    draw.ellipse([30, 150, 210, 330], fill=_shade(bottom, 30))
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=85)
    return ContentFile(buffer.getvalue(), name=f"author-{index:02d}.jpg")


def ensure_sections():
    sections = {}
    for position, (name, slug, description) in enumerate(T.SECTIONS):
        sections[slug], _ = Section.objects.get_or_create(
            slug=slug, defaults={"name": name, "description": description, "position": position}
        )
    return sections


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
            author.photo.save(f"author-{i:02d}.jpg", _make_portrait_file(i), save=True)
        authors.append(author)
    return authors


def ensure_photos(rng):
    """The photos of each topic, one per subject (stories share them, as wire photos are).

    Captions name no place unless the subject fixes one, so they never contradict a story.
    """
    pool = {}
    index = 0
    for topic in T.TOPICS:
        pool[topic["label"]] = []
        for caption, kind in S.PHOTOS[topic["label"]]:
            # Stored names are random; the demo's own name is kept as the original name
            # (older demo databases still carry it in the stored name).
            file_name = f"demo-{index:03d}.jpg"
            existing = Photo.objects.filter(
                Q(original_filename=file_name) | Q(image__contains=f"demo-{index:03d}"),
                caption=caption,
            )
            photo = existing.first()
            if photo is None:
                photo = Photo(
                    caption=caption,
                    credit=f"THE CANADIAN PRESS/{T.PHOTOGRAPHERS[index % len(T.PHOTOGRAPHERS)]}",
                    alt_text=caption.rstrip("."),
                )
                photo.image.save(file_name, _make_photo_file(rng, index, kind), save=False)
                photo.save()
            pool[topic["label"]].append(photo)
            index += 1
    return pool


# A shape told again must differ from its first telling: a place, a province or a number.
VARIABLE = ("{place}", "{province}", "{n}", "{pct}", "{money}")


@functools.cache
def _shape_order(seed, cycle=0):
    """Cycle 0: every (topic, shape) once, in an order fixed by the seed. Later cycles: the
    shapes that can be told again (news shapes with a place or a number in the headline; an
    opinion piece is never written twice), in a new order each cycle."""
    pairs = [
        (topic_index, shape_index)
        for topic_index, topic in enumerate(T.TOPICS)
        for shape_index, shape in enumerate(S.SHAPES[topic["label"]])
        if cycle == 0 or (len(shape) < 4 and any(slot in shape[0] for slot in VARIABLE))
    ]
    random.Random(f"{seed}:shapes:{cycle}").shuffle(pairs)
    return pairs


def _pick_shape(seed, index):
    """``(topic index, shape index, how many times the shape was told before)``."""
    first = len(_shape_order(seed))
    if index < first:
        return (*_shape_order(seed)[index], 0)
    cycle, position = divmod(index - first, len(_shape_order(seed, 1)))
    return (*_shape_order(seed, cycle + 1)[position], cycle + 1)


# Story ``index`` is about this many hours old: the newest first, denser in recent weeks and
# thinning out over two years, like a real archive.
ARCHIVE_HOURS = 2 * 365 * 24
ARCHIVE_SCALE = 6000


def _age_hours(rng, index):
    def age(i):
        return ARCHIVE_HOURS * (1 - math.exp(-i / ARCHIVE_SCALE))

    return age(index) + rng.random() * (age(index + 1) - age(index))


def story_plan(seed, index):
    """The topic, text and metadata of demo story ``index`` (pure: no database).

    Story 0 is the newest. The first stories use every shape of every topic once before any
    shape comes back, so neighbours in time (the home page, a section's first pages) are
    different stories.
    """
    rng = random.Random(f"{seed}:{index}")
    topic_index, shape_index, told = _pick_shape(seed, index)
    topic = T.TOPICS[topic_index]
    headline, standfirst, photo_index, *flags = S.SHAPES[topic["label"]][shape_index]
    opinion = bool(flags and flags[0])
    # Each retelling of a shape moves to the next place, so no place gets the same story twice.
    places = S.TOPIC_PLACES.get(topic["label"], T.PLACES)
    if "{place}" not in headline and "{province}" in headline:
        places = list({S.PLACE_PROVINCE[p]: p for p in reversed(places)}.values())  # one each
    first_place = random.Random(f"{seed}:{topic['label']}:{shape_index}:place").randrange(
        len(places)
    )
    place = places[(first_place + told) % len(places)]
    tags = rng.sample(topic["tags"], k=rng.randint(1, len(topic["tags"])))
    if "{place}" in headline and rng.random() < 0.5:
        tags.append(place.split(",")[0])
    roll = rng.random()
    status = (
        Article.Status.DRAFT if roll < 0.02
        else Article.Status.IN_REVIEW if roll < 0.03
        else Article.Status.PUBLISHED
    )  # fmt: skip
    return {
        "label": topic["label"],
        "topic": topic,
        "shape": shape_index,
        "section": "opinion" if opinion else topic["section"],
        "headline": _capitalized(_fill(rng, headline, place, told=first_place + told)),
        "standfirst": _fill(rng, standfirst, place),
        # The same shape in another place is told in the same words (a wire story reused):
        # the related-stories engine then sees the two as near-duplicates and never lists one
        # under the other.
        "body": _body(random.Random(f"{seed}:{topic['label']}:{shape_index}"), topic, place),
        "tags": tags,
        "status": status,
        "age_hours": _age_hours(rng, index),
        "featured": rng.random() < 0.04,
        "authors": rng.sample(range(1000), k=2 if rng.random() < 0.12 else 1),
        "photo": rng.random() < 0.85,
        "photo_choice": photo_index,
    }


def generate(seed=2026, articles=300, progress=None):
    """Create ``articles`` demo stories (plus sections, authors and photos); return the count."""
    rng = random.Random(seed)
    sections = ensure_sections()
    authors = ensure_authors(rng)
    by_beat = {}
    for author in authors:
        by_beat.setdefault(author.job_title, []).append(author)
    photos = ensure_photos(rng)
    tag_objects = {}
    now = timezone.now().replace(minute=0, second=0, microsecond=0)
    taken = set(Article.objects.values_list("slug", flat=True))
    done = 0
    for start in range(0, articles, BATCH_SIZE):
        plans = [story_plan(seed, i) for i in range(start, min(start + BATCH_SIZE, articles))]
        batch = []
        for i, plan in enumerate(plans, start=start):
            slug = slugify(plan["headline"])[:180]
            if slug in taken:
                slug = f"{slug}-{i}"
            taken.add(slug)
            article = Article(
                headline=plan["headline"],
                slug=slug,
                standfirst=plan["standfirst"],
                body=plan["body"],
                section=sections[plan["section"]],
                status=plan["status"],
                publish_at=now - timedelta(hours=plan["age_hours"]),
                featured=plan["featured"],
                lead_photo=photos[plan["label"]][plan["photo_choice"]] if plan["photo"] else None,
            )
            if plan["status"] != Article.Status.PUBLISHED:
                article.publish_at = None
            article.derive_fields()
            batch.append(article)
        with transaction.atomic():
            Article.objects.bulk_create(batch)
            if not all(a.pk for a in batch):  # SQLite < 3.35 does not return ids
                by_slug = dict(
                    Article.objects.filter(slug__in=[a.slug for a in batch]).values_list(
                        "slug", "pk"
                    )
                )
                for a in batch:
                    a.pk = a.id = by_slug[a.slug]
            bylines, tagged = [], []
            for article, plan in zip(batch, plans, strict=True):
                # Bylines from the section's own beat: no sports writer on a budget story.
                desk = by_beat.get(BEATS.get(plan["section"])) or authors
                for position, pick in enumerate(plan["authors"]):
                    author = desk[pick % len(desk)]
                    if position and author == desk[plan["authors"][0] % len(desk)]:
                        author = authors[pick % len(authors)]  # a second name, not the same one
                    bylines.append(Byline(article=article, author=author, position=position))
                for name in plan["tags"]:
                    if name not in tag_objects:
                        tag_objects[name], _ = Tag.objects.get_or_create(
                            name=name, defaults={"slug": slugify(name)}
                        )
                    tagged.append(TaggedArticle(content_object=article, tag=tag_objects[name]))
            Byline.objects.bulk_create(bylines, ignore_conflicts=True)
            TaggedArticle.objects.bulk_create(tagged, ignore_conflicts=True)
        done += len(batch)
        if progress:
            progress(done, articles)
    add_demo_votes(seed)
    return done


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
