"""What the documentation names in backticks exists: files, folders and Python objects.

Docs that point at a moved file (``articles/related.py``, ``static/js/times.js``) send a
newcomer looking for nothing; this keeps README.md and docs/ honest as the code moves.
Checked: a path whose first part is a top-level folder or file of the repository
(``articles/images.py``, ``deploy/nginx/``, ``mkdocs.yml``), and a dotted name inside the
apps (``articles.tasks.reconcile``). Placeholders (``<token>``, ``…``, ``*``) are skipped.
"""

import importlib
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
DOCS = [ROOT / "README.md"] + sorted((ROOT / "docs").rglob("*.md"))
TOP_LEVEL = {
    path.name
    for path in ROOT.iterdir()
    if path.name not in {".venv", ".git", ".tools", "artifacts", "media", "staticfiles", "var"}
}
FENCE = re.compile(r"^(```|~~~).*?^\1", re.M | re.S)
INLINE_CODE = re.compile(r"`([^`\n]+)`")
PLACEHOLDER = re.compile(r"[\s<>…*{}$=]|://")
PYTHON_NAME = re.compile(r"^(articles|newsroom|ratings|wordpress|desk|demo|cdn)(\.[A-Za-z_]\w*)+$")
# ratings.js is a file, not a module: names ending so are left to the path check.
FILE_SUFFIXES = {"js", "css", "html", "py", "json", "xml", "txt", "md", "conf"}


def _spans(path):
    text = FENCE.sub("", path.read_text())
    return INLINE_CODE.findall(text)


def mentioned_paths(path):
    for span in _spans(path):
        span = span.rstrip(".,;:")
        if PLACEHOLDER.search(span):
            continue
        first = span.split("/", 1)[0]
        if first in TOP_LEVEL and ("/" in span or (ROOT / first).is_file()):
            yield span


def mentioned_python_names(path):
    for span in _spans(path):
        name = re.sub(r"\(.*\)$", "", span)  # ratings.structured_data.aggregate_rating(article)
        if PYTHON_NAME.match(name) and name.rsplit(".", 1)[1] not in FILE_SUFFIXES:
            yield name


def resolves(dotted):
    """True when the longest importable prefix is a module and the rest are its attributes."""
    parts = dotted.split(".")
    for cut in range(len(parts), 0, -1):
        try:
            obj = importlib.import_module(".".join(parts[:cut]))
        except ImportError:
            continue
        for attribute in parts[cut:]:
            if not hasattr(obj, attribute):
                return False
            obj = getattr(obj, attribute)
        return True
    return False


@pytest.mark.parametrize("doc", DOCS, ids=lambda path: str(path.relative_to(ROOT)))
def test_every_path_the_docs_mention_exists(doc):
    """A backticked repository path in a page that names no file or folder fails, listed."""
    missing = sorted({span for span in mentioned_paths(doc) if not (ROOT / span).exists()})
    assert not missing, f"{doc.relative_to(ROOT)} names paths that do not exist: {missing}"


@pytest.mark.parametrize("doc", DOCS, ids=lambda path: str(path.relative_to(ROOT)))
def test_every_python_name_the_docs_mention_exists(doc):
    """A backticked dotted name (articles.tasks.reconcile) that does not import fails."""
    missing = sorted({name for name in mentioned_python_names(doc) if not resolves(name)})
    assert not missing, f"{doc.relative_to(ROOT)} names Python objects that do not exist: {missing}"


def test_stale_paths_are_caught(tmp_path):
    """The checker flags a moved file and leaves placeholders and outside paths alone."""
    page = tmp_path / "page.md"
    page.write_text(
        "`articles/related.py`, `articles/images.py`, `photos/<year>/<token>.jpg`, "
        "`wp-content/uploads`, `bench/results/<time>.json`, `manage.py`\n"
        "```sh\npython articles/not_checked_in_code_blocks.py\n```\n"
    )
    assert list(mentioned_paths(page)) == ["articles/related.py", "articles/images.py", "manage.py"]
    assert not resolves("articles.tasks.no_such_task")
    assert resolves("articles.tasks.reconcile")
