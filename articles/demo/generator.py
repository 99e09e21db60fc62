"""Original, deterministic demo content for a Canadian news site.

The same ``seed`` and ``articles`` always give the same stories (text, tags, authors,
photos and relative dates). Stories are written in batches with ``bulk_create`` so
10,000 or 100,000 of them load in reasonable time.
"""

import io
import random
from datetime import timedelta

from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.text import slugify
from PIL import Image, ImageDraw
from taggit.models import Tag

from ..models import Article, Author, Byline, Photo, Section, TaggedArticle
from . import topics as T

BATCH_SIZE = 1000
PHOTOS_PER_TOPIC = 2
# Cycles through topic colours so the generated photos are told apart at a glance.
PALETTE = [
    ((214, 110, 40), (60, 40, 30)), ((70, 120, 170), (30, 40, 60)), ((90, 140, 80), (30, 50, 30)),
    ((180, 60, 60), (40, 20, 20)), ((120, 90, 160), (40, 30, 60)), ((40, 150, 150), (20, 50, 50)),
]  # fmt: skip


def _fill(rng, text, place=None):
    return text.format(
        place=place or rng.choice(T.PLACES),
        province=rng.choice(T.PROVINCES),
        n=rng.randint(2, 9),
        pct=rng.choice(["1.8", "2.4", "3.1", "4.5", "6", "12", "2.75", "3.25"]),
        money=f"${rng.randint(45, 140) * 10_000:,}",
    )


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


def _make_photo_file(rng, index):
    top, bottom = PALETTE[index % len(PALETTE)]
    width, height = 1600, 1000
    image = Image.new("RGB", (width, height))
    draw = ImageDraw.Draw(image)
    for y in range(height):
        t = y / height
        colour = tuple(int(top[c] * (1 - t) + bottom[c] * t) for c in range(3))
        draw.line([(0, y), (width, y)], fill=colour)
    for _ in range(6):
        x, y = rng.randint(0, width), rng.randint(height // 3, height)
        r = rng.randint(60, 260)
        shade = tuple(max(0, c - rng.randint(20, 60)) for c in bottom)
        draw.ellipse([x - r, y - r // 2, x + r, y + r // 2], fill=shade)
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=85)
    return ContentFile(buffer.getvalue(), name=f"demo-{index:03d}.jpg")


def ensure_sections():
    sections = {}
    for position, (name, slug, description) in enumerate(T.SECTIONS):
        sections[slug], _ = Section.objects.get_or_create(
            slug=slug, defaults={"name": name, "description": description, "position": position}
        )
    return sections


def ensure_authors(rng, count=18):
    authors = []
    beats = ["Parliamentary reporter", "Business reporter", "Sports writer", "Health reporter",
             "Arts critic", "Foreign correspondent", "Columnist", "Staff reporter"]  # fmt: skip
    for i in range(count):
        name = (
            f"{T.FIRST_NAMES[i % len(T.FIRST_NAMES)]} {T.LAST_NAMES[(i * 7) % len(T.LAST_NAMES)]}"
        )
        author, _ = Author.objects.get_or_create(
            slug=slugify(name),
            defaults={
                "name": name,
                "job_title": beats[i % len(beats)],
                "bio": f"{name} reports from {T.PLACES[(i * 5) % len(T.PLACES)]}.",
            },
        )
        authors.append(author)
    return authors


def ensure_photos(rng):
    """A small pool of generated photos per topic (stories share them, as wire photos are)."""
    pool = {}
    index = 0
    for topic in T.TOPICS:
        pool[topic["label"]] = []
        for _ in range(PHOTOS_PER_TOPIC):
            place = rng.choice(T.PLACES)
            caption = T.PHOTO_CAPTIONS[topic["label"]].format(place=place)
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
                photo.image.save(file_name, _make_photo_file(rng, index), save=False)
                photo.save()
            pool[topic["label"]].append(photo)
            index += 1
    return pool


def story_plan(seed, index):
    """The topic, text and metadata of demo story ``index`` (pure: no database)."""
    rng = random.Random(f"{seed}:{index}")
    topic = rng.choice(T.TOPICS)
    place = rng.choice(T.PLACES)
    headline = _fill(rng, rng.choice(topic["headlines"]), place)
    opinion = rng.random() < 0.08
    if opinion:
        headline = f"Opinion: {headline[0].lower()}{headline[1:]}"
    tags = rng.sample(topic["tags"], k=rng.randint(1, len(topic["tags"])))
    if rng.random() < 0.3:
        tags.append(place.split(",")[0])
    roll = rng.random()
    status = (
        Article.Status.DRAFT if roll < 0.02
        else Article.Status.IN_REVIEW if roll < 0.03
        else Article.Status.PUBLISHED
    )  # fmt: skip
    # Denser in recent weeks, thinning out over two years, like a real archive.
    age_hours = min(int(rng.expovariate(1 / 2000)), 2 * 365 * 24)
    return {
        "label": topic["label"],
        "topic": topic,
        "section": "opinion" if opinion else topic["section"],
        "headline": headline,
        "standfirst": _fill(rng, rng.choice(topic["standfirsts"]), place),
        "body": _body(rng, topic, place),
        "tags": tags,
        "status": status,
        "age_hours": age_hours,
        "featured": rng.random() < 0.02,
        "authors": rng.sample(range(1000), k=2 if rng.random() < 0.12 else 1),
        "photo": rng.random() < 0.85,
        "photo_choice": rng.randrange(PHOTOS_PER_TOPIC),
    }


def generate(seed=2026, articles=300, progress=None):
    """Create ``articles`` demo stories (plus sections, authors and photos); return the count."""
    rng = random.Random(seed)
    sections = ensure_sections()
    authors = ensure_authors(rng)
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
                publish_at=now - timedelta(hours=plan["age_hours"], minutes=i % 60),
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
                for position, pick in enumerate(plan["authors"]):
                    bylines.append(
                        Byline(
                            article=article, author=authors[pick % len(authors)], position=position
                        )
                    )
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
    return done
