"""Reading PHP ``serialize()`` output, as WordPress stores some post meta.

``_wp_attachment_metadata`` holds an image's sizes and its IPTC fields (``image_meta``,
where the photographer's ``credit`` lives) as a PHP-serialised array. Only plain data is
read: arrays, strings, integers, floats, booleans and null. Objects (``O:``/``C:``) and
references are refused, so nothing in an export can make us build anything but dicts and
lists. Lengths of PHP strings count bytes, so the parser works on the UTF-8 bytes.
"""

MAX_DEPTH = 32


class PHPDataError(ValueError):
    """The text is not PHP-serialised plain data."""


def unserialize(text):
    """The Python value of a PHP-serialised string; raises ``PHPDataError`` when malformed.

    PHP arrays become dicts (keys as str or int, in order).
    """
    data = text.encode("utf-8") if isinstance(text, str) else bytes(text)
    value, end = _value(data, 0, 0)
    if end != len(data):
        raise PHPDataError(f"unexpected data after position {end}")
    return value


def _until(data, position, stop):
    end = data.find(stop, position)
    if end < 0:
        raise PHPDataError(f"missing {stop!r} after position {position}")
    return data[position:end].decode("ascii", "strict"), end + 1


def _value(data, position, depth):
    if depth > MAX_DEPTH:
        raise PHPDataError("nested too deeply")
    kind = data[position : position + 2]
    position += 2
    try:
        if kind == b"N;":
            return None, position
        if kind == b"b:":
            raw, position = _until(data, position, b";")
            return raw == "1", position
        if kind == b"i:":
            raw, position = _until(data, position, b";")
            return int(raw), position
        if kind == b"d:":
            raw, position = _until(data, position, b";")
            return float(raw), position
        if kind == b"s:":
            raw, position = _until(data, position, b":")
            length = int(raw)
            start = position + 1  # after the opening quote
            end = start + length
            if length < 0 or data[position : position + 1] != b'"' or data[end : end + 2] != b'";':
                raise PHPDataError(f"bad string at position {position}")
            return data[start:end].decode("utf-8", "replace"), end + 2
        if kind == b"a:":
            raw, position = _until(data, position, b":")
            count = int(raw)
            if data[position : position + 1] != b"{" or count < 0:
                raise PHPDataError(f"bad array at position {position}")
            position += 1
            result = {}
            for _ in range(count):
                key, position = _value(data, position, depth + 1)
                if not isinstance(key, str | int):
                    raise PHPDataError("array keys must be strings or integers")
                result[key], position = _value(data, position, depth + 1)
            if data[position : position + 1] != b"}":
                raise PHPDataError(f"missing '}}' at position {position}")
            return result, position + 1
    except (UnicodeDecodeError, ValueError) as exc:
        if isinstance(exc, PHPDataError):
            raise
        raise PHPDataError(str(exc)) from exc
    raise PHPDataError(f"unsupported value {kind!r} at position {position - 2}")
