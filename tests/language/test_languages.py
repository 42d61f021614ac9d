"""Stories in eleven languages: header, notes, chapters, end markers, typography, counting,
detection, and the labels a book prints in its language (issue 15)."""

from __future__ import annotations

from pathlib import Path

import pytest

from ficbook.convert import ConvertOptions
from ficbook.cover.layout import count_line, credit_lines
from ficbook.language import available, book_labels, language_data, vocabulary
from ficbook.language.choose import choose
from ficbook.language.detect import _identifier, detect
from ficbook.model import DEFAULT_LABELS, Book, BookMeta, Paragraph, Text
from ficbook.readers import read_story
from ficbook.readers.source import read_source
from ficbook.readers.text.chapters import heading
from ficbook.text import block_text, story_words

FIXTURES = Path(__file__).parent / "fixtures"
LANGUAGES = ("en", "es", "fr", "de", "pt", "it", "ru", "pl", "id", "zh", "ja")

# (title, author, chapter titles, the disclaimer's and leading note's labels, the closing
# note's label, the end marker kept as the story's last words)
EXPECTED = {
    "en": ("The Last Platform", "Morgan Hale", ("Chapter One: The Station", "Chapter Two: The House"),
           ("Disclaimer", "A/N"), "Author's note", "The End"),
    "es": ("La última estación", "Marina Vidal", ("Capítulo uno: El andén", "Capítulo dos: La casa"),
           ("Disclaimer", "N/A"), "Nota de la autora", "Fin"),
    "fr": ("Le phare du bout du monde", "Camille Roux",
           ("Chapitre premier : L'île", "Chapitre deux : Le gardien"),
           ("Disclaimer", "Note de l'auteur"), "N/A", "Fin"),
    "de": ("Schnee über Hogsmeade", "Lena Brandt", ("Kapitel 1: Der Schal", "Kapitel zwei: Der Heimweg"),
           ("Disclaimer", "Anmerkung der Autorin"), "Anmerkung", "Ende"),
    "pt": ("Maré alta", "Beatriz Souza", ("Capítulo um: A praia", "Capítulo dois: A lua"),
           ("Disclaimer", "N/A"), "Nota da autora", "Fim"),
    "it": ("Il giardino d'inverno", "Giulia Ferri", ("Capitolo uno: La serra", "Capitolo due: Il vaso"),
           ("Disclaimer", "Nota dell'autrice"), "Note finali", "Fine"),
    "ru": ("Последний поезд", "Анна Белова", ("Глава первая: Платформа", "Глава 2: Поезд"),
           ("Дисклеймер", "Примечание автора"), "Примечания", "Конец"),
    "pl": ("Zimowa herbata", "Zofia Nowak", ("Rozdział pierwszy: Karczma", "Rozdział 2: Gość"),
           ("Disclaimer", "Notka autorki"), "Notka", "Koniec"),
    "id": ("Hujan di Stasiun", "Dewi Lestari Putri", ("Bab 1: Pertemuan", "Bab dua: Pulang"),
           ("Disclaimer", "Catatan penulis"), "Catatan", "Tamat"),
    "zh": ("雪夜归人", "林小雨", ("第一章 客栈", "第二章 旧友"), ("声明", "作者按"), "作者的话", "完"),
    "ja": ("春の終わりの手紙", "佐藤みずき", ("第一話 手紙", "第二話 約束"), ("注意書き", "まえがき"),
           "あとがき", "完"),
}


def _convert(path: Path, **options: object):  # noqa: ANN202
    return read_story(read_source(path), ConvertOptions(**options))  # type: ignore[arg-type]


# ------------------------------------------------------------ the data


@pytest.mark.parametrize("code", LANGUAGES)
def test_every_language_has_a_file_with_every_label(code: str) -> None:
    assert code in available()
    lang = language_data(code)
    assert lang.code == code and len(lang.quotes) == 4
    labels = dict(lang.labels)
    missing = set(DEFAULT_LABELS) - set(labels)
    assert not missing, missing
    assert all(v.strip() for v in labels.values())
    fields = {"title", "authors", "fandoms", "rating", "pairings", "characters", "warnings",
              "genres", "tags", "status", "series", "published", "words", "summary", "extra",
              "note:disclaimer", "note:feedback", "note:dedication", "note:author-note"}
    assert {field for _, field in lang.header} <= fields
    assert lang.notes and lang.ends and (lang.chapter_words or lang.chapter_patterns)


