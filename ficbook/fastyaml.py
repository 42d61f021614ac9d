"""Plain YAML documents through ruamel's C parser; everything else is the caller's.

ruamel.yaml.clib reads a 200-story recipe in 4 ms where the pure-Python round-trip loader
takes 28 ms (bench/), and recipes and cover styles are read once per book. But the C
parser recurses without a limit: a document nested 100,000 deep crashes the process
(measured: a segfault, which no `except` catches). So it only gets documents whose
nesting a glance at the text bounds, and none using what the two loaders might read
differently (tags, anchors, merge keys, directives, complex keys). `load` answers None
for the rest, and for anything the C parser rejects: the caller then reads the text its
usual way, so errors and their line numbers are always the pure-Python loader's.
"""

from __future__ import annotations

import re
from typing import Any

from ruamel.yaml import YAML

try:
    from ruamel.yaml.clib._ruamel_yaml import CParser
except ImportError:  # no wheel for this platform: every document takes the slow path
    CParser = None

# Each flow bracket can open one level; past this many, don't count.
_MAX_BRACKETS = 64
_NOT_PLAIN = re.compile(
    r"(?:^|[\s\[{,])(?:!|&\S|\?(?:\s|$))"  # a tag, an anchor, a complex key
    r"|<<"                                 # a merge key
    r"|^%"                                 # a directive (%YAML 1.1 changes what scalars mean)
    r"|(?:^|\s)- +-(?: |$)"                # nested block sequences on one line: - - - x
    r"|^ {100,}\S"                         # indentation deep enough to nest far
    # tabs (the parsers disagree on where they may go); YAML 1.1's line breaks, which the
    # C parser breaks on and 1.2 reads as text; a byte-order mark inside the text
    r"|[\t\x85\u2028\u2029\ufeff]",
    re.MULTILINE)


def plain(text: str) -> bool:
    """Shallow, and nothing whose meaning depends on the loader."""
    return (text.count("[") + text.count("{") <= _MAX_BRACKETS
            and _NOT_PLAIN.search(text) is None)


def load(text: str) -> Any | None:
    """The document as plain Python data, or None: not plain, not parsed, or no C parser."""
    if CParser is None or not plain(text):
        return None
    yaml = YAML(typ="safe", pure=False)
    yaml.allow_duplicate_keys = False
    try:
        return yaml.load(text)
    except Exception:  # any refusal: the caller's loader reports it
        return None
