"""The writer: a `Book` -> finished XHTML documents and the navigation (a `Rendition`)."""
