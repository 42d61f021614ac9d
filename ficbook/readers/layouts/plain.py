"""The `plain` engine: a post whose own header lines the generic header rule reads, with
the site's furniture around it: user links to rewrite (`[info]name` -> `name`), whole
lines to drop (the cut, share links) and a footer from which the rest is the site's
(`Current Mood:`, the comment links). LiveJournal and Dreamwidth posts are read so."""

from __future__ import annotations

import re

from ficbook.convert.context import Context, quote
from ficbook.readers.layouts.plan import ChapterPlan, Plan
from ficbook.readers.layouts.profiles import Profile


def read_plain(lines: list[str], profile: Profile, ctx: Context) -> Plan:
    plan = Plan(find_chapters=True)
    rewrites = [(re.compile(r["pattern"]), r["to"]) for r in profile.get("rewrite") or ()]
    chrome = profile.whole_line("chrome")
    footer = profile.patterns("footer")
    extra_labels = {k.lower(): v for k, v in (profile.get("footer_fields") or {}).items()}
    n = len(lines)
    # the footer: the first footer line in the last part of the post; the rest is the site's
    end = n
    if footer is not None:
        for i in range(max(0, n - 200), n):
            if footer.match(lines[i]):
                end = i
                break
    body: list[int] = []
    for i in range(end):
        line = lines[i]
        s = " ".join(line.split())
        if chrome is not None and s and chrome.fullmatch(s):
            ctx.report("info", "chrome-dropped", quote(s), i + 1)
            continue
        for pattern, to in rewrites:
            if pattern.search(line):
                new = pattern.sub(to, line)
                ctx.report("info", "layout-rewrite", f"{quote(line.strip())} read as "
                                                     f"{quote(new.strip())}", i + 1)
                line = plan.replaced[i] = new
        body.append(i)
    for i in range(end, n):
        s = " ".join(lines[i].split())
        if not s:
            continue
        m = re.match(r"^([A-Za-z ]{2,30}):\s*(.+)$", s)
        kind = extra_labels.get(m.group(1).lower()) if m else None
        if m and kind == "tags":
            plan.fields["tags"] = tuple(t.strip() for t in m.group(2).split(",") if t.strip())
            ctx.report("info", "header-field", f"tags: {quote(s)}", i + 1)
        elif m and kind == "extra":
            plan.extra.append((m.group(1), m.group(2)))
            ctx.report("info", "header-field", f"kept on the card: {quote(s)}", i + 1)
        else:
            ctx.report("info", "chrome-dropped", quote(s), i + 1)
    plan.chapters.append(ChapterPlan(None, body=body))
    return plan
