import pytest

from articles.models import Article
from tests.factories import ArticleFactory, AuthorFactory, SectionFactory, StaffFactory


@pytest.fixture
def reporter(db):
    user = StaffFactory(username="reporter", group="Reporter")
    AuthorFactory(name="Rita Reporter", slug="rita-reporter", user=user)
    return user


@pytest.fixture
def other_reporter(db):
    return StaffFactory(username="otherreporter", group="Reporter")


@pytest.fixture
def editor(db):
    return StaffFactory(username="editor", group="Editor")


@pytest.fixture
def section(db):
    return SectionFactory(name="Canada", slug="canada")


@pytest.fixture
def own_draft(reporter, section):
    """A draft the reporter started, with their byline."""
    return ArticleFactory(
        headline="Council approves new transit line",
        section=section,
        status=Article.Status.DRAFT,
        publish_at=None,
        created_by=reporter,
        authors=[reporter.author_profile],
    )


@pytest.fixture
def reporter_client(client, reporter):
    client.force_login(reporter)
    return client


@pytest.fixture
def editor_client(client, editor):
    client.force_login(editor)
    return client
