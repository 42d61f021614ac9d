"""The recipe's schema: what an anthology's YAML may say, checked by pydantic.

`Recipe`, `StoryEntry`, `PartEntry` and `Series` forbid unknown keys; validators check
language tags, converter rule names and label names. Loading the YAML and placing each
problem at its line are in `load` and `locate`.
"""

from __future__ import annotations

import datetime as dt
import difflib
import os
import re
import uuid
from functools import cached_property
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from ficbook.cover.options import CoverOptions
from ficbook.paths import realpath
from ficbook.recipe import values

# BCP 47, loosely: a primary language subtag and optional subtags (en, en-GB, zh-Hant-TW).
_BCP47 = re.compile(r"^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*$")

# A recipe larger than this is not a recipe; refuse before parsing.
MAX_RECIPE_BYTES = 1_000_000


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)


NotesMode = Literal["inline", "story-end", "appendix", "drop"]
DisclaimersMode = Literal["story", "credits", "drop"]


class StoryEntry(_Model):
    # A story file (`path:`) or an archive link fetched through FanFicFare (`url:`).
    path: str | None = Field(default=None, min_length=1)
    url: str | None = None
    source: str | None = None  # the story's address, shown in the book (a link's own by default)
    tags: list[str] | None = None
    series: str | None = None
    title: str | None = None
    author: str | None = None
    summary: str | None = None
    rating: str | None = None
    language: str | None = None
    encoding: str | None = None
    # Converter rules switched on or off for this story, by name: {typography: false}.
    rules: dict[str, bool] = Field(default_factory=dict)
    # Where unlabelled author's notes start or end, by their first words.
    notes_after: str | None = None
    notes_before: str | None = None
    notes: NotesMode | None = None
    disclaimers: DisclaimersMode | None = None
    # A layout profile (ficbook/data/layouts/NAME.yaml) forced, or "none": no detection.
    layout: str | None = None
    # A layout's boilerplate (Gutenberg's licence…): dropped and listed, or kept as a
    # disclaimer (with `disclaimers: credits`, on the credits page).
    boilerplate: Literal["drop", "keep"] | None = None

    @field_validator("language")
    @classmethod
    def _lang(cls, v: str | None) -> str | None:
        return _check_language(v) if v is not None else v

    @field_validator("layout")
    @classmethod
    def _layout(cls, v: str | None) -> str | None:
        return _check_layout(v) if v is not None else v

    @field_validator("rules")
    @classmethod
    def _rules(cls, v: dict[str, bool]) -> dict[str, bool]:
        return _check_rules(v)

    @field_validator("encoding")
    @classmethod
    def _encoding(cls, v: str | None) -> str | None:
        return values.check_encoding(v)

    @field_validator("url")
    @classmethod
    def _url(cls, v: str | None) -> str | None:
        if v is not None and not re.match(r"^https?://[^\s/]+\S*$", v):
            raise ValueError(f"not a web link: {v!r} (an archive link starts with https://)")
        return v

    @model_validator(mode="after")
    def _path_or_url(self) -> StoryEntry:
        if (self.path is None) == (self.url is None):
            raise ValueError("give the story's `path:` (a file) or its `url:` (an archive link), "
                             "one of the two")
        return self


class Series(_Model):
    name: str = Field(min_length=1)
    index: float | None = None


class CalibreBook(_Model):
    """What the recipe says over calibre's metadata for one book (by its calibre id)."""

    title: str | None = None
    author: str | None = None
    summary: str | None = None
    rating: str | None = None
    language: str | None = None
    source: str | None = None


class CalibreSource(_Model):
    library: str = Field(min_length=1)  # the folder holding metadata.db
    search: str | None = None  # calibre's search language: tags:"Spike/Buffy" and #status:Complete
    ids: list[int] = Field(default_factory=list)  # these books, in this order (instead of search)
    sort: Literal["series", "date", "title", "id"] = "series"
    books: dict[int, CalibreBook] = Field(default_factory=dict)

    @model_validator(mode="after")
    def _search_or_ids(self) -> CalibreSource:
        if self.search and self.ids:
            raise ValueError("give `search:` or `ids:`, not both")
        return self


class PartEntry(_Model):
    title: str = Field(min_length=1)
    stories: list[StoryEntry] = Field(min_length=1)


