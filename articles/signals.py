"""Signals other parts of the site listen to.

``article_changed`` is sent *after the transaction commits* whenever a story is
saved or deleted, so listeners (search index, related lists, page cache) never see
half-written data and never slow down the editor's save itself.

``story_moved`` is sent after commit by the one workflow service (``articles.workflow``)
whenever a story changes status, whatever path moved it; the desk's mail subscribes to it.
"""

from django.dispatch import Signal

# Sent with ``article_id`` (int) and ``deleted`` (bool).
article_changed = Signal()

# Sent after commit when stored "You may also like" lists change, with ``article_ids``
# (the stories whose lists were rewritten) or ``None`` after a full rebuild.
related_lists_changed = Signal()

# Sent after commit when a story changed status (``articles.workflow.save_move``), with
# ``article_id`` (int), ``old`` and ``new`` (``Article.Status`` values) and ``by`` (the user who
# moved it, or None for a move made by the system).
story_moved = Signal()

# Sent after commit when a pending change to a live story is submitted for review or
# published (``articles.workflow``), with ``article_id`` (int), ``action`` ("submitted" or
# "published") and ``by`` (the user).
pending_change = Signal()
