"""Languages: each story's (from the recipe, the file, or detected from its text), the
words the rules read in it, and the labels a book prints in it.

`data` reads `ficbook/data/languages/<code>.yaml`; `vocab` makes the rules' patterns from
a story language's words and English's; `detect` names a text's language.
"""

from ficbook.language.data import (
    ENGLISH,
    LanguageData,
    available,
    book_labels,
    count_label,
    counts_characters,
    language_data,
    numbered,
    primary,
)
from ficbook.language.vocab import Vocabulary, story_vocabulary, vocabulary

__all__ = ["ENGLISH", "LanguageData", "Vocabulary", "available", "book_labels",
           "count_label", "counts_characters", "language_data", "numbered", "primary", "story_vocabulary", "vocabulary"]
