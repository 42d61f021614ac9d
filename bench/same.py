"""The converter's safety net for speed work: the same inputs give the same output.

Converts a fixed set of story files under several rule settings and records one digest
per (file, settings) of the whole `ConvertResult` (the story, every field of every block,
image bytes included, and the diagnostics), so that a change meant to make conversion
cheaper can be checked to change nothing at all.

    .venv/bin/python bench/same.py --out /tmp/same-before.json      # at the old commit
    .venv/bin/python bench/same.py --compare /tmp/same-before.json  # after the change

Inputs: the sample stories (stories/), the story fixtures under tests/, the field corpus
(field/corpus/, when `make field` has fetched it) and a synthetic library from
bench/synth.py (`--synth N` stories, written under --work). The digests do not depend on
the process (no id()s, no set order, no hash seed): a canonical walk of the dataclasses.
`--dump DIR` also writes each result's canonical text, to diff two runs' dumps.
Also the check that the compiled converter (ficbook.native) gives what the source gives:
tests/test_native.py runs it both ways.
"""

from __future__ import annotations

import argparse
import dataclasses
import hashlib
import json
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(Path(__file__).resolve().parent))

STORY_SUFFIXES = {".txt", ".html", ".htm", ".xhtml", ".epub", ".md", ".docx", ".odt", ".fb2"}

# Rule settings: name -> ConvertOptions keyword arguments. Chosen to reach the rules'
# switched-off paths, the shared inline walk with and without its skippable rules, and
# the language and layout choices.
SETTINGS: dict[str, dict] = {
    "default": {},
    "book-en": {"book_language": "en"},
    "lang-fr": {"language": "fr"},
    "no-typography": {"rules": (("typography", False),)},
    "close-dashes": {"rules": (("close_dashes", True),)},
    "no-inline-marks": {"rules": (("emphasis", False), ("stripped_tags", False))},
    "no-structure": {"rules": (("author_notes", False), ("chapters", False), ("header", False),
                               ("unwrap", False))},
    "all-off": {"rules": "ALL_OFF"},
    "layout-none": {"layout": "none", "boilerplate": "keep"},
}
# The synthetic library is large and uniform: a few settings are enough for it.
SYNTH_SETTINGS = ("default", "no-typography", "all-off")


def canon(value):
    """A process-independent nested structure of plain values for any result."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return (type(value).__name__,
                tuple((f.name, canon(getattr(value, f.name))) for f in dataclasses.fields(value)))
    if isinstance(value, (tuple, list)):
        return tuple(canon(v) for v in value)
    if isinstance(value, dict):
        return tuple(sorted((repr(k), canon(v)) for k, v in value.items()))
    if isinstance(value, (set, frozenset)):
        return tuple(sorted(repr(canon(v)) for v in value))
    if isinstance(value, bytes):
        return ("bytes", hashlib.sha256(value).hexdigest())
    if value is None or isinstance(value, (str, int, float, bool)):
        return value
    raise TypeError(f"no canonical form for {type(value).__name__}")


def inputs(synth_dir: Path | None, synth_count: int) -> list[tuple[Path, tuple[str, ...]]]:
    """(file, names of the settings to run it under), in a fixed order."""
    found: list[Path] = []
    for folder in ("stories", "tests", "field/corpus"):
        for path in sorted((ROOT / folder).rglob("*")):
            if (path.is_file() and path.suffix.lower() in STORY_SUFFIXES
                    and "golden" not in path.parts and "__pycache__" not in path.parts):
                found.append(path)
    out = [(p, tuple(SETTINGS)) for p in found]
    if synth_dir is not None and synth_count:
        import synth

        out += [(p, SYNTH_SETTINGS) for p in synth.make_stories(synth_dir, synth_count, 55_000)]
    return out


def options_for(name: str):
    from ficbook.convert import RULE_NAMES, ConvertOptions

    kw = dict(SETTINGS[name])
    if kw.get("rules") == "ALL_OFF":
        kw["rules"] = tuple((r, False) for r in RULE_NAMES)
    return ConvertOptions(**kw)


def convert(path: Path, setting: str) -> str:
    """The canonical text of one conversion (or of the error it gives)."""
    from ficbook.errors import FicbookError
    from ficbook.readers import read_story
    from ficbook.readers.source import read_source

    display = str(path.relative_to(ROOT)) if path.is_relative_to(ROOT) else path.name
    try:
        result = read_story(read_source(path, display=display), options_for(setting))
    except FicbookError as exc:
        return repr(("error", type(exc).__name__, str(exc)))
    return repr(canon(result))


def run(items, dump: Path | None) -> dict[str, str]:
    digests: dict[str, str] = {}
    for path, settings in items:
        key_path = path.relative_to(ROOT).as_posix() if path.is_relative_to(ROOT) else "synth/" + path.name
        for setting in settings:
            text = convert(path, setting)
            key = f"{key_path} [{setting}]"
            digests[key] = hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()
            if dump is not None:
                target = dump / (key.replace("/", "__").replace(" ", "") + ".txt")
                target.write_text(text.replace("), (", "),\n("), "utf-8", "surrogatepass")
    return digests


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", type=Path, help="write the digests to this JSON file")
    ap.add_argument("--compare", type=Path, help="compare with the digests in this JSON file")
    ap.add_argument("--synth", type=int, default=60, help="synthetic stories (0: none)")
    ap.add_argument("--work", type=Path, default=Path(tempfile.gettempdir()) / "ficbook-same")
    ap.add_argument("--only", help="only inputs whose path contains this")
    ap.add_argument("--settings", help="only these rule settings (comma-separated names)")
    ap.add_argument("--dump", type=Path, help="also write each result's canonical text here")
    args = ap.parse_args()
    items = inputs(args.work / "stories", args.synth)
    if args.only:
        items = [(p, s) for p, s in items if args.only in str(p)]
    if args.settings:
        wanted = args.settings.split(",")
        items = [(p, tuple(n for n in s if n in wanted)) for p, s in items]
    if args.dump:
        args.dump.mkdir(parents=True, exist_ok=True)
    start = time.perf_counter()
    digests = run(items, args.dump)
    print(f"{len(digests)} conversions of {len(items)} files in {time.perf_counter() - start:.1f} s")
    if args.out:
        args.out.write_text(json.dumps(digests, indent=1, sort_keys=True) + "\n", "utf-8")
    if args.compare:
        old = json.loads(args.compare.read_text("utf-8"))
        if args.only or args.settings:
            old = {k: v for k, v in old.items() if k in digests}
        changed = sorted(k for k in digests.keys() & old.keys() if digests[k] != old[k])
        missing, added = sorted(old.keys() - digests.keys()), sorted(digests.keys() - old.keys())
        for key in changed:
            print(f"CHANGED  {key}")
        for key in missing:
            print(f"MISSING  {key}")
        for key in added:
            print(f"NEW      {key}")
        same = len(digests.keys() & old.keys()) - len(changed)
        print(f"{same} same, {len(changed)} changed, {len(missing)} missing, {len(added)} new")
        raise SystemExit(1 if changed or missing or added else 0)


if __name__ == "__main__":
    main()
