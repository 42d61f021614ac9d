"""`ficbook inspect FILE`: what the converter found in one story file, as a person reads it."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated, Any

import typer

_REPAIR_CODES = ("stripped-tag", "mojibake", "emphasis", "typography", "scene-glyph")
# Structure decisions on text from outside: where a note was cut, a paragraph split, a
# blank-line run not taken as a break… (each with its line)
DECISION_CODES = ("note-cut", "note-kept", "glued-split", "glued-break", "blank-run", "lines-kept", "drop-cap",
                  "heading-joined", "part", "end-marker", "dedication", "byline", "page-number")


def inspect(
    file: Annotated[Path, typer.Argument(help="A story file (text, HTML or EPUB).")],
    as_json: Annotated[bool, typer.Option("--json", help="Print the same report as JSON.")] = False,
    encoding: Annotated[str | None, typer.Option(help="Read the file in this encoding.")] = None,
    off: Annotated[list[str] | None, typer.Option(
        "--off", help="Switch a rule off (repeatable), as a recipe's `rules:` would.")] = None,
    notes_after: Annotated[str | None, typer.Option(
        help="First words of an unlabelled note after the story.")] = None,
    notes_before: Annotated[str | None, typer.Option(
        help="First words of the story after an unlabelled note.")] = None,
) -> None:
    """Show what the converter found: encoding, paragraph style, header fields, notes,
    chrome dropped, chapters, scene breaks, epigraphs, repairs and warnings.

    [bold]Examples[/bold]

      ficbook inspect stories/001.txt

      ficbook inspect story.txt --off typography --json
    """
    from ficbook.cli.output import report_error
    from ficbook.convert import RULE_NAMES, ConvertOptions
    from ficbook.errors import ExitCode, FicbookError
    from ficbook.readers import read_story
    from ficbook.readers.source import read_source

    unknown = [name for name in off or () if name not in RULE_NAMES]
    if unknown:
        print(f"ficbook: unknown rule {', '.join(unknown)}; rules are: {', '.join(RULE_NAMES)}",
              file=sys.stderr)
        raise typer.Exit(int(ExitCode.USAGE))
    options = ConvertOptions(encoding=encoding, rules=tuple((n, False) for n in off or ()),
                             notes_after=notes_after, notes_before=notes_before)
    try:
        result = read_story(read_source(file), options)
    except FicbookError as exc:
        report_error(exc)
        raise typer.Exit(int(exc.exit_code)) from None
    data = report(result)
    if as_json:
        import json

        json.dump(data, sys.stdout, ensure_ascii=False, indent=2)
        sys.stdout.write("\n")
    else:
        show(data)


def report(result: Any) -> dict[str, Any]:
    """The converter's findings as plain data (what `--json` prints)."""
    from ficbook.model import Epigraph, Note, Paragraph, SceneBreak
    from ficbook.text import block_text, count_words, story_words

    story = result.story
    diags = result.diagnostics

    def note(n: Note) -> dict[str, Any]:
        return {"kind": n.kind, "label": n.label, "line": n.line,
                "words": count_words(n), "text": block_text(n)}

    def first(code: str) -> str | None:
        return next((d.message for d in diags if d.code == code), None)

    meta = story.meta
    chapters = []
    for ch in story.chapters:
        chapters.append({
            "title": ch.title, "line": ch.line,
            "paragraphs": sum(isinstance(b, Paragraph) for b in ch.blocks),
            "words": sum(count_words(b) for b in ch.blocks if not isinstance(b, Note)),
            "scene_breaks": [b.line for b in ch.blocks if isinstance(b, SceneBreak)],
            "epigraphs": [{"line": b.line, "text": block_text(b)} for b in ch.blocks
                          if isinstance(b, Epigraph)],
            "notes": [note(b) for b in ch.blocks if isinstance(b, Note)],
            "summary": [block_text(b) for b in ch.summary],
        })
    return {
        "file": story.path,
        "encoding": first("encoding"),
        "layout": first("layout"),
        "paragraph_style": first("paragraph-style"),
        "language": (first("language") or "").removeprefix("language: ") or None,
        "meta": {
            "title": meta.title, "authors": list(meta.authors), "rating": meta.rating,
            "fandoms": list(meta.fandoms), "pairings": list(meta.pairings),
            "characters": list(meta.characters), "warnings": list(meta.warnings),
            "genres": list(meta.genres), "tags": list(meta.tags), "status": meta.status,
            "series": meta.series, "language": meta.language, "published": meta.published,
            "extra": [list(kv) for kv in meta.extra],
        },
        "words": story_words(story.chapters, story.meta.language),
        "summary": [block_text(b) for b in story.summary],
        "front_notes": [note(n) for n in story.front_notes],
        "end_notes": [note(n) for n in story.end_notes],
        "chapters": chapters,
        "header": [{"line": d.line, "message": d.message} for d in diags
                   if d.code in ("header-field", "summary", "disclaimer", "feedback",
                                 "dedication")],
        "chapter_headings": [{"line": d.line, "message": d.message} for d in diags
                             if d.code == "chapter"],
        "chrome_dropped": [{"line": d.line, "message": d.message} for d in diags
                           if d.code == "chrome-dropped"],
        "repairs": [{"code": d.code, "line": d.line, "message": d.message} for d in diags
                    if d.code in _REPAIR_CODES],
        "decisions": [{"code": d.code, "line": d.line, "message": d.message} for d in diags
                      if d.code in DECISION_CODES],
        "warnings": [{"code": d.code, "line": d.line, "message": d.message} for d in diags
                     if d.severity != "info"],
        "diagnostics": [{"severity": d.severity, "code": d.code, "line": d.line,
                         "message": d.message} for d in diags],
    }


