"""Cover titles in Cyrillic, Greek, Chinese, Japanese and Arabic are drawn with fonts
bundled in covers/fonts/, never with a system font (which differs between machines), and
right-to-left titles are laid out right to left."""

from __future__ import annotations

import hashlib

import pytest
from PIL import features

import ficbook.cover.measure as measure
from ficbook.cover.fonts import OWN_FONTS
from ficbook.cover.options import CoverOptions
from ficbook.cover.render import compose, render_cover
from ficbook.cover.text import CoverText

TITLES = {
    "cyrillic": ("Последний поезд", "SourceSerif4-Variable.ttf"),
    "greek": ("Ο φάρος στο τέλος του κόσμου", "SourceSerif4-Variable.ttf"),
    "chinese": ("雪夜归人：山间客栈", "NotoSansCJKsc-Subset.otf"),
    # traditional characters outside GB2312 and JIS X 0208 (說, 歲, 們, 麵 were missing)
    "chinese-traditional": ("說書人們的歲末：鄉間麵館", "NotoSansCJKsc-Subset.otf"),
    "japanese": ("春の終わりの手紙", "NotoSansCJKsc-Subset.otf"),
    "arabic": ("ألف ليلة وليلة", "NotoNaskhArabic-Regular.ttf"),
}


@pytest.fixture(autouse=True)
def no_system_fonts(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(chars: str) -> None:
        raise AssertionError(f"a system font was looked for: {chars!r}")

    monkeypatch.setattr(measure, "find_fallback", refuse)


@pytest.mark.parametrize("script", sorted(TITLES))
def test_each_script_with_a_bundled_font(script: str) -> None:
    title, font_file = TITLES[script]
    layout = compose(CoverText(title, editor="Ana", story_count=2), CoverOptions(style="classic"))
    assert not layout.diagnostics
    path = layout.text("title").font.path
    assert path.name == font_file and path.parent in (OWN_FONTS, OWN_FONTS.resolve())
    first, said = render_cover(CoverText(title, editor="Ana", story_count=2), CoverOptions(style="classic"))
    again, _ = render_cover(CoverText(title, editor="Ana", story_count=2), CoverOptions(style="classic"))
    assert not said
    assert hashlib.sha256(first.data).digest() == hashlib.sha256(again.data).digest()


def test_bundled_script_fonts_carry_their_licence() -> None:
    licence = (OWN_FONTS / "OFL-Noto.txt").read_text("utf-8")
    assert "SIL Open Font License" in licence
    for name in ("NotoSansCJKsc-Subset.otf", "NotoNaskhArabic-Regular.ttf"):
        assert (OWN_FONTS / name).is_file() and name in licence


@pytest.mark.skipif(not features.check("raqm"), reason="Pillow without Raqm: no RTL layout")
def test_arabic_is_laid_out_right_to_left() -> None:
    from ficbook.cover.fonts import FontSpec, font

    f = font(FontSpec(OWN_FONTS / "NotoNaskhArabic-Regular.ttf"), 120)
    # alef (a narrow stroke) then beh (a wide bowl): read right to left, alef stands right
    mask = f.getmask("ا ب")
    width, height = mask.size
    inked = [x for x in range(width) if any(mask.getpixel((x, y)) for y in range(height))]
    runs: list[list[int]] = []
    for x in inked:
        if runs and x == runs[-1][-1] + 1:
            runs[-1].append(x)
        else:
            runs.append([x])
    runs = [r for r in runs if len(r) > 3]  # the bowl's dot aside
    left, right = runs[0], runs[-1]
    assert len(right) < len(left), "the alef is drawn on the left: laid out left to right"
    # and joined letters are shaped: narrower together than apart
    assert f.getlength("ليلة") < sum(f.getlength(c) for c in "ليلة")


def test_chinese_and_japanese_titles_wrap_between_characters() -> None:
    from ficbook.cover.layout import wrap

    assert wrap("雪夜归人：山间客栈", len, 5) == ["雪夜归人：", "山间客栈"]  # not before "："
    lines = wrap("春の「終わり」の手紙", len, 4)
    assert lines is not None and "".join(lines) == "春の「終わり」の手紙"
    assert not any(line.endswith("「") or line.startswith("」") for line in lines)
    assert wrap("Harry Potter 同人集", len, 13) == ["Harry", "Potter 同人集"]


def test_the_cjk_font_draws_every_common_traditional_character() -> None:
    """Big5's first level, the 5,401 characters of everyday traditional Chinese (its second
    level is in the font too; the first is enough to stand for it here)."""
    from ficbook.cover.fonts import missing_chars

    trail = [*range(0x40, 0x7F), *range(0xA1, 0xFF)]
    chars = []
    for lead in range(0xA4, 0xC7):
        for byte in trail:
            try:
                c = bytes([lead, byte]).decode("big5")
            except UnicodeDecodeError:
                continue
            if "\u4e00" <= c <= "\u9fff":
                chars.append(c)
    assert len(chars) == 5401
    assert missing_chars(OWN_FONTS / "NotoSansCJKsc-Subset.otf", "".join(chars)) == ""
