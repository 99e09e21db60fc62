"""The demo's video embeds (articles/embeds.py), so `scripts/serve` shows one per language."""

from articles.embeds import embed_for_id

from .writing import ENGLISH, FRENCH

# The newest published original story of each language shows a video (a story embed,
# articles/embeds.py): Blender Foundation's "Big Buck Bunny", published under CC BY 3.0.
DEMO_VIDEOS = {
    ENGLISH: embed_for_id(
        "youtube", "aqz-KE-bpKQ", "Demo video: Big Buck Bunny, Blender Foundation (CC BY 3.0)"
    ),
    FRENCH: embed_for_id(
        "vimeo",
        "1084537",
        "Vidéo de démonstration\N{NO-BREAK SPACE}: Big Buck Bunny, Blender Foundation (CC BY 3.0)",
    ),
}


def with_demo_video(body, video):
    """``body`` with ``video``'s stored form after its second paragraph."""
    paragraphs = body.split("</p>\n", 2)
    if len(paragraphs) < 3:
        return body + "\n" + video.stored_html()
    return "</p>\n".join(paragraphs[:2]) + "</p>\n" + video.stored_html() + "\n" + paragraphs[2]