def show(data: dict[str, Any]) -> None:
    from rich.console import Console
    from rich.table import Table
    from rich.text import Text

    from ficbook.language import counts_characters

    console = Console(highlight=False)
    console.print(Text(data["file"], style="bold"))
    console.print(f"  encoding         {data['encoding'] or '?'}")
    console.print(f"  paragraphs       {data['paragraph_style'] or '?'}")
    console.print(Text(f"  layout           {data['layout'] or 'none recognised'}"))
    console.print(f"  language         {data.get('language') or '?'}")
    unit = "characters" if counts_characters(data["meta"].get("language")) else "words"
    console.print(f"  {unit:<16} {data['words']:,} in {len(data['chapters'])} "
                  f"chapter{'s' if len(data['chapters']) != 1 else ''}")

    card = Table(title="Story card", title_justify="left", show_header=False, box=None,
                 padding=(0, 2))
    for key, value in data["meta"].items():
        if key == "extra":
            for label, text in value:
                card.add_row(Text(label, style="cyan"), Text(text))
        elif value:
            card.add_row(Text(key, style="cyan"), Text(", ".join(value) if isinstance(value, list)
                                                       else str(value)))
    for text in data["summary"]:
        card.add_row(Text("summary", style="cyan"), Text(text))
    console.print()
    console.print(card)

    notes = [("before", n) for n in data["front_notes"]] + \
            [(f"chapter {i}", n) for i, ch in enumerate(data["chapters"], 1) for n in ch["notes"]] + \
            [("after", n) for n in data["end_notes"]]
    if notes:
        t = Table(title="Set apart", title_justify="left", box=None, padding=(0, 2))
        for col in ("where", "line", "kind", "label", "words", "text"):
            t.add_column(col)
        for where, n in notes:
            t.add_row(where, str(n["line"] or ""), n["kind"], n["label"] or "", str(n["words"]),
                      Text(_short(n["text"])))
        console.print()
        console.print(t)

    t = Table(title="Chapters", title_justify="left", box=None, padding=(0, 2))
    for col in ("#", "line", "title", "paragraphs", "words", "scene breaks (lines)", "epigraphs"):
        t.add_column(col)
    for i, ch in enumerate(data["chapters"], 1):
        t.add_row(str(i), str(ch["line"] or ""), Text(ch["title"] or "—"), str(ch["paragraphs"]),
                  f"{ch['words']:,}",
                  f"{len(ch['scene_breaks'])}" + (f" ({', '.join(map(str, ch['scene_breaks']))})"
                                                  if ch["scene_breaks"] else ""),
                  Text("; ".join(_short(e["text"], 50) for e in ch["epigraphs"])))
    console.print()
    console.print(t)

    for title, rows, style in (("Header fields", data["header"], ""),
                               ("Chapter headings", data["chapter_headings"], ""),
                               ("Archive lines dropped", data["chrome_dropped"], "dim"),
                               ("Repairs", data["repairs"], ""),
                               ("Decisions", data["decisions"], ""),
                               ("Warnings", data["warnings"], "yellow")):
        if not rows:
            continue
        console.print()
        console.print(Text(title, style="italic"))
        for d in rows:
            where = f"line {d['line']}" if d["line"] else ""
            console.print(Text(f"  {where:>9}  {d['message']}", style=style))


def _short(text: str, limit: int = 70) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[:limit - 1] + "…"
