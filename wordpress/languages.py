"""Bilingual WordPress sites: each post's language and its translation group.

Two plugins' export shapes are read (docs/how-to/wordpress.md, "Bilingual sites"):

- **Polylang** keeps languages and groups as taxonomies, which a WXR export carries: each
  post has ``<category domain="language" nicename="fr">`` and, when it has translations,
  ``<category domain="post_translations" nicename="pll_…">``. The group's ``<wp:term>`` in
  the channel has a PHP-serialised description naming its members
  (``a:2:{s:2:"en";i:12;s:2:"fr";i:34;}``); categories' groups are ``term_translations``
  terms of the same shape (term ids).
- **WPML Export and Import** adds post meta: ``_wpml_import_language_code`` and
  ``_wpml_import_translation_group`` (the same value on every post of a group).

The rules (one sentence each in the report):

- A language code is read by its first two letters (``fr``, ``fr_CA``, ``fr-fr`` → French).
  A post in any other language (``de``, ``es``…) is refused: importing it as English or
  French would publish it under the wrong language.
- A post without a language is in the site's default language: the export's
  ``<language>`` when it is English or French, else Newsroom's default (English).
- The original of a group is its post in the default language, else its oldest post; the
  other post becomes its translation (``translation_of``), up to date (``translated_version``).
- A group that names a post the export does not hold, or holds two posts of one language,
  is not paired: its posts are imported standing alone and the report says why. A group of
  one post is imported alone too (noted).
"""

from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from articles import languages

from .phpdata import PHPDataError, unserialize

WPML_LANGUAGE = "_wpml_import_language_code"
WPML_GROUP = "_wpml_import_translation_group"


def language_code(raw):
    """``fr_CA`` → ``fr``; ``""`` when there is none; None when it is neither English nor
    French."""
    raw = (raw or "").strip().lower()
    if not raw:
        return ""
    short = raw.replace("_", "-").split("-", 1)[0]
    return short if short in languages.CODES else None


def post_language(item):
    """The raw language code the plugin gave the post ("" when it gave none)."""
    for domain, nicename, _name in item.terms:
        if domain == "language" and nicename.strip():
            return nicename.strip()
    return item.meta.get(WPML_LANGUAGE, "").strip()


def post_group(item):
    """The post's translation group key (``polylang:pll_…``, ``wpml:…``), or ""."""
    for domain, nicename, _name in item.terms:
        if domain == "post_translations" and nicename.strip():
            return f"polylang:{nicename.strip()}"
    group = item.meta.get(WPML_GROUP, "").strip()
    return f"wpml:{group[:200]}" if group else ""


def group_members(description):
    """``{language code: id}`` of a Polylang group's description, or None when unreadable."""
    try:
        value = unserialize(description)
    except PHPDataError:
        return None
    if not isinstance(value, dict):
        return None
    members = {}
    for key, member in value.items():
        if isinstance(member, int) and member > 0:
            members[str(key)] = member
        elif isinstance(member, str) and member.isdigit():
            members[str(key)] = int(member)
    return members


@dataclass
class LanguagePlan:
    """What the first pass learned: each post's language and the pairs to link."""

    default: str = languages.DEFAULT
    bilingual: bool = False  # the export carries languages (Polylang or WPML)
    languages: dict = field(default_factory=dict)  # wp id → "en"/"fr", or None (unknown)
    raw: dict = field(default_factory=dict)  # wp id → the unknown code, for the report
    originals: dict = field(default_factory=dict)  # translation's wp id → original's wp id
    # Read while the posts go by, turned into pairs by finish().
    _groups: dict = field(default_factory=dict)  # group key → [(date, wp id)]
    _dates: dict = field(default_factory=dict)
    problems: list = field(default_factory=list)  # (group, sentence)
    alone: int = 0  # groups of one post

    def language(self, wp_id):
        """The post's language: ``en``/``fr``, or None when it is another one (refused)."""
        return self.languages.get(wp_id, self.default)

    def refusal(self, wp_id):
        return _(
            "its language “%(code)s” is neither English nor French (only en and fr are imported)"
        ) % {"code": self.raw.get(wp_id, "")[:20]}

    def add(self, item):
        """A post of the first pass."""
        if not item.wp_id:
            return
        raw = post_language(item)
        group = post_group(item)
        if raw or group:
            self.bilingual = True
        code = language_code(raw)
        if code is None:
            self.languages[item.wp_id] = None
            self.raw[item.wp_id] = raw
            return  # refused: it takes no part in a group
        if code:
            self.languages[item.wp_id] = code
        if group:
            self._groups.setdefault(group, []).append(item.wp_id)
            self._dates[item.wp_id] = (item.post_date_gmt or item.post_date or "", item.wp_id)

    def finish(self, channel, post_ids):
        """Check every group and choose its original; ``post_ids`` are the export's posts."""
        descriptions = channel.translation_terms.get("post_translations", {})
        for key, members in self._groups.items():
            problem = None
            if key.startswith("polylang:"):
                listed = group_members(descriptions.get(key.removeprefix("polylang:"), ""))
                missing = sorted(set((listed or {}).values()) - post_ids)
                if missing:
                    problem = _(
                        "it names post %(ids)s, which the export does not hold: its posts "
                        "are imported unpaired"
                    ) % {"ids": ", ".join(f"#{i}" for i in missing[:5])}
            if problem is None:
                by_language = {}
                for wp_id in members:
                    by_language.setdefault(self.language(wp_id), []).append(wp_id)
                doubled = [ids for ids in by_language.values() if len(ids) > 1]
                if doubled:
                    problem = _(
                        "posts %(ids)s are in the same language: its posts are imported unpaired"
                    ) % {"ids": ", ".join(f"#{i}" for i in sorted(doubled[0])[:5])}
            if problem is not None:
                self.problems.append((key.split(":", 1)[1][:60], problem))
                continue
            if len(members) == 1:
                self.alone += 1
                continue
            ordered = sorted(members, key=lambda wp_id: self._dates[wp_id])
            original = next((i for i in ordered if self.language(i) == self.default), ordered[0])
            for wp_id in members:
                if wp_id != original:
                    self.originals[wp_id] = original
        self._groups, self._dates = {}, {}


def default_language(channel):
    """The site's default language: the export's ``<language>`` when English or French."""
    return language_code(channel.language) or languages.DEFAULT
