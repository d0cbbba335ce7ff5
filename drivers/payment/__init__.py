"""payment device driver package."""
