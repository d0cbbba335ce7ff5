"""Offline journal, outbox, catalog cache and search, sync worker."""
