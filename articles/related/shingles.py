"""Near-copies: two versions of one text, found by their word 5-shingles and MinHash.

A regional version of a wire story ("New deep-water port in Inuvik delayed again" and
"… in Tuktoyaktuk delayed again") shares nearly every run of five words with the other, while
its TF-IDF cosine can stay under the duplicate threshold: the one word that differs is a rare
place name, which TF-IDF weighs heavily. Shingles are the measure made for this (Broder 1997):
a story is the set of its runs of ``SHINGLE`` consecutive words, and two stories are copies
when one shares at least ``NEAR_COPY`` of its shingles with the other (containment of the
smaller set in the larger, so a trimmed version of a long story counts too).

Sets are summarised by MinHash signatures of ``PERMUTATIONS`` values (the minimum of a seeded
hash over the set, per seed; two signatures agree at a position with probability equal to the
sets' Jaccard similarity), kept as their low 16 bits (b-bit MinHash: 256 bytes a story, the
rare chance agreement of two different minima, 1 in 65,536, is negligible). The containment
follows from the Jaccard estimate J and the set sizes: |A ∩ B| = J (|A| + |B|) / (1 + J).

Copies form groups (``copy_groups``): candidate pairs come from locality-sensitive hashing
(bands of two signature values: pairs at the threshold share a band with near certainty,
unrelated stories almost never do) and each is checked with its estimate, in a full build for
every story and for a saved story against every other (``copies_of``). The variety rule then
treats two stories of one group as duplicates. Worker-only: imports numpy.
"""

import re
import unicodedata
import zlib

import numpy as np

SHINGLE = 5
PERMUTATIONS = 256
# Candidate pairs agree on a whole band of two signature values, among the first BANDS bands:
# a pair at the threshold (Jaccard 0.6 for stories of one length) fails all 32 with a chance of
# 0.64 ** 32, about 1 in 600,000; a half-length version at containment 0.75 (Jaccard 0.33)
# about 1 in 40.
BAND = 2
BANDS = 32
_MASK = np.uint64(0xFFFF)
_WORD = re.compile(r"[^\W_]+")
# Fixed seeds (so signatures stored in a snapshot stay comparable with new ones).
_SEEDS = (
    np.random.default_rng(20261207)
    .integers(1, 2**63, size=PERMUTATIONS, dtype=np.int64)
    .astype(np.uint64)
)


def words(text):
    """``text``'s words, lower case without accents (so a retyped accent changes nothing)."""
    folded = unicodedata.normalize("NFKD", text.lower()).encode("ascii", "ignore").decode()
    return _WORD.findall(folded)


def _mix(x):
    """A 64-bit finaliser (splitmix64): a well-spread hash of each value (wraps on purpose)."""
    with np.errstate(over="ignore"):
        x = (x ^ (x >> np.uint64(30))) * np.uint64(0xBF58476D1CE4E5B9)
        x = (x ^ (x >> np.uint64(27))) * np.uint64(0x94D049BB133111EB)
        return x ^ (x >> np.uint64(31))


def shingle_hashes(text):
    """The distinct 64-bit hashes of ``text``'s word 5-shingles (empty under five words)."""
    ids = np.fromiter((zlib.crc32(w.encode()) for w in words(text)), dtype=np.uint64)
    if len(ids) < SHINGLE:
        return np.zeros(0, dtype=np.uint64)
    ids = _mix(ids)
    width = len(ids) - SHINGLE + 1
    h = np.zeros(width, dtype=np.uint64)
    with np.errstate(over="ignore"):
        for k in range(SHINGLE):  # a polynomial hash of the five word hashes, in order
            h = h * np.uint64(0x100000001B3) + ids[k : width + k]
    return np.unique(_mix(h))


