"""Layouts recognised from the content and read by their profile: AO3 as text, Project
Gutenberg (text and HTML), and the traps that must not be taken for them."""

from __future__ import annotations

from pathlib import Path

import pytest

from ficbook.convert import ConvertOptions
from ficbook.errors import ExitCode, StoryError
from ficbook.model import Note, SceneBreak
from ficbook.readers import read_story
from ficbook.readers.layouts import detect, layout_names, recognise
from ficbook.readers.source import Source
from tests.readers.helpers import all_text, chapter_text

LAYOUTS = Path(__file__).parent / "fixtures" / "layouts"


def convert(name: str, data: bytes | None = None, **options):
    path = LAYOUTS / name
    return read_story(Source(path, data if data is not None else path.read_bytes()),
                      ConvertOptions(**options))


def layout_of(result) -> str | None:
    return next((d.message for d in result.diagnostics if d.code == "layout"), None)


def notes(blocks) -> list[tuple[str | None, str]]:
    from ficbook.text import block_text

    return [(b.label, block_text(b)) for b in blocks if isinstance(b, Note)]


def test_profiles_are_files_named_for_their_layout():
    assert {"ao3-text", "gutenberg"} <= set(layout_names())


def test_ao3_copied_page():
    result = convert("ao3_copied.txt")
    story = result.story
    m = story.meta
    assert (m.title, m.authors) == ("The Lantern Keeper", ("lanternwright",))
    assert m.rating == "Teen And Up Audiences"
    assert m.warnings == ("No Archive Warnings Apply",)
    assert m.fandoms == ("Buffy the Vampire Slayer (TV)",)
    assert m.pairings == ("Buffy Summers/Spike",)
    assert m.characters == ("Buffy Summers", "Spike (Buffyverse)", "Dawn Summers")
    assert m.tags == ("Post-Season/Series 07", "Slow Burn", "Rain")
    assert (m.language, m.status, m.published) == ("en", "Complete", "2021-04-02")
    assert ("Relationship type", "F/M") in m.extra
    assert [c.title for c in story.chapters] == ["Chapter 1: Salt", "Chapter 2: Oil"]
    assert notes(story.front_notes) == [("Notes", "Written for the autumn swap. Thanks to my patient beta.")]
    assert [b for b in story.summary]
    # chapter 2: its summary before it; its "Chapter Notes" held only the pointer: no box
    ch2 = story.chapters[1]
    assert [p.inlines[0].text for p in ch2.summary] == ["Dawn reads the logbook."]
    assert notes(ch2.blocks) == [("Chapter End Notes", "The logbook idea came from a dream I had twice.")]
    assert isinstance(ch2.blocks[-1], Note)  # end notes after the text
    assert notes(story.end_notes) == [("End Notes", "Thank you for reading! Comments make my week.")]
    assert chapter_text(story, 0).startswith("The lighthouse stood")
    assert chapter_text(story, 1).endswith("three days from now.")
    text = all_text(story)
    for chrome in ("See the end", "Kudos", "Leave Kudos", "Chapter Index", "Previous Chapter",
                   "Chapter Text", "Stats", "Hits"):
        assert chrome not in text
    layout = layout_of(result)
    assert layout and layout.startswith("layout ao3-text, recognised by line 3 “Archive Warning:”")


def test_ao3_download_flattened_to_text():
    result = convert("ao3_download.txt")
    story = result.story
    m = story.meta
    assert (m.title, m.authors) == ("The Quiet Orchard", ("appleseedling",))
    assert m.series == "Seasons of Tara" and m.rating == "Mature"
    assert m.source == "https://archiveofourown.org/works/4242424"
    titles = [c.title for c in story.chapters]
    assert titles == ["Chapter 1: Seed", "Chapter 2: Root"]  # no Preface, no Afterword
    ch1 = story.chapters[0]
    assert [p.inlines[0].text for p in ch1.summary] == ["The first tree."]
    assert notes(ch1.blocks) == [("Notes", "A short one to start."),
                                 ("Chapter End Notes", "The second chapter is longer, I promise.")]
    assert isinstance(ch1.blocks[0], Note) and isinstance(ch1.blocks[-1], Note)
    # the next chapter's text starts its own chapter, never the end of the previous one
    assert chapter_text(story, 1).startswith("The roots found water")
    assert notes(story.end_notes) == [("End Notes", "Thank you to everyone who waited for this.")]
    text = all_text(story)
    for chrome in ("font-family", "Posted originally", "Please drop by", "Works inspired",
                   "Preface", "Afterword"):
        assert chrome not in text


