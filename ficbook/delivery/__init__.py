"""Getting books onto a reader without a cable: mail (Send to Kindle, Send-to-PocketBook)
and an OPDS catalog, served or written as static files."""
