"""FanFiction.Net, eFiction and generic saved pages; HTML mapping details; sniffing."""

from __future__ import annotations

from ficbook.model import Note, Paragraph, SceneBreak, Styled
from ficbook.readers import sniff
from ficbook.readers.html.blocks import blocks_of, tidy
from ficbook.readers.html.context import PageContext
from ficbook.readers.html.tree import parse
from tests.readers.helpers import FIXTURES, all_text, chapter_text, read


def test_ffnet_profile_block_to_meta_and_storytext_only():
    result = read("ffnet_chapter.html")
    story = result.story
    meta = story.meta
    assert (meta.title, meta.authors, meta.rating) == ("Ashes of the Hellmouth", ("slayerfan77",), "T")
    assert meta.language == "en" and meta.genres == ("Romance", "Angst")
    assert meta.pairings == ("Buffy S./Spike",)
    assert set(meta.characters) == {"Buffy S.", "Spike", "Dawn S."}
    assert meta.fandoms == ("Buffy: The Vampire Slayer",)
    assert meta.status == "In progress"
    assert meta.source == "https://www.fanfiction.net/s/9876543"
    assert story.chapters[0].title == "The Crypt"
    assert "Not everyone who died stayed dead." in all_text(story)
    text = all_text(story)
    for chrome in ("Follow/Fav", "Login", "Post Review", "Terms of Service", "Next", "Search",
                   "Reviews:", "_gaq"):
        assert chrome not in text
    body = chapter_text(story)
    assert body.startswith("The crypt smelled") and body.endswith("didn’t shake.")
    assert sum(isinstance(b, SceneBreak) for b in story.chapters[0].blocks) == 2  # <hr>, xXx


def test_efiction_labels_notes_and_br_paragraphs():
    story = read("efiction_story.html").story
    meta = story.meta
    assert (meta.title, meta.authors, meta.rating) == ("Glass Houses", ("Moonwitch",), "PG-13")
    assert meta.fandoms == ("Buffy the Vampire Slayer",)
    assert meta.characters == ("Tara", "Willow")
    assert meta.genres == ("Drama", "Romance") and meta.status == "In progress"
    assert story.chapters[0].title == "Fracture"
    assert "remembers everything" in all_text(story)
    text = all_text(story)
    assert "2006 Femslash Ficathon" in text and "Set during season five." in text
    assert "Reviews make me write faster!" in text
    kinds = [type(b).__name__ for b in story.chapters[0].blocks if not isinstance(b, Note)]
    assert kinds == ["Paragraph", "Paragraph", "Paragraph", "SceneBreak", "Paragraph"]
    for chrome in ("Table of Contents", "Submit a Review", "Powered by eFiction", "Account Info"):
        assert chrome not in text


def test_generic_page_mostly_chrome_keeps_only_the_story():
    result = read("generic_mostly_chrome.html")
    story = result.story
    assert story.meta.title == "Quiet Hours" and story.meta.authors == ("Nocturne",)
    body = chapter_text(story)
    assert body.startswith("Dawn was asleep upstairs") and body.endswith("quiet again.")
    text = all_text(story)
    for chrome in ("Sponsored", "Site news", "Another story", "loved it", "Contact", "Comments"):
        assert chrome not in text
    assert any(d.code == "chrome-dropped" for d in result.diagnostics)


def test_non_english_ao3_work_carries_its_language_and_is_complete():
    story = read("ao3_spanish_complete.html").story
    assert story.meta.language == "es"
    assert story.meta.status == "Complete"
    assert story.meta.authors == ("tintaroja", "nochebuena")
    assert story.chapters[0].title is None
    assert "¿Te vas?" in chapter_text(story)


def _blocks(html: str):
    return tidy(blocks_of(parse(html), PageContext("t")))


