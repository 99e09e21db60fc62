"""Keeping an index in step with the database after it is built or loaded.

``Maintenance`` is one part of ``RelatedIndex`` (``index``): stories added, edited,
unpublished or deleted since the index last read them are taken in (``sync``, ``upsert``,
``forget``, ``set_not_live``), their text re-embedded with the stored text model, and the
near-copy groups (``copy_group``) follow their text. A full
rebuild (``rebuild``) relearns the model; this only keeps the rows current between two.
Worker-only: imports numpy.
"""

import numpy as np
from django.db.models import Q
from django.utils import timezone

from ..models import Article
from .embeddings import stored_vectors
from .shingles import copies_of, copy_groups, signatures
from .variety import headline_terms
from .vectors import embed_in_batches, read_rows, read_tags, with_spare_rows


class Maintenance:
    """The methods of ``RelatedIndex`` that change its rows."""

    def upsert(self, rows, tags, embedding=None):
        """Add or replace stories (their text is re-embedded with the stored model; their
        semantic vectors, ``embedding`` {id: vector}, are the stored ones)."""
        if not rows.ids:
            return
        vectors, tfidf = embed_in_batches(self.model, rows.texts, rows.languages)
        shingled, shingle_counts = signatures(rows.texts)
        new = [i for i, pk in enumerate(rows.ids) if pk not in self.row_of]
        if new:
            n = len(self.ids)
            self.ids = np.concatenate([self.ids, np.asarray([rows.ids[i] for i in new])])
            if len(self.ids) > self.vectors.shape[0]:
                self.vectors = with_spare_rows(self.vectors[:n], len(self.ids))
            if len(self.ids) > self.embedding.shape[0]:
                self.embedding = with_spare_rows(self.embedding[:n], len(self.ids))
            self.has_embedding = np.concatenate(
                [self.has_embedding[:n], np.zeros(len(new), dtype=bool)]
            )
            self.sections = np.concatenate([self.sections, np.zeros(len(new), dtype=np.int64)])
            self.published = np.concatenate([self.published, np.full(len(new), np.nan)])
            self.live = np.concatenate([self.live, np.zeros(len(new), dtype=bool)])
            self.exists = np.concatenate([self.exists, np.ones(len(new), dtype=bool)])
            self.languages = np.concatenate(
                [self.languages, np.asarray([rows.languages[i] for i in new], self.languages.dtype)]
            )
            self.tag_norms = np.concatenate([self.tag_norms, np.zeros(len(new), np.float32)])
            self.signatures = np.concatenate(
                [self.signatures[:n], np.zeros((len(new), self.signatures.shape[1]), np.uint16)]
            )
            self.shingle_counts = np.concatenate(
                [self.shingle_counts[:n], np.zeros(len(new), np.int32)]
            )
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
            if self.languages[row] != rows.languages[i]:  # its tags move to the new language
                self._index_tags(pk, ())
                self.languages[row] = rows.languages[i]
            self._index_tags(pk, tags.get(pk, set()))
            self.has_embedding[row] = False
            self.embedding[row] = 0
            self.headline_terms[row] = headline_terms(rows.headlines[i], rows.languages[i])
            self.signatures[row] = shingled[i]
            self.shingle_counts[row] = shingle_counts[i]
        self._regroup([self.row_of[pk] for pk in rows.ids])
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
        rows = read_rows(Article.objects.filter(wanted))
        embedding = None
        if self.embedding_name != "off" and rows.ids:
            embedding = stored_vectors(self.embedding_name, rows.ids)
        self.upsert(rows, read_tags(rows.ids), embedding)
        if full:
            self.synced_at = now
            # Deleted stories (or rolled-back ones) leave the count of rows out of step.
            if Article.objects.count() != int(self.exists.sum()):
                present = set(Article.objects.values_list("pk", flat=True))
                self.forget([pk for pk in self.row_of if pk not in present])
        return rows.ids

    # -- near-copies (``shingles``)

    def copy_group(self, conf):
        """Each row's group of near-copies under ``conf["NEAR_COPY"]`` (-1: none)."""
        threshold = conf["NEAR_COPY"]
        n = len(self.ids)
        if self._copy_groups is None or self._copy_groups[0] != threshold:
            groups = copy_groups(
                self.signatures[:n], self.shingle_counts[:n], threshold, self.languages[:n]
            )
            self._copy_groups = threshold, groups
        return self._copy_groups[1]

    def _regroup(self, rows):
        """Put re-read ``rows`` in the groups of their copies (after ``upsert``). A group
        that a re-read story held together stays one until the next rebuild."""
        if self._copy_groups is None:
            return
        threshold, groups = self._copy_groups
        n = len(self.ids)
        if len(groups) < n:
            groups = np.concatenate([groups, np.full(n - len(groups), -1, dtype=np.int64)])
        for row in rows:
            groups[row] = -1
            copies = copies_of(
                self.signatures[row],
                self.shingle_counts[row],
                self.signatures[:n],
                self.shingle_counts[:n],
                threshold,
            )
            copies = copies[(copies != row) & (self.languages[copies] == self.languages[row])]
            if not len(copies):
                continue
            labels = np.unique(groups[copies][groups[copies] >= 0])
            label = int(labels[0]) if len(labels) else int(groups.max(initial=n) + 1)
            if len(labels) > 1:
                groups[np.isin(groups, labels)] = label
            groups[copies] = label
            groups[row] = label
        self._copy_groups = threshold, groups