def test_english_data_is_what_the_book_printed_before() -> None:
    assert DEFAULT_LABELS["author-note"] == "Author's note"
    assert DEFAULT_LABELS["unknown-author"] == "Author unknown"
    assert vocabulary("en").header_labels["a/n"] == "note:author-note"
    # a language without a file reads English's words
    assert vocabulary("nl") is vocabulary("en")


# ------------------------------------------------------------ whole stories


@pytest.mark.parametrize("code", LANGUAGES)
def test_a_story_in_each_language(code: str) -> None:
    title, author, chapters, front, end, marker = EXPECTED[code]
    result = _convert(FIXTURES / f"{code}.txt")
    story = result.story
    assert story.meta.language == code
    assert story.meta.title == title
    assert story.meta.authors == (author,)
    assert story.summary, "the summary is set apart"
    assert tuple(c.title for c in story.chapters) == chapters
    assert tuple(n.label for n in story.front_notes) == front
    assert tuple(n.kind for n in story.front_notes) == ("disclaimer", "author-note")
    last = story.chapters[-1].blocks
    assert last[-1].label == end and last[-1].kind == "author-note"  # type: ignore[union-attr]
    assert block_text(last[-2]) == marker, "the end marker stays the story's last words"
    messages = [d.message for d in result.diagnostics if d.code == "language"]
    assert messages and messages[0].startswith(f"language: {code} (detected")


def test_a_sentence_that_begins_with_the_chapter_word_is_text() -> None:
    es = vocabulary("es")
    assert heading("Capítulo tras capítulo había leído las cartas de su madre.", es) is None
    assert heading("Capítulo dos, pensó, y cerró el libro sin ganas de seguir leyendo.", es) is None
    assert heading("Capítulo uno", es) == "Capítulo uno"
    assert heading("Глава первая", vocabulary("ru")) == "Глава первая"
    assert heading("Chapitre premier", vocabulary("fr")) == "Chapitre premier"
    assert heading("第三章", vocabulary("zh")) == "第三章"
    de = vocabulary("de")
    assert heading("Zweites Kapitel.", de) == "Zweites Kapitel"  # the ordinal first
    assert heading("3. Kapitel: Der Schal", de) == "3. Kapitel: Der Schal"
    assert heading("Zweites Kapitel hat sie nie gelesen.", de) is None
    assert heading("第十二回：重逢", vocabulary("zh")) == "第十二回：重逢"
    # English's words are read in every language; other languages' only in their own
    assert heading("Chapter 3", es) == "Chapter 3"
    assert heading("Capítulo uno") is None


def test_the_recipe_language_wins_and_english_words_still_count() -> None:
    result = _convert(FIXTURES / "es.txt", language="es-MX")
    assert result.story.meta.language == "es-MX"
    assert result.story.front_notes[0].label == "Disclaimer"  # English's label in Spanish


def test_the_book_language_when_detection_is_unsure() -> None:
    assert choose(None, None, "Hola.", "fr").code == "fr"
    assert choose(None, "de", "The quick brown fox jumps over the lazy dog " * 20, "fr").code == "de"
    assert choose("it", "de", "anything", "fr").source == "recipe"


# ------------------------------------------------------------ detection


SAMPLES = {
    "es": "Ella abrió la puerta despacio y miró hacia el pasillo. No había nadie, pero la luz de la cocina seguía encendida.",
    "fr": "Elle ouvrit la porte lentement et regarda dans le couloir. Il n'y avait personne, mais la lumière de la cuisine était encore allumée.",
    "de": "Sie öffnete langsam die Tür und sah in den Flur. Niemand war da, aber das Licht in der Küche brannte noch.",
    "pt": "Ela abriu a porta devagar e olhou para o corredor. Não havia ninguém, mas a luz da cozinha ainda estava acesa.",
    "it": "Aprì la porta lentamente e guardò nel corridoio. Non c'era nessuno, ma la luce della cucina era ancora accesa.",
    "ru": "Она медленно открыла дверь и посмотрела в коридор. Там никого не было, но свет на кухне всё ещё горел.",
    "pl": "Powoli otworzyła drzwi i spojrzała na korytarz. Nikogo tam nie było, ale światło w kuchni wciąż się paliło.",
    "zh": "她慢慢地打开门，朝走廊里看去。那里没有人，但是厨房的灯还亮着。",
    "ja": "彼女はゆっくりとドアを開けて、廊下を見た。誰もいなかったが、台所の明かりはまだついていた。",
}


