"""The `sections` engine: layouts made of a label block, marker lines that open sections
(`Summary`, `Chapter Notes`, `Chapter Text`, `End Notes`…) and chapter headings, as AO3's
work page copied as text or its download flattened to text.

Where the layout marks where a chapter's text begins (`Chapter Text`), a chapter's
summary and notes run up to it. Where it does not (the flattened download), a section
after a heading holds its first paragraph only (or its indented lines), and the rest is
story text: when unsure, the text stays in the story.
"""

from __future__ import annotations

import re

from ficbook.convert.context import Context, quote
from ficbook.readers.layouts.fields import LIST_FIELDS, store_field
from ficbook.readers.layouts.plan import ChapterPlan, NotePlan, Plan
from ficbook.readers.layouts.profiles import Profile

_LABEL = re.compile(r"^([^:]{1,30}?)\s*:\s*(.*)$")
_BY = re.compile(r"^by\s+(\S.*)$", re.IGNORECASE)


class _Reader:
    def __init__(self, lines: list[str], profile: Profile, ctx: Context):
        self.lines = lines
        self.ctx = ctx
        self.plan = Plan()
        self.labels = {k.lower(): v for k, v in (profile.get("labels") or {}).items()}
        self.sections = {k.lower(): v for k, v in (profile.get("sections") or {}).items()}
        self.chapter_re = re.compile(profile.get("chapter") or r"(?!)")
        self.chrome = profile.whole_line("chrome")
        self.stop = profile.patterns("stop")
        self.source_re = profile.pattern("source")
        self.stylesheet = profile.pattern("stylesheet")
        self.pointer = profile.pattern("pointer")
        self.zone = "head"  # head, chapter, after (the work's end)
        self.state = "none"  # in a chapter: pre (before its text), text
        self.target: list[int] | None = None  # where story-ish lines go now
        self.short = False  # the open section holds one paragraph (no text marker ahead)
        self.short_seen = False
        self.indented = False  # the one-paragraph section's first line was indented
        self.loose: list[int] = []  # head lines outside any section: title, author…
        self.pending: tuple[str, str, int] | None = None  # a label waiting for its value
        self.labelled = False  # a card label seen
        self.roles = [self.role(s.strip()) for s in lines]
        self.cleanup = profile.pattern("value_cleanup")
        self.title_at = next((i for i, s in enumerate(lines) if s.strip()), None) \
            if profile.get("title_first") else None

    def role(self, s: str) -> str | None:
        if not s or len(s) > 60:
            return None
        if self.chapter_re.fullmatch(s):
            return "chapter"
        return self.sections.get(s.rstrip(":").strip().lower())

    def marker_ahead(self, i: int, stop_at_chapter: bool) -> bool:
        """A chapter heading or a text marker after line i (in this chapter only when
        `stop_at_chapter`)."""
        for role in self.roles[i + 1:]:
            if role == "text":
                return True
            if role == "chapter":
                return not stop_at_chapter
        return False

    def open(self, i: int, target: list[int], in_chapter: bool) -> None:
        self.target = target
        self.short = not self.marker_ahead(i, stop_at_chapter=in_chapter)
        self.short_seen = False
        self.indented = False  # the one-paragraph section's first line was indented

    def body(self) -> list[int]:
        return self.plan.chapter().body

    def read(self) -> Plan:
        lines, ctx, plan = self.lines, self.ctx, self.plan
        for i, raw in enumerate(lines):
            s = raw.strip()
            if not s:
                if self.target is not None:
                    if self.short and self.short_seen:
                        self.target = self.body() if self.zone != "after" else None
                        self.short = False
                    if self.target is not None:
                        self.target.append(i)
                continue
            # the page's furniture ends the text, and the work's end notes too
            if (self.zone == "chapter" and self.state == "text" or self.zone == "after") \
                    and self.stop is not None and self.stop.match(raw):
                rest = sum(1 for x in lines[i:] if x.strip())
                ctx.report("info", "chrome-dropped",
                           f"page furniture from {quote(s)} on ({rest} lines)", i + 1)
                break
            if i < 3 and self.zone == "head" and self.stylesheet is not None \
                    and self.stylesheet.match(s):
                ctx.report("info", "chrome-dropped", f"stylesheet line {quote(s, 40)}", i + 1)
                continue
            if i == self.title_at:
                self.plan.fields["title"] = s
                ctx.report("info", "header-field", f"title: {quote(s)} (the first line)", i + 1)
                continue
            if self.chrome is not None and self.chrome.fullmatch(" ".join(s.split())):
                ctx.report("info", "chrome-dropped", quote(s), i + 1)
                continue
            if self.pointer is not None and (m := self.pointer.search(raw)) and m.start():
                ctx.report("info", "chrome-dropped", quote(m.group().strip()), i + 1)
                raw = self.plan.replaced[i] = raw[:m.start()].rstrip()
                s = raw.strip()
            if self.source_re is not None and (m := self.source_re.match(s)):
                plan.fields["source"] = m.group("url")
                ctx.report("info", "chrome-dropped", quote(s), i + 1)
                continue
            if self.pending is not None and self.roles[i] is None and self.label_match(s) is None:
                label, kind, at = self.pending
                if kind not in LIST_FIELDS:
                    self.pending = None  # one line: the next may be the title
                self.store(label, kind, s, at)
                self.labelled = True
                continue
            self.pending = None
            role = self.roles[i]
            if role == "chapter":
                plan.chapters.append(ChapterPlan(" ".join(s.split()), i))
                self.zone, self.state, self.target = "chapter", "pre", self.body()
                self.short = False
                ctx.report("info", "chapter", f"chapter heading {quote(s)}", i + 1)
                continue
            if role is not None:
                self.section(i, s, role)
                continue
            m = self.label_match(s) if self.zone == "head" and self.target is None else None
            if m is not None:
                label, value = m.group(1).strip(), m.group(2).strip()
                kind = self.labels[label.lower()]
                if value:
                    self.store(label, kind, value, i)
                else:
                    self.pending = (label, kind, i)
                self.labelled = True
                continue
            self.text_line(i, raw)
        self.finish_head()
        return plan

    def label_match(self, s: str) -> re.Match[str] | None:
        m = _LABEL.match(s)
        return m if m is not None and m.group(1).strip().lower() in self.labels else None

    def text_line(self, i: int, raw: str) -> None:
        if self.target is None:
            if self.zone == "head" and not self.labelled:
                # before the card's labels: the page's menus (a copied page)
                self.ctx.report("info", "chrome-dropped", quote(raw.strip()), i + 1)
            elif self.zone == "head":
                self.loose.append(i)
            else:
                self.ctx.report("info", "chrome-dropped", quote(raw.strip()), i + 1)
            return
        if self.short and self.short_seen and not (raw[:1].isspace() and self.indented):
            # a one-paragraph section is over: the story's text goes on
            self.target = self.body()
            self.short = False
        if self.short and not self.short_seen:
            self.short_seen = True
            self.indented = raw[:1].isspace()
        if self.zone == "chapter" and self.target is self.plan.chapter().body:
            self.state = "text"
        self.target.append(i)

    def section(self, i: int, s: str, role: str) -> None:
        plan, ctx = self.plan, self.ctx
        label = " ".join(s.rstrip(":").split())
        ctx.report("info", "layout-marker", f"section marker {quote(s)}", i + 1)
        in_chapter = self.zone == "chapter"
        if role == "drop":
            self.target = None
            if label.lower() == "afterword" or (in_chapter and self.state == "text"):
                self.zone = "after"
            return
        if role == "text":
            self.finish_head()
            self.zone, self.state, self.target, self.short = "chapter", "pre", self.body(), False
            return
        if role == "summary":
            target = self.plan.chapter().summary if in_chapter and self.state == "pre" \
                else plan.summary
            self.open(i, target, in_chapter)
            return
        if role == "chapter-summary" and in_chapter:
            self.open(i, plan.chapter().summary, True)
            return
        if role in ("chapter-notes", "notes") and in_chapter and self.state == "pre":
            note = NotePlan(label)
            plan.chapter().before.append(note)
            self.open(i, note.lines, True)
            return
        if role == "chapter-end-notes" and in_chapter:
            note = NotePlan(label)
            plan.chapter().after.append(note)
            self.target, self.short = note.lines, False
            return
        if role == "notes" and in_chapter and self.marker_ahead(i, stop_at_chapter=False):
            note = NotePlan(label)  # "Notes:" after a chapter's text, more chapters to come
            plan.chapter().after.append(note)
            self.target, self.short = note.lines, False
            return
        note = NotePlan("End Notes" if self.zone != "head" else label)
        if self.zone == "head":
            plan.front.append(note)
            self.open(i, note.lines, False)
        else:
            plan.end.append(note)
            self.zone, self.target, self.short = "after", note.lines, False

    def store(self, label: str, kind: str, value: str, i: int) -> None:
        if self.cleanup is not None:
            value = self.cleanup.sub("", value)
        store_field(self.plan, label, kind, value, self.ctx, i + 1)

    def finish_head(self) -> None:
        """The head's loose lines: the title and author (`Title` over `by Name`, or the two
        lines between the labels and the summary); any other stays story text."""
        loose, self.loose = self.loose, []
        if not loose:
            return
        lines, plan, ctx = self.lines, self.plan, self.ctx
        texts = [lines[i].strip() for i in loose]
        taken: set[int] = set()
        by = next(((k, m.group(1)) for k in range(1, len(texts)) if (m := _BY.match(texts[k]))), None)
        if by is not None:
            t, a = by[0] - 1, by[0]
            author = by[1]
        elif len(texts) >= 2:
            t, a = len(texts) - 2, len(texts) - 1
            author = texts[a]
        else:
            t, a, author = 0, None, ""
        if "title" not in plan.fields:
            plan.fields["title"] = texts[t]
            ctx.report("info", "header-field", f"title: {quote(texts[t])}", loose[t] + 1)
        taken.add(t)
        if a is not None and author and len(author) <= 80:
            store_field(plan, "By", "authors", author, ctx, loose[a] + 1)
            taken.add(a)
        for k, i in enumerate(loose):
            if k in taken:
                continue
            if texts[k] == plan.fields.get("title"):
                ctx.report("info", "chrome-dropped", f"title repeated {quote(texts[k])}", i + 1)
            else:  # not the header's: story text, at the start of the first chapter
                first = plan.chapters[0] if plan.chapters else plan.chapter()
                first.body.append(i)
                first.body.sort()


def read_sections(lines: list[str], profile: Profile, ctx: Context) -> Plan:
    return _Reader(lines, profile, ctx).read()

