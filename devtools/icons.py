"""Draws the site's icon and writes every file browsers and phones ask for.

    .venv/bin/python -m devtools.icons

The drawing is a few shapes on a 64-unit grid (a white "N" over a masthead rule, on the
site's red), written once here: the SVG gets them as paths, and the PNG and ICO files are
painted from the same shapes with Pillow, eight times larger then scaled down so the edges
are smooth. The generated files are committed (static/icons/), so neither the site nor its
image needs Pillow's drawing at run time; run this again after changing the drawing.
"""

from pathlib import Path

from PIL import Image, ImageDraw

FOLDER = Path(__file__).resolve().parents[1] / "static" / "icons"
RED = "#a4161a"  # the site's --accent
WHITE = "#ffffff"
GRID = 64
CORNER = 12  # rounded corners of the tile, in grid units
# The letter: two stems and the diagonal, then the rule under it, as polygons.
SHAPES = [
    [(15, 13), (23, 13), (23, 45), (15, 45)],
    [(41, 13), (49, 13), (49, 45), (41, 45)],
    [(15, 13), (24, 13), (49, 45), (40, 45)],
    [(15, 49), (49, 49), (49, 53), (15, 53)],
]


def svg():
    paths = "".join(
        '<path d="M' + " L".join(f"{x} {y}" for x, y in shape) + ' Z"/>' for shape in SHAPES
    )
    return (
        '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 64 64">'
        f'<rect width="64" height="64" rx="{CORNER}" fill="{RED}"/>'
        f'<g fill="{WHITE}">{paths}</g></svg>\n'
    )


def png(size, rounded=True, scale=1.0):
    """The icon at ``size`` pixels. ``rounded=False`` fills the square (iOS and Android round
    it themselves); ``scale`` shrinks the drawing towards the centre (a maskable icon keeps its
    content in the middle 80 %)."""
    big = size * 8
    unit = big / GRID
    image = Image.new("RGBA", (big, big), (0, 0, 0, 0))
    draw = ImageDraw.Draw(image)
    if rounded:
        draw.rounded_rectangle((0, 0, big - 1, big - 1), radius=CORNER * unit, fill=RED)
    else:
        draw.rectangle((0, 0, big, big), fill=RED)
    middle = GRID / 2
    for shape in SHAPES:
        points = [
            ((middle + (x - middle) * scale) * unit, (middle + (y - middle) * scale) * unit)
            for x, y in shape
        ]
        draw.polygon(points, fill=WHITE)
    return image.resize((size, size), Image.Resampling.LANCZOS)


def main():
    FOLDER.mkdir(parents=True, exist_ok=True)
    (FOLDER / "icon.svg").write_text(svg())
    png(48).save(FOLDER / "favicon.ico", sizes=[(16, 16), (32, 32), (48, 48)])
    png(180, rounded=False).convert("RGB").save(FOLDER / "apple-touch-icon.png", optimize=True)
    png(192).save(FOLDER / "icon-192.png", optimize=True)
    png(512).save(FOLDER / "icon-512.png", optimize=True)
    png(512, rounded=False, scale=0.75).save(FOLDER / "icon-maskable-512.png", optimize=True)
    for path in sorted(FOLDER.iterdir()):
        print(f"{path.relative_to(FOLDER.parents[1])}: {path.stat().st_size:,} bytes")


if __name__ == "__main__":
    main()
