"""Writing stored lists: whole lists after a rebuild, a few rows after a save."""

from django.db import connection, transaction

from ..models import (
    Article,
    RelatedArticle,
    RelatedExclusion,
)


def live_ids(ids):
    return set(
        Article.objects.filter(pk__in=ids, status__in=Article.LIVE_STATUSES).values_list(
            "pk", flat=True
        )
    )


def exclusions(article_ids=None):
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
    dead = set(check) - (live_ids(check) if check else set())
    rows = [
        (article_id, pk, score, position)
        for article_id, entries in lists.items()
        for position, (pk, score) in enumerate(e for e in entries if e[0] not in dead)
    ]
    with transaction.atomic():
        RelatedArticle.objects.filter(article_id__in=list(lists)).delete()
        insert_rows(rows)


def insert_rows(rows):
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
