import pytest

from live import services
from tests.admin.conftest import (  # noqa: F401  the newsroom's people
    editor,
    editor_client,
    other_reporter,
    reporter,
    reporter_client,
    section,
)
from tests.factories import ArticleFactory


@pytest.fixture
def live_story(reporter, editor, section):  # noqa: F811 - the fixtures above
    """A published story carrying the reporter's byline, covered live."""
    story = ArticleFactory(
        headline="Election night in Ontario",
        slug="election-night-in-ontario",
        section=section,
        authors=[reporter.author_profile],
    )
    services.start(story, by=editor)
    return story


def post(story, user, text, **kwargs):
    """Post an entry as ``user`` (the composer's service), committed."""
    return services.post(story.live_coverage, by=user, body=f"<p>{text}</p>", **kwargs)