@pytest.mark.parametrize("code", sorted(SAMPLES))
def test_detection(code: str) -> None:
    found = detect(SAMPLES[code] * 3)
    assert found is not None and found.code == code and found.method == "py3langid"
    assert found.confidence >= 0.8


def test_plain_english_is_settled_without_the_model() -> None:
    _identifier.cache_clear()
    text = (FIXTURES / "en.txt").read_text("utf-8")
    found = detect(text)
    assert found is not None and found.code == "en" and found.method == "common words"
    assert _identifier.cache_info().currsize == 0  # the model was never loaded
    assert detect("Ok.") is None  # too little to tell


def test_detection_reads_a_sample_only() -> None:
    # an English header over a long Spanish story: the sample is the story's middle
    text = "Title: X\nAuthor: Y\nDisclaimer: not mine at all, the usual\n\n" + SAMPLES["es"] * 200
    found = detect(text)
    assert found is not None and found.code == "es"


# ------------------------------------------------------------ typography


def _smarten(code: str, text: str) -> str:
    from ficbook.convert.context import Context
    from ficbook.convert.rules import typography

    fix, _, _ = typography.fixer(Context(ConvertOptions(language=code), "t"))
    return block_text(fix(Paragraph((Text(text),))))


@pytest.mark.parametrize("code, text, expected", [
    ("en", '"Hi," she said. "It\'s late."', "“Hi,” she said. “It’s late.”"),
    ("fr", '" Tu viens ? »', "«\u00a0Tu viens\u00a0?\u00a0»"),  # a straight " opening French dialogue opens
    ("fr", '"Bonjour", dit-elle; "ça va?"', "«\u00a0Bonjour\u00a0», dit-elle\u00a0; «\u00a0ça va\u00a0?\u00a0»"),
    ("fr", "Déjà\u202f! L'été.", "Déjà\u202f! L’été."),  # the author's narrow no-break space is kept
    ("fr", '"Il a dit "oui" hier."', "«\u00a0Il a dit “oui” hier.\u00a0»"),
    ("de", '"Hallo", sagte sie. \'Nein\', dachte er.', "„Hallo“, sagte sie. ‚Nein‘, dachte er."),
    ("de", 'Er sagte: »Gut«, und "ja".', "Er sagte: »Gut«, und »ja«."),
    ("es", '"Hola", dijo. —No —respondió él—.', "«Hola», dijo. —No —respondió él—."),
    ("pt", '"Você vem?" — perguntou.', "«Você vem?» — perguntou."),
    ("it", '"Ciao" disse lui, "come va?"', "«Ciao» disse lui, «come va?»"),
    ("ru", '"Он сказал "жди" и ушёл."', "«Он сказал „жди“ и ушёл.»"),
    ("pl", '"Cześć" - powiedziała. "On mówi "tak""', "„Cześć” — powiedziała. „On mówi «tak»”"),
    ("zh", '"你好，"他说。\'好\'...', '"你好，"他说。\'好\'...'),  # untouched
    ("id", '"Sudah lama?" tanyanya.', "“Sudah lama?” tanyanya."),
])
def test_quotes_by_language(code: str, text: str, expected: str) -> None:
    assert _smarten(code, text) == expected


def test_apostrophes_in_every_latin_language() -> None:
    for code in ("en", "fr", "it", "de", "es", "pt", "pl", "id"):
        assert "’" in _smarten(code, "l'uomo d'oro, geht's"), code


# ------------------------------------------------------------ counting and labels


def test_chinese_and_japanese_count_characters() -> None:
    zh = _convert(FIXTURES / "zh.txt").story
    chars = sum(1 for c in "".join(block_text(b) for ch in zh.chapters for b in ch.blocks
                                   if not hasattr(b, "kind")) if "\u4e00" <= c <= "\u9fff")
    assert story_words(zh.chapters, zh.meta.language) == chars > 100
    # counted by spaces, the same text is a handful of "words"
    assert story_words(zh.chapters, "en") < 20


def _book(language: str, labels: dict[str, str] | None = None) -> Book:
    return Book(BookMeta(title="T", identifier="urn:uuid:x", language=language), (),
                labels=tuple((labels or {}).items()))


