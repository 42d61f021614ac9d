"""The EPUB container: the package (ebooklib), the deterministic zip, EPUBCheck."""
