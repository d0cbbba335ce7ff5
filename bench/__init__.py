"""Benchmarks: `make bench` runs every `bench/*_bench.py`; each prints its own figures."""
