"""The import's report: what became of every item, printed as one table at the end."""

from collections import Counter
from dataclasses import dataclass, field, fields

from django.utils.translation import gettext as _

from .fidelity import CHANGED, LEFT_OUT, LOST, REFUSED, recovered_sentence


@dataclass
class Report:
    """Everything the command prints at the end (see :func:`format_report`)."""

    posts: Counter = field(default_factory=Counter)  # created, updated, unchanged, kept, refused
    statuses: Counter = field(default_factory=Counter)  # (wp status, story status) → n
    notes: Counter = field(default_factory=Counter)  # password, empty title, not public…
    photos: Counter = field(default_factory=Counter)
    inline_images: Counter = field(default_factory=Counter)
    sections: Counter = field(default_factory=Counter)  # created, used
    tags: Counter = field(default_factory=Counter)  # created, used (distinct)
    authors: Counter = field(default_factory=Counter)
    redirects: Counter = field(default_factory=Counter)
    ratings: Counter = field(default_factory=Counter)
    skipped: Counter = field(default_factory=Counter)  # reason → n
    shortcodes: Counter = field(default_factory=Counter)
    refused: list = field(default_factory=list)  # (wp id, title, reason)
    # Languages (wordpress.languages): pairs linked, groups of one…
    translations: Counter = field(default_factory=Counter)
    # Translation groups not paired: (group, reason); their posts are imported alone.
    groups_refused: list = field(default_factory=list)
    # Files of the uploads folder that failed the photo checks: (wp id, path, reason).
    files_refused: list = field(default_factory=list)
    # Per post, what a reader saw that the story shows differently or not at all
    # (wordpress.fidelity): a list of PostFindings, written to the report file.
    fidelity: list = field(default_factory=list)
    # Approved comments of imported posts (none are imported).
    comments: Counter = field(default_factory=Counter)
    # Why the export needed recovery, "" when it did not (wordpress.wxr).
    recovered: str = ""
    dry_run: bool = False
    total_posts: int = 0

    def fidelity_counts(self):
        """Findings by kind, over every post."""
        counts = Counter({kind: 0 for kind in (LOST, CHANGED, LEFT_OUT, REFUSED)})
        for post in self.fidelity:
            counts.update(finding.kind for finding in post.findings)
        return counts

    @property
    def lost(self):
        return self.fidelity_counts()[LOST]

    @property
    def has_refusals(self):
        return bool(self.refused)

    def checkpoint(self):
        """What to go back to when the writes counted from here on are rolled back."""
        counters = {
            f.name: Counter(getattr(self, f.name))
            for f in fields(self)
            if isinstance(getattr(self, f.name), Counter)
        }
        return counters, len(self.refused), len(self.files_refused), len(self.fidelity)

    def restore(self, checkpoint):
        counters, refused, files_refused, fidelity = checkpoint
        for name, counter in counters.items():
            setattr(self, name, counter)
        del self.refused[refused:]
        del self.files_refused[files_refused:]
        del self.fidelity[fidelity:]

    def refuse(self, item, reason):
        self.refused.append((item.wp_id, item.title[:60], reason))

    def refuse_group(self, group, reason):
        """A translation group whose posts are imported unpaired, and why."""
        self.groups_refused.append((group, reason))

    def refuse_file(self, item, path, reason):
        """A file (an inline image, a featured image) not stored: it failed the checks."""
        self.files_refused.append((item.wp_id, path[:120], reason))


def not_in_export():
    """The report's line for featured images a posts-only export left out."""
    return _("missing: not in the export (a posts-only export)")


def format_report(report):
    """The summary table (a list of lines), the same for a real run and a dry run."""
    rows = []
    if report.recovered:
        rows.append((recovered_sentence(report.recovered), ""))

    def section(title, counter, labels=None):
        entries = [(labels.get(k, k) if labels else k, n) for k, n in counter.items() if n]
        if entries:
            rows.append((title, ""))
            rows.extend((f"  {label}", f"{n:,}") for label, n in entries)

    section(
        _("Posts → stories"),
        report.posts,
        {
            "created": _("created"),
            "updated": _("updated (changed in WordPress)"),
            "unchanged": _("unchanged since the last run"),
            "kept": _("kept: edited in Newsroom since the import"),
            "refused": _("refused"),
        },
    )
    if report.statuses:
        rows.append((_("By WordPress status → story status"), ""))
        for (wp_status, status), n in sorted(report.statuses.items()):
            rows.append((f"  {wp_status or '?'} → {status}", f"{n:,}"))
    section(_("Notes"), report.notes)
    section(_("Featured images → lead photos"), report.photos)
    if report.photos[not_in_export()]:
        rows.append(
            (
                _(
                    "Featured images are missing from the export: a full export is needed "
                    "(Tools → Export → All content), then import it again."
                ),
                "",
            )
        )
    section(_("Images in the text"), report.inline_images)
    section(
        _("Sections (from categories)"),
        report.sections,
        {"created": _("created"), "used": _("used")},
    )
    section(
        _("Tags (tags and further categories)"),
        report.tags,
        {"created": _("created"), "used": _("used")},
    )
    section(_("Bylines (authors)"), report.authors, {"created": _("created"), "used": _("used")})
    section(_("Old addresses answering 301"), report.redirects)
    section(_("Rate My Post ratings"), report.ratings)
    section(_("Languages (Polylang, WPML)"), report.translations)
    if report.groups_refused:
        rows.append((_("Translation groups not paired"), f"{len(report.groups_refused):,}"))
        for group, reason in report.groups_refused[:50]:
            rows.append((f"  {group}", reason))
        if len(report.groups_refused) > 50:
            rows.append(("  …", _("%(n)s more") % {"n": len(report.groups_refused) - 50}))
    section(_("Shortcodes removed (or turned into a link)"), report.shortcodes)
    section(_("Comments (not imported)"), report.comments)
    section(_("Not imported as stories"), report.skipped)
    if report.files_refused:
        rows.append(
            (_("Files refused by the photo checks (not stored)"), f"{len(report.files_refused):,}")
        )
        for wp_id, path, reason in report.files_refused[:50]:
            rows.append((f"  #{wp_id} {path}", reason))
        if len(report.files_refused) > 50:
            rows.append(("  …", _("%(n)s more") % {"n": len(report.files_refused) - 50}))
    if report.refused:
        rows.append((_("Refused"), f"{len(report.refused):,}"))
        for wp_id, title, reason in report.refused[:50]:
            rows.append((f"  #{wp_id} {title}", reason))
        if len(report.refused) > 50:
            rows.append(("  …", _("%(n)s more") % {"n": len(report.refused) - 50}))
    counts = report.fidelity_counts()
    rows.append((_("Fidelity (what readers saw)"), ""))
    labels = {
        LOST: _("lost"),
        CHANGED: _("changed (still there in another form)"),
        LEFT_OUT: _("left out by design (comments, forms, ads)"),
        REFUSED: _("refused values"),
    }
    rows.extend((f"  {label}", f"{counts[kind]:,}") for kind, label in labels.items())
    width = max((len(label) for label, _value in rows if len(label) < 80), default=10) + 2
    lines = [f"{label.ljust(width)}{value}" for label, value in rows]
    if report.dry_run:
        lines.append(_("Dry run: nothing was written."))
    return lines