def test_ao3_pointer_at_a_notes_end_is_cut_not_the_note():
    data = (LAYOUTS / "ao3_copied.txt").read_bytes().replace(
        b"patient beta.\n\n(See the end", b"patient beta. (See the end")
    story = convert("ao3_copied.txt", data).story
    assert notes(story.front_notes) == [("Notes", "Written for the autumn swap. Thanks to my patient beta.")]


def test_gutenberg_text_new():
    result = convert("gutenberg_new.txt")
    story = result.story
    assert (story.meta.title, story.meta.authors, story.meta.language) == (
        "The Cartographer's Daughter", ("Imelda Frost",), "en")
    assert [c.title for c in story.chapters] == ["CHAPTER I: THE MAP ROOM", "CHAPTER II: THE SURVEYOR"]
    text = all_text(story)
    for boiler in ("Project Gutenberg", "Transcriber", "eBook", "LICENSE", "Produced by",
                   "Release Date", "Section 1"):
        assert boiler not in text
    assert "Her father kept the maps" in text and "for eleven days" in text
    dropped = [d.message for d in result.diagnostics if d.code == "chrome-dropped"]
    assert any(d.startswith("Project Gutenberg licence") for d in dropped)
    assert any("Transcriber" in d for d in dropped)
    layout = layout_of(result)
    assert layout and "gutenberg" in layout and "line 1" in layout


def test_gutenberg_text_old_small_print():
    story = convert("gutenberg_old.txt").story
    assert (story.meta.title, story.meta.authors) == ("The Lamplighter's Apprentice", ("Owen Marsh",))
    text = all_text(story)
    assert "SMALL PRINT" not in text and "lawyers" not in text and "Etext" not in text
    assert text.count("LAMPLIGHTER'S APPRENTICE") == 0  # the title page repeated
    assert chapter_text(story).startswith("Tom learned the streets")


def test_gutenberg_boilerplate_only_is_no_story():
    with pytest.raises(StoryError) as err:
        convert("gutenberg_boilerplate_only.txt")
    assert err.value.exit_code == ExitCode.STORY == 4
    assert "no story text" in err.value.message


def test_gutenberg_boilerplate_kept_by_the_recipe_switch():
    story = convert("gutenberg_new.txt", boilerplate="keep").story
    kept = [n for n in story.front_notes if n.kind == "disclaimer"]
    assert kept and any("Section 1" in t for _, t in notes(kept))
    assert "Section 1" not in "\n".join(chapter_text(story, i) for i in range(2))


@pytest.mark.parametrize("name", ["gutenberg_new.html", "gutenberg_old.html"])
def test_gutenberg_html(name):
    result = convert(name)
    story = result.story
    expected = {"gutenberg_new.html": ("The Glass Orchard", ("Thea Winslow",),
                                       ["CHAPTER I: THE GLASSBLOWER", "CHAPTER II: THE BUYER"]),
                "gutenberg_old.html": ("The Ferryman's Bell", ("Rhys Calder",), ["I", "II"])}[name]
    assert (story.meta.title, story.meta.authors, [c.title for c in story.chapters]) == expected
    text = all_text(story)
    for boiler in ("Project Gutenberg", "Transcriber", "[Pg", "[7]", "LICENSE", "Produced by"):
        assert boiler not in text
    assert "jetty and nobody" in text or "Each leaf had been blown" in text
    assert layout_of(result)


def test_traps_are_not_layouts():
    data = (LAYOUTS / "rating_trap.txt").read_bytes()
    assert recognise(data) is None
    result = convert("rating_trap.txt")
    assert layout_of(result) is None
    assert "Project Gutenberg was the name of the ship" in all_text(result.story)


def test_detection_looks_at_the_ends_only():
    signs = (LAYOUTS / "ao3_copied.txt").read_bytes()[:600]
    filler = b"Plain story text goes on here, line after line.\n\n" * 400
    assert recognise(signs + filler) is not None
    assert recognise(filler + signs + filler) is None


def test_layout_forced_and_switched_off():
    off = convert("ao3_copied.txt", layout="none")
    assert layout_of(off) is None
    forced = convert("rating_trap.txt", layout="ao3-text")
    assert "set by the recipe" in (layout_of(forced) or "")
    page = convert("gutenberg_new.html", layout="none")
    assert layout_of(page) is None


