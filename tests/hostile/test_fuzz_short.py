"""The fuzz targets (fuzz/targets.py), briefly and repeatably: a few seconds in the suite.
`make fuzz` runs them at length, at random."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings

from fuzz.targets import TARGETS


@pytest.mark.parametrize("name,examples", [("convert", 150), ("markup", 60), ("recipe", 200)])
def test_fuzz_target_briefly(name: str, examples: int):
    target = TARGETS[name]

    @settings(max_examples=examples, derandomize=True, deadline=None, database=None,
              suppress_health_check=list(HealthCheck))
    @given(target.strategy)
    def run(value: object) -> None:
        target.check(value)

    run()
