"""A useful subset of calibre's search language, for libraries read without calibre.

Supported: `field:value` for `title`, `author`/`authors`, `tags`, `series`, `comments`,
`id` and custom columns (`#status:Complete`); a bare word or "quoted phrase" searches
title, authors, tags and series; `and`, `or`, `not`, parentheses, and two terms side by
side meaning `and`. Values match as calibre's default does, ignoring case: `tags:spike`
finds "Spike/Buffy"; `=value` matches the whole value; `~regex` a regular expression;
`field:true` / `field:false` whether the field has any value. Anything else (dates,
comparisons, saved searches) needs calibre itself (`calibredb`, used when installed).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence

from ficbook.errors import RecipeError

_TOKEN = re.compile(r'\s*(?:(\()|(\))|((?:[#\w]+:)?(?:"(?:[^"\\]|\\.)*"|[^\s()"]+)))')
_FIELDS = {"title": "title", "author": "authors", "authors": "authors", "tags": "tags",
           "tag": "tags", "series": "series", "comments": "comments", "id": "id"}
_ANYWHERE = ("title", "authors", "tags", "series")

Record = Mapping[str, Sequence[str]]  # field -> its values (custom columns as "#label")
Test = Callable[[Record], bool]


def compile_search(text: str) -> Test:
    tokens = _tokens(text)
    pos, test = _or(tokens, 0, text)
    if pos != len(tokens):
        raise _error(text, f"unexpected `{tokens[pos]}`")
    return test


def _error(text: str, why: str) -> RecipeError:
    return RecipeError(f"calibre search {text!r}: {why} (without calibre installed, ficbook "
                       "reads field:value, and, or, not, parentheses and quotes)")


def _tokens(text: str) -> list[str]:
    out, pos = [], 0
    text = text.strip()
    while pos < len(text):
        m = _TOKEN.match(text, pos)
        if m is None or m.end() == pos:
            raise _error(text, f"cannot read it from `{text[pos:]}`")
        out.append(m.group(1) or m.group(2) or m.group(3))
        pos = m.end()
        while pos < len(text) and text[pos].isspace():
            pos += 1
    return out


def _or(tokens: list[str], pos: int, text: str) -> tuple[int, Test]:
    pos, left = _and(tokens, pos, text)
    while pos < len(tokens) and tokens[pos].lower() == "or":
        pos, right = _and(tokens, pos + 1, text)
        left = (lambda a, b: lambda r: a(r) or b(r))(left, right)
    return pos, left


def _and(tokens: list[str], pos: int, text: str) -> tuple[int, Test]:
    pos, left = _unary(tokens, pos, text)
    while pos < len(tokens) and tokens[pos] != ")" and tokens[pos].lower() != "or":
        if tokens[pos].lower() == "and":
            pos += 1
        pos, right = _unary(tokens, pos, text)
        left = (lambda a, b: lambda r: a(r) and b(r))(left, right)
    return pos, left


def _unary(tokens: list[str], pos: int, text: str) -> tuple[int, Test]:
    if pos >= len(tokens):
        raise _error(text, "it ends too soon")
    token = tokens[pos]
    if token.lower() == "not":
        pos, inner = _unary(tokens, pos + 1, text)
        return pos, lambda r: not inner(r)
    if token == "(":
        pos, inner = _or(tokens, pos + 1, text)
        if pos >= len(tokens) or tokens[pos] != ")":
            raise _error(text, "a `(` is not closed")
        return pos + 1, inner
    if token == ")":
        raise _error(text, "a `)` without its `(`")
    return pos + 1, _term(token, text)


def _term(token: str, text: str) -> Test:
    field, sep, value = token.partition(":") if not token.startswith('"') else ("", "", token)
    if not sep:
        field, value = "", token
    value = _unquote(value)
    if field:
        key = field.lower() if field.startswith("#") else _FIELDS.get(field.lower())
        if key is None:
            raise _error(text, f"unknown field `{field}`")
        fields: tuple[str, ...] = (key,)
    else:
        fields = _ANYWHERE
    match = _matcher(value, text)
    return lambda r: match([v for f in fields for v in r.get(f, ())])


def _unquote(value: str) -> str:
    if len(value) >= 2 and value[0] == value[-1] == '"':
        return re.sub(r"\\(.)", r"\1", value[1:-1])
    return value


def _matcher(value: str, text: str) -> Callable[[list[str]], bool]:
    low = value.casefold()
    if low in ("true", "false"):
        wanted = low == "true"
        return lambda values: bool(values) == wanted
    if value.startswith("="):
        exact = value[1:].casefold()
        return lambda values: any(v.casefold() == exact for v in values)
    if value.startswith("~"):
        try:
            pattern = re.compile(value[1:], re.IGNORECASE)
        except re.error as exc:
            raise _error(text, f"bad regular expression: {exc}") from None
        return lambda values: any(pattern.search(v) for v in values)
    return lambda values: any(low in v.casefold() for v in values)
