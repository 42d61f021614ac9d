"""ficbook: turn fan fiction saved as text, HTML or EPUB into EPUB 3 anthologies."""

from ficbook import native

__version__ = "0.1.0"

native.install()  # the compiled converter, where this source has a build (ficbook.native)
