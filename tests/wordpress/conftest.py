import io

import pytest
from django.core.management import call_command
from PIL import Image

from .exports import export


@pytest.fixture
def run_import(tmp_path):
    """Write an export built from items, import it, return (stdout, stderr)."""

    def run(
        *items,
        media_dir=None,
        dry_run=False,
        https=False,
        version="1.2",
        text=None,
        report=None,
        strict=False,
        **site,
    ):
        path = tmp_path / "export.xml"
        if text is None:
            text = export(*items, https=https, version=version, **site)
        path.write_text(text)
        out, err = io.StringIO(), io.StringIO()
        options = {"stdout": out, "stderr": err, "dry_run": dry_run}
        if strict:
            options["strict"] = True
        if report is not None:
            options["report"] = report
        if media_dir is not None:
            options["media_dir"] = str(media_dir)
        try:
            call_command("import_wordpress", str(path), **options)
        finally:
            run.last_stdout = out.getvalue()
        return out.getvalue(), err.getvalue()

    return run


@pytest.fixture
def uploads(tmp_path):
    """A copy of wp-content/uploads with two photos in WordPress's year/month folders."""
    folder = tmp_path / "uploads"
    for name, size in (("2026/01/fire.jpg", (1200, 800)), ("2026/01/bridge.png", (800, 600))):
        target = folder / name
        target.parent.mkdir(parents=True, exist_ok=True)
        buffer = io.BytesIO()
        Image.new("RGB", size, (120, 90, 60)).save(
            buffer, "PNG" if name.endswith("png") else "JPEG"
        )
        target.write_bytes(buffer.getvalue())
    return folder
