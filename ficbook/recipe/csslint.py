"""CSS that e-readers reject: a lint for the shipped stylesheet and a recipe's `css:`.

Adobe's RMSDK (Kobo `.epub`, Adobe Digital Editions, many Android readers) drops a whole
stylesheet it cannot parse, and EPUBCheck does not notice. So the book's CSS keeps to
CSS 2.1, and this lint names the line of anything beyond it. Kobo's and KOReader's own
rules for `div`/`span` make styling those bare elements unpredictable, and a background
colour behind text is unreadable in night mode on e-ink.
"""

from __future__ import annotations

import re

_COMMENT = re.compile(r"/\*.*?\*/", re.S)

# (pattern, what to say) over declarations and at-rules, comments removed.
_VALUE_RULES: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"\b(calc|min|max|clamp|var|env|attr)\s*\(", re.I), "`{0}(` is not CSS 2.1"),
    (re.compile(r"(?<![\w-])--[\w-]+\s*:"), "custom properties (`--name:`) are not CSS 2.1"),
    (re.compile(r"\d(rem|vw|vh|vmin|vmax|ch)\b", re.I), "`{1}` units are not CSS 2.1"),
    (re.compile(r"\bdisplay\s*:\s*(inline-)?(flex|grid)\b", re.I), "flex and grid layout are not CSS 2.1"),
    (re.compile(r"(?<![\w-])(flex|flex-[\w-]+|grid|grid-[\w-]+|gap|row-gap|column-gap)\s*:", re.I),
     "`{0}:` (flex/grid) is not CSS 2.1"),
    (re.compile(r"@(supports|container|layer|property)\b", re.I), "`@{0}` is not CSS 2.1"),
    (re.compile(r"\bbackground(-color)?\s*:\s*(?!\s*(none|transparent|inherit)\s*(;|}|!|$))", re.I),
     "no background colours: they hide text in night mode and on e-ink"),
)
# What would reach outside the book: the recipe adds no files to it, so no url() can name
# one of its own, and a remote one is a web beacon (and an EPUBCheck error).
_OUTSIDE_RULES: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"@import\b", re.I), "`@import` is not allowed: a book holds all its CSS"),
    (re.compile(r"\b(url|image|image-set|src)\s*\(", re.I),
     "`{0}(` is not allowed: the recipe adds no files to the book, and a remote one "
     "would be fetched by the reader"),
    (re.compile(r"\b(expression)\s*\(|(-moz-binding|behavior)\s*:", re.I),
     "`{0}` runs code: not allowed"),
)
_ESCAPE = re.compile(r"\\(?:([0-9a-fA-F]{1,6})\s?|(.))", re.S)
_BARE = re.compile(r"^(div|span)(?![\w.#-])", re.I)


def _unescape(css: str) -> str:
    """CSS escapes resolved (`\\75 rl(` is `url(`), so that no rule can be hidden by them."""
    def one(m: re.Match[str]) -> str:
        if m.group(1):
            code = int(m.group(1), 16)
            return chr(code) if 0 < code < 0x110000 and not 0xD800 <= code < 0xE000 else "\ufffd"
        return m.group(2)
    return _ESCAPE.sub(one, css)


def lint_css(css: str) -> list[str]:
    """Problems as `line N: message`, in order; [] when the CSS is safe for e-readers."""
    text = _COMMENT.sub(lambda m: "\n" * m.group(0).count("\n"), css)
    problems: list[tuple[int, str]] = []
    for pattern, message in _VALUE_RULES:
        for m in pattern.finditer(text):
            groups = [g or "" for g in m.groups()] or [""]
            problems.append((_line(text, m.start()),
                             message.format(m.group(1) if m.groups() else m.group(0),
                                            groups[0].lower())))
    plain = _unescape(text)
    for pattern, message in _OUTSIDE_RULES:
        for m in pattern.finditer(plain):
            found = next((g for g in m.groups() if g), m.group(0))
            problems.append((_line(plain, m.start()), message.format(found.lower())))
    for start, selector in _selectors(text):
        for compound in re.split(r"\s*[>+~]\s*|\s+", selector.strip()):
            if _BARE.match(compound):
                problems.append((_line(text, start),
                                 f"bare `{compound}` selector: style a class instead "
                                 f"(`{compound.split(':')[0].lower()}.name`)"))
    return [f"line {line}: {message}" for line, message in sorted(set(problems))]


def _selectors(text: str) -> list[tuple[int, str]]:
    """Each selector of each rule (at-rule preludes skipped), with its offset."""
    out: list[tuple[int, str]] = []
    depth, start = 0, 0
    for i, ch in enumerate(text):
        if ch == "{":
            prelude = text[start:i]
            if not prelude.strip().startswith("@") and (depth == 0 or depth == 1 and _inside_media(text, i)):
                offset = start + len(prelude) - len(prelude.lstrip())
                for sel in prelude.split(","):
                    out.append((offset, sel))
            depth += 1
            start = i + 1
        elif ch == "}":
            depth -= 1
            start = i + 1
        elif ch == ";" and depth == 0:
            start = i + 1  # @import / @charset
    return out


def _inside_media(text: str, pos: int) -> bool:
    depth = 0
    for i in range(pos - 1, -1, -1):
        if text[i] == "}":
            depth += 1
        elif text[i] == "{":
            if depth == 0:
                prelude = text[:i].rsplit("}", 1)[-1].rsplit(";", 1)[-1]
                return prelude.strip().lower().startswith("@media")
            depth -= 1
    return False


def _line(text: str, offset: int) -> int:
    return text.count("\n", 0, offset) + 1
