"""Scanning post content in linear time, whatever it holds.

Every scanner of WordPress content (``content``, ``code``, ``players``) runs on text of any
size (a 10 MB post, or one of a hundred thousand unclosed tags): a closing mark is looked for
once, and remembered, instead of again from each opening.
"""


def find_close(pattern, text, start, found):
    """The first match of ``pattern`` at or after ``start``, remembering the last one found
    in ``found`` (a one-item list) so that matches are searched for once each."""
    match = found[0]
    if match is not None and match is not False and match.start() >= start:
        return match
    if match is False:  # none left
        return None
    match = pattern.search(text, start)
    found[0] = match if match is not None else False
    return match
