"""The French sample book (recipes/phares.yaml): its labels in French, each document's
`lang` its story's (the Spanish story's own), both languages in the OPF. EPUBCheck runs on
it with every sample recipe (tests/test_samples.py)."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

import pytest
from lxml import etree

from ficbook.build import BuildOptions, build

ROOT = Path(__file__).resolve().parents[2]
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"


@pytest.fixture(scope="module")
def book(tmp_path_factory: pytest.TempPathFactory) -> zipfile.ZipFile:
    out = tmp_path_factory.mktemp("phares")
    return zipfile.ZipFile(build(ROOT / "recipes" / "phares.yaml", BuildOptions(out_dir=out)).output)


def _text(book: zipfile.ZipFile, name: str) -> str:
    return book.read(f"epub/text/{name}").decode("utf-8")


def _spine(book: zipfile.ZipFile) -> list[str]:
    """The text documents in reading order (file names under epub/text/)."""
    opf = book.read("epub/content.opf").decode("utf-8")
    hrefs = dict(re.findall(r'<item[^>]*?id="([^"]+)"[^>]*?href="text/([^"]+)"', opf))
    hrefs.update({i: h for h, i in re.findall(r'<item[^>]*?href="text/([^"]+)"[^>]*?id="([^"]+)"', opf)})
    return [hrefs[i] for i in re.findall(r'<itemref[^>]*idref="([^"]+)"', opf) if i in hrefs]


def _story_docs(book: zipfile.ZipFile) -> list[list[str]]:
    """Each story's documents (its card first), in reading order."""
    stories: list[list[str]] = []
    for name in _spine(book):
        if name.endswith("card.xhtml"):
            stories.append([name])
        elif stories and "-c" in name:
            stories[-1].append(name)
    return stories


def test_every_document_has_its_story_language(book: zipfile.ZipFile) -> None:
    stories = _story_docs(book)
    assert len(stories) == 3 and all(len(docs) == 3 for docs in stories)  # card, 2 chapters
    spanish = set(stories[2])
    docs = [n for n in book.namelist() if n.endswith(".xhtml") and "/text/" in n]
    for name in docs:
        root = etree.fromstring(book.read(name))
        want = "es" if name.removeprefix("epub/text/") in spanish else "fr"
        assert root.get("lang") == root.get(XML_LANG) == want, name


def test_the_opf_names_both_languages(book: zipfile.ZipFile) -> None:
    opf = book.read("epub/content.opf").decode("utf-8")
    assert re.findall(r"<dc:language>([^<]+)</dc:language>", opf) == ["fr", "es"]


def test_labels_in_french(book: zipfile.ZipFile) -> None:
    contents = _text(book, "contents.xhtml")
    assert "Table des matières" in contents and " mots" in contents
    card = _text(book, _story_docs(book)[0][0])
    for label in ("<dt>Classement</dt>", "<dt>Mots</dt>", "<dt>Chapitres</dt>",
                  ">Résumé<", ">Avertissement<", ">Note de l’auteur<"):
        assert label in card, label
    assert "Words" not in card and "Author's note" not in card
    title = _text(book, "title.xhtml")
    assert "Sous la direction de" in title


def test_french_typography_and_chapters(book: zipfile.ZipFile) -> None:
    chapter = _text(book, _story_docs(book)[0][1])
    assert "Chapitre premier" in chapter
    assert "«\u00a0Il y a quelqu’un\u00a0?\u00a0» cria-t-il" in chapter  # opened by a straight "
    assert "la table\u00a0; il" in chapter
    spanish = _text(book, _story_docs(book)[2][1])
    assert "«¿Hay alguien ahí?»" in spanish and "—Nadie —respondió" in spanish
