"""printer device driver package."""
