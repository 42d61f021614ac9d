"""Fuzzing ficbook's input side: the converter, the HTML reader and the recipe loader.

`python -m fuzz --minutes N` runs every target for a share of N minutes (Hypothesis, not
derandomized, with atheris too if it is installed); a failing input is shrunk and saved in
tests/hostile/regressions/, where the test suite replays it forever after.
"""
