"""Score ficbook against the field corpus: one row per real file, a column per check.

For each entry of field/corpus.yaml the file in field/corpus/ is built into a one-story
book through ficbook's command line (a recipe in a temporary folder); the EPUB is opened
and each expectation written down in corpus.yaml is checked:

  title, author   the story card's h1.story-title and p.story-author
  chapters        the story's chapter files (nav entries), exact or [min, max]
  stay            snippets (first and last sentences included) in the chapters (body or heading)
  apart           snippets inside aside.author-note / .disclaimer / .summary / the card
  not_body        snippets that must not be in the body (front or back matter): set apart or dropped
  chrome          snippets found nowhere in the book (site furniture, licences)
  kept            body words / source words >= min_kept
  empty           no chapter without body text
  moved           no stay snippet found in a card, note, disclaimer or summary instead of
                  the body: story text moved out of the story, the most serious failure

Usage: python field/score.py [--only ID] [--json FILE] [--ficbook CMD]
A file ficbook refuses is a result too (its exit code and message), never a crash.
Exit 0 always when the run itself worked; the table is the verdict.
"""
from __future__ import annotations

import argparse
import io
import json
import posixpath
import re
import shlex
import subprocess
import sys
import tempfile
import unicodedata
import warnings
import zipfile
from dataclasses import asdict, dataclass, field
from pathlib import Path

from bs4 import BeautifulSoup, XMLParsedAsHTMLWarning

sys.path.insert(0, str(Path(__file__).resolve().parent))
from fetch import flatten, load_corpus, target_path  # noqa: E402

warnings.filterwarnings("ignore", category=XMLParsedAsHTMLWarning)
HERE = Path(__file__).resolve().parent
REPO = HERE.parent
SET_APART = ("author-note", "disclaimer", "summary", "story-card")
CHECKS = ("build", "title", "author", "chapters", "stay", "apart", "not_body", "chrome", "kept", "empty",
          "moved")


@dataclass(frozen=True)
class Check:
    name: str
    ok: bool | None  # None: nothing to check
    reason: str = ""


@dataclass(frozen=True)
class Result:
    id: str
    layout: str
    language: str
    exit_code: int | None
    checks: tuple[Check, ...] = field(default_factory=tuple)

    def check(self, name: str) -> Check | None:
        return next((c for c in self.checks if c.name == name), None)

    @property
    def failed(self) -> list[Check]:
        return [c for c in self.checks if c.ok is False]


@dataclass(frozen=True)
class Book:
    title: str
    author: str
    chapters: tuple[str, ...]  # body text of each chapter, set-apart blocks and headings removed
    headings: str  # the chapter headings: story text too (a chapter's own title)
    apart: str  # text of every set-apart block (card, notes, disclaimers, summaries)
    everything: str  # all text of the story's files


# ---------------------------------------------------------------- text helpers

_QUOTES = str.maketrans({
    "‘": "'", "’": "'", "‚": "'", "‛": "'", "′": "'", "`": "'",
    "“": '"', "”": '"', "„": '"', "‟": '"', "″": '"', "«": '"', "»": '"',
    "—": "-", "–": "-", "‐": "-", "‑": "-", "―": "-", "\u00a0": " ", "\u202f": " ",
    "\u2009": " ", "\u2060": "",
})


def norm(text: str) -> str:
    """Compare text the way a reader does: typography, case and spacing ignored."""
    text = unicodedata.normalize("NFKC", text).translate(_QUOTES).replace("…", "...")
    text = re.sub(r"\s*-+\s*", "-", text)
    text = re.sub(r'\s+([,.;:!?"\'])', r"\1", text)
    return re.sub(r"\s+", " ", text).casefold().strip()


def words(text: str) -> int:
    return len(text.split())


def source_text(path: Path) -> str:
    raw = path.read_bytes()
    if path.suffix in (".html", ".htm"):
        return flatten(raw, visible_only=True).decode("utf-8")
    if path.suffix == ".epub":
        with zipfile.ZipFile(io.BytesIO(raw)) as z:
            return "\n".join(flatten(z.read(n), True).decode("utf-8")
                             for n in sorted(z.namelist()) if n.endswith(("html", "htm")))
    if path.suffix == ".docx":
        with zipfile.ZipFile(io.BytesIO(raw)) as z:
            xml = z.read("word/document.xml").decode("utf-8")
        return re.sub(r"<[^>]+>", " ", xml.replace("</w:p>", "\n"))
    return raw.decode("utf-8", errors="replace")


# ---------------------------------------------------------------- running ficbook

