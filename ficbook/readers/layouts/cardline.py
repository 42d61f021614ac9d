"""The `cardline` engine: a story page whose card is one line of ` - `-separated fields
(FanFiction.Net's `Rated: Fiction T - English - Romance - … - id: 123`), with the title
and the author just above it. The page's menus before the card and its review form after
the story are dropped and listed; the chapter's text runs from below the card to the
chapter menu repeated (or the first end line)."""

from __future__ import annotations

import re

from ficbook.convert.context import Context, quote
from ficbook.readers.layouts.fields import store_field
from ficbook.readers.layouts.plan import ChapterPlan, Plan
from ficbook.readers.layouts.profiles import Profile

_LABELLED = re.compile(r"^([A-Za-z][A-Za-z ]{0,20}):\s*(.*)$")
_COUNTS = {"words", "reviews", "favs", "follows", "chapters"}


def read_cardline(lines: list[str], profile: Profile, ctx: Context) -> Plan:
    plan = Plan(find_chapters=True)
    card = profile.pattern("card")
    found = next(((i, m) for i, line in enumerate(lines) if card is not None and (m := card.match(line.strip()))),
                 None)
    if found is None:  # forced on a file without the card: the whole text is the story
        plan.chapters.append(ChapterPlan(None, body=list(range(len(lines)))))
        return plan
    card_at, m = found
    _card_fields(m, profile, plan, ctx, card_at + 1)
    top = _above(lines, card_at, profile, plan, ctx)
    _dropped(ctx, lines, range(0, top), "the page above the story")
    skip = profile.pattern("skip")
    start = card_at + 1
    while start < len(lines) and (not lines[start].strip() or
                                  (skip is not None and skip.match(lines[start].strip()))):
        if lines[start].strip():
            ctx.report("info", "chrome-dropped", quote(lines[start].strip()), start + 1)
        start += 1
    title = str(plan.fields.get("title") or "")
    while start < len(lines) and (not lines[start].strip() or _same(lines[start], title)):
        if lines[start].strip():
            ctx.report("info", "chrome-dropped", f"title repeated {quote(lines[start].strip())}",
                       start + 1)
        start += 1
    ends = profile.patterns("end")
    end = next((i for i in range(start, len(lines))
                if ends is not None and ends.match(lines[i].strip())), len(lines))
    _dropped(ctx, lines, range(end, len(lines)), "the page below the story")
    plan.chapters.append(ChapterPlan(None, body=list(range(start, end))))
    return plan


def _card_fields(m: re.Match[str], profile: Profile, plan: Plan, ctx: Context, line: int) -> None:
    store_field(plan, "Rated", "rating", m.group("rating"), ctx, line)
    store_field(plan, "Language", "language", m.group("language"), ctx, line)
    genres = set(profile.get("genres") or ())
    for token in (t.strip() for t in m.group("rest").split(" - ")):
        lm = _LABELLED.match(token)
        if lm:
            label, value = lm.group(1).strip(), lm.group(2).strip()
            key = label.lower()
            if key == "published":
                store_field(plan, label, "published", value, ctx, line)
            elif key in _COUNTS or key in ("updated", "id"):
                ctx.report("info", "header-field", f"read {quote(token)}", line)
            else:
                store_field(plan, label, "extra", value, ctx, line)
        elif token == "Complete":
            store_field(plan, "Status", "status", "Complete", ctx, line)
        elif token and all(g in genres for g in token.split("/")) or token in genres:
            plan.fields["genres"] = tuple(token.split("/")) if token not in genres else (token,)
            ctx.report("info", "header-field", f"genres: {quote(token)}", line)
        elif token:
            _characters(token, plan, ctx, line)
    if "status" not in plan.fields:
        plan.fields["status"] = "In progress"
    url = profile.get("source")
    if url:
        plan.fields["source"] = url.format(id=m.group("id"))


def _characters(token: str, plan: Plan, ctx: Context, line: int) -> None:
    """`[Harry P., Ginny W.] Ron W.`: bracketed groups are pairings, all are characters."""
    pairs = re.findall(r"\[([^\]]+)\]", token)
    names = [n.strip() for n in re.split(r",|\[|\]| & ", token) if n.strip()]
    plan.fields["characters"] = tuple(names)
    if pairs:
        plan.fields["pairings"] = tuple("/".join(n.strip() for n in p.split(",")) for p in pairs)
    ctx.report("info", "header-field", f"characters: {quote(token)}", line)


def _above(lines: list[str], card_at: int, profile: Profile, plan: Plan, ctx: Context) -> int:
    """Title, author and summary in the few lines above the card; the first line of them."""
    title_re, author_re = profile.pattern("title"), profile.pattern("author")
    top = card_at
    seen = 0
    summary: list[int] = []
    i = card_at - 1
    while i >= 0 and seen < 6:
        s = lines[i].strip()
        if not s:
            i -= 1
            continue
        seen += 1
        if author_re is not None and (m := author_re.match(s)) and "authors" not in plan.fields:
            store_field(plan, "By", "authors", m.group("author"), ctx, i + 1)
            plan.summary.extend(summary)
            summary = []
            top = i
        elif title_re is not None and (m := title_re.match(s)) and "title" not in plan.fields:
            title = m.group("title") or m.group("crumb")
            store_field(plan, "Title", "title", title.strip(), ctx, i + 1)
            top = i
            fandom = m.groupdict().get("fandom")
            above = next((k for k in range(i - 1, max(i - 4, -1), -1) if lines[k].strip()), None)
            fandom_re = profile.pattern("fandom")
            if not fandom and above is not None and fandom_re is not None \
                    and (fm := fandom_re.match(lines[above].strip())):
                fandom, top = fm.group("fandom"), above
            if fandom:
                plan.fields["fandoms"] = (fandom.strip(),)
                ctx.report("info", "header-field", f"fandoms: {quote(fandom.strip())}", i + 1)
            if "authors" not in plan.fields and i + 1 < card_at:
                # the mobile page: the author's name on the line under the crumb
                nxt = next((k for k in range(i + 1, card_at) if lines[k].strip()), None)
                if nxt is not None and len(lines[nxt].strip()) <= 40:
                    store_field(plan, "By", "authors", lines[nxt].strip(), ctx, nxt + 1)
            break
        elif "authors" not in plan.fields:
            summary.insert(0, i)  # between the author and the card: the summary
        i -= 1
    plan.summary.sort()
    return top


def _dropped(ctx: Context, lines: list[str], span: range, what: str) -> None:
    idx = [i for i in span if lines[i].strip()]
    if idx:
        ctx.report("info", "chrome-dropped",
                   f"{what}: lines {idx[0] + 1}–{idx[-1] + 1} ({len(idx)} lines) from "
                   f"{quote(lines[idx[0]].strip(), 50)}", idx[0] + 1)


def _same(line: str, title: str) -> bool:
    def norm(s: str) -> str:
        return " ".join(s.replace("’", "'").split()).lower().strip(" .!")
    return bool(title) and norm(line) == norm(title)
