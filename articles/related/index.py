"""The related-stories index: every story's vectors, section, time and tags in numpy arrays."""

import json
import math
import threading
import uuid
from dataclasses import dataclass
from datetime import datetime

import numpy as np
from django.db import connection
from django.db.models import Q
from django.utils import timezone
from scipy import sparse

from ..models import (
    Article,
    TaggedArticle,
)
from ..textsim import TextModel
from .conf import (
    CANDIDATE_FACTOR,
    EMBEDDING_COVERAGE,
    SECONDS_PER_DAY,
    article_text,
    config,
    stored_length,
)
from .variety import choose, explanation, follow_up, headline_terms

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
    headlines: list


def _read_rows(queryset):
    rows = _Rows([], [], [], [], [], [])
    fields = ("pk", "headline", "standfirst", "body", "section_id", "status", "publish_at")
    for pk, headline, standfirst, body, section, status, publish_at in queryset.values_list(
        *fields
    ):
        rows.ids.append(pk)
        rows.texts.append(article_text(headline, standfirst, body))
        rows.sections.append(section)
        rows.published.append(_timestamp(publish_at))
        rows.live.append(status in Article.LIVE_STATUSES)
        rows.headlines.append(headline)
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

    def __init__(
        self,
        model,
        ids,
        vectors,
        sections,
        published,
        live,
        tags,
        database,
        tfidf=None,
        embedding=None,
        embedding_name="off",
        headlines=None,
    ):
        """``embedding``: {story id: unit vector} from the optional semantic model named
        ``embedding_name`` (stored per story, see ``articles.embeddings``); ``headlines``: the
        stories' headlines, for the running-story rule (``variety``)."""
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
        self.headline_terms = (
            [headline_terms(h) for h in headlines]
            if headlines is not None
            else [frozenset()] * len(self.ids)
        )
        self._reindex()
        self._set_embedding(embedding_name, embedding or {})

    # -- semantic vectors

    def _set_embedding(self, name, vectors):
        self.embedding_name = name
        self._semantic_scale = None
        width = len(next(iter(vectors.values()))) if vectors else 0
        self.embedding = _with_spare_rows(np.zeros((len(self.ids), width), dtype=np.float32))
        self.has_embedding = np.zeros(len(self.ids), dtype=bool)
        self._put_embedding(vectors)

    def _put_embedding(self, vectors):
        for pk, vector in vectors.items():
            row = self.row_of.get(int(pk))
            if row is None:
                continue
            if not self.embedding.shape[1] and len(vector):  # the first vector this index sees
                self.embedding = np.zeros((self.vectors.shape[0], len(vector)), np.float32)
            if len(vector) == self.embedding.shape[1]:
                self.embedding[row] = vector
                self.has_embedding[row] = True

    def embedding_active(self, conf):
        """True when the configured semantic model's vectors cover (nearly) every live story.

        Until then (the model just switched on, a backfill under way) the plain method serves,
        so stories still without a vector are not ranked below those that have one.
        """
        if conf["EMBEDDING"] == "off" or conf["EMBEDDING"] != self.embedding_name:
            return False
        if not self.embedding.shape[1] or not conf["EMBEDDING_SHARE"]:
            return False
        live = self.live & self.exists
        n = len(self.ids)
        covered = (self.has_embedding[:n] & live).sum()
        return covered >= EMBEDDING_COVERAGE * max(int(live.sum()), 1)

    def scoring(self, conf):
        """``conf`` with the weights in force for this index: the text weight split between
        text and semantic when semantic vectors are in use, a semantic weight of 0 otherwise.

        The two similarities live on different scales (two stories' TF-IDF cosine is near 0
        unless they share words; semantic cosines spread over the whole range), so the
        semantic one is first brought to the text one's spread (``semantic_scale``): the
        share then means what it says, as in a mix of standardised scores.
        """
        weights = dict(conf["WEIGHTS"])
        share = conf["EMBEDDING_SHARE"] if self.embedding_active(conf) else 0.0
        scale = self.semantic_scale() if share else 0.0
        weights["semantic"] = weights["text"] * share * scale
        weights["text"] = weights["text"] * (1 - share)
        return {**conf, "WEIGHTS": weights}

    def semantic_scale(self, sample=2000):
        """Standard deviation of the text similarity over that of the semantic similarity,
        across pairs of (up to ``sample``) live stories that have a vector. Learnt once per
        index (build or load), from a fixed sample, so the rebuild and the worker agree."""
        if self._semantic_scale is None:
            n = len(self.ids)
            rows = np.flatnonzero(self.live & self.exists & self.has_embedding[:n])
            if len(rows) > sample:
                rows = np.sort(np.random.default_rng(0).choice(rows, sample, replace=False))
            self._semantic_scale = 1.0
            if len(rows) >= 3:
                upper = np.triu_indices(len(rows), 1)
                text = (self.vectors[rows] @ self.vectors[rows].T)[upper]
                semantic = (self.embedding[rows] @ self.embedding[rows].T)[upper]
                if semantic.std() > 1e-6 and text.std() > 1e-6:
                    self._semantic_scale = float(text.std() / semantic.std())
        return self._semantic_scale

    def semantic_scores(self, row):
        """Cosine of the semantic vectors of the story at ``row`` and every story (0 without)."""
        n = len(self.ids)
        if not self.embedding.shape[1]:
            return np.zeros(n, dtype=np.float32)
        return self.embedding[:n] @ self.embedding[row]

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
            embedding=_read_embedding(conf),
            embedding_name=conf["EMBEDDING"],
            headlines=rows.headlines,
        )
        index.synced_at = started_at
        return index

    def write(self, out):
        """Write the index as a .npz file to the binary file object ``out``."""
        tag_pairs = np.asarray(
            [(a, t) for a, tags in self.tags.items() for t in tags], dtype=np.int64
        ).reshape(-1, 2)
        meta = {
            "database": self.database,
            "build_id": self.build_id,
            "synced_at": self.synced_at.isoformat(),
            "embedding_name": self.embedding_name,
        }
        tfidf = self.tfidf_rows(np.flatnonzero(self.exists))
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
            embedding=self.embedding[: len(self.ids)][self.exists],
            headline_terms=np.asarray(
                [t for row in np.flatnonzero(self.exists) for t in self.headline_terms[row]],
                dtype=np.uint32,
            ),
            headline_counts=np.asarray(
                [len(self.headline_terms[row]) for row in np.flatnonzero(self.exists)],
                dtype=np.int64,
            ),
            has_embedding=self.has_embedding[self.exists],
            meta=np.asarray(json.dumps(meta)),
            **{f"model_{k}": v for k, v in self.model.to_arrays().items()},
        )

    @classmethod
    def read(cls, source):
        """The index written by ``write`` to ``source`` (a binary file object)."""
        with np.load(source, allow_pickle=False) as data:
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
            if "headline_terms" in data.files:
                bounds = np.concatenate([[0], np.cumsum(data["headline_counts"])])
                terms = data["headline_terms"].tolist()
                index.headline_terms = [
                    frozenset(terms[a:b]) for a, b in zip(bounds[:-1], bounds[1:], strict=True)
                ]
            if "embedding" in data.files:
                index.embedding_name = meta.get("embedding_name", "off")
                index.embedding = _with_spare_rows(data["embedding"].astype(np.float32))
                index.has_embedding = data["has_embedding"].astype(bool)
                index._semantic_scale = None
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

    def upsert(self, rows, tags, embedding=None):
        """Add or replace stories (their text is re-embedded with the stored model; their
        semantic vectors, ``embedding`` {id: vector}, are the stored ones)."""
        if not rows.ids:
            return
        vectors, tfidf = _embed_in_batches(self.model, rows.texts)
        new = [i for i, pk in enumerate(rows.ids) if pk not in self.row_of]
        if new:
            n = len(self.ids)
            self.ids = np.concatenate([self.ids, np.asarray([rows.ids[i] for i in new])])
            if len(self.ids) > self.vectors.shape[0]:
                self.vectors = _with_spare_rows(self.vectors[:n], len(self.ids))
            if len(self.ids) > self.embedding.shape[0]:
                self.embedding = _with_spare_rows(self.embedding[:n], len(self.ids))
            self.has_embedding = np.concatenate(
                [self.has_embedding[:n], np.zeros(len(new), dtype=bool)]
            )
            self.sections = np.concatenate([self.sections, np.zeros(len(new), dtype=np.int64)])
            self.published = np.concatenate([self.published, np.full(len(new), np.nan)])
            self.live = np.concatenate([self.live, np.zeros(len(new), dtype=bool)])
            self.exists = np.concatenate([self.exists, np.ones(len(new), dtype=bool)])
            self.tag_norms = np.concatenate([self.tag_norms, np.zeros(len(new), np.float32)])
            for offset, i in enumerate(new):
                self.row_of[rows.ids[i]] = n + offset
            self.headline_terms = self.headline_terms + [frozenset()] * len(new)
        for i, pk in enumerate(rows.ids):
            row = self.row_of[pk]
            self.vectors[row] = vectors[i]
            self._tfidf_changed[row] = tfidf[i]
            self.sections[row] = rows.sections[i]
            self.published[row] = rows.published[i]
            self.live[row] = rows.live[i]
            self.exists[row] = True
            self._index_tags(pk, tags.get(pk, set()))
            self.has_embedding[row] = False
            self.embedding[row] = 0
            self.headline_terms[row] = headline_terms(rows.headlines[i])
        self._put_embedding(embedding or {})

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
        embedding = None
        if self.embedding_name != "off" and rows.ids:
            from ..embeddings import stored_vectors

            embedding = stored_vectors(self.embedding_name, rows.ids)
        self.upsert(rows, _read_tags(rows.ids), embedding)
        if full:
            self.synced_at = now
            # Deleted stories (or rolled-back ones) leave the count of rows out of step.
            if Article.objects.count() != int(self.exists.sum()):
                present = set(Article.objects.values_list("pk", flat=True))
                self.forget([pk for pk in self.row_of if pk not in present])
        return rows.ids

    # -- scoring

    def shared_scores(self, row, conf):
        """The symmetric part of the score (text, semantic, tags, section) for every story,
        and the text similarity. ``conf`` is ``scoring(conf)``: its weights are in force."""
        weights = conf["WEIGHTS"]
        text = self.vectors[: len(self.ids)] @ self.vectors[row]
        score = weights["text"] * text + weights["tags"] * self.tag_scores(row)
        if weights.get("semantic"):
            score += weights["semantic"] * self.semantic_scores(row)
        score[self.sections == self.sections[row]] += weights["section"]
        return score, text

    def recency(self, conf, now=None, rows=slice(None)):
        now = (now or timezone.now()).timestamp()
        age_days = np.clip((now - self.published[rows]) / SECONDS_PER_DAY, 0, None)
        boost = 0.5 ** (age_days / conf["RECENCY_HALF_LIFE_DAYS"])
        return np.nan_to_num(boost, nan=0.0)

    def duplicates_any(self, article_id, others, conf):
        """True when ``article_id`` is another version of one of ``others`` (TF-IDF cosine at
        least ``NEAR_DUPLICATE``, as in ``variety``)."""
        rows = [self.row_of[pk] for pk in others if pk in self.row_of]
        if not rows or article_id not in self.row_of:
            return False
        similar = self.exact_cosines(self.row_of[article_id], rows)
        return bool(similar.max() >= conf["NEAR_DUPLICATE"])

    def varied_with(self, owner, article_id, others, conf):
        """True when adding ``article_id`` to the list ``others`` of story ``owner`` keeps to
        the running-story rule of ``variety`` (used when a saved story is merged into lists)."""
        row = self.row_of.get(article_id)
        rows = [self.row_of[pk] for pk in others if pk in self.row_of]
        if row is None or not rows:
            return True
        most = conf["RUNNING_STORY_MAX"]

        def follow_ups(of, others):
            similar = self.vectors[others] @ self.vectors[of]
            return [
                follow_up(float(s), self.headline_terms[of], self.headline_terms[o], conf)
                for s, o in zip(similar, others, strict=True)
            ]

        if sum(follow_ups(row, rows)) >= most:
            return False
        owner_row = self.row_of.get(owner)
        if owner_row is None or not follow_ups(owner_row, [row])[0]:
            return True
        return sum(follow_ups(owner_row, rows)) < most

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

    def exact_cosines(self, row, others):
        """The exact TF-IDF cosine of the story at ``row`` with each of ``others`` (rows)."""
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
        return dots

    def text_correction(self, row, others, dots=None):
        """Add to the dense text similarity of ``row`` with ``others`` to make it exact
        (``dots``: their ``exact_cosines``, when already known)."""
        others = np.asarray(others, dtype=np.int64)
        if not len(others):
            return np.zeros(0, dtype=np.float32)
        if dots is None:
            dots = self.exact_cosines(row, others)
        return self.model.exact_correction(self.vectors[others], self.vectors[row], dots)

    def pick(self, row, score, text, excluded, conf, explain=None):
        """The stored list for the story at ``row``: [(article id, score), …] best first.

        ``explain``, a dict, receives the list's explanation (see ``variety.explanation``).
        """
        wanted = stored_length(conf)
        eligible = self.candidates() & (score >= conf["MIN_SCORE"])
        eligible[row] = False
        excluded_scores = {}
        for pk in excluded:
            other = self.row_of.get(pk)
            if other is not None:
                if eligible[other]:
                    excluded_scores[pk] = float(score[other])
                eligible[other] = False
        rows = np.flatnonzero(eligible)
        keep = wanted * CANDIDATE_FACTOR
        if len(rows) > keep:
            rows = rows[np.argpartition(-score[rows], keep)[:keep]]
        dots = self.exact_cosines(row, rows)
        correction = self.text_correction(row, rows, dots)
        scores = score[rows] + conf["WEIGHTS"]["text"] * correction
        texts = text[rows] + correction
        similar = self.vectors[rows] @ self.vectors[rows].T
        chosen, left_out = choose(
            self, row, rows, scores, texts, similar, wanted, conf, story_tfidf=dots
        )
        if explain is not None:
            explain.update(
                explanation(self, row, rows, scores, texts, chosen, left_out, conf, excluded_scores)
            )
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


