"""What checking an upload costs the request. Prints a table; not part of the tests.

    .venv/bin/python bench/photo_checks.py [--runs 5]

For photo-like images (noise, so they compress like photographs) of a few sizes, the
median time of the header check alone (what the code ran before uploads were decoded
to the last byte), of the whole check (``validate_image_upload``: header, shape and a
full decode, JPEG at 1/8 scale), and of making the renditions, which the request also
does for now (``make_renditions`` into a throw-away folder).
"""

import argparse
import io
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path
from types import SimpleNamespace

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsroom.settings")

import django  # noqa: E402

django.setup()

from django.core.files.storage import FileSystemStorage  # noqa: E402
from django.core.files.uploadedfile import SimpleUploadedFile  # noqa: E402
from PIL import Image  # noqa: E402

from articles.images import identify, make_renditions, validate_image_upload  # noqa: E402

SIZES = [(4000, 3000, "JPEG"), (7300, 5400, "JPEG"), (4000, 3000, "PNG")]


def photo_like(width, height, fmt):
    # Noise at 1/4 size scaled up: photo-like detail without hours of random numbers.
    small = Image.effect_noise((width // 4, height // 4), 64).convert("RGB")
    image = small.resize((width, height), Image.BILINEAR)
    buffer = io.BytesIO()
    image.save(buffer, fmt, **({"quality": 90} if fmt == "JPEG" else {}))
    return buffer.getvalue()


def median_ms(action, runs):
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        action()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def render_all(data, folder):
    """``make_renditions`` on a stand-in photo whose files go to a throw-away folder."""
    image = SimpleNamespace(
        name="bench.jpg", storage=FileSystemStorage(folder), open=lambda mode: io.BytesIO(data)
    )
    make_renditions(SimpleNamespace(image=image))


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    print(f"{'image':<22} {'MB':>6} {'header ms':>10} {'full check ms':>14} {'renditions ms':>14}")
    for width, height, fmt in SIZES:
        data = photo_like(width, height, fmt)

        def upload(data=data):
            return SimpleUploadedFile("p", data)

        header = median_ms(lambda: identify(upload()), args.runs)
        full = median_ms(lambda: validate_image_upload(upload()), args.runs)
        with tempfile.TemporaryDirectory() as folder:
            renditions = median_ms(
                lambda data=data: render_all(data, folder), max(1, args.runs // 2)
            )
        label = f"{width}×{height} {fmt}"
        print(
            f"{label:<22} {len(data) / 1e6:>6.1f} {header:>10.1f} {full:>14.0f} {renditions:>14.0f}"
        )


if __name__ == "__main__":
    main()
