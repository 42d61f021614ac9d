"""Readers of plain text: lines -> paragraphs -> chapters -> the rules."""
