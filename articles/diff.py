"""Word-level differences between two texts, for people to read.

The desk shows them between saved versions (``desk.revisions``), readers between a
story's public versions (its history page): one way of comparing for both.
"""

import difflib
import re

import nh3
from django.utils.html import escape
from django.utils.safestring import mark_safe

_BLOCK_END = re.compile(r"</(?:p|h[1-6]|li|blockquote|figcaption|pre|tr)>|<br\s*/?>", re.I)
# A word with the space after it: diffs then group whole phrases instead of alternating
# between changed words and unchanged spaces.
_TOKENS = re.compile(r"\s+|\S+\s*")


def readable_text(value):
    """Plain text with one paragraph per line, for comparing bodies."""
    if value is None:
        return ""
    text = str(value)
    if "<" not in text:
        return text
    text = _BLOCK_END.sub("\n", text)
    text = nh3.clean(text, tags=set())
    return "\n".join(line.strip() for line in text.splitlines() if line.strip())


def word_diff(old, new):
    """HTML marking words removed (``<del>``) and added (``<ins>``) between two texts."""
    before, after = _TOKENS.findall(old), _TOKENS.findall(new)
    parts = []
    matcher = difflib.SequenceMatcher(a=before, b=after, autojunk=False)
    for op, a1, a2, b1, b2 in matcher.get_opcodes():
        if op == "equal":
            parts.append(escape("".join(before[a1:a2])))
            continue
        if op in ("delete", "replace"):
            parts.append(f"<del>{escape(''.join(before[a1:a2]))}</del>")
        if op in ("insert", "replace"):
            parts.append(f"<ins>{escape(''.join(after[b1:b2]))}</ins>")
    return mark_safe("".join(parts))  # noqa: S308 - every piece is escaped above