def _read_embedding(conf):
    if conf["EMBEDDING"] == "off":
        return {}
    from ..embeddings import stored_vectors

    return stored_vectors(conf["EMBEDDING"])


def _database_name():
    return f"{connection.vendor}:{connection.settings_dict['NAME']}"


# --------------------------------------------------------------------------- process copy

_index = None
_index_lock = threading.RLock()


def get_index(conf=None):
    """This process's index: the latest snapshot, else built here (small archives only).

    Raises ``IndexMissing`` when there is no snapshot and the archive is too large to build
    while a task waits: the caller queues a full rebuild instead.
    """
    global _index
    from . import snapshots

    conf = conf or config()
    with _index_lock:
        index = _index
        if index is None or index.database != _database_name():
            index = snapshots.load_latest()
            if index is None:
                total = Article.objects.count()
                if total > conf["IN_PROCESS_BUILD_LIMIT"]:
                    raise IndexMissing(
                        f"No related-stories index for {total:,} stories yet: a full rebuild "
                        "is needed (queued by the worker, or `python manage.py rebuild_related`)."
                    )
                index = RelatedIndex.build(conf)
                snapshots.save(index)  # other workers load it instead of building it again
            _index = index
        return index


def use_index(index):
    """Make ``index`` this process's copy (after a rebuild, the freshest there is)."""
    global _index
    with _index_lock:
        _index = index


def forget_index():
    """Drop this process's copy (the next use reloads it)."""
    global _index
    with _index_lock:
        _index = None


class IndexMissing(RuntimeError):
    pass