class Recipe(_Model):
    title: str = Field(min_length=1)
    subtitle: str | None = None
    editor: str | None = None
    language: str = "en"
    description: str | None = None
    date: dt.date | None = None
    series: Series | None = None
    subjects: list[str] = Field(default_factory=list)
    identifier: str | None = None
    cover: CoverOptions = Field(default_factory=CoverOptions)
    stories: list[StoryEntry] = Field(default_factory=list)
    parts: list[PartEntry] = Field(default_factory=list)
    # Converter rules switched for every story: {typography: false, chrome: true}.
    rules: dict[str, bool] = Field(default_factory=dict)
    notes: NotesMode = "inline"
    disclaimers: DisclaimersMode = "story"
    labels: dict[str, str] = Field(default_factory=dict)
    css: str | None = None  # extra CSS appended to the book's stylesheet
    split: float | None = Field(default=None, gt=0)  # MB: over it, the book is written as volumes
    calibre: CalibreSource | None = None  # stories from a calibre library (ficbook.sources)

    # Not YAML fields: set by load_recipe.
    source: Path | None = Field(default=None, exclude=True)

    @field_validator("language")
    @classmethod
    def _lang(cls, v: str) -> str:
        return _check_language(v)

    @field_validator("rules")
    @classmethod
    def _rules(cls, v: dict[str, bool]) -> dict[str, bool]:
        return _check_rules(v)

    @field_validator("labels")
    @classmethod
    def _labels(cls, v: dict[str, str]) -> dict[str, str]:
        return _check_labels(v)

    @field_validator("date")
    @classmethod
    def _date(cls, v: dt.date | None) -> dt.date | None:
        return values.check_date(v)

    @field_validator("identifier")
    @classmethod
    def _identifier(cls, v: str | None) -> str | None:
        return values.check_identifier(v)

    @field_validator("css")
    @classmethod
    def _css(cls, v: str | None) -> str | None:
        if v:
            from ficbook.recipe.csslint import lint_css

            problems = lint_css(v)
            if problems:
                raise ValueError("CSS that e-readers reject: " + "; ".join(problems))
        return v

    @field_validator("stories")
    @classmethod
    def _not_empty(cls, v: list[StoryEntry]) -> list[StoryEntry]:
        if not v:
            raise ValueError("the list is empty: add at least one story (`- path: story.txt`)")
        return v

    @model_validator(mode="after")
    def _has_stories(self) -> Recipe:
        if self.stories and self.parts:
            raise ValueError("give either `stories` or `parts`, not both")
        if self.parts and self.calibre is not None:
            raise ValueError("`calibre:` books follow a `stories:` list, not `parts:`")
        if not self.stories and not self.parts and self.calibre is None:
            raise ValueError("no stories: add a `stories:` list (or `parts:`)")
        return self

    # -------------------------------------------------------------- derived

    @property
    def base_dir(self) -> Path:
        return self.source.parent if self.source else Path.cwd()

    @property
    def all_stories(self) -> list[StoryEntry]:
        if self.parts:
            return [s for p in self.parts for s in p.stories]
        return list(self.stories)

    def story_path(self, entry: StoryEntry) -> Path:
        if entry.path is None:  # a link: its download, wherever the cache keeps it
            from ficbook.outputs import download_path

            return download_path(self.source or self.base_dir / "recipe.yaml", entry.url or "")
        # realpath, not Path.resolve(): a symlink loop must reach the reader's clear error.
        # Remembered: a build asks for each story's path five times, and realpath stats
        # every component of it each time (here each folder once: `paths.realpath`).
        key = (self.source, entry.path) if self.source else (Path.cwd(), entry.path)
        path = self._story_paths.get(key)
        if path is None:  # the recipe's folder as text: `source.parent` makes a Path each time
            base = os.path.dirname(self.source) if self.source else key[0]
            path = self._story_paths[key] = Path(realpath(os.path.join(base, entry.path), self._folders))
        return path

    @cached_property
    def _story_paths(self) -> dict[tuple[Path | None, str], Path]:
        return {}

    @cached_property
    def _folders(self) -> dict[str, str]:
        return {}

    @property
    def uuid(self) -> str:
        """A stable identity: rebuilding the same recipe keeps its place on the reader."""
        if self.identifier:
            return self.identifier
        key = f"ficbook:{self.title}:{self.editor or ''}:{self.source.name if self.source else ''}"
        # a file name that is not UTF-8 (lone surrogates here): its bytes, escaped
        key = key.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")
        return f"urn:uuid:{uuid.uuid5(uuid.NAMESPACE_URL, key)}"


def _check_labels(v: dict[str, str]) -> dict[str, str]:
    from ficbook.model import DEFAULT_LABELS

    problems = []
    for key in v:
        if key not in DEFAULT_LABELS:
            close = difflib.get_close_matches(key, list(DEFAULT_LABELS), n=1, cutoff=0.6)
            hint = f" (did you mean `{close[0]}`?)" if close else ""
            problems.append(f"unknown label `{key}`{hint}")
    if problems:
        raise ValueError("; ".join(problems) + "; known labels: " + ", ".join(DEFAULT_LABELS))
    return v


def _check_layout(name: str) -> str:
    from ficbook.datafiles import data_file

    names = sorted(e.name[:-5] for e in data_file("layouts").iterdir() if e.name.endswith(".yaml"))
    if name not in (*names, "none"):
        close = difflib.get_close_matches(name, names, n=1)
        hint = f" (did you mean {close[0]!r}?)" if close else ""
        raise ValueError(f"unknown layout {name!r}{hint}; layouts are: {', '.join(names)}, none")
    return name


def _check_rules(rules: dict[str, bool]) -> dict[str, bool]:
    from ficbook.convert import RULE_NAMES

    for name in rules:
        if name not in RULE_NAMES:
            close = difflib.get_close_matches(name, RULE_NAMES, n=1, cutoff=0.6)
            hint = f" (did you mean `{close[0]}`?)" if close else ""
            raise ValueError(f"unknown converter rule {name!r}{hint}; the rules are: "
                             + ", ".join(RULE_NAMES))
    return rules


def _check_language(v: str) -> str:
    if not _BCP47.match(v):
        raise ValueError(f"not a BCP 47 language tag: {v!r} (e.g. en, en-GB, fr, pt-BR)")
    return v
