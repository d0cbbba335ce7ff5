"""A virtual Belgian eID card for pcscd's vpcd reader, with a control socket (see card.py)."""
