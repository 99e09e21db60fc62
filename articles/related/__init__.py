"""“You may also like”: scoring, the stored related lists, and keeping them fresh.

How a candidate story ``c`` scores for the story being read ``s`` (weights in
``settings.RELATED_STORIES``, documented in docs/settings.md):

    score = text   × cosine of their text vectors (TF-IDF + LSA, see ``text``)
          + tags   × cosine of their tag sets, each tag weighted by its rarity (IDF)
          + section × 1 when both are in the same section
          + recency × 0.5 ** (age of c in days / half-life)

Candidates are live stories (published, or scheduled: those are filtered at page time by
``published()`` and appear by themselves when their time comes), never ``s`` itself,
never a near-duplicate of ``s`` or of a story already on the list, never one an editor
excluded, and only above the minimum score.

Lists are computed ahead by the background worker and stored in ``RelatedArticle`` (a few
spare entries beyond the largest count shown, so an unpublished story leaves no gap).

Every module of the engine is here (its models are in ``articles.models``). Web processes
import ``conf``, ``queries`` and ``explanation`` only; the rest is the worker's and loads numpy
(a contract in pyproject.toml checks it, see docs/architecture/related.md):

- ``conf``: the settings, checked (their defaults are written once, in ``settings.py``);
- ``queries``: the one page-time query (``related_for``); ``explanation``: the admin's
  "why these" panel, from what the worker stored;
- ``text``: the text model (TF-IDF and LSA); ``embeddings`` and ``minilm``: optional semantic
  vectors;
- ``index``: ``RelatedIndex``, every story's vectors, section, time and tags in numpy arrays,
  kept in shared storage (``snapshots``) so a worker on any machine can load it; ``vectors``
  reads stories into it, ``scoring`` scores and picks a list, ``maintenance`` keeps it in
  step with the database; ``variety``: the duplicate and running-story rules;
- ``rebuild``: every list at once; ``refresh``: one story's list and the lists it enters or
  leaves after a save; ``store``: writing lists; ``worker``: what the tasks in
  ``articles.tasks`` call.
"""

from .conf import article_text, config, stored_length
from .queries import related_for

__all__ = ["article_text", "config", "related_for", "stored_length"]
