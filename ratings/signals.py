"""Signals sent by the ratings app.

``rating_changed`` is sent *after the transaction commits* with ``article_id`` whenever a
story's rating summary changes (the page cache notes the time: see ``newsroom.pagecache``).
"""

from django.dispatch import Signal

rating_changed = Signal()
