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
import re
import unicodedata

import numpy as np
import snowballstemmer
from scipy import sparse

WORD_RE = re.compile(r"[a-z][a-z0-9']*[a-z0-9]|[a-z]")

# A short, ordinary English stop list (function words and newswire filler).
STOP_WORDS = frozenset(
    """
    a about above after again against all also am an and any are aren't as at be because been
    before being below between both but by can can't cannot could couldn't did didn't do does
    doesn't doing don't down during each few for from further had hadn't has hasn't have haven't
    having he he'd he'll he's her here here's hers herself him himself his how how's i i'd i'll
    i'm i've if in into is isn't it it's its itself let's me more most mustn't my myself no nor
    not of off on once only or other ought our ours ourselves out over own same shan't she
    she'd she'll she's should shouldn't so some such than that that's the their theirs them
    themselves then there there's these they they'd they'll they're they've this those through
    to too under until up very was wasn't we we'd we'll we're we've were weren't what what's
    when when's where where's which while who who's whom why why's with won't would wouldn't
    you you'd you'll you're you've your yours yourself yourselves
    said says say told according also would could may might will just one two new
    mr mrs ms per cent yesterday today last week year years
    """.split()
)

_stemmer = snowballstemmer.stemmer("english")
# Stemming is the slow part of reading a story; newswire repeats its words, so remember them.
_stems = {}


def _stem(word):
    stem = _stems.get(word)
    if stem is None:
        if len(_stems) > 500_000:
            _stems.clear()
        stem = _stems[word] = _stemmer.stemWord(word)
    return stem


def tokens(text):
    """The index terms of ``text``: lower-cased, accents folded, stop words out, stemmed."""
    text = unicodedata.normalize("NFKD", text.lower()).encode("ascii", "ignore").decode()
    words = [w.strip("'") for w in WORD_RE.findall(text)]
    return [_stem(w) for w in words if len(w) > 1 and w not in STOP_WORDS]


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
    ):
        """Learn IDF and the LSA projection from ``texts`` (at most ``sample`` of them)."""
        texts = list(texts)
        rng = np.random.default_rng(seed)
        if len(texts) > sample:
            keep = np.sort(rng.choice(len(texts), size=sample, replace=False))
            texts = [texts[i] for i in keep]
        counted = _counts(tokens(t) for t in texts)
        df = {}
        for counts in counted:
            for term in counts:
                df[term] = df.get(term, 0) + 1
        kept = sorted((t for t, n in df.items() if n >= min_df), key=lambda t: (-df[t], t))
        kept = kept[:max_vocabulary]
        vocabulary = {term: i for i, term in enumerate(sorted(kept))}
        n = max(len(counted), 1)
        idf = np.zeros(len(vocabulary), dtype=np.float32)
        for term, col in vocabulary.items():
            idf[col] = math.log((1 + n) / (1 + df[term])) + 1  # smoothed, never zero
        model = cls(vocabulary, idf, np.zeros((len(vocabulary), 0)), semantic_weight)
        matrix = model._tfidf_from_counts(counted)
        model.components = _top_right_singular_vectors(matrix, dimensions, rng)
        return model

    def tfidf(self, texts):
        """Sparse TF-IDF rows (sublinear TF), each of unit length."""
        return self._tfidf_from_counts(_counts(tokens(t) for t in texts))

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

    def embed(self, texts):
        """Dense vectors whose dot products are the text similarity (0 to about 1)."""
        return self.embed_tfidf(self.tfidf(texts))

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
