"""A card field a layout read (`Rating: Mature`, `Author: Name`) into the plan, reported
as the header rule reports its fields, so `ficbook inspect` lists them alike."""

from __future__ import annotations

import re

from ficbook.convert.context import Context, quote
from ficbook.readers.html.common import ao3_stats, language_code
from ficbook.readers.layouts.plan import Plan

_SPLIT = {
    "authors": r",|;|&| and ",
    "characters": r",|;",
    "genres": r",|;|/",
}
LIST_FIELDS = ("authors", "fandoms", "pairings", "characters", "warnings", "genres", "tags")


def store_field(plan: Plan, label: str, kind: str, value: str, ctx: Context, line: int) -> None:
    value = " ".join(value.split())
    shown = quote(f"{label}: {value}", 1000)
    f = plan.fields
    if kind == "published" and re.search(r"\b(?:Words|Chapters|Updated|Completed):", value):
        kind, value = "stats", f"{label}: {value}"  # the whole stats line, on one line
    if kind == "drop":
        ctx.report("info", "header-field", f"dropped {shown}", line)
    elif kind in LIST_FIELDS:
        items = tuple(v.strip() for v in re.split(_SPLIT.get(kind, r",|;"), value) if v.strip())
        f[kind] = tuple(f.get(kind, ())) + items
        ctx.report("info", "header-field", f"{kind}: {shown}", line)
    elif kind == "language":
        code = language_code(value)
        if code:
            f["language"] = code
            ctx.report("info", "header-field", f"language: {shown}", line)
        else:
            plan.extra.append((label, value))
            ctx.report("info", "header-field", f"kept on the card: {shown}", line)
    elif kind == "category":
        plan.extra.append(("Relationship type", value))
        ctx.report("info", "header-field", f"kept on the card: {shown}", line)
    elif kind == "series":
        m = re.match(r"Part\s+(\d+)\s+of\s+(.+?)(?:,\s*Part\s+\d+\s+of.*)?$", value)
        f["series"] = m.group(2).strip() if m else value
        plan.extra.append(("Series", value))
        ctx.report("info", "header-field", f"series: {shown}", line)
    elif kind == "stats":
        f.update(ao3_stats(value))
        ctx.report("info", "header-field", f"the book counts words itself; read {shown}", line)
    elif kind == "completed":
        f["status"] = "Complete"
        ctx.report("info", "header-field", f"status: {shown}", line)
    elif kind == "chapters":
        m = re.match(r"(\d+)\s*/\s*(\d+|\?)$", value)
        if m:
            f["status"] = "Complete" if m.group(1) == m.group(2) else "In progress"
        ctx.report("info", "header-field", f"the book counts chapters itself; read {shown}", line)
    elif kind == "extra":
        plan.extra.append((label, value))
        ctx.report("info", "header-field", f"kept on the card: {shown}", line)
    elif kind in f and f[kind] != value:
        plan.extra.append((label, value))
        ctx.report("info", "header-field", f"kept on the card: {shown}", line)
    else:
        f[kind] = value
        ctx.report("info", "header-field", f"{kind}: {shown}", line)