def build(entry: dict, ficbook: list[str], work: Path) -> tuple[int, str, Path | None]:
    story = target_path(entry).resolve()
    recipe = work / "field.yaml"
    lang = entry.get("language", "en")
    recipe.write_text(
        f"title: Field {entry['id']}\nlanguage: {lang}\ndate: 2024-01-01\n"
        f"stories:\n  - path: {json.dumps(str(story))}\n", encoding="utf-8")
    try:
        command = [*ficbook, "build", str(recipe), "--out", str(work / "out"), "--quiet", "--force"]
        run = subprocess.run(command, capture_output=True, text=True, timeout=600)
    except subprocess.TimeoutExpired:
        return -1, "timed out after 600 s", None
    books = sorted((work / "out").glob("*.epub"))
    message = (run.stderr.strip() or run.stdout.strip()).splitlines()
    return run.returncode, (message[-1] if message else ""), (books[0] if books else None)


def read_book(epub: Path) -> Book:
    """Read the one story of a field book by the markup contract: spine, nav and classes."""
    with zipfile.ZipFile(epub) as z:
        opf_name = re.search(r'full-path="([^"]+)"', z.read("META-INF/container.xml").decode()).group(1)
        opf = BeautifulSoup(z.read(opf_name), "xml")
        root = str(Path(opf_name).parent)
        files = {i["id"]: i["href"] for i in opf.find_all("item")}
        nav_href = next(i["href"] for i in opf.find_all("item") if "nav" in i.get("properties", "").split())
        spine = [files[r["idref"]] for r in opf.find_all("itemref")]
        docs = {href: BeautifulSoup(z.read(f"{root}/{href}".lstrip("/")), "lxml") for href in spine}
        nav = BeautifulSoup(z.read(f"{root}/{nav_href}".lstrip("/")), "lxml")
    card_href = next(h for h in spine if docs[h].select_one("section.story-card"))
    story = spine[spine.index(card_href) + 1:]
    story = [h for h in story if docs[h].select_one("section.chapter")]
    # Chapter starts: the nav entries nested under the story's entry, else one chapter.
    nav_dir = posixpath.dirname(nav_href)

    def target(a) -> str:  # a nav link's document, as the OPF names it
        return posixpath.normpath(posixpath.join(nav_dir, a["href"].split("#")[0]))

    entries = [a.find_parent("li") for a in nav.select("nav a") if target(a) == card_href]
    entry = next((li for li in entries if li.find("ol")), None)  # the story's entry, chapters nested
    starts = {target(a) for a in entry.select("ol a")} if entry else set()
    card = docs[card_href]
    title, author = card.select_one(".story-title"), card.select_one(".story-author")
    apart, everything, chapters, headings = [card.get_text(" ")], [card.get_text(" ")], [], []
    for href in story:
        page = docs[href]
        everything.append(page.get_text(" "))
        for el in page.select(", ".join(f".{c}" for c in SET_APART)):
            apart.append(el.get_text(" "))
            el.decompose()
        for el in page.select("h1, h2.chapter-title"):
            headings.append(el.get_text(" "))
            el.decompose()
        if not chapters or href in starts:
            chapters.append("")
        chapters[-1] += "\n" + page.get_text(" ")
    return Book(
        title=title.get_text(" ").strip() if title else "",
        author=author.get_text(" ").strip() if author else "",
        chapters=tuple(chapters), headings="\n".join(headings), apart="\n".join(apart),
        everything="\n".join(everything))


# ---------------------------------------------------------------- the checks

def _missing(snippets, haystack: str) -> list[str]:
    hay = norm(haystack)
    return [s for s in snippets if norm(s) not in hay]


def _short(items: list[str], n: int = 2) -> str:
    shown = ", ".join(f"“{s[:40]}”" for s in items[:n])
    return shown + (f" +{len(items) - n}" if len(items) > n else "")