def test_detect_gives_lines_as_evidence():
    text = (LAYOUTS / "gutenberg_old.txt").read_text("utf-8")
    found = detect(text)
    assert found is not None and found.name == "gutenberg"
    assert {e.sign for e in found.evidence} >= {"ebook-of", "small-print"}
    assert all(text.split("\n")[e.line - 1].strip() == e.text for e in found.evidence)


def test_no_scene_break_where_a_marker_was_dropped():
    story = convert("ao3_copied.txt").story
    for ch in story.chapters:
        assert not any(isinstance(b, SceneBreak) for b in ch.blocks)


def test_recipe_layout_names_are_checked(tmp_path):
    from ficbook.errors import RecipeError
    from ficbook.recipe import load_recipe

    (tmp_path / "a.txt").write_text("Some story text.\n")
    (tmp_path / "b.txt").write_text("Some story text.\n")
    good = tmp_path / "good.yaml"
    good.write_text("title: T\nstories:\n  - path: a.txt\n    layout: gutenberg\n"
                    "    boilerplate: keep\n  - path: b.txt\n    layout: none\n")
    recipe = load_recipe(good)
    assert [s.layout for s in recipe.stories] == ["gutenberg", "none"]
    bad = tmp_path / "bad.yaml"
    bad.write_text("title: T\nstories:\n  - path: a.txt\n    layout: gutenburg\n")
    with pytest.raises(RecipeError) as err:
        load_recipe(bad)
    assert "did you mean 'gutenberg'" in str(err.value) + " ".join(err.value.details)


def test_ffn_text_page():
    result = convert("ffn_text.txt")
    story = result.story
    m = story.meta
    assert (m.title, m.authors, m.rating) == ("The Long Way Round", ("quillmoth",), "T")
    assert m.fandoms == ("Buffy: The Vampire Slayer",)
    assert m.genres == ("Adventure", "Drama")
    assert m.pairings == ("Spike/Buffy S.",)
    assert m.characters == ("Spike", "Buffy S.", "Dawn S.")
    assert (m.language, m.status, m.published) == ("en", "In progress", "1/5/2019")
    assert m.source == "https://www.fanfiction.net/s/13131313"
    assert [p.inlines[0].text for p in story.summary][0].startswith("Spike walks from Sunnydale")
    assert len(story.chapters) == 1
    body = chapter_text(story)
    # a sentence that starts with "Rating:" is story text, not a header field
    assert body.startswith("Rating: the one thing Spike never asked for")
    assert body.endswith("the girl under the rubble.")
    text = all_text(story)
    for chrome in ("Follow/Fav", "Post Review", "Bakersfield", "Expand Tighten", "unleash",
                   "Terms of Service", "The Long Way Round\n"):
        assert chrome not in text
    assert any(label == "A/N" for label, _ in notes(story.front_notes))


def test_ao3_page_saved_from_the_browser():
    story = convert("ao3_page.html").story
    m = story.meta
    assert (m.title, m.authors) == ("The Tidewater Letters", ("brinewick",))  # not the site's owner
    assert m.rating == "General Audiences" and m.characters == ("Willow Rosenberg", "Rupert Giles")
    assert m.tags == ("Letters, Epistolary",) and m.language == "en"
    assert (m.published, m.status) == ("2022-02-02", "In progress")
    assert notes(story.front_notes) == [("Notes", "For saltmarsh.\nMy first epistolary story.")]
    ch = story.chapters[0]
    assert ch.title == "Chapter 1: High Water"
    assert [p.inlines[0].text for p in ch.summary] == ["The first letter."]
    assert notes(ch.blocks) == [("Chapter End Notes", "More letters soon.")]
    text = all_text(story)
    for chrome in ("Entire Work", "Kudos", "Fandoms", "Chapter Text", "See the end", "Organization"):
        assert chrome not in text
    assert chapter_text(story).startswith("Dear Giles")


