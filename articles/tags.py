"""Every tag gets an address: a non-empty, URL-safe, unique slug.

django-taggit slugifies a new tag's name, and a name without a letter or a digit ("!!!",
"🔥") slugifies to "": the tag's page cannot be linked to, and the story page and the tags
sitemap that link it failed (a 500). Such a tag gets ``tag-`` and a hash of its name
instead: names are unique, so the slug is too, and the same name always gets the same one.
This applies to tags made by any path (the story form, the importer, the admin, code),
because it hooks the tag's save itself (``pre_save``, connected in ``articles.signal_handlers``).
"""

import hashlib


def fallback_slug(name):
    """The slug of a tag whose name gives none: ``tag-`` and 10 hex digits of its hash."""
    return f"tag-{hashlib.sha256(name.encode()).hexdigest()[:10]}"


def give_empty_slugs_an_address(sender, instance, **kwargs):
    # taggit has already set the slug from the name when this runs (TagBase.save).
    if not instance.slug:
        instance.slug = fallback_slug(instance.name)
