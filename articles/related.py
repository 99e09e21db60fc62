"""“You may also like”: scoring, the stored related lists, and keeping them fresh.

How a candidate story ``c`` scores for the story being read ``s`` (weights in
``settings.RELATED_STORIES``, documented in the README):

    score = text   × cosine of their text vectors (TF-IDF + LSA, see ``textsim``)
          + tags   × cosine of their tag sets, each tag weighted by its rarity (IDF)
          + section × 1 when both are in the same section
          + recency × 0.5 ** (age of c in days / half-life)

Candidates are live stories (published, or scheduled: those are filtered at page time by
``published()`` and appear by themselves when their time comes), never ``s`` itself,
never a near-duplicate of ``s`` or of a story already on the list, never one an editor
excluded, and only above the minimum score.

Lists are computed ahead and stored in ``RelatedArticle`` (a few spare entries beyond the
largest count shown, so an unpublished story leaves no gap). The page reads them with one
query (``related_for``). The work is done on a ``RelatedIndex``: every story's text vector,
section, publish time and tags in numpy arrays, so one story is scored against the whole
archive with one matrix-vector product (the best candidates are then re-scored with the exact
sparse TF-IDF cosine). ``rebuild_related`` writes the index to disk;
``refresh_related`` keeps a process's copy in step with the database.
"""

import functools
import json
import logging
import math
import os
import tempfile
import threading
import time
import uuid
from dataclasses import dataclass
from datetime import datetime
from functools import partial
from pathlib import Path

import numpy as np
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import connection, transaction
from django.db.models import F, OuterRef, Q, Subquery
from django.dispatch import receiver
from django.utils import timezone
from scipy import sparse

from .compiled import CompiledQuery, columns, fields, split_row
from .models import (
    Article,
    Photo,
    RelatedArticle,
    RelatedExclusion,
    RelatedPin,
    TaggedArticle,
)
from .sanitize import html_to_text
from .signals import article_changed, related_lists_changed
from .textsim import TextModel

logger = logging.getLogger(__name__)

DEFAULTS = {
    "WEIGHTS": {"text": 0.6, "tags": 0.3, "section": 0.1, "recency": 0.05},
    "MIN_SCORE": 0.2,
    "COUNT": 6,
    "MAX_COUNT": 12,
    "MIN_SHOWN": 3,
    "SPARE": 4,
    "RECENCY_HALF_LIFE_DAYS": 90.0,
    "NEAR_DUPLICATE": 0.9,
    "DIMENSIONS": 96,
    "SEMANTIC_WEIGHT": 0.5,
    "INDEX_PATH": None,
    "REFRESH": "sync",
    "REVERSE_LIMIT": 200,
    "IN_PROCESS_BUILD_LIMIT": 20_000,
    "SYNC_INTERVAL": 30,
}
SECONDS_PER_DAY = 86_400.0
# How many top-scoring candidates are examined per list before near-duplicates are dropped.
CANDIDATE_FACTOR = 6


def config():
    """``settings.RELATED_STORIES`` over the defaults, checked."""
    conf = {**DEFAULTS, **getattr(settings, "RELATED_STORIES", {})}
    conf["WEIGHTS"] = {**DEFAULTS["WEIGHTS"], **conf["WEIGHTS"]}
    if not 1 <= conf["COUNT"] <= conf["MAX_COUNT"]:
        raise ImproperlyConfigured(
            f"RELATED_STORIES['COUNT'] must be between 1 and {conf['MAX_COUNT']}, "
            f"got {conf['COUNT']} (set RELATED_COUNT)."
        )
    if conf["REFRESH"] not in {"sync", "thread", "off"}:
        raise ImproperlyConfigured(
            "RELATED_STORIES['REFRESH'] must be 'sync', 'thread' or 'off' (set RELATED_REFRESH)."
        )
    return conf


def stored_length(conf=None):
    conf = conf or config()
    return conf["MAX_COUNT"] + conf["SPARE"]


def article_text(headline, standfirst, body):
    """What the text similarity reads: the headline counts twice, as it says the most."""
    return f"{headline}. {headline}. {standfirst}\n{html_to_text(body)}"


# --------------------------------------------------------------------------- page time


def related_for(article, count=None):
    """The stories to show under ``article``, pins first: one query, whatever the archive size.

    Returns an empty list when fewer than ``MIN_SHOWN`` stories qualify, so the page hides the
    block rather than pad it with weak matches (editors' pins count as qualifying). The stories
    carry what a card shows (headline, slug, excerpt, lead photo); other fields load on demand.
    """
    conf = config()
    count = min(count or conf["COUNT"], conf["MAX_COUNT"])
    query = _page_query(count * 2, conf["MIN_SCORE"])  # room to drop repeated headlines
    stories = []
    for row in query.rows(article_id=article.pk, now=timezone.now()):
        story, story.lead_photo = split_row(row, _CARD_PARTS)
        story.pin_position = row[-1]
        stories.append(story)
    stories = _distinct_headlines(article, stories)[:count]
    return stories if len(stories) >= conf["MIN_SHOWN"] else []


# What a related-story card shows: a few columns of the story, and its lead photo (with its
# width and height: ``ImageField`` reads them whenever a photo is loaded).
_CARD_PARTS = [
    ("", Article, fields(Article, only={"id", "headline", "slug", "excerpt", "lead_photo_id"})),
    ("lead_photo", Photo, fields(Photo, only={"id", "image", "width", "height", "renditions"})),
]


