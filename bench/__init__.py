"""Benchmarks: each module runs as ``python -m bench.<name>`` and prints figures with a
comparison against the named alternative; ``python -m bench`` runs them all.
"""
