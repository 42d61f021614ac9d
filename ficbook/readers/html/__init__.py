"""Readers of saved web pages: one per site that made the page, on shared block parsing."""