def check_book(entry: dict, book: Book, source_words: int) -> tuple[Check, ...]:
    exp = entry["expect"]
    body = "\n".join((*book.chapters, book.headings))  # the story's text: headings included
    stay = [s for s in (exp.get("first"), exp.get("last"), *exp.get("stay", [])) if s]
    checks = []
    if "title" in exp:
        ok = norm(exp["title"]) in norm(book.title)
        checks.append(Check("title", ok, "" if ok else f"card says “{book.title[:50]}”"))
    if "author" in exp:
        ok = norm(exp["author"]) in norm(book.author)
        checks.append(Check("author", ok, "" if ok else f"card says “{book.author[:40]}”"))
    if "chapters" in exp:
        want = exp["chapters"]
        low, high = (want, want) if isinstance(want, int) else want
        n = len(book.chapters)
        ok = low <= n <= high
        checks.append(Check("chapters", ok, "" if ok else f"{n}, expected {want}"))
    lost = _missing(stay, body)
    checks.append(Check("stay", not lost, f"not in body: {_short(lost)}" if lost else ""))
    moved = [s for s in stay if s in lost and not _missing([s], book.apart)]
    checks.append(Check("moved", not moved, f"in card/notes: {_short(moved)}" if moved else ""))
    if exp.get("apart"):
        loose = _missing(exp["apart"], book.apart)
        checks.append(Check("apart", not loose, f"not set apart: {_short(loose)}" if loose else ""))
    if exp.get("not_body"):
        inside = [s for s in exp["not_body"] if not _missing([s], body)]
        checks.append(Check("not_body", not inside, f"in body: {_short(inside)}" if inside else ""))
    if exp.get("chrome"):
        whole = "\n".join((book.everything, book.title, book.author))
        kept = [s for s in exp["chrome"] if not _missing([s], whole)]
        checks.append(Check("chrome", not kept, f"kept: {_short(kept)}" if kept else ""))
    if "min_kept" in exp:
        share = words(body) / max(1, source_words)
        ok = share >= exp["min_kept"]
        checks.append(Check("kept", ok, f"{share:.0%} of source words, want ≥{exp['min_kept']:.0%}"))
    empty = [i + 1 for i, text in enumerate(book.chapters) if not text.strip()]
    checks.append(Check("empty", not empty, f"empty chapter(s) {empty[:5]}" if empty else ""))
    return tuple(checks)


def score(entry: dict, ficbook: list[str]) -> Result:
    path = target_path(entry)
    base = dict(id=entry["id"], layout=entry["layout"], language=entry.get("language", "?"))
    if not path.exists():
        missing = Check("build", False, "file missing: run field/fetch.py")
        return Result(**base, exit_code=None, checks=(missing,))
    exp = entry["expect"]
    with tempfile.TemporaryDirectory(prefix="field-") as tmp:
        code, message, epub = build(entry, ficbook, Path(tmp))
        if exp.get("no_story"):
            ok = code != 0 or epub is None
            why = f"exit {code}: {message[:60]}" if ok else "built a book from a page with no story"
            return Result(**base, exit_code=code, checks=(Check("build", ok, why),))
        if code != 0 or epub is None:
            refused = Check("build", False, f"exit {code}: {message[:70]}")
            return Result(**base, exit_code=code, checks=(refused,))
        book = read_book(epub)
    checks = (Check("build", True), *check_book(entry, book, words(source_text(path))))
    return Result(**base, exit_code=code, checks=checks)


# ---------------------------------------------------------------- the table

def table(results: list[Result]) -> str:
    cols = [c for c in CHECKS if any(r.check(c) for r in results)]
    width = max(len(r.id) for r in results)
    head = f"{'file':<{width}}  {'layout':<17} lang " + " ".join(f"{c[:8]:^8}" for c in cols) + "  reason"
    lines = [head, "-" * len(head)]
    for r in results:
        marks = []
        for c in cols:
            chk = r.check(c)
            marks.append(f"{'' if chk is None or chk.ok is None else ('✓' if chk.ok else '✗'):^8}")
        reasons = "; ".join(f"{c.name}: {c.reason}" for c in r.failed)
        lines.append(f"{r.id:<{width}}  {r.layout:<17} {r.language:<4} " + " ".join(marks) + f"  {reasons}")
    lines.append("")
    lines.append(totals(results))
    return "\n".join(lines)


def totals(results: list[Result]) -> str:
    wrong = [r for r in results if r.failed]
    per = {c: sum(1 for r in results if (k := r.check(c)) and k.ok is False) for c in CHECKS}
    scored = {c: sum(1 for r in results if (k := r.check(c)) and k.ok is not None) for c in CHECKS}
    moved = per["moved"]
    out = [f"files: {len(results)}   all checks right: {len(results) - len(wrong)}"
           f"   some check wrong: {len(wrong)}",
           "wrong per check: " + ", ".join(f"{c} {per[c]}/{scored[c]}" for c in CHECKS if scored[c]),
           f"files with story text moved out of the story: {moved}"]
    return "\n".join(out)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--only", help="score one entry by id")
    ap.add_argument("--json", type=Path, help="also write the results to this file")
    ap.add_argument("--ficbook", default=str(REPO / ".venv" / "bin" / "ficbook"),
                    help="the ficbook command (default: .venv/bin/ficbook)")
    args = ap.parse_args(argv)
    entries = [e for e in load_corpus() if not args.only or e["id"] == args.only]
    if not entries:
        print(f"no entry {args.only!r} in field/corpus.yaml")
        return 2
    ficbook = shlex.split(args.ficbook)
    results = []
    for entry in entries:
        results.append(score(entry, ficbook))
        print(f"  scored {entry['id']}", file=sys.stderr)
    print(table(results))
    if args.json:
        data = json.dumps([asdict(r) for r in results], ensure_ascii=False, indent=1)
        args.json.write_text(data, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