@functools.lru_cache(maxsize=32)
def _page_query(limit, min_score):
    """The page-time query for one list length and minimum score, compiled once."""
    build = functools.partial(_related_queryset, limit=limit, min_score=min_score)
    return CompiledQuery(build, article_id=int, now=datetime)


def _related_queryset(article_id, now, limit, min_score):
    """Pins and the stored list, best first, as ``values_list`` rows of ``_CARD_PARTS``."""
    pins = RelatedPin.objects.filter(article_id=article_id)
    stored = RelatedArticle.objects.filter(article_id=article_id, score__gte=min_score)
    excluded = RelatedExclusion.objects.filter(article_id=article_id).values("related_id")
    return (
        Article.objects.published(now)
        # One IN over a UNION, not two INs joined by OR: PostgreSQL turns the OR into a scan
        # of every story, the UNION into a few index lookups.
        .filter(
            pk__in=pins.order_by()
            .values("related_id")
            .union(stored.order_by().values("related_id"))
        )
        .exclude(pk=article_id)
        .exclude(pk__in=excluded)
        .annotate(
            pin_position=Subquery(pins.filter(related_id=OuterRef("pk")).values("position")[:1]),
            related_score=Subquery(stored.filter(related_id=OuterRef("pk")).values("score")[:1]),
        )
        .order_by(
            F("pin_position").asc(nulls_last=True),
            F("related_score").desc(nulls_last=True),
            "-publish_at",
            "-pk",
        )
        .values_list(*columns(_CARD_PARTS), "pin_position")[:limit]
    )


def _headline_key(headline):
    return " ".join(headline.casefold().split())


def _distinct_headlines(article, stories):
    """Drop stories whose headline repeats the story's own or one already listed.

    Two stories under the same headline read as the same news to a reader, even when their
    texts differ enough to pass the near-duplicate test. Editors' pins are always kept.
    """
    seen = {_headline_key(article.headline)}
    kept = []
    for story in stories:
        key = _headline_key(story.headline)
        if key in seen and story.pin_position is None:
            continue
        seen.add(key)
        kept.append(story)
    return kept


# --------------------------------------------------------------------------- the index


def _timestamp(value):
    return value.timestamp() if value is not None else np.nan


def _with_spare_rows(vectors, rows=None):
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
class _Rows:
    """What the index keeps per story, for a batch read from the database."""

    ids: list
    texts: list
    sections: list
    published: list
    live: list


def _read_rows(queryset):
    rows = _Rows([], [], [], [], [])
    fields = ("pk", "headline", "standfirst", "body", "section_id", "status", "publish_at")
    for pk, headline, standfirst, body, section, status, publish_at in queryset.values_list(
        *fields
    ):
        rows.ids.append(pk)
        rows.texts.append(article_text(headline, standfirst, body))
        rows.sections.append(section)
        rows.published.append(_timestamp(publish_at))
        rows.live.append(status in Article.LIVE_STATUSES)
    return rows


def _read_tags(ids=None):
    pairs = TaggedArticle.objects.all()
    if ids is not None:
        pairs = pairs.filter(content_object_id__in=ids)
    tags = {}
    for article_id, tag_id in pairs.values_list("content_object_id", "tag_id").iterator(
        chunk_size=20_000
    ):
        tags.setdefault(article_id, set()).add(tag_id)
    return tags


