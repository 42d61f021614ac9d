"""`run_block_rules`: the contract with the HTML and EPUB readers (a Story of paragraphs)."""

from __future__ import annotations

from ficbook.convert import RULE_NAMES, ConvertOptions
from ficbook.convert.pipeline import run_block_rules
from ficbook.model import (
    Chapter,
    Epigraph,
    Note,
    Paragraph,
    SceneBreak,
    Story,
    StoryMeta,
    Styled,
    Text,
)
from ficbook.text import block_text


def P(text: str, line: int | None = None, *inlines) -> Paragraph:  # noqa: N802
    return Paragraph((Text(text), *inlines), line=line)


def story(*blocks, title="From HTML") -> Story:
    return Story(StoryMeta(title=title, authors=("Someone",)), (Chapter(None, tuple(blocks)),),
                 path="page.html")


HTML_STORY = story(
    P("A/N: Set after season five.", 10),
    P("\"Hello,\" she said -- it's the '90s . . .", 11),
    P("* * *", 12),
    P("He was i really/i there, *so* there.", 13),
    P("Please review!", 14),
    P("The end of the story came quietly.", 15),
    P("Author's note: thanks for reading!", 16),
)


def test_block_rules_on_html_paragraphs() -> None:
    out, diags = run_block_rules(HTML_STORY, ConvertOptions(), "page.html")
    assert out.meta.title == "From HTML"  # the reader's metadata stays
    assert [block_text(n) for n in out.front_notes] == ["Set after season five."]
    assert [block_text(n) for n in out.end_notes] == ["thanks for reading!"]
    blocks = out.chapters[0].blocks
    assert block_text(blocks[0]) == "“Hello,” she said — it’s the ’90s …"
    assert isinstance(blocks[1], SceneBreak)
    styled = [(n.kind, block_text(Paragraph(n.children))) for n in blocks[2].inlines
              if isinstance(n, Styled)]
    assert styled == [("em", "really"), ("em", "so")]
    assert [block_text(b) for b in blocks[3:]] == ["The end of the story came quietly."]
    dropped = [d for d in diags if d.code == "chrome-dropped"]
    assert [(d.file, d.line) for d in dropped] == [("page.html", 14)]
    assert "Please review!" in dropped[0].message


def test_each_rule_can_be_switched_off() -> None:
    off = ConvertOptions(rules=tuple((name, False) for name in RULE_NAMES))
    out, _ = run_block_rules(HTML_STORY, off, "page.html")
    texts = [block_text(b) for b in out.chapters[0].blocks]
    assert texts == [block_text(b) for b in HTML_STORY.chapters[0].blocks]
    assert not out.front_notes and not out.end_notes


def test_typography_off_alone() -> None:
    out, _ = run_block_rules(HTML_STORY, ConvertOptions(rules=(("typography", False),)), "p")
    assert block_text(out.chapters[0].blocks[0]) == "\"Hello,\" she said -- it's the '90s . . ."


def test_epigraph_and_notes_inside_chapters() -> None:
    ch1 = Chapter("One", (P("Some text here."), P("A/N: between chapters.")))
    ch2 = Chapter("Two", (P("\"Words of wisdom.\""), P("— Giles"), SceneBreak(),
                          P("More text.")))
    s = Story(StoryMeta(title="T"), (ch1, ch2))
    out, _ = run_block_rules(s, ConvertOptions(), "x.html")
    assert isinstance(out.chapters[0].blocks[-1], Note)
    first = out.chapters[1].blocks[0]
    assert isinstance(first, Epigraph) and block_text(first).endswith("Giles")
    assert not isinstance(out.chapters[1].blocks[1], SceneBreak)


def test_rule_names_are_stable() -> None:
    assert RULE_NAMES == (
        "mojibake", "unwrap", "chrome", "chapters", "header", "scene_breaks", "author_notes",
        "trailing_notes", "epigraphs", "html_tags", "stripped_tags", "emphasis", "typography",
        "close_dashes")
