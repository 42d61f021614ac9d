"""The converter's named rules: the names users put in a recipe's `rules:` mapping.

Pure data, so that the recipe can validate names without importing the rules.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class RuleInfo:
    name: str
    default: bool
    summary: str


RULES: tuple[RuleInfo, ...] = (
    RuleInfo("mojibake", True, "repair mojibake (UTF-8 read as cp1252: â€™) with ftfy"),
    RuleInfo("unwrap", True, "join lines hard-wrapped at 60-80 columns back into paragraphs"),
    RuleInfo("chrome", True, "drop archive site lines (review prompts, navigation, counters); "
                             "each one is listed in the log"),
    RuleInfo("chapters", True, "find chapter headings: Chapter 1, Chapter One: Title, CHAPTER I., "
                               "Part 2, Prologue, a bare roman numeral, AO3's Chapter Text"),
    RuleInfo("header", True, "read the label block (Title:, Author:, Rating:, Summary:, "
                             "Disclaimer:…) into the story card; unknown labels kept on the card"),
    RuleInfo("scene_breaks", True, "glyph lines (* * *, ~~~, oOo, #…) and runs of blank lines "
                                   "longer than the file's paragraph gap become one scene break"),
    RuleInfo("author_notes", True, "set apart labelled notes (A/N:, Author's note:, Note:…) "
                                   "and a trailing notes section that runs to the end"),
    RuleInfo("trailing_notes", True, "find an unlabelled author's note at the very end, or "
                                     "before the first scene break (updates, reviews, "
                                     "holidays); reported as a warning"),
    RuleInfo("epigraphs", True, "a quotation with an attribution line (--Name, ~Name) at the "
                                "start or end of a story or chapter becomes an epigraph"),
    RuleInfo("html_tags", True, "honour literal <i>, <em>, <b>, <strong>, <u> and entities "
                                "(&amp;) in plain text; anything else stays text"),
    RuleInfo("stripped_tags", True, "repair tags archives stripped to letters: i Touch/i "
                                    "becomes an italic Touch (also b…/b, u…/u)"),
    RuleInfo("emphasis", True, "*word* and _word_ become italics, **word** bold"),
    RuleInfo("typography", True, "curly quotes and apostrophes ('90s, 'em, rock 'n' roll), "
                                 "-- and spaced hyphens to em dashes, ... and . . . to …"),
    RuleInfo("close_dashes", False, "close the spaces around em dashes (off: keep the "
                                    "author's spacing)"),
)

RULE_NAMES: tuple[str, ...] = tuple(r.name for r in RULES)
DEFAULTS: dict[str, bool] = {r.name: r.default for r in RULES}
