"""The related-stories index: every story's vectors, section, time and tags in numpy arrays,
and this process's copy of it.

``RelatedIndex`` is written in four modules by job: this one holds its state (building it from
the database, writing and reading the snapshot, the tag and semantic-vector tables);
``vectors`` reads stories into vectors and matrices; ``scoring`` (the ``Scoring`` part) scores
candidates and picks a list; ``maintenance`` (the ``Maintenance`` part) keeps the rows in step
with the database between two rebuilds. Worker-only: imports numpy and scipy (web processes
import ``queries`` alone).
"""

import json
import math
import threading
import uuid
from datetime import datetime

import numpy as np
from django.utils import timezone
from scipy import sparse

from ..models import Article
from .conf import config
from .maintenance import Maintenance
from .scoring import Scoring
from .shingles import signatures
from .text import TextModel
from .variety import headline_terms
from .vectors import (
    Rows,
    database_name,
    embed_in_batches,
    read_embedding,
    read_rows,
    read_tags,
    with_spare_rows,
)

# A language as the index keeps it: two letters, fixed width (a snapshot needs no pickle).
LANGUAGE_DTYPE = "<U2"


class RelatedIndex(Scoring, Maintenance):
    """Every story's vector, section, publish time, liveness, language and tags, row by row.

    Stories are only compared with stories in their own language: the candidates of a list
    (``candidates``), the tag weights (``_reindex``) and the text model (``TextModel.fit``)
    are all per language.
    """

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
        languages=None,
        shingles=None,
    ):
        """``embedding``: {story id: unit vector} from the optional semantic model named
        ``embedding_name`` (stored per story, see ``embeddings``); ``headlines``: the
        stories' headlines, for the running-story rule (``variety``); ``languages``: the
        stories' languages (all English when not given); ``shingles``: their MinHash
        signatures and shingle counts (``shingles.signatures``), for the near-copy rule
        (none given: no story is taken for another's copy)."""
        self.model = model
        # Sparse TF-IDF rows, for the exact text similarity of each list's best candidates;
        # rows re-read since the index was built live in ``_tfidf_changed``.
        self.tfidf = tfidf if tfidf is not None else model.tfidf([""] * len(ids))
        self._tfidf_changed = {}
        self.ids = np.asarray(ids, dtype=np.int64)
        self.vectors = with_spare_rows(np.asarray(vectors, dtype=np.float32))
        self.sections = np.asarray(sections, dtype=np.int64)
        self.published = np.asarray(published, dtype=np.float64)
        self.live = np.asarray(live, dtype=bool)
        self.exists = np.ones(len(self.ids), dtype=bool)
        self.languages = np.asarray(
            languages if languages is not None else ["en"] * len(self.ids), dtype=LANGUAGE_DTYPE
        )
        self.tags = {int(k): set(v) for k, v in tags.items()}  # article id -> tag ids
        self.database = database
        self.build_id = uuid.uuid4().hex
        self.synced_at = timezone.now()
        self.lock = threading.RLock()
        self.headline_terms = (
            [headline_terms(h, lang) for h, lang in zip(headlines, self.languages, strict=True)]
            if headlines is not None
            else [frozenset()] * len(self.ids)
        )
        if shingles is None:
            shingles = signatures([""] * len(self.ids))
        self.signatures = np.asarray(shingles[0], dtype=np.uint16)
        self.shingle_counts = np.asarray(shingles[1], dtype=np.int32)
        self._copy_groups = None  # (threshold, group of each row), worked out on first use
        self._reindex()
        self._set_embedding(embedding_name, embedding or {})

    # -- semantic vectors

    def _set_embedding(self, name, vectors):
        self.embedding_name = name
        self._semantic_scale = None
        width = len(next(iter(vectors.values()))) if vectors else 0
        self.embedding = with_spare_rows(np.zeros((len(self.ids), width), dtype=np.float32))
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
            rows = read_rows(queryset.filter(pk__gt=last)[:5000])
            if not rows.ids:
                break
            chunks.append(rows)
            last = rows.ids[-1]
            if progress:
                progress(sum(len(c.ids) for c in chunks), total)
        rows = Rows(*([x for c in chunks for x in getattr(c, f)] for f in Rows.__annotations__))
        model = TextModel.fit(
            rows.texts,
            dimensions=conf["DIMENSIONS"],
            semantic_weight=conf["SEMANTIC_WEIGHT"],
            languages=rows.languages,
        )
        vectors, tfidf = embed_in_batches(model, rows.texts, rows.languages)
        index = cls(
            model,
            rows.ids,
            vectors,
            rows.sections,
            rows.published,
            rows.live,
            read_tags(),
            database_name(),
            tfidf=tfidf,
            embedding=read_embedding(conf),
            embedding_name=conf["EMBEDDING"],
            headlines=rows.headlines,
            languages=rows.languages,
            shingles=signatures(rows.texts),
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
            languages=self.languages[self.exists],
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
            shingle_signatures=self.signatures[: len(self.ids)][self.exists],
            shingle_counts=self.shingle_counts[: len(self.ids)][self.exists],
            meta=np.asarray(json.dumps(meta)),
            **{f"model_{k}": v for k, v in self.model.to_arrays().items()},
        )

    @classmethod
    def read(cls, source):
        """The index written by ``write`` to ``source`` (a binary file object)."""
        with np.load(source, allow_pickle=False) as data:
            meta = json.loads(str(data["meta"]))
            if "languages" not in data.files:
                # Written before stories had a language: its French stories were read as
                # English. Not trusted (``snapshots.load_latest`` logs it and rebuilds).
                raise ValueError("the snapshot predates per-language indexing")
            if "shingle_signatures" not in data.files:
                # Written before near-copies were found by shingles: rebuilt the same way.
                raise ValueError("the snapshot predates near-copy signatures")
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
                languages=data["languages"],
                shingles=(data["shingle_signatures"], data["shingle_counts"]),
            )
            if "headline_terms" in data.files:
                bounds = np.concatenate([[0], np.cumsum(data["headline_counts"])])
                terms = data["headline_terms"].tolist()
                index.headline_terms = [
                    frozenset(terms[a:b]) for a, b in zip(bounds[:-1], bounds[1:], strict=True)
                ]
            if "embedding" in data.files:
                index.embedding_name = meta.get("embedding_name", "off")
                index.embedding = with_spare_rows(data["embedding"].astype(np.float32))
                index.has_embedding = data["has_embedding"].astype(bool)
                index._semantic_scale = None
        index.build_id = meta["build_id"]
        index.synced_at = datetime.fromisoformat(meta["synced_at"])
        return index

    # -- the tag table (IDF and which stories carry each tag)

    def _reindex(self):
        self.row_of = {int(pk): row for row, pk in enumerate(self.ids.tolist())}
        # Tag IDF is learned when the index is built or loaded (a rebuild refreshes it); a tag
        # first seen later counts as the rarest kind. Per language, as the text model is: a
        # tag's weight in French stories is its rarity among French stories, and stories in
        # one language change nothing in another's scores. The tables are keyed by
        # (language, tag id) (``_tag_key``).
        df, live = {}, {}
        for row in np.flatnonzero(self.live).tolist():
            language = str(self.languages[row])
            live[language] = live.get(language, 0) + 1
        for article_id, tags in self.tags.items():
            row = self.row_of.get(article_id)
            if row is not None and self.live[row]:
                for tag in tags:
                    key = self._tag_key(row, tag)
                    df[key] = df.get(key, 0) + 1
        self.tag_idf = {
            key: math.log(1 + max(live.get(key[0], 0), 1) / count) for key, count in df.items()
        }
        self.unseen_tag_idf = {language: math.log(1 + n) for language, n in live.items()}
        self.tag_rows = {}
        self._tag_arrays = {}
        self.tag_norms = np.zeros(len(self.ids), dtype=np.float32)
        for article_id, tags in self.tags.items():
            self._index_tags(article_id, tags)

    def _tag_key(self, row, tag):
        return str(self.languages[row]), tag

    def _idf(self, key):
        """The IDF of a (language, tag id) key."""
        return self.tag_idf.get(key, self.unseen_tag_idf.get(key[0], 0.0) or math.log(2))

    def _index_tags(self, article_id, tags):
        """Set the story's tags (under its current language: ``upsert`` clears them before a
        story's language changes)."""
        row = self.row_of.get(article_id)
        if row is None:
            return
        for tag in self.tags.get(article_id, ()):
            key = self._tag_key(row, tag)
            self.tag_rows.get(key, set()).discard(row)
            self._tag_arrays.pop(key, None)
        self.tags[article_id] = set(tags)
        for tag in tags:
            key = self._tag_key(row, tag)
            self.tag_rows.setdefault(key, set()).add(row)
            self._tag_arrays.pop(key, None)
        self.tag_norms[row] = math.sqrt(sum(self._idf(self._tag_key(row, t)) ** 2 for t in tags))


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
        if index is None or index.database != database_name():
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