def test_livejournal_post():
    result = convert("livejournal_post.txt")
    story = result.story
    m = story.meta
    assert (m.title, m.authors, m.rating) == ("The Salt Road", ("quillmoth",), "PG-13")
    assert m.tags == ("dawn", "fic", "spike")
    assert ("Spoilers", "through season seven") in m.extra
    assert notes(story.front_notes) == [("Disclaimer", "Not mine; I only borrow them for walks."),
                                        ("Notes", "For saltmarsh, who asked for a road trip.")]
    body = chapter_text(story)
    assert body.startswith("The car was older than Dawn") and body.endswith("apologised to it.")
    assert not any(isinstance(b, SceneBreak) for b in story.chapters[0].blocks)  # the cut's gap
    text = all_text(story)
    for chrome in ("[info]", "Read more", "Current Mood", "comments", "Share", "wrote,", "@ 2009"):
        assert chrome not in text


def body_and_notes(story):
    from ficbook.text import block_text

    return [(type(b).__name__, block_text(b)) for c in story.chapters for b in c.blocks]


def test_wordpress_serial_chapter():
    result = convert("wordpress_chapter.html")
    story = result.story
    assert (story.meta.title, story.meta.authors) == ("The Drowned Lanterns", ("inkwell",))
    assert [c.title for c in story.chapters] == ["Chapter 3: The Ferry"]
    body = chapter_text(story)
    assert body.startswith("The ferry left at dusk") and body.endswith("a rope and no boat.")
    assert any(isinstance(b, SceneBreak) for b in story.chapters[0].blocks)
    text = all_text(story)
    for chrome in ("Patreon", "Previous Chapter", "Share this", "Like this", "Related",
                   "Chapter 2: The Bell", "thoughts on", "Proudly powered", "About"):
        assert chrome not in text
    assert "wordpress" in (layout_of(result) or "")


def test_royalroad_notes_above_and_below():
    story = convert("royalroad_chapter.html").story
    assert (story.meta.title, story.meta.authors) == ("The Lamp Guild", ("lampwright",))
    assert story.chapters[0].title == "Chapter 4: Wicks"
    kinds = body_and_notes(story)
    assert kinds[0] == ("Note", "Thank you for the reviews, all of them!")
    assert kinds[-1] == ("Note", "Next chapter on Friday.")
    text = all_text(story)
    for chrome in ("A note from", "Support", "Previous Chapter", "Follow, favourite"):
        assert chrome not in text


def test_xenforo_threadmarks_are_chapters():
    story = convert("xenforo_threadmarks.html").story
    assert (story.meta.title, story.meta.authors) == ("The Gravel Road [Original]", ("quarryman",))
    assert [c.title for c in story.chapters] == ["Chapter 1: Stones", "Chapter 2: Dust"]
    text = all_text(story)
    assert "Walk softly on the old roads." in text  # the quote kept, its link not
    for chrome in ("Click to expand", "Like", "Reply", "Thread starter"):
        assert chrome not in text


def test_dreamwidth_post_page():
    story = convert("dreamwidth_post.html").story
    m = story.meta
    assert (m.title, m.authors, m.rating) == ("The Lantern Keeper's Daughter", ("quillmoth",), "G")
    assert [b.inlines[0].text for b in story.summary] == ["A lamp, a storm, a promise."]
    assert notes(story.front_notes) == [("Notes", "Thanks to saltmarsh for the beta.")]
    body = chapter_text(story)
    assert body.startswith("The storm came in sideways") and "personal profile" not in body
    for chrome in ("Mood", "Music", "Tags", "comments", "Reply"):
        assert chrome not in all_text(story)


def test_french_archive_author_is_the_writer_not_the_site():
    story = convert("french_archive.html").story
    assert (story.meta.title, story.meta.authors) == ("Le Phare des Brumes", ("Brumelune",))
    assert story.meta.language == "fr"
    assert story.chapters[0].title == "Chapitre 1 : La lanterne"
    text = all_text(story)
    for chrome in ("Chapitre suivant", "commentaires", "droits réservés", "fanfictions.fr"):
        assert chrome not in text


def test_ffn_old_page_layout_and_unclosed_chapter_menu():
    story = convert("ffn_old_page.html").story
    m = story.meta
    assert (m.title, m.authors, m.rating, m.status) == ("The Long Way Round", ("quillmoth",), "T",
                                                        "Complete")
    assert m.genres == ("Adventure", "Drama")
    assert [c.title for c in story.chapters] == ["Bakersfield"]  # not the whole menu
    assert chapter_text(story).startswith("Bakersfield was hot")


