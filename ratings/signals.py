"""Signals sent by the ratings app.

``rating_changed`` is sent *after the transaction commits* with ``article_id`` whenever a
story's rating summary changes, so the page cache can drop that story's cached page.
"""

from django.dispatch import Signal

rating_changed = Signal()