class RelatedIndex:
    """Every story's vector, section, publish time, liveness and tags, row by row."""

    def __init__(self, model, ids, vectors, sections, published, live, tags, database, tfidf=None):
        self.model = model
        # Sparse TF-IDF rows, for the exact text similarity of each list's best candidates;
        # rows re-read since the index was built live in ``_tfidf_changed``.
        self.tfidf = tfidf if tfidf is not None else model.tfidf([""] * len(ids))
        self._tfidf_changed = {}
        self.ids = np.asarray(ids, dtype=np.int64)
        self.vectors = _with_spare_rows(np.asarray(vectors, dtype=np.float32))
        self.sections = np.asarray(sections, dtype=np.int64)
        self.published = np.asarray(published, dtype=np.float64)
        self.live = np.asarray(live, dtype=bool)
        self.exists = np.ones(len(self.ids), dtype=bool)
        self.tags = {int(k): set(v) for k, v in tags.items()}  # article id -> tag ids
        self.database = database
        self.build_id = uuid.uuid4().hex
        self.synced_at = timezone.now()
        self.lock = threading.RLock()
        self._reindex()

    # -- building and storing

    @classmethod
    def build(cls, conf=None, progress=None):
        """Read every story from the database and learn the text model from them."""
        conf = conf or config()
        started_at = timezone.now()
        chunks, total = [], Article.objects.count()
        queryset = Article.objects.order_by("pk")
        last = 0
        while True:
            rows = _read_rows(queryset.filter(pk__gt=last)[:5000])
            if not rows.ids:
                break
            chunks.append(rows)
            last = rows.ids[-1]
            if progress:
                progress(sum(len(c.ids) for c in chunks), total)
        rows = _Rows(*([x for c in chunks for x in getattr(c, f)] for f in _Rows.__annotations__))
        model = TextModel.fit(
            rows.texts, dimensions=conf["DIMENSIONS"], semantic_weight=conf["SEMANTIC_WEIGHT"]
        )
        vectors, tfidf = _embed_in_batches(model, rows.texts)
        index = cls(
            model,
            rows.ids,
            vectors,
            rows.sections,
            rows.published,
            rows.live,
            _read_tags(),
            _database_name(),
            tfidf=tfidf,
        )
        index.synced_at = started_at
        return index

    def save(self, path):
        """Write the index to ``path`` (a .npz file), atomically."""
        path = Path(path)
        path.parent.mkdir(parents=True, exist_ok=True)
        tag_pairs = np.asarray(
            [(a, t) for a, tags in self.tags.items() for t in tags], dtype=np.int64
        ).reshape(-1, 2)
        meta = {
            "database": self.database,
            "build_id": self.build_id,
            "synced_at": self.synced_at.isoformat(),
        }
        tfidf = self.tfidf_rows(np.flatnonzero(self.exists))
        fd, tmp = tempfile.mkstemp(dir=path.parent, suffix=".npz")
        os.close(fd)
        with open(tmp, "wb") as out:
            np.savez(
                out,
                ids=self.ids[self.exists],
                vectors=self.vectors[: len(self.ids)][self.exists],
                sections=self.sections[self.exists],
                published=self.published[self.exists],
                live=self.live[self.exists],
                tag_pairs=tag_pairs,
                tfidf_data=tfidf.data,
                tfidf_indices=tfidf.indices,
                tfidf_indptr=tfidf.indptr,
                tfidf_shape=np.asarray(tfidf.shape),
                meta=np.asarray(json.dumps(meta)),
                **{f"model_{k}": v for k, v in self.model.to_arrays().items()},
            )
        os.replace(tmp, path)

    @classmethod
    def load(cls, path):
        with np.load(path, allow_pickle=True) as data:
            meta = json.loads(str(data["meta"]))
            model = TextModel.from_arrays(
                {k[6:]: data[k] for k in data.files if k.startswith("model_")}
            )
            tags = {}
            for article_id, tag_id in data["tag_pairs"].tolist():
                tags.setdefault(article_id, set()).add(tag_id)
            index = cls(
                model,
                data["ids"],
                data["vectors"],
                data["sections"],
                data["published"],
                data["live"],
                tags,
                meta["database"],
                tfidf=sparse.csr_matrix(
                    (data["tfidf_data"], data["tfidf_indices"], data["tfidf_indptr"]),
                    shape=tuple(data["tfidf_shape"]),
                ),
            )
        index.build_id = meta["build_id"]
        index.synced_at = datetime.fromisoformat(meta["synced_at"])
        return index

    # -- keeping in step

    def _reindex(self):
        self.row_of = {int(pk): row for row, pk in enumerate(self.ids.tolist())}
        # Tag IDF is learned when the index is built or loaded (a rebuild refreshes it); a tag
        # first seen later counts as the rarest kind.
        df = {}
        for article_id, tags in self.tags.items():
            row = self.row_of.get(article_id)
            if row is not None and self.live[row]:
                for tag in tags:
                    df[tag] = df.get(tag, 0) + 1
        n = max(int(self.live.sum()), 1)
        self.tag_idf = {tag: math.log(1 + n / count) for tag, count in df.items()}
        self.unseen_tag_idf = math.log(1 + n)
        self.tag_rows = {}
        self._tag_arrays = {}
        self.tag_norms = np.zeros(len(self.ids), dtype=np.float32)
        for article_id, tags in self.tags.items():
            self._index_tags(article_id, tags)

    def _idf(self, tag):
        return self.tag_idf.get(tag, self.unseen_tag_idf)

    def _index_tags(self, article_id, tags):
        row = self.row_of.get(article_id)
        if row is None:
            return
        for tag in self.tags.get(article_id, ()):
            self.tag_rows.get(tag, set()).discard(row)
            self._tag_arrays.pop(tag, None)
        self.tags[article_id] = set(tags)
        for tag in tags:
            self.tag_rows.setdefault(tag, set()).add(row)
            self._tag_arrays.pop(tag, None)
        self.tag_norms[row] = math.sqrt(sum(self._idf(t) ** 2 for t in tags))

    def tag_scores(self, row):
        """Cosine of IDF-weighted tag sets between the story at ``row`` and every story."""
        result = np.zeros(len(self.ids), dtype=np.float32)
        own = self.tags.get(int(self.ids[row]), ())
        if not own or not self.tag_norms[row]:
            return result
        for tag in own:
            result[self._tag_row_array(tag)] += self._idf(tag) ** 2
        norms = self.tag_norms * self.tag_norms[row]
        np.divide(result, norms, out=result, where=norms > 0)
        return result

    def _tag_row_array(self, tag):
        cached = self._tag_arrays.get(tag)
        if cached is None:
            cached = np.fromiter(self.tag_rows.get(tag, ()), dtype=np.int64)
            self._tag_arrays[tag] = cached
        return cached

    def tag_matrix(self):
        """Sparse stories × tags matrix of IDF weights, rows of unit length (for rebuilds)."""
        rows, cols, data = [], [], []
        for col, (tag, members) in enumerate(self.tag_rows.items()):
            members = np.fromiter(members, dtype=np.int64)
            rows.append(members)
            cols.append(np.full(len(members), col))
            data.append(self._idf(tag) / self.tag_norms[members])
        if not rows:
            return sparse.csr_matrix((len(self.ids), 1), dtype=np.float32)
        return sparse.csr_matrix(
            (np.concatenate(data).astype(np.float32), (np.concatenate(rows), np.concatenate(cols))),
            shape=(len(self.ids), len(self.tag_rows)),
        )

    def upsert(self, rows, tags):
        """Add or replace stories (their text is re-embedded with the stored model)."""
        if not rows.ids:
            return
        vectors, tfidf = _embed_in_batches(self.model, rows.texts)
        new = [i for i, pk in enumerate(rows.ids) if pk not in self.row_of]
        if new:
            n = len(self.ids)
            self.ids = np.concatenate([self.ids, np.asarray([rows.ids[i] for i in new])])
            if len(self.ids) > self.vectors.shape[0]:
                self.vectors = _with_spare_rows(self.vectors[:n], len(self.ids))
            self.sections = np.concatenate([self.sections, np.zeros(len(new), dtype=np.int64)])
            self.published = np.concatenate([self.published, np.full(len(new), np.nan)])
            self.live = np.concatenate([self.live, np.zeros(len(new), dtype=bool)])
            self.exists = np.concatenate([self.exists, np.ones(len(new), dtype=bool)])
            self.tag_norms = np.concatenate([self.tag_norms, np.zeros(len(new), np.float32)])
            for offset, i in enumerate(new):
                self.row_of[rows.ids[i]] = n + offset
        for i, pk in enumerate(rows.ids):
            row = self.row_of[pk]
            self.vectors[row] = vectors[i]
            self._tfidf_changed[row] = tfidf[i]
            self.sections[row] = rows.sections[i]
            self.published[row] = rows.published[i]
            self.live[row] = rows.live[i]
            self.exists[row] = True
            self._index_tags(pk, tags.get(pk, set()))

    def forget(self, article_ids):
        for pk in article_ids:
            row = self.row_of.get(pk)
            if row is not None:
                self.exists[row] = False
                self.live[row] = False
                self._index_tags(pk, ())

    def set_not_live(self, article_ids):
        """Stop offering stories found unpublished (or gone) since this copy last read them."""
        for pk in article_ids:
            row = self.row_of.get(pk)
            if row is not None:
                self.live[row] = False

    def sync(self, also=(), interval=0):
        """Take in ``also`` and stories added since; every ``interval`` seconds, all changes.

        New stories and ``also`` are found through the primary key (an index lookup). Edits and
        deletions made by other processes need a scan of the table, so that part runs at most
        every ``interval`` seconds; until then this copy scores with their previous text.
        """
        now = timezone.now()
        newest = int(self.ids.max()) if len(self.ids) else 0
        wanted = Q(pk__in=list(also)) | Q(pk__gt=newest)
        full = (now - self.synced_at).total_seconds() >= interval
        if full:
            wanted |= Q(updated_at__gte=self.synced_at)
        rows = _read_rows(Article.objects.filter(wanted))
        self.upsert(rows, _read_tags(rows.ids))
        if full:
            self.synced_at = now
            # Deleted stories (or rolled-back ones) leave the count of rows out of step.
            if Article.objects.count() != int(self.exists.sum()):
                present = set(Article.objects.values_list("pk", flat=True))
                self.forget([pk for pk in self.row_of if pk not in present])
        return rows.ids

    # -- scoring

    def shared_scores(self, row, conf):
        """The symmetric part of the score (text, tags, section) for every story, and the text."""
        weights = conf["WEIGHTS"]
        text = self.vectors[: len(self.ids)] @ self.vectors[row]
        score = weights["text"] * text + weights["tags"] * self.tag_scores(row)
        score[self.sections == self.sections[row]] += weights["section"]
        return score, text

    def recency(self, conf, now=None, rows=slice(None)):
        now = (now or timezone.now()).timestamp()
        age_days = np.clip((now - self.published[rows]) / SECONDS_PER_DAY, 0, None)
        boost = 0.5 ** (age_days / conf["RECENCY_HALF_LIFE_DAYS"])
        return np.nan_to_num(boost, nan=0.0)

    def duplicates_any(self, article_id, others, conf):
        """True when ``article_id`` is another version of one of ``others`` (text similarity)."""
        rows = [self.row_of[pk] for pk in others if pk in self.row_of]
        if not rows or article_id not in self.row_of:
            return False
        similar = self.vectors[rows] @ self.vectors[self.row_of[article_id]]
        return bool(similar.max() >= conf["NEAR_DUPLICATE"])

    def candidates(self):
        return self.live & self.exists

    def tfidf_rows(self, rows):
        """Sparse TF-IDF rows of the given index rows (as last read)."""
        rows = np.asarray(rows, dtype=np.int64)
        stored = self.tfidf.shape[0]
        if not self._tfidf_changed and (not len(rows) or rows.max() < stored):
            return self.tfidf[rows]
        pieces = [
            self._tfidf_changed[r] if r in self._tfidf_changed else self.tfidf[r]
            for r in rows.tolist()
        ]
        if not pieces:
            return sparse.csr_matrix((0, self.tfidf.shape[1]), dtype=np.float32)
        return sparse.vstack(pieces, format="csr")

    def text_correction(self, row, others):
        """Add to the dense text similarity of ``row`` with ``others`` to make it exact."""
        others = np.asarray(others, dtype=np.int64)
        if not len(others):
            return np.zeros(0, dtype=np.float32)
        own = self.tfidf_rows([row]).T
        stored = self.tfidf.shape[0]
        dots = (self.tfidf[np.where(others < stored, others, 0)] @ own).toarray().ravel()
        # Rows re-read since the build (few) are patched one by one.
        for i, other in enumerate(others.tolist()):
            if other >= stored or other in self._tfidf_changed:
                dots[i] = (self.tfidf_rows([other]) @ own).toarray()[0, 0]
        return self.model.exact_correction(self.vectors[others], self.vectors[row], dots)

    def pick(self, row, score, text, excluded, conf):
        """The stored list for the story at ``row``: [(article id, score), …] best first."""
        wanted = stored_length(conf)
        eligible = self.candidates() & (score >= conf["MIN_SCORE"])
        eligible[row] = False
        for pk in excluded:
            other = self.row_of.get(pk)
            if other is not None:
                eligible[other] = False
        rows = np.flatnonzero(eligible)
        keep = wanted * CANDIDATE_FACTOR
        if len(rows) > keep:
            rows = rows[np.argpartition(-score[rows], keep)[:keep]]
        correction = self.text_correction(row, rows)
        scores = score[rows] + conf["WEIGHTS"]["text"] * correction
        texts = text[rows] + correction
        ok = (scores >= conf["MIN_SCORE"]) & (texts < conf["NEAR_DUPLICATE"])
        rows, scores = rows[ok], scores[ok]
        # Best first; ties go to the newer story, then the higher id.
        order = np.lexsort((-self.ids[rows], -np.nan_to_num(self.published[rows]), -scores))
        chosen = []
        for i in order:
            candidate = rows[i]
            if chosen:
                similar = (self.vectors[rows[chosen]] * self.vectors[candidate]).sum(axis=1)
                if similar.max() >= conf["NEAR_DUPLICATE"]:
                    continue  # another version of a story already on the list
            chosen.append(i)
            if len(chosen) == wanted:
                break
        return [(int(self.ids[rows[i]]), float(scores[i])) for i in chosen]


