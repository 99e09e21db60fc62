from tests.admin.conftest import (  # noqa: F401  the newsroom's people and a draft
    editor,
    editor_client,
    other_reporter,
    own_draft,
    reporter,
    reporter_client,
    section,
)
