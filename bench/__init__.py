"""Benchmarks of Layan, run by `make bench`; figures go to docs/performance.md.

Nothing here is imported by Layan itself, and no test asserts a timing: the
figures are reported, with their ratios to the raw tools measured in the same run.
"""