def _embed_in_batches(model, texts, size=2000):
    """Dense vectors and sparse TF-IDF rows of ``texts``."""
    if not texts:
        return np.zeros((0, model.dimensions), dtype=np.float32), model.tfidf([])
    vectors, tfidf = [], []
    for i in range(0, len(texts), size):
        matrix = model.tfidf(texts[i : i + size])
        tfidf.append(matrix)
        vectors.append(model.embed_tfidf(matrix))
    return np.vstack(vectors), sparse.vstack(tfidf, format="csr")


def _database_name():
    return f"{connection.vendor}:{connection.settings_dict['NAME']}"


# --------------------------------------------------------------------------- process copy

_index = None
_index_lock = threading.RLock()


def index_path(conf=None):
    path = (conf or config())["INDEX_PATH"]
    return Path(path) if path else None


def get_index(conf=None):
    """This process's index, loaded from disk or built, and brought up to date."""
    global _index
    conf = conf or config()
    with _index_lock:
        index = _index
        if index is None or index.database != _database_name():
            index = None
            path = index_path(conf)
            if path and path.exists():
                loaded = RelatedIndex.load(path)
                if loaded.database == _database_name():
                    index = loaded
            if index is None:
                total = Article.objects.count()
                if total > conf["IN_PROCESS_BUILD_LIMIT"]:
                    raise IndexMissing(
                        f"No related-stories index for {total:,} stories: run "
                        "`python manage.py rebuild_related` (it writes "
                        f"{path or 'RELATED_INDEX_PATH'})."
                    )
                index = RelatedIndex.build(conf)
            _index = index
        return index