def test_a_book_speaks_its_language() -> None:
    assert _book("fr").label("author-note") == "Note de l’auteur"
    assert _book("es-MX").label("contents") == "Índice"
    assert _book("zh").label("character-count") == "字数"
    assert _book("ru").label("unknown-author") == "Автор неизвестен"
    assert _book("nl").label("contents") == "Contents"  # no file: English
    # the recipe's `labels:` win
    assert _book("fr", {"author-note": "Mot de l'autrice"}).label("author-note") == "Mot de l'autrice"
    for code in LANGUAGES:
        assert book_labels(code)["edited-by"]


def test_cover_lines_in_the_book_language() -> None:
    ru = book_labels("ru")
    assert count_line(1, ru) == "1 история"
    assert count_line(3, ru) == "3 истории"
    assert count_line(5, ru) == "5 историй"
    assert count_line(12, ru) == "12 историй"
    assert count_line(22, ru) == "22 истории"
    assert count_line(4, book_labels("fr")) == "4 histoires"
    assert credit_lines("Ana", (), book_labels("es")) == ("Edición de", "Ana")
    assert credit_lines(None, ("A", "B"), book_labels("de")) == (None, "A und B")


# ------------------------------------------------------------ end markers


def _story_from(tmp_path: Path, name: str, text: str):  # noqa: ANN202
    path = tmp_path / name
    path.write_text(text, "utf-8")
    return _convert(path)


STORY_ES = ("Ella cerró la puerta y se quedó mirando la calle vacía durante mucho tiempo, sin "
            "saber qué pensar de todo aquello que había pasado aquella noche.\n\n"
            "Después encendió la luz de la cocina y preparó un café que no iba a beber.\n\n")


@pytest.mark.parametrize("marker", ["~Fin~", "FIN", "Fin."])
def test_what_follows_an_end_marker_is_the_author_talking(tmp_path: Path, marker: str) -> None:
    result = _story_from(tmp_path, "s.txt", STORY_ES + f"{marker}\n\n"
                         "Gracias a todas por leer, nos vemos en la próxima historia.\n")
    story = result.story
    assert [block_text(b) for n in story.end_notes for b in n.blocks] == [
        "Gracias a todas por leer, nos vemos en la próxima historia."]
    assert block_text(story.chapters[-1].blocks[-1]) == marker  # the marker is the story's
    assert any("end marker" in d.message and d.severity == "info" for d in result.diagnostics)


def test_an_end_marker_alone_or_before_much_text_sets_nothing_apart(tmp_path: Path) -> None:
    alone = _story_from(tmp_path, "a.txt", STORY_ES + "Fin\n").story
    assert not alone.end_notes
    more = STORY_ES + "Fin\n\n" + ("Y entonces la historia siguió, porque no había terminado. " * 30)
    assert not _story_from(tmp_path, "b.txt", more).story.end_notes
    # English's marker in a Chinese story, and a Chinese one
    zh = _story_from(tmp_path, "z.txt", "雪从傍晚开始下，到了半夜，山路已经完全看不见了。客栈的灯笼在风里摇晃。\n\n"
                     "掌柜放下手里的算盘，慢慢走过去开了门。他什么也没有说。\n\n（完）\n\n谢谢大家看到这里！\n").story
    assert [block_text(b) for n in zh.end_notes for b in n.blocks] == ["谢谢大家看到这里！"]


def test_an_untitled_chapter_is_numbered_in_the_book_language() -> None:
    from ficbook.language import numbered

    assert numbered(_book("en").label("chapter"), 3) == "Chapter 3"
    assert numbered(_book("fr").label("chapter"), 3) == "Chapitre 3"
    assert numbered(_book("zh").label("chapter"), 3) == "第3章"
    assert numbered(_book("ja").label("chapter"), 12) == "第12話"


def test_archive_lines_in_other_languages_are_chrome() -> None:
    from ficbook.convert.rules.chrome import is_chrome

    for line in ("¡Dejen reviews por favor!", "Capítulo siguiente", "Laissez une review svp !",
                 "Оставьте отзывы, пожалуйста!", "Следующая глава", "Hinterlasst mir einen Kommentar!",
                 "上一章", "目次に戻る", "Zostawcie komentarz!", "Jangan lupa review ya!"):
        assert is_chrome(line), line
    for line in ("Dejen de mirarme así, dijo ella.", "Laissez-moi tranquille, répondit-il.",
                 "Оставьте меня в покое.", "上一章说到的那个人终于回来了。"):
        assert not is_chrome(line), line
