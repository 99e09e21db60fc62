"""After one story changed: its own list, and the lists it enters or leaves."""

from functools import partial

import numpy as np
from django.db import transaction
from django.db.models import Q

from ..models import (
    RelatedArticle,
    RelatedExplanation,
)
from ..signals import related_lists_changed
from .conf import config, stored_length
from .index import get_index
from .store import exclusions, insert_rows, live_ids, write_lists
from .variety import same_copy_group


def refresh_related(article_id, deleted=False):
    """Bring the stored lists up to date after story ``article_id`` changed.

    Updates the story's own list, removes it from every list it may no longer be on, and adds
    it to the lists of the ``REVERSE_LIMIT`` stories it relates to most (where it beats the
    weakest entry or fills a gap). Returns how many lists were written.
    """
    conf = config()
    if not deleted and conf["EMBEDDING"] != "off":
        # The story's semantic vector, computed here (in the worker) once per change of its
        # text, before the index reads it; a web process never loads the model.
        from .embeddings import ensure_vector

        ensure_vector(article_id, conf)
    index = get_index(conf)
    with index.lock:
        if deleted:
            index.forget([article_id])
        index.sync(also=[] if deleted else [article_id], interval=conf["SYNC_INTERVAL"])
        conf = index.scoring(conf)
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
        explained = {}
        if visible:
            shared, text = index.shared_scores(row, conf)
            recency = conf["WEIGHTS"]["recency"] * index.recency(conf)
            excluded = exclusions(holders | {article_id})
            score = shared + recency
            lists[article_id] = index.pick(
                row, score, text, excluded.get(article_id, ()), conf, explain=explained
            )
            # This story as a candidate for each other story: the shared parts are symmetric;
            # only the recency term is this story's.
            score = shared + recency[row]
            # Only the lists of stories in its own language.
            ok = index.candidates(row) & (score >= conf["MIN_SCORE"])
            ok[row] = False
            rows = np.flatnonzero(ok)
            if len(rows) > conf["REVERSE_LIMIT"]:
                rows = rows[np.argpartition(-score[rows], conf["REVERSE_LIMIT"])]
                rows = rows[: conf["REVERSE_LIMIT"]]
            # Never into the list of another version of itself (``variety``'s duplicate test).
            dots = index.exact_cosines(row, rows)
            correction = index.text_correction(row, rows, dots)
            scores = score[rows] + index.text_weight(conf, row, rows) * correction
            ok = (scores >= conf["MIN_SCORE"]) & (dots < conf["NEAR_DUPLICATE"])
            ok &= ~same_copy_group(index, rows, row, conf)
            reverse_scores = {
                int(index.ids[r]): float(v) for r, v in zip(rows[ok], scores[ok], strict=True)
            }
            # This copy of the index may lag behind other processes: keep only stories that
            # are still there and live, and forget the others until they change again.
            named = set(reverse_scores) | {pk for pk, _ in lists[article_id]}
            alive = live_ids(named) if named else set()
            index.set_not_live(named - alive)
            reverse_scores = {pk: v for pk, v in reverse_scores.items() if pk in alive}
            lists[article_id] = [e for e in lists[article_id] if e[0] in alive]
            excluded.update(exclusions(set(reverse_scores) - holders))
        others = (holders | set(reverse_scores)) - {article_id}
        changes = _merge_into(index, others, article_id, reverse_scores, excluded, conf)
        with transaction.atomic():
            write_lists(lists, check=set())
            _apply(article_id, changes)
            RelatedExplanation.objects.filter(article_id=article_id).delete()
            if explained:
                RelatedExplanation.objects.create(article_id=article_id, data=explained)
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
            and index.varied_with(owner, article_id, [pk for pk, _ in kept], conf)
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
    insert_rows(
        [
            (owner, article_id, score, 0)
            for owner, (score, _) in changes.items()
            if score is not None
        ]
    )