def forget_index():
    """Drop this process's copy (the next use reloads it)."""
    global _index
    with _index_lock:
        _index = None


class IndexMissing(RuntimeError):
    pass


# --------------------------------------------------------------------------- writing lists


def _live_ids(ids):
    return set(
        Article.objects.filter(pk__in=ids, status__in=Article.LIVE_STATUSES).values_list(
            "pk", flat=True
        )
    )


def _exclusions(article_ids=None):
    """{story id: ids editors excluded from its list}, for ``article_ids`` (or every story)."""
    excluded = {}
    pairs = RelatedExclusion.objects.all()
    if article_ids is not None:
        pairs = pairs.filter(article_id__in=article_ids)
    for article_id, related_id in pairs.values_list("article_id", "related_id"):
        excluded.setdefault(article_id, set()).add(related_id)
    return excluded


def write_lists(lists, check=None):
    """Replace the stored lists of the given stories: {article id: [(related id, score)]}.

    Entries whose story is gone or no longer live are dropped; ``check`` limits that check to
    the given ids (the rest are known to be stored already).
    """
    if not lists:
        return
    if check is None:
        check = {pk for entries in lists.values() for pk, _ in entries}
    dead = set(check) - (_live_ids(check) if check else set())
    rows = [
        (article_id, pk, score, position)
        for article_id, entries in lists.items()
        for position, (pk, score) in enumerate(e for e in entries if e[0] not in dead)
    ]
    with transaction.atomic():
        RelatedArticle.objects.filter(article_id__in=list(lists)).delete()
        _insert(rows)


