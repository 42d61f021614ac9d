"""Hostile-input tests: the `slow` marker (the full-size big files; `-m "not slow"` skips)."""


def pytest_configure(config) -> None:  # noqa: ANN001
    config.addinivalue_line("markers", "slow: full-size big inputs (50 MB, a million lines)")
