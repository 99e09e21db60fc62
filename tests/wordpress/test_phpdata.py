"""PHP-serialised post meta is read as plain data, never as objects."""

import pytest

from wordpress.phpdata import PHPDataError, unserialize

from .exports import attachment_metadata


def test_attachment_metadata_gives_the_iptc_credit():
    data = unserialize(attachment_metadata("2026/01/fire.jpg", "THE CANADIAN PRESS/Darryl Dyck"))
    assert data["width"] == 1200
    assert data["image_meta"]["credit"] == "THE CANADIAN PRESS/Darryl Dyck"
    assert data["image_meta"]["aperture"] == 4.0


def test_string_lengths_count_bytes():
    assert unserialize('a:1:{s:6:"credit";s:10:"Québec/CP";}') == {"credit": "Québec/CP"}


@pytest.mark.parametrize(
    "text",
    [
        'O:8:"stdClass":1:{s:1:"a";i:1;}',  # an object
        'a:1:{s:6:"credit";s:99:"short";}',  # a wrong length
        'a:2:{s:1:"a";i:1;}',  # fewer entries than announced
        "i:1;junk",
        "",
    ],
)
def test_anything_but_plain_data_is_refused(text):
    with pytest.raises(PHPDataError):
        unserialize(text)
