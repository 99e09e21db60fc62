"""Rate My Post's totals: the votes and stars a post had on the old site.

The plugin keeps them in post meta (``rmp_vote_count``, ``rmp_rating_val_sum``); they become
the story's imported totals in ``ratings`` (``ratings.models.create_imported_totals``), which
readers' votes then add to. Totals that are not whole numbers, or that no real votes could
give, are refused one post at a time: the story is imported without them.
"""

from django.utils.translation import gettext as _

from ratings.models import check_imported_totals

from .fidelity import REFUSED


def totals(item, report, findings=None):
    """Rate My Post's totals of a post, ``(count, total)``; None when the post has none, or
    impossible, out-of-range or unreadable ones (refused and put in ``report``: the story is
    imported without them, and in ``findings``)."""
    raw_count = item.meta.get("rmp_vote_count")
    raw_total = item.meta.get("rmp_rating_val_sum")
    if raw_count is None and raw_total is None:
        return None
    count, total = count_of(raw_count), count_of(raw_total)
    try:
        if count is None or total is None:
            unreadable = raw_count if count is None else raw_total
            raise ValueError(
                _("“%(value)s” is not a number of votes or stars")
                % {"value": unreadable.strip()[:40]}
            )
        check_imported_totals(count, total)
    except ValueError as exc:
        reason = _("Rate My Post totals refused: %(why)s") % {"why": exc}
        report.ratings[_("stories whose ratings were refused")] += 1
        report.refuse(item, reason)
        if findings is not None:
            # Remembered with the post: a run that finds it unchanged refuses them again.
            findings.add(REFUSED, reason)
        return None
    if count:
        report.ratings[_("stories with imported ratings")] += 1
        report.ratings[_("imported votes")] += count
    return count, total


def count_of(text):
    """A count from post meta: 0 when empty, None when it is not a whole number ≥ 0."""
    text = (text or "").strip()
    if not text:
        return 0
    # Up to 100 digits read as a number (refused later as too large); longer is not a count.
    return int(text) if text.isascii() and text.isdigit() and len(text) <= 100 else None
