"""The writer: a `Book` -> finished XHTML documents, navigation and landmarks (a `Rendition`).

`book` puts the book in reading order from `front` (cover, title, contents, parts),
`story` (card, chapters, gathered notes) and `back` (notes appendix, credits); `blocks`
writes blocks and inlines; `split` cuts long chapters into files, recording where each
anchor lands, and `links` writes the links between files from that record. Where notes
and disclaimers go was decided by `ficbook.assemble`; the writer writes what it is given.
"""

from ficbook.render.book import render
from ficbook.render.rendition import Document, Landmarks, NavEntry, Rendition
from ficbook.render.split import MAX_DOC_BYTES

__all__ = ["MAX_DOC_BYTES", "Document", "Landmarks", "NavEntry", "Rendition", "render"]
