"""Benchmarks run by ``make bench`` (docs/performance.md)."""
