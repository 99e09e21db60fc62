"""Code in posts: kept as ``<pre><code>``, its text and indentation as written.

WordPress's own ``[code]`` and ``[sourcecode language="x"]``, the language shortcodes of
SyntaxHighlighter Evolved (``[php]…[/php]``, only when closed) and the raw-code ``<pre>``
blocks of highlighting plugins (WP-Syntax's ``<pre lang="php">``) are set aside before
anything else reads the content, so a raw ``<?php`` or ``<title>`` in them stays text; they
are put back, escaped, once the rest is converted.
"""

import html
import re

from .scanning import find_close

CODE_SHORTCODES = {"code", "sourcecode", "source"}
LANGUAGE_SHORTCODES = {
    "php", "java", "bash", "shell", "sh", "python", "py", "ruby", "rb", "js", "javascript",
    "jscript", "css", "html", "xhtml", "xml", "sql", "c", "cpp", "csharp", "perl", "pl",
    "plain", "text", "diff", "powershell", "ps", "scala", "groovy", "erlang", "delphi",
    "pascal", "vb", "vbnet", "as3", "actionscript3", "objc", "swift", "go", "golang",
    "latex", "matlab", "r", "yaml", "json", "coldfusion", "clojure", "fsharp", "haskell",
    "lua", "kotlin", "rust", "tsql", "sass", "scss", "less", "apache", "ini", "batch",
}  # fmt: skip

# Code set aside before anything else reads the text (its "<?php", "<title>" and "[x]" are
# text): each block is replaced by <pre>MARK n MARK</pre> and put back, escaped, at the end.
# The private-use characters of the mark are removed from the content first (content).
_CODE_OPEN = re.compile(
    r"\[("
    + "|".join(sorted(CODE_SHORTCODES | LANGUAGE_SHORTCODES, key=len, reverse=True))
    + r")(?=[\s\]])([^\[\]]*)\]|<pre\b([^<>]*)>",
    re.I,
)
# WP-Syntax's <pre lang="php">, SyntaxHighlighter's <pre class="brush: php">, Crayon's
# <pre class="lang:php">: their content is raw code, escaped by the plugin when shown.
_RAW_PRE = re.compile(r"""\blang\s*=|\bclass\s*=\s*["'][^"']*\b(?:brush|lang)\s*:""", re.I)
_ESCAPED_TRUE = re.compile(r"""\bescaped\s*=\s*["']?true""", re.I)
_PRE_CLOSE = re.compile(r"</pre\s*>", re.I)
_CODE_MARK = re.compile("<pre>\ue000(\\d{1,9})\ue001</pre>")


def _code_block(codes, index):
    if index >= len(codes):
        return ""
    return f"<pre><code>{codes[index]}</code></pre>"


def _code_text(inner):
    """Code as written: blank lines around it removed, its indentation kept."""
    return inner.strip("\n").rstrip()


def set_aside_code(text):
    """``text`` with each code block replaced by a mark, and the escaped code of each.

    Code shortcodes ([code], [sourcecode language="x"], [php]…) and raw-code <pre> blocks of
    syntax-highlighting plugins are read before anything else, so their ``<?php``,
    ``<title>``, blank lines and brackets stay text. Each closing mark is looked for once
    (as the other scanners here do), so this is linear whatever the text.
    """
    if "[" not in text and "<pre" not in text.lower():
        return text, []
    codes, out, done, position = [], [], 0, 0
    closings, patterns = {}, {}
    while (opening := _CODE_OPEN.search(text, position)) is not None:
        name, attributes, pre_attributes = opening.groups()
        if name is None:  # a <pre>: only a highlighter's raw code is set aside
            if not _RAW_PRE.search(pre_attributes):
                position = opening.end()
                continue
            key, pattern = "</pre>", _PRE_CLOSE
        else:
            key = name.lower()
            pattern = patterns.get(key)
            if pattern is None:
                pattern = patterns[key] = re.compile(rf"\[/{re.escape(key)}\]", re.I)
        close = find_close(pattern, text, opening.end(), closings.setdefault(key, [None]))
        if close is None:
            position = opening.end()  # unclosed: read on as text
            continue
        inner = text[opening.end() : close.start()]
        if name is None:
            # WP-Syntax shows the content as written, unless it is marked as escaped.
            raw = html.unescape(inner) if _ESCAPED_TRUE.search(pre_attributes) else inner
        else:
            # The visual editor stored "&lt;" for "<" in shortcodes' code.
            raw = html.unescape(inner)
        codes.append(html.escape(_code_text(raw)))
        out.append(text[done : opening.start()])
        out.append(f"\n\n<pre>\ue000{len(codes) - 1}\ue001</pre>\n\n")
        done = position = close.end()
    out.append(text[done:])
    return "".join(out), codes


def restore_code(text, codes):
    """``text`` with each mark of :func:`set_aside_code` replaced by its code block."""
    if not codes:
        return text
    return _CODE_MARK.sub(lambda m: _code_block(codes, int(m.group(1))), text)
