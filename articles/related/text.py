"""Text similarity for related stories: TF-IDF folded into a small dense space (LSA).

Pipeline: words → lower case, stop words dropped, Snowball-stemmed → sublinear TF × IDF,
L2-normalised (the classic TF-IDF cosine) → projected on the top ``dimensions`` right
singular vectors of the training matrix (latent semantic analysis, a randomised SVD).

Each story becomes one dense vector made of two halves, so that a single dot product is a
blend of two similarities:

- the *exact* half keeps the TF-IDF norm, so for stories inside the training span the dot
  product *is* the TF-IDF cosine (and on small archives, where ``dimensions`` covers every
  story, nothing is lost at all);
- the *semantic* half is re-normalised in the LSA space, so stories that share a topic
  without sharing words still score (the strength of LSA).

``semantic_weight`` (0–1) balances the two. Dense vectors let a full rebuild use one BLAS
matrix product per block of stories, and a single update one matrix-vector product.
"""

import math

import numpy as np
from scipy import sparse

from .words import ENGLISH, STOP_WORDS, WORD_RE, term_language, terms, tokens  # noqa: F401

# ``tokens``, ``WORD_RE`` and ``STOP_WORDS`` live in ``words`` (English and French); they are
# named here too for the scripts that import them from this module (bench/lee_eval.py).


def _languages(texts, languages):
    return [ENGLISH] * len(texts) if languages is None else list(languages)


def _counts(docs):
    return [_count(doc) for doc in docs]


def _count(terms):
    counts = {}
    for term in terms:
        counts[term] = counts.get(term, 0) + 1
    return counts


