"""The command line: one module per command; `output` holds what they print alike."""
