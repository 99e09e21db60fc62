"""Importing a WordPress site: its WXR export, its uploads folder, its readers' ratings.

* ``wxr``: reading the export as a stream (hardened XML parsing, both namespace spellings).
* ``content``: classic and block content → HTML for the body (captions as figures,
  paragraphs from blank lines, shortcodes and block comments removed), with ``code`` (code
  blocks kept as written), ``players`` (players → embeds or links naming their host) and
  ``scanning`` (the linear scanner they share).
* ``fidelity``: the fidelity report: per post, what was changed, lost, left out or refused.
* ``phpdata``: reading PHP-serialised post meta (the photo credit lives there).
* ``importer``: the run: the check pass, posts written in batches, the report.
* ``mapping``: posts → stories: fields, status, sections, tags, bylines, old addresses.
* ``media``: featured images → photos, inline images copied (each file checked as an upload).
* ``rate_my_post``: Rate My Post's totals → the story's imported ratings.
* ``derived``: the work that follows an import (related lists, cached pages, renditions).
* ``redirects``: the old addresses answering 301 to the stories, tag and section pages and
  feeds (a draft's ``?p=`` is a 404).
* ``models``: what the import remembers (WordPress ids and each post's findings, old
  addresses of posts, tags and categories); the first tables keep the ``articles_`` names
  they had when the importer lived in ``articles``.

``manage.py import_wordpress`` is a thin caller of ``importer.run``. Web processes load
only ``models`` and ``redirects`` (no XML parser).
"""
