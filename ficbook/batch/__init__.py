"""Many books at once: inputs, the worker pool, the incremental records and the story memo."""