def test_html_mapping_rules():
    blocks = _blocks("<div>one<br>two<br><br>three<br><br><br>four</div>"
                     "<p>&nbsp;</p><p> </p><p><font face=x><span style='font-weight:700'>"
                     "bold</span></font> and <span style='font-style:italic'>it</span></p>"
                     "<i><p>all</p><p>italic</p></i><div align=right>signed</div>")
    assert [type(b).__name__ for b in blocks] == [
        "Paragraph", "Paragraph", "SceneBreak", "Paragraph", "Paragraph", "Paragraph",
        "Paragraph", "Paragraph"]
    first = blocks[0]
    assert isinstance(first, Paragraph) and len(first.inlines) == 3  # one <br> is a line break
    styled = blocks[4].inlines
    assert styled[0] == Styled("strong", (styled[0].children[0],)) and styled[2].kind == "em"
    assert all(isinstance(b.inlines[0], Styled) and b.inlines[0].kind == "em" for b in blocks[5:7])
    assert blocks[7].align == "right"


def test_sniffing_by_bytes_not_name():
    assert sniff((FIXTURES / "ffnet_chapter.html").read_bytes(), "story.txt") == "html"
    assert sniff(b"Title: X\n\nShe said <i>no</i>.\n", "x.html") == "html"
    assert sniff(b"Title: X\n\nShe said <i>no</i>.\n", "x.txt") == "text"
    assert sniff(b"PK\x03\x04" + b"\x00" * 40, "x.epub") == "zip"


def test_personal_site_page_author_from_its_copyright_line():
    """A writer's own site names them only in its footer (`© Name, years`): that is the
    story's author when nothing else names one; a company or site in that line is not."""
    from ficbook.readers.html.generic import copyright_holder

    story = "".join(f"<p>Пароход гудел у пристани уже третий час, и никто не знал, "
                    f"почему он не отходит. Фраза номер {n}.</p>" for n in range(12))
    page = (f"<html lang='ru'><head><title>Пристань</title></head><body>"
            f"<nav><a href='/'>Главная</a> <a href='/songs'>Песни</a></nav>"
            f"<article><h1>Пристань</h1>{story}</article>"
            f"<footer><p>© Осинина В. Л., 2019–2025. Копирование запрещено.</p></footer>"
            f"</body></html>")
    result = read("generic_mostly_chrome.html", page.encode())
    assert result.story.meta.title == "Пристань"
    assert result.story.meta.authors == ("Осинина В. Л.",)
    assert copyright_holder("Copyright © 2021 Anna Reyes. All rights reserved.") == "Anna Reyes"
    for company in ("© 2024 WordPress.com", "© Organization for Transformative Works",
                    "(c) 2010-2012 FanFiction.Net", "© 2022 The Quiet Press",
                    "Powered by WordPress © 2019", "copyright notice applies"):
        assert copyright_holder(company) is None, company


def test_find_tag_and_find_tags_find_what_bs4_finds():
    # readers look a page's parts up by id and class with a plain walk (tree.find_tag,
    # find_tags): the same elements as bs4's find and find_all, in document order, never
    # the root itself
    from ficbook.readers.html.tree import find_tag, find_tags

    soup = parse('<html><body id="b" class="x"><div id="a" class="meta group"><p id="x" class="x y">one</p>'
                 '</div><div><span id="x" class=" x ">two</span><p id="y " class="xy">three</p>'
                 '<p class="x">four</p><p class="">five</p></div></body></html>')
    for root in (soup, soup.body, soup.find("div")):
        for value in ("a", "x", "y", "y ", "b", "nope", "", "meta", "group", "meta group", "x y", "xy"):
            assert find_tag(root, id=value) is root.find(id=value), (root.name, value)
            assert find_tag(root, cls=value) is root.find(class_=value), (root.name, value)
            assert find_tags(root, id=value) == list(root.find_all(id=value)), (root.name, value)
            assert find_tags(root, cls=value) == list(root.find_all(class_=value)), (root.name, value)
    assert find_tag(soup, id="x").text == "one" and find_tag(soup.body, id="b") is None
    assert [t.text for t in find_tags(soup.find_all("div")[1], cls="x")] == ["two", "four"]