def signatures(texts):
    """(signatures: len(texts) × PERMUTATIONS uint16, shingle counts: int32) of ``texts``.

    A text under five words has no shingles: count 0, and it is never anyone's copy."""
    out = np.zeros((len(texts), PERMUTATIONS), dtype=np.uint16)
    counts = np.zeros(len(texts), dtype=np.int32)
    for i, text in enumerate(texts):
        hashes = shingle_hashes(text)
        if not len(hashes):
            continue
        counts[i] = len(hashes)
        minima = np.full(PERMUTATIONS, np.iinfo(np.uint64).max, dtype=np.uint64)
        # Blocks of shingles keep the (seeds × shingles) table small for long stories.
        for first in range(0, len(hashes), 2048):
            block = _mix(hashes[first : first + 2048][None, :] ^ _SEEDS[:, None])
            np.minimum(minima, block.min(axis=1), out=minima)
        out[i] = (minima & _MASK).astype(np.uint16)
    return out, counts


def containment(signature_a, count_a, signature_b, count_b):
    """Estimated share of the smaller story's shingles found in the other (arrays broadcast)."""
    jaccard = (np.asarray(signature_a) == np.asarray(signature_b)).mean(axis=-1)
    count_a, count_b = np.asarray(count_a, float), np.asarray(count_b, float)
    shared = jaccard * (count_a + count_b) / (1 + jaccard)
    smaller = np.minimum(count_a, count_b)
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(smaller > 0, np.minimum(shared / smaller, 1.0), 0.0)


class _Groups:
    """Union-find over rows."""

    def __init__(self):
        self.parent = {}

    def find(self, a):
        parent = self.parent
        root = a
        while parent.get(root, root) != root:
            root = parent[root]
        while parent.get(a, a) != root:
            parent[a], a = root, parent[a]
        return root

    def union(self, a, b):
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            self.parent[max(ra, rb)] = min(ra, rb)


def copy_groups(sigs, counts, threshold, languages=None):
    """Each row's group of near-copies (the smallest row of the group), -1 for a row with none.

    Candidate pairs: rows whose signatures agree on a whole band. In each band's bucket every
    member is checked against the bucket's first, so the work grows with the number of rows,
    not of pairs (a thousand copies of one text make 999 checks a band, not 500,000); pairs a
    band misses this way meet in another band. ``languages``: copies are in one language.
    """
    n = len(counts)
    groups = _Groups()
    has = np.flatnonzero(counts[:n] > 0)
    if len(has) > 1:
        sigs = np.ascontiguousarray(sigs[has])
        keys_all = _bands(sigs)
        for band in range(BANDS):
            keys = keys_all[:, band]
            order = np.argsort(keys, kind="stable")
            sorted_keys = keys[order]
            starts = np.r_[True, sorted_keys[1:] != sorted_keys[:-1]]
            first = order[np.maximum.accumulate(np.where(starts, np.arange(len(order)), 0))]
            members = ~starts
            a, b = order[members], first[members]
            if not len(a):
                continue
            ok = containment(sigs[a], counts[has[a]], sigs[b], counts[has[b]]) >= threshold
            if languages is not None:
                ok &= languages[has[a]] == languages[has[b]]
            for x, y in zip(has[a[ok]].tolist(), has[b[ok]].tolist(), strict=True):
                groups.union(x, y)
    out = np.full(n, -1, dtype=np.int64)
    for row in list(groups.parent):  # every member but the roots, which name their group
        root = groups.find(row)
        out[row] = out[root] = root
    return out


def _bands(sigs):
    """The band keys of signatures: BAND (2) uint16 values make one uint32 key."""
    return np.ascontiguousarray(sigs[:, : BAND * BANDS]).view(np.uint32)


def copies_of(signature, count, sigs, counts, threshold):
    """Rows whose stories are near-copies of one with ``signature`` and ``count`` shingles:
    the rows that share a band with it (one pass over the band keys), then their estimate."""
    if not count:
        return np.zeros(0, dtype=np.int64)
    candidates = np.flatnonzero((_bands(sigs) == _bands(signature[None, :])).any(axis=1))
    candidates = candidates[counts[candidates] > 0]
    estimate = containment(sigs[candidates], counts[candidates], signature[None, :], count)
    return candidates[estimate >= threshold]
