"""eid device driver package."""
