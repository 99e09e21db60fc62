"""Candidate search and scoring: how ``RelatedIndex`` scores every story against one and
picks a list.

``Scoring`` is one part of ``RelatedIndex`` (``index``), written apart because it is the
part that answers "which stories, and why": the weights in force (semantic vectors or not),
the similarities (text, semantic, tags, section, recency), the exact TF-IDF correction of
each list's best candidates, and ``pick``, which hands them to ``variety``. It reads the
index's arrays (``ids``, ``vectors``, ``tfidf``, ``embedding``, ``tags``, ``row_of`` …) and
changes none of them. Worker-only: imports numpy and scipy.
"""

import numpy as np
from django.utils import timezone
from scipy import sparse

from .conf import CANDIDATE_FACTOR, EMBEDDING_COVERAGE, SECONDS_PER_DAY, stored_length
from .variety import choose, explanation, follow_up, same_copy_group


class Scoring:
    """The scoring methods of ``RelatedIndex``."""

    # -- the weights in force

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
        # A pair in which a story has no semantic vector is scored on its text alone, at the
        # plain method's text weight (``text_weight``).
        weights["text_alone"] = weights["text"]
        weights["text"] = weights["text"] * (1 - share)
        return {**conf, "WEIGHTS": weights}

    def without_vector(self):
        """Rows whose story has no usable semantic vector: none stored yet, or all zeros (the
        model knows none of its words, as GloVe with a story of figures and abbreviations)."""
        n = len(self.ids)
        if not self.embedding.shape[1]:
            return np.ones(n, dtype=bool)
        return ~self.has_embedding[:n] | ~self.embedding[:n].any(axis=1)

    def text_weight(self, conf, row, others, missing=None):
        """The text weight of the pairs (``row``, each of ``others``): the reduced one when both
        stories have a semantic vector, else the plain one. Without it, a story the semantic
        part cannot place would lose part of its text score and gain nothing for it, and its
        list could fall under the minimum score and be hidden."""
        weights = conf["WEIGHTS"]
        if not weights.get("semantic"):
            return weights["text"]
        missing = self.without_vector() if missing is None else missing
        alone = missing[row] | missing[np.asarray(others)]
        return np.where(alone, weights["text_alone"], weights["text"]).astype(np.float32)

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
                # Pairs in one language only: the text vectors of two languages share their
                # coordinates without meaning anything to each other.
                first, second = np.triu_indices(len(rows), 1)
                same = self.languages[rows][first] == self.languages[rows][second]
                upper = first[same], second[same]
                text = (self.vectors[rows] @ self.vectors[rows].T)[upper]
                semantic = (self.embedding[rows] @ self.embedding[rows].T)[upper]
                if len(text) and semantic.std() > 1e-6 and text.std() > 1e-6:
                    self._semantic_scale = float(text.std() / semantic.std())
        return self._semantic_scale

    def semantic_scores(self, row):
        """Cosine of the semantic vectors of the story at ``row`` and every story (0 without)."""
        n = len(self.ids)
        if not self.embedding.shape[1]:
            return np.zeros(n, dtype=np.float32)
        return self.embedding[:n] @ self.embedding[row]

    # -- tags

    def tag_scores(self, row):
        """Cosine of IDF-weighted tag sets between the story at ``row`` and every story."""
        result = np.zeros(len(self.ids), dtype=np.float32)
        own = self.tags.get(int(self.ids[row]), ())
        if not own or not self.tag_norms[row]:
            return result
        for tag in own:
            # Keyed by the story's language: only stories in it share the key's rows.
            key = self._tag_key(row, tag)
            result[self._tag_row_array(key)] += self._idf(key) ** 2
        norms = self.tag_norms * self.tag_norms[row]
        np.divide(result, norms, out=result, where=norms > 0)
        return result

    def _tag_row_array(self, key):
        cached = self._tag_arrays.get(key)
        if cached is None:
            cached = np.fromiter(self.tag_rows.get(key, ()), dtype=np.int64)
            self._tag_arrays[key] = cached
        return cached

    def tag_matrix(self):
        """Sparse stories × tags matrix of IDF weights, rows of unit length (for rebuilds).

        One column per (language, tag): a tag shared by stories in two languages is two
        columns, so it never relates a story to one in the other language."""
        rows, cols, data = [], [], []
        for col, (key, members) in enumerate(self.tag_rows.items()):
            members = np.fromiter(members, dtype=np.int64)
            rows.append(members)
            cols.append(np.full(len(members), col))
            data.append(self._idf(key) / self.tag_norms[members])
        if not rows:
            return sparse.csr_matrix((len(self.ids), 1), dtype=np.float32)
        return sparse.csr_matrix(
            (np.concatenate(data).astype(np.float32), (np.concatenate(rows), np.concatenate(cols))),
            shape=(len(self.ids), len(self.tag_rows)),
        )

    # -- one story against every story

    def shared_scores(self, row, conf):
        """The symmetric part of the score (text, semantic, tags, section) for every story,
        and the text similarity. ``conf`` is ``scoring(conf)``: its weights are in force."""
        weights = conf["WEIGHTS"]
        text = self.vectors[: len(self.ids)] @ self.vectors[row]
        score = weights["text"] * text + weights["tags"] * self.tag_scores(row)
        if weights.get("semantic"):
            score += weights["semantic"] * self.semantic_scores(row)
            # Pairs with a story that has no vector: the text at the plain weight.
            missing = self.without_vector()
            extra = weights["text_alone"] - weights["text"]
            if missing[row]:
                score += extra * text
            else:
                score[missing] += extra * text[missing]
        score[self.sections == self.sections[row]] += weights["section"]
        return score, text

    def recency(self, conf, now=None, rows=slice(None)):
        now = (now or timezone.now()).timestamp()
        age_days = np.clip((now - self.published[rows]) / SECONDS_PER_DAY, 0, None)
        boost = 0.5 ** (age_days / conf["RECENCY_HALF_LIFE_DAYS"])
        return np.nan_to_num(boost, nan=0.0)

    def duplicates_any(self, article_id, others, conf):
        """True when ``article_id`` is another version of one of ``others`` (a near-copy, or
        TF-IDF cosine at least ``NEAR_DUPLICATE``, as in ``variety``)."""
        rows = [self.row_of[pk] for pk in others if pk in self.row_of]
        if not rows or article_id not in self.row_of:
            return False
        if same_copy_group(self, np.asarray(rows), self.row_of[article_id], conf).any():
            return True
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

    def candidates(self, row=None):
        """Which stories may be listed: live ones, and only those in the language of the
        story at ``row`` when given (a translation is in the other language, so it is never
        listed under its original, nor the original under it)."""
        ok = self.live & self.exists
        if row is not None:
            ok &= self.languages == self.languages[row]
        return ok

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
        eligible = self.candidates(row) & (score >= conf["MIN_SCORE"])
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
        scores = score[rows] + self.text_weight(conf, row, rows) * correction
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