def _insert(rows):
    """Insert (article, related, score, position) rows: COPY on PostgreSQL, it is much faster."""
    if not rows:
        return
    if connection.vendor == "postgresql":
        table = connection.ops.quote_name(RelatedArticle._meta.db_table)
        with connection.cursor() as cursor:
            with cursor.cursor.copy(
                f"COPY {table} (article_id, related_id, score, position) FROM STDIN"
            ) as copy:
                for row in rows:
                    copy.write_row(row)
        return
    RelatedArticle.objects.bulk_create(
        [
            RelatedArticle(article_id=a, related_id=r, score=score, position=p)
            for a, r, score, p in rows
        ],
        batch_size=2000,
    )


def refresh_related(article_id, deleted=False):
    """Bring the stored lists up to date after story ``article_id`` changed.

    Updates the story's own list, removes it from every list it may no longer be on, and adds
    it to the lists of the ``REVERSE_LIMIT`` stories it relates to most (where it beats the
    weakest entry or fills a gap). Returns how many lists were written.
    """
    conf = config()
    index = get_index(conf)
    with index.lock:
        if deleted:
            index.forget([article_id])
        index.sync(also=[] if deleted else [article_id], interval=conf["SYNC_INTERVAL"])
        row = index.row_of.get(article_id)
        visible = row is not None and index.exists[row] and index.live[row]
        holders = set(
            RelatedArticle.objects.filter(related_id=article_id).values_list(
                "article_id", flat=True
            )
        )
        lists = {}
        if not visible and not deleted:
            lists[article_id] = []
        reverse_scores = {}
        excluded = {}
        if visible:
            shared, text = index.shared_scores(row, conf)
            recency = conf["WEIGHTS"]["recency"] * index.recency(conf)
            excluded = _exclusions(holders | {article_id})
            score = shared + recency
            lists[article_id] = index.pick(row, score, text, excluded.get(article_id, ()), conf)
            # This story as a candidate for each other story: the shared parts are symmetric;
            # only the recency term is this story's.
            score = shared + recency[row]
            ok = index.candidates() & (score >= conf["MIN_SCORE"])
            ok &= text < conf["NEAR_DUPLICATE"]
            ok[row] = False
            rows = np.flatnonzero(ok)
            if len(rows) > conf["REVERSE_LIMIT"]:
                rows = rows[np.argpartition(-score[rows], conf["REVERSE_LIMIT"])]
                rows = rows[: conf["REVERSE_LIMIT"]]
            correction = index.text_correction(row, rows)
            scores = score[rows] + conf["WEIGHTS"]["text"] * correction
            ok = (scores >= conf["MIN_SCORE"]) & (text[rows] + correction < conf["NEAR_DUPLICATE"])
            reverse_scores = {
                int(index.ids[r]): float(v) for r, v in zip(rows[ok], scores[ok], strict=True)
            }
            # This copy of the index may lag behind other processes: keep only stories that
            # are still there and live, and forget the others until they change again.
            named = set(reverse_scores) | {pk for pk, _ in lists[article_id]}
            alive = _live_ids(named) if named else set()
            index.set_not_live(named - alive)
            reverse_scores = {pk: v for pk, v in reverse_scores.items() if pk in alive}
            lists[article_id] = [e for e in lists[article_id] if e[0] in alive]
            excluded.update(_exclusions(set(reverse_scores) - holders))
        others = (holders | set(reverse_scores)) - {article_id}
        changes = _merge_into(index, others, article_id, reverse_scores, excluded, conf)
        with transaction.atomic():
            write_lists(lists, check=set())
            _apply(article_id, changes)
            transaction.on_commit(
                partial(
                    related_lists_changed.send,
                    sender=RelatedArticle,
                    article_ids=sorted(set(lists) | set(changes)),
                )
            )
        return len(lists) + len(changes)


def _merge_into(index, others, article_id, reverse_scores, excluded, conf):
    """Where ``article_id`` now belongs in each list of ``others``.

    Returns {owner: (new score or None, [ids pushed off the end])}, for the lists that change;
    only those rows are written, not whole lists.
    """
    if not others:
        return {}
    wanted = stored_length(conf)
    current = {pk: [] for pk in others}
    for owner, related, score in RelatedArticle.objects.filter(article_id__in=others).values_list(
        "article_id", "related_id", "score"
    ):
        current[owner].append((related, score))
    changes = {}
    for owner, entries in current.items():
        before = dict(entries)
        kept = [(pk, s) for pk, s in entries if pk != article_id]
        new_score = reverse_scores.get(owner)
        if (
            new_score is not None
            and article_id not in excluded.get(owner, ())
            and not index.duplicates_any(article_id, [pk for pk, _ in kept], conf)
        ):
            kept.append((article_id, new_score))
        kept.sort(key=lambda e: -e[1])
        after = dict(kept[:wanted])
        if after == before:
            continue
        pushed_off = [pk for pk in before if pk not in after and pk != article_id]
        changes[owner] = (after.get(article_id), pushed_off)
    return changes