def test_ficbook_net_download():
    story = convert("ficbook_net.txt").story
    m = story.meta
    assert (m.title, m.authors, m.rating) == ("Зимняя почта", ("Северянка",), "G")  # no URL
    assert m.fandoms == ("Ориджиналы",) and m.tags == ("Зима", "Письма")
    assert m.source == "https://ficbook.net/readfic/01234567"
    assert [b.inlines[0].text for b in story.summary] == ["Почта приходит в деревню дважды за зиму."]
    assert notes(story.front_notes) == [("Примечания", "Спасибо всем, кто ждал.")]
    assert [c.title for c in story.chapters] == ["Глава 1. Сани", "Глава 2. Письмо"]
    assert "Уточнять" not in all_text(story)


@pytest.mark.parametrize("name, title, author, chapter, first, chrome", [
    ("wattpad_part.html", "The Paper Fox", "foldwright", "Chapter One",
     "The fox was folded from a page", ("Reads", "Votes", "fantasy", "Continue to next part", "Browse")),
    ("tumblr_post.html", "The Tide Clock", "inkandtide", None,
     "The clock in the harbour office", ("notes", "reblogged", "#my writing", "liked this")),
    ("quotev_chapter.html", "Lanterns Over the Marsh", "marshlight", "The Reeds",
     "The reeds were taller", ("Previous Chapter", "reads", "so good")),
])
def test_serial_platform_pages(name, title, author, chapter, first, chrome):
    result = convert(name)
    story = result.story
    assert (story.meta.title, story.meta.authors) == (title, (author,))
    assert [c.title for c in story.chapters] == [chapter]
    assert chapter_text(story).startswith(first)
    text = all_text(story)
    for c in chrome:
        assert c not in text
    assert "Tumblr" not in story.meta.authors and layout_of(result)


def test_an_archive_index_page_is_no_story():
    with pytest.raises(StoryError) as err:
        convert("efiction_index.html")
    assert err.value.exit_code == 4 and "no story text" in err.value.message


_SUMMARY = ("A lighthouse keeper finds a letter in a bottle that is addressed to her, in her own "
            "hand, dated a year from now.")
_PROSE = ("The lamp turned above her and the sea below kept its own slow count. " * 3).strip()


def _landing(links: str, body: str = "", stated: str = "Word count: 8,450") -> bytes:
    return (f"<html><head><title>Salt Letters</title></head><body><div id='nav'><a href='/'>Home</a> "
            f"<a href='/browse'>Browse</a></div><div id='content'><h2>Salt Letters</h2><p>by Mira Holt</p>"
            f"<p><b>Summary:</b> {_SUMMARY}</p><p>Rated: General. Status: Complete. {stated}</p>"
            f"{body}{links}</div><div id='footer'>All stories belong to their authors.</div>"
            f"</body></html>").encode()


@pytest.mark.parametrize("links", [
    "<p><a href='/read/41/1'>Read the story</a></p>",
    "<p><a href='/dl/41.epub'>EPUB</a> | <a href='/dl/41.mobi'>MOBI</a> | <a href='/dl/41.pdf'>PDF</a></p>",
    "<p><a href='/get?sid=41'>Click to read</a></p>",
])
def test_a_storys_landing_page_is_no_story(links: str):
    """Its fields and summary and a way to the story elsewhere: a book of the summary
    alone, under the story's title, is the wrong book."""
    with pytest.raises(StoryError) as err:
        convert("landing.html", _landing(links))
    assert err.value.exit_code == 4 and "landing page" in err.value.message


def test_a_story_page_listing_its_chapters_with_their_notes_is_no_story():
    """An eFiction story page: each chapter linked, with its notes under it (more words than
    a landing page's summary), where the page states many more words than it holds."""
    rows = "".join(
        f"<p>{n}. <a href='viewstory.php?sid=41&amp;chapter={n}'>Chapter {n}</a> (2,800 words)</p>"
        f"<p>Notes: {_PROSE} {_PROSE} {_PROSE}</p>" for n in range(1, 4))
    with pytest.raises(StoryError) as err:
        convert("storypage.html", _landing("", body=rows))
    assert "landing page" in err.value.message


def test_a_drabble_with_download_links_is_a_story():
    """The page holds the length it states: the story is there, links or not."""
    drabble = "".join(f"<p>{_PROSE}</p>" for _ in range(2))
    page = _landing("<p><a href='/dl/41.epub'>EPUB</a> | <a href='/dl/41.pdf'>PDF</a></p>",
                    body=drabble, stated="Words: 90")
    story = convert("drabble.html", page).story
    assert "The lamp turned above her" in chapter_text(story)


