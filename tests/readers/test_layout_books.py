"""Every layout fixture builds into one book that EPUBCheck passes with zero messages;
Gutenberg's boilerplate kept by `boilerplate: keep` lands on the credits page."""

from __future__ import annotations

import zipfile
from pathlib import Path

from ficbook.build import BuildOptions, build
from tests.conftest import assert_epubcheck_clean

LAYOUTS = Path(__file__).parent / "fixtures" / "layouts"
STORIES = ["ao3_copied.txt", "ao3_download.txt", "gutenberg_new.txt", "gutenberg_old.html",
           "ffn_text.txt", "livejournal_post.txt", "ficbook_net.txt", "ao3_page.html",
           "wordpress_chapter.html", "royalroad_chapter.html", "xenforo_threadmarks.html",
           "dreamwidth_post.html", "french_archive.html", "wattpad_part.html",
           "tumblr_post.html", "quotev_chapter.html"]


def test_layout_fixtures_build_into_a_valid_book(tmp_path: Path):
    lines = ["title: Layouts", "date: 2024-05-01", "disclaimers: credits", "stories:"]
    for name in STORIES:
        lines.append(f"  - path: {(LAYOUTS / name).as_posix()}")
        if name == "gutenberg_new.txt":
            lines.append("    boilerplate: keep")
    recipe = tmp_path / "layouts.yaml"
    recipe.write_text("\n".join(lines) + "\n", "utf-8")
    result = build(recipe, BuildOptions(out_dir=tmp_path / "out"))
    assert_epubcheck_clean([result.output])
    with zipfile.ZipFile(result.output) as zf:
        texts = {n: zf.read(n).decode("utf-8") for n in zf.namelist() if n.endswith(".xhtml")}
    credits = "".join(t for t in texts.values() if 'class="credits"' in t)
    assert "THE FULL PROJECT GUTENBERG LICENSE" in credits
    stories = "".join(t for n, t in texts.items() if 'class="credits"' not in t)
    assert "FULL PROJECT GUTENBERG LICENSE" not in stories
    assert "The Cartographer" in stories and "Imelda Frost" in stories