def _apply(article_id, changes):
    """Write what ``_merge_into`` decided: a few rows per list, not the whole list."""
    if not changes:
        return
    RelatedArticle.objects.filter(related_id=article_id, article_id__in=list(changes)).delete()
    pushed_off = Q()
    for owner, (_, dropped) in changes.items():
        if dropped:
            pushed_off |= Q(article_id=owner, related_id__in=dropped)
    if pushed_off:
        RelatedArticle.objects.filter(pushed_off).delete()
    # Lists are read by score; position 0 marks an entry merged in after the last full write.
    _insert(
        [
            (owner, article_id, score, 0)
            for owner, (score, _) in changes.items()
            if score is not None
        ]
    )


def _dense_features(index, candidates, conf):
    """Query and key matrices whose product is the whole score but for rare tags.

    Keys are [text vector, section one-hot, recency, common-tag weights]; queries are the same
    columns times their weights (a constant 1 for recency). Folding everything that touches
    most stories into one BLAS product is what makes a full rebuild fast; tags that few
    stories carry stay sparse.
    """
    weights = conf["WEIGHTS"]
    n = len(index.ids)
    _, section_col = np.unique(index.sections, return_inverse=True)
    sections = np.zeros((n, section_col.max() + 1 if n else 1), dtype=np.float32)
    sections[np.arange(n), section_col] = 1
    tags = index.tag_matrix().tocsc()
    df = np.diff(tags.indptr)
    common = np.flatnonzero(df >= max(50, n // 200))
    common = common[np.argsort(-df[common])][:512]
    rare = np.setdiff1d(np.arange(tags.shape[1]), common)
    common_tags = tags[:, common].toarray().astype(np.float32)
    rare_tags = tags[:, rare].tocsr().astype(np.float32)
    vectors = index.vectors[:n]
    keys = np.hstack(
        [vectors, sections, index.recency(conf)[:, None], common_tags], dtype=np.float32
    )[candidates]
    queries = np.hstack(
        [
            weights["text"] * vectors,
            weights["section"] * sections,
            np.full((n, 1), weights["recency"]),
            weights["tags"] * common_tags,
        ],
        dtype=np.float32,
    )
    return queries, keys, rare_tags, rare_tags[candidates].T.tocsr()


def rebuild_all(index, conf=None, start=0, block=256, progress=None, checkpoint=None):
    """Compute and store every live story's list, ``block`` stories at a time.

    ``start`` is the index row to begin with (to resume); ``checkpoint(next_row)`` is called
    after each block is committed.
    """
    conf = conf or config()
    n = len(index.ids)
    excluded = _exclusions()
    for done, lists, idle in compute_lists(index, conf, start, block, excluded):
        with transaction.atomic():
            if idle:
                RelatedArticle.objects.filter(article_id__in=idle).delete()
            write_lists(lists)
        if checkpoint:
            checkpoint(done)
        if progress:
            progress(done, n)
    related_lists_changed.send(sender=RelatedArticle, article_ids=None)


def compute_lists(index, conf, start=0, block=256, excluded=None):
    """Yield (rows done, {story id: list}, [ids of stories with no list]) block by block.

    Touches no database: evaluations call it on archives built in memory.
    """
    excluded = excluded or {}
    n = len(index.ids)
    wanted = stored_length(conf)
    live = index.candidates()
    candidates = np.flatnonzero(live)
    column_of = np.full(n, -1)
    column_of[candidates] = np.arange(len(candidates))
    queries, keys, rare_tags, rare_tags_t = _dense_features(index, candidates, conf)
    vectors = index.vectors[:n]
    keep = min(wanted * CANDIDATE_FACTOR, len(candidates))
    for first in range(start, n, block):
        rows = np.arange(first, min(first + block, n))
        idle = [int(pk) for pk in index.ids[rows[~live[rows]]]]  # not live: no list
        rows = rows[live[rows]]
        lists = {}
        if len(rows) and keep:
            score = queries[rows] @ keys.T
            rare = (rare_tags[rows] @ rare_tags_t).tocoo()
            score[rare.row, rare.col] += conf["WEIGHTS"]["tags"] * rare.data
            score[np.arange(len(rows)), column_of[rows]] = -np.inf  # never the story itself
            for k, row in enumerate(rows):
                for pk in excluded.get(int(index.ids[row]), ()):
                    other = index.row_of.get(pk)
                    if other is not None and column_of[other] >= 0:
                        score[k, column_of[other]] = -np.inf
            top = _top_columns(score, keep, conf["MIN_SCORE"])
            # Pad to one width so the similarities between each row's candidates come from a
            # single batched product (padding: row 0 with a score of -inf, filtered out).
            width = max((len(c) for c in top), default=0)
            padded = np.zeros((len(rows), width), dtype=np.int64)
            top_scores = np.full((len(rows), width), -np.inf, dtype=np.float32)
            for k, columns in enumerate(top):
                padded[k, : len(columns)] = columns
                top_scores[k, : len(columns)] = score[k, columns]
            top_rows = candidates[padded]
            top_vectors = vectors[top_rows]  # rows × width × dims
            text = np.einsum("kmd,kd->km", top_vectors, vectors[rows])
            similar = np.matmul(top_vectors, top_vectors.transpose(0, 2, 1))
            rows_tfidf = index.tfidf_rows(rows)
            for k, row in enumerate(rows):
                # The exact TF-IDF cosine replaces its dense approximation for these few.
                valid = np.isfinite(top_scores[k])
                dots = np.zeros(width, dtype=np.float32)
                dots[valid] = (
                    (index.tfidf_rows(top_rows[k][valid]) @ rows_tfidf[k].T).toarray().ravel()
                )
                correction = index.model.exact_correction(top_vectors[k], vectors[row], dots)
                lists[int(index.ids[row])] = _choose(
                    index,
                    top_rows[k],
                    top_scores[k] + conf["WEIGHTS"]["text"] * correction,
                    text[k] + correction,
                    similar[k],
                    wanted,
                    conf,
                )
        yield min(first + block, n), lists, idle


def _top_columns(score, keep, floor, stride=8):
    """Column numbers of (at most) the ``keep`` best scores at or above ``floor``, per row.

    ``np.argpartition`` over 100,000 columns per row is the slowest step of a rebuild, so a
    threshold is taken first from every ``stride``-th column: at least ``keep`` scores of the
    full row reach it (those sampled ones do), usually a few hundred, and only those are
    partitioned. Scores below ``floor`` never make a list, so the threshold never goes under it.
    """
    rows, columns = score.shape
    sample = score[:, ::stride]
    if sample.shape[1] > keep:
        threshold = np.partition(sample, -keep, axis=1)[:, -keep]
        threshold = np.maximum(threshold, floor)
    else:  # a small archive: take everything above the floor
        threshold = np.full(rows, floor, dtype=score.dtype)
    hit_rows, hit_cols = np.nonzero(score >= threshold[:, None])
    bounds = np.searchsorted(hit_rows, np.arange(rows + 1))
    result = []
    for r in range(rows):
        cols = hit_cols[bounds[r] : bounds[r + 1]]
        if len(cols) > keep:
            cols = cols[np.argpartition(score[r, cols], -keep)[-keep:]]
        result.append(cols)
    return result


def _choose(index, rows, scores, text, similar, wanted, conf):
    """Best first among pre-selected candidates, without near-duplicates (as ``pick`` does).

    ``similar`` holds the text similarities between the candidates themselves.
    """
    ok = np.flatnonzero((scores >= conf["MIN_SCORE"]) & (text < conf["NEAR_DUPLICATE"]))
    order = ok[np.lexsort((-index.ids[rows[ok]], -np.nan_to_num(index.published[rows[ok]]),
                           -scores[ok]))]  # fmt: skip
    twins = similar[np.ix_(order, order)] >= conf["NEAR_DUPLICATE"]
    np.fill_diagonal(twins, False)
    if not twins.any():  # the usual case: nothing to drop
        chosen = order[:wanted]
    else:
        picked, twin_rows = [], twins.tolist()  # plain lists: faster than numpy calls here
        for i, twin_row in enumerate(twin_rows):
            if any(twin_row[j] for j in picked):
                continue
            picked.append(i)
            if len(picked) == wanted:
                break
        chosen = order[picked]
    return [(int(index.ids[rows[i]]), float(scores[i])) for i in chosen]


# --------------------------------------------------------------------------- after a save


class _Worker:
    """One background thread that refreshes lists in order, coalescing repeated saves."""

    def __init__(self):
        self.pending = {}
        self.condition = threading.Condition()
        self.thread = None

    def submit(self, article_id, deleted):
        with self.condition:
            self.pending[article_id] = self.pending.get(article_id, False) or deleted
            if self.thread is None or not self.thread.is_alive():
                self.thread = threading.Thread(target=self.run, name="related-refresh", daemon=True)
                self.thread.start()
            self.condition.notify()

    def wait_idle(self, timeout=10):
        """Block until every submitted refresh has run (tests and benchmarks)."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            with self.condition:
                if not self.pending and not self.busy:
                    return True
            time.sleep(0.01)
        return False

    busy = False

    def run(self):
        from django.db import close_old_connections

        while True:
            with self.condition:
                while not self.pending:
                    if not self.condition.wait(timeout=60):
                        self.thread = None
                        return
                article_id, deleted = self.pending.popitem()
                self.busy = True
            try:
                refresh_related(article_id, deleted)
            except Exception:
                logger.exception("Could not refresh related stories for story %s", article_id)
            finally:
                close_old_connections()
                with self.condition:
                    self.busy = False


_worker = _Worker()


@receiver(article_changed, dispatch_uid="articles.related.refresh")
def on_article_changed(sender, article_id, deleted=False, **kwargs):
    """Refresh related lists once a story's save has committed (see ``REFRESH``)."""
    mode = config()["REFRESH"]
    if mode == "off":
        return
    if mode == "thread":
        _worker.submit(article_id, deleted)
        return
    started = time.perf_counter()
    try:
        refresh_related(article_id, deleted)
    except IndexMissing as exc:
        logger.warning("%s", exc)
    except Exception:
        # The story is saved; its related lists are derived data that the next save or a
        # rebuild repairs. A failure here must not turn the editor's save into an error page.
        logger.exception("Could not refresh related stories for story %s", article_id)
    logger.debug(
        "Related lists refreshed for story %s in %.0f ms",
        article_id,
        (time.perf_counter() - started) * 1000,
    )