@pytest.mark.parametrize("where", ["around", "among"])
def test_a_chapter_page_with_links_to_the_other_chapters_is_a_story(where: str):
    """Links to the other chapters around a chapter's text, or in its block above it, and
    the whole story's length stated (far more than the chapter)."""
    nav = "<p>" + "".join(f"<a href='viewstory.php?sid=41&amp;chapter={n}'>{n}</a> " for n in range(1, 6)) + "</p>"
    text = "".join(f"<p>{_PROSE}</p>" for _ in range(24))  # about 1,000 words
    inside, outside = (nav, "") if where == "among" else ("", f"<div class='nav'>{nav}</div>")
    page = (f"<html><body>{outside}<div id='content'><h2>Salt Letters</h2><p>Word count: 14,000</p>"
            f"{inside}{text}</div>{outside}</body></html>").encode()
    story = convert("chapter.html", page).story
    assert chapter_text(story).count("The lamp turned above her") == 72


def test_ao3_copied_page_furniture_after_the_end_notes_is_dropped():
    """The page's series links, comment form and footer under the work's end notes."""
    data = (LAYOUTS / "ao3_copied.txt").read_text("utf-8").split("\nKudos\n")[0] + (
        "\nSeries this work belongs to:\n\n← Previous Work Part 2 of Lanterns\n\nActions\n\n"
        "↑ Top\n\nComments (3)\n\nPost Comment\n\nGuest name\n\nGuest email\n\n"
        "Footer\n\nAbout the Archive\n\notwarchive v0.9.400.1\n")
    story = convert("ao3_copied.txt", data.encode()).story
    assert [text for _, text in notes(story.end_notes)] == ["Thank you for reading! Comments make my week."]
    text = all_text(story)
    for chrome in ("Guest email", "otwarchive", "About the Archive", "Previous Work", "Series this"):
        assert chrome not in text


def test_a_list_of_works_is_no_story():
    """An archive's series, tag or search page: blurbs of works, no work's text."""
    blurb = ('<li class="work blurb group"><h4 class="heading"><a href="/works/{n}">Small Hours {n}'
             '</a> by <a rel="author" href="/users/dovetail">dovetail</a></h4><blockquote '
             'class="userstuff summary"><p>A hundred words about a night shift, part {n}.</p>'
             '</blockquote><dl class="stats"><dt>Words:</dt><dd>100</dd></dl></li>')
    page = ('<html><head><title>Small Hours - Series</title></head><body><div id="main">'
            '<h2 class="heading">Small Hours</h2><ul class="series work index group">'
            + "".join(blurb.format(n=n) for n in range(1, 4)) + "</ul></div></body></html>")
    with pytest.raises(StoryError) as err:
        convert("series.html", page.encode())
    assert err.value.exit_code == 4 and "list of works" in err.value.message


def test_text_hidden_by_the_pages_own_style_is_dropped():
    page = (LAYOUTS / "royalroad_chapter.html").read_text("utf-8").replace(
        "<head>", "<head><style>.cmVhZGVy{display: none; speak: never;}</style>").replace(
        "<p>Pell trimmed", "<p class=\"cmVhZGVy\">This tale was taken without the author's "
                           "consent; report it.</p><p>Pell trimmed")
    story = convert("royalroad_chapter.html", page.encode()).story
    assert "taken without" not in all_text(story) and "Pell trimmed" in all_text(story)


def test_an_ao3_page_naming_tumblr_is_still_an_ao3_page():
    page = (LAYOUTS / "ao3_page.html").read_text("utf-8").replace(
        "My first epistolary story.", "My first epistolary story. Find me at "
        "https://brinewick.tumblr.com/post/123 (powered by tumblr).")
    result = convert("ao3_page.html", page.encode())
    assert result.story.meta.authors == ("brinewick",) and layout_of(result) is None


def test_a_wordpress_post_that_is_no_chapter_is_its_own_story():
    page = (LAYOUTS / "wordpress_chapter.html").read_text("utf-8").replace(
        "Chapter 3: The Ferry</h1>", "On Ferries and Lanterns</h1>")
    story = convert("wordpress_chapter.html", page.encode()).story
    assert story.meta.title == "On Ferries and Lanterns" and story.chapters[0].title is None
