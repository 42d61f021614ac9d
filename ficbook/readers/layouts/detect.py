"""Which layout a file is in, from its content: a few signs in its first and last 8 KB.

Cheap on purpose (it runs on every story): each profile's signs are searched in the head
and the tail only, and a layout is recognised only when signs of `need` different kinds
agree, so one stray line ("Rating: nine," she said) is never enough.
"""

from __future__ import annotations

from dataclasses import dataclass

from ficbook.readers.layouts.profiles import Profile, profiles

WINDOW = 8192
HEAD = 16384  # the 1990s Small Print starts some 8 KB in
QUICK_HEAD, QUICK_TAIL = 6144, 3072  # where a profile's quick words are looked for
# A saved page's signs may stand anywhere in it (its head is scripts and styles): pages
# are searched further in; they are few, and parsing them costs far more anyway.
PAGE_HEAD, PAGE_TAIL = 131072, 65536


@dataclass(frozen=True, slots=True)
class Evidence:
    sign: str
    line: int  # 1-based, in the decoded text
    text: str


@dataclass(frozen=True, slots=True)
class Detection:
    profile: Profile
    evidence: tuple[Evidence, ...]
    forced: bool = False

    @property
    def name(self) -> str:
        return self.profile.name

    def describe(self) -> str:
        if self.forced:
            return f"layout {self.name} (set by the recipe)"
        where = "; ".join(f"line {e.line} {_short(e.text)}" for e in self.evidence)
        return f"layout {self.name}, recognised by {where}"


def detect(text: str, kind: str = "text", forced: str | None = None) -> Detection | None:
    """The layout of `text` (a decoded file or page), or None. `forced`: a profile name
    from the recipe (`none`: no layout)."""
    if forced == "none":
        return None
    table = profiles()
    if forced:
        profile = table[forced]
        found = _signs(text, profile, *((HEAD, WINDOW) if kind == "text" else (PAGE_HEAD, PAGE_TAIL)))
        return Detection(profile, found, forced=True)
    best: Detection | None = None
    head_size, tail_size = (HEAD, WINDOW) if kind == "text" else (PAGE_HEAD, PAGE_TAIL)
    quick_head, quick_tail = (QUICK_HEAD, QUICK_TAIL) if kind == "text" else (head_size, tail_size)
    low_head = text[:quick_head].encode("utf-8", "replace").lower()
    low_tail = text[-quick_tail:].encode("utf-8", "replace").lower() \
        if len(text) > head_size else b""
    for profile in table.values():
        if kind not in profile.inputs or not profile.may_be(low_head, low_tail):
            continue
        found = _signs(text, profile, head_size, tail_size)
        if profile.enough({e.sign for e in found}) and (
                best is None or len(found) > len(best.evidence)):
            best = Detection(profile, found)
    return best


def recognise(data: bytes, kind: str = "text") -> Profile | None:
    """The layout of a file from its bytes' head and tail, before any decoding (the signs
    are ASCII): the plain-text path asks this of every story, so it decodes 16 KB at most."""
    head, tail = data[:HEAD], data[-WINDOW:] if len(data) > HEAD else b""
    if head[:2] in (b"\xff\xfe", b"\xfe\xff") or head[1:2] == b"\x00" or head[:1] == b"\x00":
        head, tail = head.replace(b"\x00", b""), tail.replace(b"\x00", b"")
    # the quick words stand near the top (a header, a site's name) or at the very end
    low_head, low_tail = head[:QUICK_HEAD].lower(), tail[-QUICK_TAIL:].lower()
    candidates = [p for p in profiles().values()
                  if kind in p.inputs and p.may_be(low_head, low_tail)]
    if not candidates:
        return None  # nearly every story: settled without a regex or a decode
    head_text = head.decode("utf-8", "replace")
    tail_text = tail.decode("utf-8", "replace")
    best: tuple[int, Profile] | None = None
    for profile in candidates:
        names = {name for name, pattern in profile.signs
                 if pattern.search(head_text) or (tail_text and pattern.search(tail_text))}
        count = len(names)
        if profile.enough(names) and (best is None or count > best[0]):
            best = (count, profile)
    return best[1] if best else None


def _signs(text: str, profile: Profile, head_size: int = HEAD,
           tail_size: int = WINDOW) -> tuple[Evidence, ...]:
    """The first match of each sign, in the head, else in the tail."""
    size = len(text)
    head = text[:head_size]
    tail_start = max(head_size, size - tail_size)
    tail = text[tail_start:] if size > head_size else ""
    found: list[Evidence] = []
    for name, pattern in profile.signs:
        offset = 0
        m = pattern.search(head)
        if m is None and tail:
            m = pattern.search(tail)
            offset = tail_start
        if m is None:
            continue
        g = m.group()
        pos = offset + m.start() + len(g) - len(g.lstrip())  # `^\s*` may start a line early
        start = text.rfind("\n", 0, pos) + 1
        end = text.find("\n", pos)
        line = text[start:end if end >= 0 else size]
        found.append(Evidence(name, text.count("\n", 0, pos) + 1, line.strip()))
    found.sort(key=lambda e: e.line)
    return tuple(found)


def _short(text: str, limit: int = 60) -> str:
    text = " ".join(text.split())
    return f"“{text}”" if len(text) <= limit else f"“{text[:limit - 1]}…”"
