"""Facts about text that every stage shares."""

from __future__ import annotations

import re

# Characters XML 1.0 forbids (C0 controls but tab/LF/CR, C1 controls, surrogates, FFFE/FFFF),
# plus invisible joiners many readers have no glyph for.
_XML_FORBIDDEN = re.compile(
    "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x84\x86-\x9f\ud800-\udfff\ufffe\uffff\u2060\ufeff]")


def strip_forbidden(text: str) -> str:
    return _XML_FORBIDDEN.sub("", text)
