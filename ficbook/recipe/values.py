"""Recipe values checked against what the book will say with them: an encoding Python
can decode text with, a date the EPUB's zip and package can hold, an identifier
EPUBCheck accepts. Each raises ValueError with the message the recipe error shows."""

from __future__ import annotations

import datetime as dt
import re
import uuid

# The zip format stores timestamps from 1980 to 2107; the book's files carry its date.
FIRST_DATE, LAST_DATE = dt.date(1980, 1, 1), dt.date(2107, 12, 31)


def check_encoding(value: str | None) -> str | None:
    from ficbook.readers.decode import text_codec

    if value is not None and text_codec(value) is None:
        raise ValueError(f"unknown encoding {value!r}: give a text encoding such as "
                         "utf-8, cp1252, cp1251 or shift_jis")
    return value


def check_date(value: dt.date | None) -> dt.date | None:
    if value is not None and not FIRST_DATE <= value <= LAST_DATE:
        raise ValueError(f"{value.isoformat()} is outside the years an EPUB can hold "
                         f"({FIRST_DATE.year}-{LAST_DATE.year}): give the date the book is made")
    return value


_UUID_URN = re.compile(r"^urn:uuid:", re.I)


def check_identifier(value: str | None) -> str | None:
    if value is None:
        return value
    if not value.strip():
        raise ValueError("the identifier is empty: leave it out for one made from the recipe")
    if _UUID_URN.match(value):
        rest = value[len("urn:uuid:"):]
        try:
            ok = str(uuid.UUID(rest)) == rest.lower()
        except ValueError:
            ok = False
        if not ok:
            raise ValueError(f"{value!r} is not a UUID (urn:uuid: needs 8-4-4-4-12 hex digits, "
                             f"e.g. urn:uuid:{uuid.uuid5(uuid.NAMESPACE_URL, value)}); "
                             "or use another scheme, such as urn:isbn: or a web address")
    return value
