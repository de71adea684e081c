"""Benchmark-only code (issue 8, issue 16 point 6): the floor endpoint and `generate_history`.

Installed (INSTALLED_APPS, URLs, migrations) only when `settings.BENCHMARK` is
on (`SAMVERKAN_BENCHMARK=1`, refused in production settings), so no production
database gets a benchmark table and no production server a benchmark endpoint.
`benchmarks/run.py` turns it on for everything it runs.
"""
