"""The demo's pictures: rough shapes that suggest a story's subject, and bylines' portraits.

Drawn with Pillow from a seeded random generator, so the same seed gives the same images.
"""

import io

from django.core.files.base import ContentFile
from PIL import Image, ImageDraw

# Cycles through topic colours so the generated photos are told apart at a glance.
PALETTE = [
    ((214, 110, 40), (60, 40, 30)), ((70, 120, 170), (30, 40, 60)), ((90, 140, 80), (30, 50, 30)),
    ((180, 60, 60), (40, 20, 20)), ((120, 90, 160), (40, 30, 60)), ((40, 150, 150), (20, 50, 50)),
]  # fmt: skip


def _gradient(draw, width, height, top, bottom, horizon=1.0):
    for y in range(height):
        t = min(1.0, y / (height * horizon))
        colour = tuple(int(top[c] * (1 - t) + bottom[c] * t) for c in range(3))
        draw.line([(0, y), (width, y)], fill=colour)


def _shade(colour, amount):
    return tuple(max(0, min(255, c + amount)) for c in colour)


def _draw_composition(rng, draw, width, height, kind, top, bottom):
    """Rough shapes that suggest the subject: a skyline, a crowd, ice, a podium…"""
    ground = int(height * rng.uniform(0.55, 0.72))
    dark = _shade(bottom, -25)
    if kind in ("skyline", "building", "bridge", "port"):
        x = 0
        while x < width:
            w = rng.randint(70, 220)
            h = rng.randint(120, 520) if kind != "building" else rng.randint(300, 560)
            draw.rectangle([x, ground - h, x + w, height], fill=_shade(dark, rng.randint(-20, 20)))
            for wy in range(ground - h + 20, ground, 40):  # windows
                for wx in range(x + 12, x + w - 12, 28):
                    if rng.random() < 0.45:
                        draw.rectangle([wx, wy, wx + 10, wy + 16], fill=_shade(top, 40))
            x += w + rng.randint(0, 30)
        if kind == "bridge":
            draw.rectangle([0, ground - 60, width, ground - 30], fill=_shade(dark, -30))
            for bx in range(0, width, 160):
                draw.line([(bx, ground - 60), (bx + 80, ground - 260)], fill=dark, width=8)
    elif kind in ("crowd", "stage", "podium"):
        draw.rectangle([0, ground, width, height], fill=dark)
        if kind in ("stage", "podium"):
            draw.rectangle(
                [width // 2 - 90, ground - 260, width // 2 + 90, ground], fill=_shade(top, 30)
            )
            draw.ellipse([width // 2 - 45, ground - 380, width // 2 + 45, ground - 270], fill=dark)
        for _ in range(70 if kind == "crowd" else 35):
            cx, cy = rng.randint(0, width), rng.randint(ground - 40, height)
            r = rng.randint(26, 48) * (cy / height + 0.4)
            colour = _shade(dark, rng.randint(-40, 30))
            draw.ellipse([cx - r, cy - r, cx + r, cy + r], fill=colour)
            draw.rectangle([cx - r * 1.3, cy + r * 0.8, cx + r * 1.3, cy + r * 3.2], fill=colour)
    elif kind in ("ice", "ice-sea", "sea", "pitch"):
        surface = (
            (235, 242, 248)
            if kind == "ice"
            else (60, 130, 70)
            if kind == "pitch"
            else _shade(bottom, 10)
        )
        draw.rectangle([0, ground, width, height], fill=surface)
        if kind == "ice-sea":
            for _ in range(14):
                cx, cy = rng.randint(0, width), rng.randint(ground, height)
                r = rng.randint(60, 200)
                draw.polygon([(cx - r, cy), (cx - r // 3, cy - r // 4), (cx + r, cy - r // 6),
                              (cx + r // 2, cy + r // 4)], fill=(236, 244, 250))  # fmt: skip
        elif kind == "sea":
            for y in range(ground + 20, height, 36):
                draw.line(
                    [(0, y), (width, y + rng.randint(-8, 8))], fill=_shade(surface, 30), width=4
                )
            draw.polygon([(520, ground - 10), (1100, ground - 10), (1040, ground + 70),
                          (580, ground + 70)], fill=(170, 40, 40))  # fmt: skip
            draw.rectangle([700, ground - 120, 900, ground - 10], fill=(235, 235, 235))
        else:
            for _ in range(6):
                cx, cy = rng.randint(100, width - 100), rng.randint(ground + 30, height - 60)
                colour = (200, 30, 40) if rng.random() < 0.5 else (30, 60, 160)
                draw.ellipse([cx - 22, cy - 120, cx + 22, cy - 76], fill=(60, 40, 30))
                draw.rectangle([cx - 28, cy - 76, cx + 28, cy], fill=colour)
    elif kind in ("houses", "rail", "corridor"):
        draw.rectangle([0, ground, width, height], fill=dark)
        if kind == "rail":
            draw.rectangle([200, ground - 230, width - 150, ground], fill=(220, 220, 225))
            for wx in range(240, width - 200, 120):
                draw.rectangle([wx, ground - 190, wx + 80, ground - 110], fill=_shade(top, -40))
        elif kind == "corridor":
            draw.polygon([(0, 0), (width // 2 - 120, ground - 200), (width // 2 - 120, ground),
                          (0, height)], fill=(225, 228, 230))  # fmt: skip
            draw.polygon([(width, 0), (width // 2 + 120, ground - 200), (width // 2 + 120, ground),
                          (width, height)], fill=(215, 218, 222))  # fmt: skip
        else:
            x = 40
            while x < width - 100:
                w = rng.randint(160, 260)
                h = rng.randint(140, 220)
                colour = _shade(top, rng.randint(-60, 0))
                draw.rectangle([x, ground - h, x + w, ground], fill=colour)
                draw.polygon([(x - 20, ground - h), (x + w // 2, ground - h - 110),
                              (x + w + 20, ground - h)], fill=_shade(dark, -20))  # fmt: skip
                x += w + rng.randint(40, 90)
    else:  # smoke, sky
        for _ in range(9 if kind == "smoke" else 3):
            cx, cy = rng.randint(0, width), rng.randint(0, ground)
            r = rng.randint(120, 320)
            draw.ellipse(
                [cx - r, cy - r // 2, cx + r, cy + r // 2], fill=_shade(top, rng.randint(-30, 30))
            )
        ridge = [(x, ground - rng.randint(0, 160)) for x in range(0, width + 100, 100)]
        draw.polygon([(0, ground), *ridge, (width, height), (0, height)], fill=dark)
        if kind == "sky":
            draw.polygon([(700, 300), (980, 330), (700, 360)], fill=(200, 40, 30))
            draw.polygon([(780, 330), (860, 250), (880, 330)], fill=(220, 60, 40))


def photo_file(rng, index, kind="smoke", variant=0):
    """Photo ``index`` of the demo (its subject); ``variant`` > 0: another picture of the same
    subject, in the next colours of the palette."""
    top, bottom = PALETTE[(index + variant) % len(PALETTE)]
    width, height = 1600, 1000
    image = Image.new("RGB", (width, height))
    draw = ImageDraw.Draw(image)
    _gradient(draw, width, height, _shade(top, 40), bottom)
    _draw_composition(rng, draw, width, height, kind, top, bottom)
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=85)
    suffix = f"-{variant}" if variant else ""
    return ContentFile(buffer.getvalue(), name=f"demo-{index:03d}{suffix}.jpg")


def portrait_file(index):
    """A plain head-and-shoulders silhouette on a coloured ground, for a demo byline."""
    top, bottom = PALETTE[index % len(PALETTE)]
    size = 240
    image = Image.new("RGB", (size, size), _shade(top, 30))
    draw = ImageDraw.Draw(image)
    draw.ellipse([70, 40, 170, 150], fill=_shade(bottom, 30))
    draw.ellipse([30, 150, 210, 330], fill=_shade(bottom, 30))
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=85)
    return ContentFile(buffer.getvalue(), name=f"author-{index:02d}.jpg")