class TextModel:
    """Vocabulary, IDF and LSA projection learned from a corpus; turns texts into vectors."""

    def __init__(self, vocabulary, idf, components, semantic_weight):
        self.vocabulary = vocabulary  # term -> column
        self.idf = np.asarray(idf, dtype=np.float32)
        self.components = np.asarray(components, dtype=np.float32)  # vocabulary × dimensions
        self.semantic_weight = float(semantic_weight)

    @property
    def dimensions(self):
        """Length of the vectors ``embed`` returns."""
        return 2 * self.components.shape[1]

    @classmethod
    def fit(
        cls,
        texts,
        dimensions=128,
        semantic_weight=0.5,
        min_df=1,
        max_vocabulary=60_000,
        sample=20_000,
        seed=0,
        languages=None,
    ):
        """Learn IDF and the LSA projection from ``texts`` (at most ``sample`` of them per
        language; ``languages``: each text's, English when not given).

        Each language is learned on its own stories alone, as if the others were not there:
        its own vocabulary (at most ``max_vocabulary`` terms), document frequencies and
        ``dimensions`` LSA directions. Stories are only ever compared with stories in their
        own language, so the languages share the dense coordinates (a vector's meaning
        depends on its language) and adding stories in one language changes nothing in
        another's vectors.
        """
        texts = list(texts)
        by_language = {}
        for text, language in zip(texts, _languages(texts, languages), strict=True):
            by_language.setdefault(language, []).append(text)
        idf, counted, rngs = {}, {}, {}
        for language, docs in by_language.items():
            rng = rngs[language] = np.random.default_rng(seed)
            if len(docs) > sample:
                keep = np.sort(rng.choice(len(docs), size=sample, replace=False))
                docs = [docs[i] for i in keep]
            counted[language] = _counts(terms(t, language) for t in docs)
            df = {}
            for counts in counted[language]:
                for term in counts:
                    df[term] = df.get(term, 0) + 1
            kept = sorted((t for t, n in df.items() if n >= min_df), key=lambda t: (-df[t], t))
            n = max(len(counted[language]), 1)
            for term in kept[:max_vocabulary]:
                idf[term] = math.log((1 + n) / (1 + df[term])) + 1  # smoothed, never zero
        vocabulary = {term: i for i, term in enumerate(sorted(idf))}
        model = cls(
            vocabulary,
            [idf[t] for t in sorted(idf)],
            np.zeros((len(vocabulary), 0)),
            semantic_weight,
        )
        parts = {}
        for language in counted:
            # This language's columns only (in the vocabulary's order), so its projection is
            # learned from exactly what it would be in an archive of this language alone.
            columns = np.asarray(
                [c for t, c in vocabulary.items() if term_language(t) == language], dtype=np.int64
            )
            matrix = model._tfidf_from_counts(counted[language])[:, columns]
            parts[language] = (
                columns,
                _top_right_singular_vectors(matrix, dimensions, rngs[language]),
            )
        width = max((p.shape[1] for _, p in parts.values()), default=0)
        model.components = np.zeros((len(vocabulary), width), dtype=np.float32)
        for columns, part in parts.values():
            model.components[columns, : part.shape[1]] = part
        return model

    def tfidf(self, texts, languages=None):
        """Sparse TF-IDF rows (sublinear TF), each of unit length."""
        texts = list(texts)
        languages = _languages(texts, languages)
        return self._tfidf_from_counts(
            _counts(terms(t, lang) for t, lang in zip(texts, languages, strict=True))
        )

    def _tfidf_from_counts(self, counted):
        indptr, indices, data = [0], [], []
        for counts in counted:
            for term, count in counts.items():
                col = self.vocabulary.get(term)
                if col is not None:
                    indices.append(col)
                    data.append((1 + math.log(count)) * self.idf[col])
            indptr.append(len(indices))
        matrix = sparse.csr_matrix(
            (np.asarray(data, dtype=np.float32), indices, indptr),
            shape=(len(counted), len(self.vocabulary)),
            dtype=np.float32,
        )
        norms = np.sqrt(np.asarray(matrix.multiply(matrix).sum(axis=1)).ravel())
        norms[norms == 0] = 1
        return sparse.diags(1 / norms).dot(matrix).tocsr().astype(np.float32)

    def embed(self, texts, languages=None):
        """Dense vectors whose dot products are the text similarity (0 to about 1) of two
        texts in the same language (``languages``: each text's, English when not given)."""
        return self.embed_tfidf(self.tfidf(texts, languages))

    def exact_correction(self, vectors_a, vectors_b, tfidf_dots):
        """What to add to ``vectors_a · vectors_b`` to use the exact TF-IDF cosine in it.

        The dense "exact" half only approximates the TF-IDF cosine for texts outside the span
        the LSA space was learned from; for the few best candidates of a list, the sparse
        cosine (``tfidf_dots``) is cheap, so it replaces that half.
        """
        k = self.components.shape[1]
        projected = (vectors_a[..., :k] * vectors_b[..., :k]).sum(axis=-1)
        return (1 - self.semantic_weight) * np.asarray(tfidf_dots) - projected

    def embed_tfidf(self, matrix):
        projected = np.asarray(matrix @ self.components, dtype=np.float32)
        lengths = np.linalg.norm(projected, axis=1, keepdims=True)
        lengths[lengths == 0] = 1
        exact = projected * math.sqrt(1 - self.semantic_weight)
        semantic = projected / lengths * math.sqrt(self.semantic_weight)
        return np.hstack([exact, semantic]).astype(np.float32)

    def to_arrays(self):
        terms = sorted(self.vocabulary, key=self.vocabulary.get)
        return {
            # Fixed-width text, not Python objects: loading then needs no pickle (safe).
            "terms": np.asarray(terms, dtype=str),
            "idf": self.idf,
            "components": self.components,
            "semantic_weight": np.asarray(self.semantic_weight),
        }

    @classmethod
    def from_arrays(cls, arrays):
        vocabulary = {str(t): i for i, t in enumerate(arrays["terms"])}
        return cls(
            vocabulary, arrays["idf"], arrays["components"], float(arrays["semantic_weight"])
        )


def _top_right_singular_vectors(matrix, k, rng, oversample=10, power_iterations=3):
    """Randomised SVD (Halko, Martinsson & Tropp 2011): the top ``k`` right singular vectors.

    Returns a vocabulary × k matrix. When ``k`` is at least the rank of ``matrix`` the
    projection keeps everything, so small archives get the exact TF-IDF cosine.
    """
    rows, cols = matrix.shape
    k = max(0, min(k, rows, cols))
    if k == 0:
        return np.zeros((cols, 0), dtype=np.float32)
    if rows <= k + oversample:
        # Few documents: the span of the documents themselves is exact and cheap.
        dense = matrix.toarray().astype(np.float64)
        _, s, vt = np.linalg.svd(dense, full_matrices=False)
        keep = s > 1e-6
        return vt[keep][:k].T.astype(np.float32)
    sketch = rng.standard_normal((cols, k + oversample))
    basis = matrix @ sketch
    for _ in range(power_iterations):
        basis, _ = np.linalg.qr(basis)
        basis = matrix @ (matrix.T @ basis)
    basis, _ = np.linalg.qr(basis)
    small = (matrix.T @ basis).T  # (k + oversample) × cols
    _, s, vt = np.linalg.svd(small, full_matrices=False)
    return vt[:k].T.astype(np.float32)
