"""Re-fetch the field corpus from local repository snapshots.

Each entry of field/corpus.yaml names a public repository, a commit and a path.
The file is read with git from the snapshot in /work/.mirror/<owner>+<name>/ and
written to field/corpus/<id>.<ext> (gitignored: the files are their authors' work).
Nothing here touches the network.

A few entries carry `transform:` to produce the text a reader gets by flattening a
real page (AO3's HTML download saved as text, a work page copied from a browser):

  text-of-html   every text node, <title> and <style> included, blocks on new lines
                 (what a "get all the text" tool makes of a saved HTML file)
  copy-of-page   the visible text only (no head, script or style), blocks on new lines
                 (what select-all and copy in a browser gives)

Usage: python field/fetch.py [--only ID] [--mirror DIR]
Exit 0 when every file is present, 1 otherwise.
"""
from __future__ import annotations

import argparse
import html.parser
import re
import subprocess
import sys
from pathlib import Path

from ruamel.yaml import YAML

HERE = Path(__file__).resolve().parent
MIRROR = Path("/work/.mirror")

BLOCKS = {
    "p", "div", "br", "h1", "h2", "h3", "h4", "h5", "h6", "li", "dt", "dd", "tr",
    "blockquote", "hr", "pre", "table", "ul", "ol", "dl", "section", "article",
    "header", "footer", "title", "style", "form", "center", "aside", "nav",
}


class _Flattener(html.parser.HTMLParser):
    def __init__(self, visible_only: bool) -> None:
        super().__init__(convert_charrefs=True)
        self.visible_only = visible_only
        self.skip = 0
        self.parts: list[str] = []

    def handle_starttag(self, tag, attrs):
        hidden = ("head", "script", "style", "noscript") if self.visible_only else ("script",)
        if tag in hidden:
            self.skip += 1
        if tag in BLOCKS:
            self.parts.append("\n")

    def handle_endtag(self, tag):
        hidden = ("head", "script", "style", "noscript") if self.visible_only else ("script",)
        if tag in hidden and self.skip:
            self.skip -= 1
        if tag in BLOCKS:
            self.parts.append("\n")

    def handle_data(self, data):
        if not self.skip:
            self.parts.append(re.sub(r"\s+", " ", data))


def flatten(raw: bytes, visible_only: bool) -> bytes:
    text = raw.decode("utf-8", errors="replace")
    parser = _Flattener(visible_only)
    parser.feed(text)
    parser.close()
    lines = [line.strip() for line in "".join(parser.parts).split("\n")]
    out: list[str] = []
    for line in lines:
        if line or (out and out[-1]):
            out.append(line)
    return ("\n".join(out).strip() + "\n").encode("utf-8")


TRANSFORMS = {
    "text-of-html": lambda raw: flatten(raw, visible_only=False),
    "copy-of-page": lambda raw: flatten(raw, visible_only=True),
}


def snapshot_dir(mirror: Path, repo: str) -> Path:
    """The snapshot's git directory: `repo` itself (bare) or `repo/.git`, as the fetch
    tool has left it."""
    bare = mirror / repo.replace("/", "+") / "repo"
    return bare / ".git" if (bare / ".git").is_dir() else bare


def load_corpus(path: Path = HERE / "corpus.yaml") -> list[dict]:
    return YAML(typ="safe").load(path.read_text(encoding="utf-8"))["files"]


def target_path(entry: dict) -> Path:
    return HERE / "corpus" / f"{entry['id']}.{entry['ext']}"


def fetch_one(entry: dict, mirror: Path) -> str | None:
    """Write the entry's file; return None, or a one-line reason it is missing."""
    git_dir = snapshot_dir(mirror, entry["repo"])
    if not git_dir.is_dir():
        return f"{entry['id']}: no snapshot of {entry['repo']}: fetch github:{entry['repo']} first"
    spec = f"{entry['commit']}:{entry['path']}"
    run = subprocess.run(["git", "--git-dir", str(git_dir), "show", spec], capture_output=True)
    if run.returncode != 0:
        why = run.stderr.decode(errors="replace").strip().splitlines()[-1:] or ["?"]
        return f"{entry['id']}: {entry['repo']} has no {spec} ({why[0]}): fetch github:{entry['repo']} again"
    data = run.stdout
    if entry.get("transform"):
        data = TRANSFORMS[entry["transform"]](data)
    out = target_path(entry)
    out.parent.mkdir(parents=True, exist_ok=True)
    if not out.exists() or out.read_bytes() != data:
        out.write_bytes(data)
    return None


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--only", help="fetch one entry by id")
    ap.add_argument("--mirror", type=Path, default=MIRROR)
    args = ap.parse_args(argv)
    entries = [e for e in load_corpus() if not args.only or e["id"] == args.only]
    missing = [why for e in entries if (why := fetch_one(e, args.mirror))]
    for why in missing:
        print(why)
    print(f"fetch: {len(entries) - len(missing)} of {len(entries)} files in field/corpus/")
    return 1 if missing else 0


if __name__ == "__main__":
    sys.exit(main())
