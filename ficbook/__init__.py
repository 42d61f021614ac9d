"""ficbook: turn fan fiction saved as text, HTML or EPUB into EPUB 3 anthologies."""

__version__ = "0.1.0"
