"""Reading stories from the database into the index's vectors and matrices.

What ``RelatedIndex`` keeps per story comes from here: the text the text model reads, section,
publish time, liveness, headline and language (``read_rows``), tags (``read_tags``), stored semantic
vectors (``read_embedding``), and the dense vectors with their sparse TF-IDF rows
(``embed_in_batches``). Worker-only: imports numpy and scipy.
"""

from dataclasses import dataclass

import numpy as np
from django.db import connection
from scipy import sparse

from ..models import Article, TaggedArticle
from .conf import article_text
from .embeddings import stored_vectors


def timestamp(value):
    return value.timestamp() if value is not None else np.nan


def with_spare_rows(vectors, rows=None):
    """``vectors`` in an array with room for about 5 % more stories (zero rows at the end).

    Copying 100,000 vectors to add one story took 150 ms; with room to spare the copy happens
    once every few thousand new stories, and never on the first one after the index loads.
    """
    if vectors.ndim != 2:  # no stories at all: nothing to make room next to
        return vectors
    rows = len(vectors) if rows is None else rows
    spare = np.zeros((int(rows * 1.05) + 256, vectors.shape[1]), dtype=np.float32)
    spare[: len(vectors)] = vectors
    return spare


@dataclass
class Rows:
    """What the index keeps per story, for a batch read from the database."""

    ids: list
    texts: list
    sections: list
    published: list
    live: list
    headlines: list
    languages: list


def read_rows(queryset):
    rows = Rows([], [], [], [], [], [], [])
    fields = (
        *("pk", "headline", "standfirst", "body", "section_id", "status", "publish_at"),
        "language",
    )
    for (
        pk,
        headline,
        standfirst,
        body,
        section,
        status,
        publish_at,
        language,
    ) in queryset.values_list(*fields):
        rows.ids.append(pk)
        rows.texts.append(article_text(headline, standfirst, body))
        rows.sections.append(section)
        rows.published.append(timestamp(publish_at))
        rows.live.append(status in Article.LIVE_STATUSES)
        rows.headlines.append(headline)
        rows.languages.append(language)
    return rows


def read_tags(ids=None):
    pairs = TaggedArticle.objects.all()
    if ids is not None:
        pairs = pairs.filter(content_object_id__in=ids)
    tags = {}
    for article_id, tag_id in pairs.values_list("content_object_id", "tag_id").iterator(
        chunk_size=20_000
    ):
        tags.setdefault(article_id, set()).add(tag_id)
    return tags


def embed_in_batches(model, texts, languages=None, size=2000):
    """Dense vectors and sparse TF-IDF rows of ``texts`` (in ``languages``, English if None)."""
    if not texts:
        return np.zeros((0, model.dimensions), dtype=np.float32), model.tfidf([])
    languages = languages or [None] * len(texts)
    vectors, tfidf = [], []
    for i in range(0, len(texts), size):
        batch = [lang or "en" for lang in languages[i : i + size]]
        matrix = model.tfidf(texts[i : i + size], batch)
        tfidf.append(matrix)
        vectors.append(model.embed_tfidf(matrix))
    return np.vstack(vectors), sparse.vstack(tfidf, format="csr")


def read_embedding(conf, ids=None):
    """The stored semantic vectors {story id: vector} of the configured model (all stories,
    or ``ids``); none when semantic vectors are off."""
    if conf["EMBEDDING"] == "off":
        return {}
    return stored_vectors(conf["EMBEDDING"], ids)


def database_name():
    return f"{connection.vendor}:{connection.settings_dict['NAME']}"
